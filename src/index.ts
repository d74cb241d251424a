/**
 * Glasshouse — gathers what people say about a shop elsewhere on the web and serves it,
 * criticism included, next to the shop's official answers. See README.md and docs/.
 */
import { createApp } from './app'
import { handleQueue } from './queues'
import { handleScheduled } from './scheduled'
import { systemClock } from './common/clock'

// Every entry point runs on the system clock; tests build the app and call the handlers with their own.
const app = createApp({ now: systemClock })

export default {
  fetch: app.fetch,
  queue: (batch, env) => handleQueue(batch, env, systemClock),
  scheduled: (controller, env) => handleScheduled(controller, env, systemClock),
} satisfies ExportedHandler<Env>
