import { expect, vi } from 'vitest'

import { call } from './http'

/** Waits on the queue: reads again until `done` holds (the queue delivers asynchronously), or fails after `ms`. */
export const eventually = <T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 8000): Promise<T> =>
  vi.waitFor(
    async () => {
      const value = await read()
      if (!done(value)) throw new Error(`still not there after ${ms} ms: ${JSON.stringify(value)}`)
      return value
    },
    { timeout: ms, interval: 100 },
  )

export type LinkbackStatus = {
  status: 'queued' | 'verified' | 'rejected' | 'deleted' | 'accepted'
  reason: string | null
  http_status: number | null
  summary: string
  explanation: { en: string; ja: string }
  source: string
  target: string
  protocol: string
  attempts: number
  voice: { id: string; status: string; type: string | null }
}

/** Reads a status URL (absolute, as a Location header gives it). */
export async function statusAt(location: string): Promise<LinkbackStatus> {
  const res = await call(new URL(location).pathname)
  expect(res.status).toBe(200)
  return res.json<LinkbackStatus>()
}

/** Waits until the linkback at `location` is no longer queued and returns its status. */
export const settled = (location: string, ms?: number) =>
  eventually(
    () => statusAt(location),
    (s) => s.status !== 'queued',
    ms,
  )

let ip = 0
/** A fresh client address, so flood limits bite only where a test wants them. */
export const freshIp = () => `203.0.113.${++ip % 250}-${ip}`

/** Sends a Webmention as mention-client-php does (form-encoded, Accept JSON). */
export function sendWebmention(site: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return call(`/webmention/${site}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Accept: 'application/json, */*;q=0.8',
      'CF-Connecting-IP': freshIp(),
      ...headers,
    },
    body: new URLSearchParams(fields).toString(),
  })
}
