import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env, exports } from 'cloudflare:workers'

import { createApp } from '../../src/app'
import type { Clock } from '../../src/common/clock'

export const HUB = 'http://hub.test'
export const OPERATOR_TOKEN = 'test-operator-token'

/** Sends a request to the hub: `path` and the fetch options, as `call` takes them. */
export type Call = (path: string, init?: RequestInit) => Promise<Response>

/** A request to the Worker's own fetch handler, as the outside world would send it. */
export const call: Call = (path, init) => exports.default.fetch(new Request(HUB + path, init))

/**
 * Requests to the Worker's app on another clock: `at` is a time (a clock standing still there)
 * or a clock the test moves. What a request leaves to waitUntil (a click handed to the queue,
 * a copy put in the edge cache) is done before its answer is returned. `bindings` replace the
 * Worker's.
 */
export function callAt(at: number | Clock, bindings: Partial<Env> = {}): Call {
  const app = createApp({ now: typeof at === 'number' ? () => at : at })
  return async (path, init) => {
    const ctx = createExecutionContext()
    const res = await app.fetch(new Request(HUB + path, init), { ...env, ...bindings }, ctx)
    await waitOnExecutionContext(ctx)
    return res
  }
}

/** A clock that stands still at `start` until the test moves it. */
export function testClock(start = Date.now()): Clock & { advance: (ms: number) => void } {
  let t = start
  return Object.assign(() => t, {
    advance: (ms: number) => {
      t += ms
    },
  })
}

export const HOUR = 3_600_000
export const DAY = 24 * HOUR

/** A JSON API call; the operator token unless another is given (null: none). */
export function api(method: string, path: string, body?: unknown, token: string | null = OPERATOR_TOKEN) {
  const headers: Record<string, string> = {}
  if (token !== null) headers.Authorization = `Bearer ${token}`
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  return call(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
}

export const rowsRead = (res: Response) => Number(res.headers.get('X-D1-Rows-Read'))
