import { Hono } from 'hono'

import type { Clock } from './common/clock'
import type { Principal } from './common/principal'

/** Hono's environment: bindings are the generated `Env` (src/worker-configuration.d.ts). */
export type AppEnv = {
  Bindings: Env
  /**
   * `requestId`: the request's id (its Cloudflare Ray ID when there is one), in X-Request-Id, error bodies and logs.
   * `now`: the app's clock (src/common/clock.ts); routes take the time from it, never from `Date.now()`.
   */
  Variables: { principal: Principal; requestId: string; now: Clock }
}

export const newRouter = () => new Hono<AppEnv>()

export { isDevelopment } from './common/environment'
