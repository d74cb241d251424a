/**
 * A correction's messages are written with it: when the Worker dies right after the batch that
 * edits or withdraws an answer and its queue messages are lost, the webhook deliveries and the
 * blog's new announcement round are in D1, and the cron's sweep sends them.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'

import { getDb } from '../../src/db/client'
import { IN_FLIGHT_MS } from '../../src/outbox/outbox'
import { sweepOutbox } from '../../src/outbox/sweep'
import { servePage } from '../helpers/blogs'
import { createSite, type SiteFixture, unique } from '../helpers/factories'
import { api, callAt } from '../helpers/http'
import { consume, dyingAfter, keepingQueue, keepingSenders, outboxRow } from '../helpers/outbox'
import { announceableVoice } from '../helpers/voices'

const db = getDb(env.DB)

async function receiver(site: SiteFixture, events: string[]) {
  const url = `https://${unique('hooks')}.example/in`
  await servePage(url, { body: 'ok', headers: { 'Content-Type': 'text/plain' } })
  const res = await api('POST', `/api/sites/${site.slug}/webhooks`, { url, events }, site.key)
  expect(res.status).toBe(201)
  return (await res.json<{ id: string }>()).id
}

const deliveriesOf = async (endpoint: string) =>
  (
    await env.DB.prepare(
      'SELECT id, event, state FROM webhook_deliveries WHERE endpoint_id = ? ORDER BY created_at, id',
    )
      .bind(endpoint)
      .all<{ id: string; event: string; state: string }>()
  ).results

/** Sends `body` to `path` at `at` from a Worker whose D1 dies after the batch that updates the answer, and whose queues keep what they are sent. */
async function dyingCall(site: SiteFixture, at: number, method: string, path: string, body: unknown) {
  const hooks = keepingQueue()
  const announcements = keepingQueue()
  const res = await callAt(at, {
    WEBHOOK_QUEUE: hooks.queue,
    ANNOUNCE_QUEUE: announcements.queue,
    DB: dyingAfter(env.DB, (sql) => sql.startsWith('update "responses"')),
  })(path, {
    method,
    headers: { Authorization: `Bearer ${site.key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { res, hooks: hooks.sent, announcements: announcements.sent }
}

describe('a correction when the Worker dies right after its batch', () => {
  it('has its webhook deliveries and the blog’s new round in D1, and the sweep sends them', async () => {
    const site = await createSite()
    const hook = await receiver(site, ['response.updated', 'response.withdrawn'])
    const { voice } = await announceableVoice(site)
    const answered = await api(
      'POST',
      `/api/mentions/${voice}/responses`,
      { stage: 'apology', body: 'Sorry.', author: { name: 'Aiko' } },
      site.key,
    )
    const answer = (await answered.json<{ id: string }>()).id
    // The first announcement has gone out (or failed) before the correction starts a new round.
    for (let i = 0; i < 100 && (await outboxRow('announce', answer))?.state === 'waiting'; i++)
      await new Promise((done) => setTimeout(done, 50))

    const at = Date.now() + 1000
    const edit = await dyingCall(site, at, 'PATCH', `/api/responses/${answer}`, { version: 1, body: 'We are sorry.' })
    // Its queue messages went to a queue that never delivers them: they are lost.
    expect(edit.res.status).toBe(200)
    const row = await env.DB.prepare('SELECT version, body, webmention_state FROM responses WHERE id = ?')
      .bind(answer)
      .first()
    expect(row).toEqual({ version: 2, body: 'We are sorry.', webmention_state: 'queued' })
    expect(await outboxRow('announce', answer)).toMatchObject({ state: 'waiting', attempts: 0 })
    const [updated, ...more] = await deliveriesOf(hook)
    expect(more).toHaveLength(0)
    expect(updated).toMatchObject({ event: 'response.updated', state: 'pending' })
    expect(edit.hooks).toEqual([{ deliveryId: updated!.id }])
    expect(edit.announcements).toContainEqual(expect.objectContaining({ responseId: answer }))

    // The cron's sweep, once the leases have ended, sends what the dead Worker could not.
    const run = keepingSenders()
    await sweepOutbox(db, run.senders, at + IN_FLIGHT_MS)
    expect(run.sent.webhook).toContainEqual({ deliveryId: updated!.id })
    expect(run.sent.announce).toContainEqual(expect.objectContaining({ responseId: answer }))
    await consume('webhook', [{ deliveryId: updated!.id }], () => at + IN_FLIGHT_MS + 1000)
    expect((await deliveriesOf(hook))[0]).toMatchObject({ state: 'delivered' })

    const gone = await dyingCall(site, at + IN_FLIGHT_MS + 2000, 'POST', `/api/responses/${answer}/withdraw`, {
      reason: 'Posted twice',
    })
    expect(gone.res.status).toBe(200)
    expect(await deliveriesOf(hook)).toMatchObject([{ event: 'response.updated' }, { event: 'response.withdrawn' }])
    const ledger = await env.DB.prepare(
      "SELECT count(*) AS n FROM moderation_events WHERE mention_id = ? AND action = 'withdraw_answer'",
    )
      .bind(voice)
      .first<{ n: number }>()
    expect(ledger!.n).toBe(1)
  })
})
