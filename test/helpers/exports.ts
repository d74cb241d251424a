import { createMessageBatch, createExecutionContext, getQueueResult } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { expect } from 'vitest'

import type { Clock } from '../../src/common/clock'
import { consumeExports } from '../../src/exports/run'
import { unique } from './factories'
import { callAt, OPERATOR_TOKEN } from './http'
import { keepingQueue } from './outbox'

export type ExportFile = {
  name: string
  rows: number
  bytes: number
  url: string | null
  url_expires_at: string | null
}
export type ExportJson = {
  id: string
  state: string
  progress: { kind: string | null; step: number; steps: number; batches: number }
  counts: Record<string, number>
  bytes: number
  files: ExportFile[]
  error: string | null
  expires_at: string | null
}

const auth = (token: string) => ({ Authorization: `Bearer ${token}` })

/** Starts an export of the shop at `clock`'s time; its answer, and the queue that keeps its message. */
export async function startExport(slug: string, clock: Clock, token = OPERATOR_TOKEN) {
  const queue = keepingQueue()
  const res = await callAt(clock, { EXPORT_QUEUE: queue.queue })(`/api/sites/${slug}/exports`, {
    method: 'POST',
    headers: auth(token),
  })
  return { res, queue }
}

/**
 * Hands each export message the queue keeps to the export queue's consumer (batches of `rows`),
 * as the queue would, until none is left; how many it handed, and the messages of the last call.
 */
export async function drain(sent: unknown[], clock: Clock, rows: number, max = 1000) {
  let handed = 0
  while (sent.length > 0 && handed < max) {
    const body = sent.shift()
    const next = keepingQueue()
    const batch = createMessageBatch('glasshouse-exports', [
      { id: unique('msg'), timestamp: new Date(), attempts: 1, body },
    ])
    const ctx = createExecutionContext()
    await consumeExports(batch, { ...env, EXPORT_QUEUE: next.queue }, clock, rows)
    const result = await getQueueResult(batch, ctx)
    expect(result.retryMessages, 'no batch failed').toEqual([])
    sent.push(...next.sent)
    handed++
  }
  return handed
}

/** An export as the API answers it at `clock`'s time. */
export async function readExport(slug: string, id: string, clock: Clock, token = OPERATOR_TOKEN) {
  const res = await callAt(clock)(`/api/sites/${slug}/exports/${id}`, { headers: auth(token) })
  expect(res.status, await res.clone().text()).toBe(200)
  return res.json<ExportJson>()
}

/** A file of a done export, by its link (the link's path on the test hub). */
export async function download(file: ExportFile, clock: Clock) {
  expect(file.url).toEqual(expect.any(String))
  const url = new URL(file.url!)
  return callAt(clock)(url.pathname + url.search)
}

/** Runs a whole export of the shop: its final answer, and how many queue messages it took. */
export async function exportShop(slug: string, clock: Clock, rows = 1000) {
  const { res, queue } = await startExport(slug, clock)
  expect(res.status, await res.clone().text()).toBe(202)
  const { id } = await res.json<ExportJson>()
  const messages = await drain(queue.sent, clock, rows)
  const done = await readExport(slug, id, clock)
  expect(done.state).toBe('done')
  return { id, done, messages }
}

export const jsonLines = (text: string) =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>)

export const fileNamed = (e: ExportJson, name: string) =>
  e.files.find((f) => f.name === name) ?? expect.fail(`no file ${name}`)
