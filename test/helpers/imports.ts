import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { expect } from 'vitest'

import type { Clock } from '../../src/common/clock'
import { consumeImports } from '../../src/imports/run'
import { unique } from './factories'
import { callAt, OPERATOR_TOKEN } from './http'
import { keepingQueue } from './outbox'

export type ImportJson = {
  id: string
  format: string
  state: string
  file_name: string
  file_bytes: number
  origin: string | null
  progress: { steps: number; lines: number }
  counts: { added: number; duplicate: number; skipped: number; refused: number }
  error: string | null
  error_text: string | null
  upload_url: string | null
  report_url: string
}

export type ImportLine = {
  line: number
  outcome: 'added' | 'duplicate' | 'skipped' | 'refused'
  place: string
  subject: string | null
  ref: string | null
  reason: string | null
  reason_text: string | null
}

const auth = (token: string) => ({ Authorization: `Bearer ${token}` })

/** Makes an import of the shop at `clock`'s time; its answer, and the queue that keeps its first message. */
export async function startImport(slug: string, body: Record<string, unknown>, clock: Clock, token = OPERATOR_TOKEN) {
  const queue = keepingQueue()
  const res = await callAt(clock, { IMPORT_QUEUE: queue.queue })(`/api/sites/${slug}/imports`, {
    method: 'POST',
    headers: { ...auth(token), 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { res, queue }
}

/** PUTs the file of an import; the answer, and the queue that keeps its first step's message. */
export async function uploadFile(
  slug: string,
  id: string,
  bytes: Uint8Array | string,
  clock: Clock,
  token = OPERATOR_TOKEN,
  headers: Record<string, string> = {},
) {
  const queue = keepingQueue()
  const body = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes
  const res = await callAt(clock, { IMPORT_QUEUE: queue.queue })(`/api/sites/${slug}/imports/${id}/file`, {
    method: 'PUT',
    headers: { ...auth(token), 'Content-Length': String(body.length), ...headers },
    body,
  })
  return { res, queue }
}

/**
 * Hands each import message the queue keeps to the import queue's consumer (steps of `records`),
 * as the queue would, until none is left; how many it handed, and the checks the steps queued.
 */
export async function drainImport(sent: unknown[], clock: Clock, records = 100, max = 2000) {
  let handed = 0
  const checks: unknown[] = []
  while (sent.length > 0 && handed < max) {
    const body = sent.shift()
    const next = keepingQueue()
    const verify = keepingQueue()
    const batch = createMessageBatch('glasshouse-imports', [
      { id: unique('msg'), timestamp: new Date(), attempts: 1, body },
    ])
    const ctx = createExecutionContext()
    await consumeImports(batch, { ...env, IMPORT_QUEUE: next.queue, VERIFY_QUEUE: verify.queue }, clock, records)
    const result = await getQueueResult(batch, ctx)
    expect(result.retryMessages, 'no step failed').toEqual([])
    sent.push(...next.sent)
    checks.push(...verify.sent)
    handed++
  }
  return { handed, checks }
}

export async function readImport(slug: string, id: string, clock: Clock, token = OPERATOR_TOKEN, lang = 'en') {
  const res = await callAt(clock)(`/api/sites/${slug}/imports/${id}?lang=${lang}`, { headers: auth(token) })
  expect(res.status, await res.clone().text()).toBe(200)
  return res.json<ImportJson>()
}

/** Every line of an import's report (following its pages). */
export async function reportOf(slug: string, id: string, clock: Clock, query = '', token = OPERATOR_TOKEN) {
  const lines: ImportLine[] = []
  let path: string | null = `/api/sites/${slug}/imports/${id}/lines?limit=500${query}`
  while (path) {
    const res: Response = await callAt(clock)(path, { headers: auth(token) })
    expect(res.status, await res.clone().text()).toBe(200)
    const page = await res.json<{ items: ImportLine[]; next_url: string | null }>()
    lines.push(...page.items)
    path = page.next_url ? new URL(page.next_url).pathname + new URL(page.next_url).search : null
  }
  return lines
}

/** Makes an import, uploads `file`, runs every step: the import as it ends, and the checks its steps queued. */
export async function importFile(
  slug: string,
  body: Record<string, unknown>,
  file: Uint8Array | string,
  clock: Clock,
  records = 100,
) {
  const made = await startImport(slug, body, clock)
  expect(made.res.status, await made.res.clone().text()).toBe(201)
  const { id } = await made.res.json<ImportJson>()
  const up = await uploadFile(slug, id, file, clock)
  expect(up.res.status, await up.res.clone().text()).toBe(202)
  const run = await drainImport(up.queue.sent, clock, records)
  return { id, done: await readImport(slug, id, clock), ...run }
}
