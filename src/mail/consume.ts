/**
 * The mail queue's consumer: unseals each e-mail and sends it with the hub's mailer, once. A copy
 * of an e-mail already sent (or given up, or being sent) is acknowledged without mailing it again.
 * A refused send is retried with backoff (30 s, then doubling, up to an hour between tries) for
 * MAIL_ATTEMPTS tries in all, about two hours, then given up; the outbox row says why
 * (`last_failure`): `mail_refused` (the mail service refused it), `no_mailer` (the hub can no
 * longer send e-mail), `mail_unreadable` (it cannot be unsealed: the secrets key changed). A
 * settled e-mail's sealed envelope is dropped from its row in the batch that settles it.
 */
import * as v from 'valibot'

import type { Clock } from '../common/clock'
import { mailerOf } from '../common/mail'
import { consumeEach, type Handled, retryDelaySeconds } from '../common/queue-consumer'
import { unseal } from '../common/secrets'
import { getDb } from '../db/client'
import { markGaveUp, markSent, type MessageKey, reschedule, startAttempt } from '../outbox/outbox'
import type { Envelope, LetterBody } from './letters'
import { forgetEnvelope } from './store'

/** Tries per e-mail: the first and the mail queue's `max_retries` (8 in wrangler.toml). */
export const MAIL_ATTEMPTS = 9

export type MailFailure = 'mail_refused' | 'no_mailer' | 'mail_unreadable'

const LetterMessage = v.object({
  ref: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  sealed: v.pipe(v.string(), v.minLength(1)),
}) satisfies v.GenericSchema<unknown, LetterBody>

const Sealed = v.object({ to: v.string(), subject: v.string(), text: v.string() }) satisfies v.GenericSchema<
  unknown,
  Envelope
>

type MailEnv = Pick<Env, 'DB' | 'EMAIL' | 'REVIEW_MAIL_FROM' | 'WEBHOOK_SECRETS_KEY'>

async function opened(sealed: string, key: string | undefined): Promise<Envelope | null> {
  try {
    const parsed = v.safeParse(Sealed, JSON.parse(await unseal(sealed, key)))
    return parsed.success ? parsed.output : null
  } catch {
    return null
  }
}

/** One try at one e-mail, recorded in its outbox row. */
async function deliver(env: MailEnv, body: LetterBody, queueAttempts: number, clock: Clock): Promise<Handled> {
  const db = getDb(env.DB)
  const key: MessageKey = { kind: 'mail', ref: body.ref }
  const now = clock()
  const attempt = await startAttempt(db, key, now, queueAttempts)
  if (attempt === null) return { kind: 'done' }
  const giveUp = async (failure: MailFailure) => {
    console.error(JSON.stringify({ msg: 'e-mail given up', ref: body.ref, failure }))
    const at = clock()
    await db.batch([markGaveUp(db, key, at, failure), forgetEnvelope(db, body.ref, at)])
    return { kind: 'done' } as const
  }
  const envelope = await opened(body.sealed, env.WEBHOOK_SECRETS_KEY)
  if (!envelope) return giveUp('mail_unreadable')
  const mailer = mailerOf(env)
  if (!mailer) return giveUp('no_mailer')
  try {
    await mailer(envelope.to, envelope)
  } catch (err) {
    console.error(JSON.stringify({ msg: 'e-mail refused', ref: body.ref, attempt, error: String(err) }))
    if (attempt >= MAIL_ATTEMPTS) return giveUp('mail_refused')
    const delaySeconds = retryDelaySeconds(attempt)
    const at = clock()
    await reschedule(db, key, at + delaySeconds * 1000, attempt, 'mail_refused', at)
    return { kind: 'retry', delaySeconds }
  }
  const at = clock()
  await db.batch([markSent(db, key, at), forgetEnvelope(db, body.ref, at)])
  return { kind: 'done' }
}

export async function consumeMail(batch: MessageBatch, env: MailEnv, clock: Clock): Promise<void> {
  await consumeEach(batch, {
    name: 'e-mail',
    schema: LetterMessage,
    handle: (body, attempts) => deliver(env, body, attempts, clock),
    // The queue gave up on it (its consumer failed every time): the outbox gives up too.
    giveUp: async (body) => {
      const db = getDb(env.DB)
      const at = clock()
      await db.batch([
        markGaveUp(db, { kind: 'mail', ref: body.ref }, at, 'mail_refused'),
        forgetEnvelope(db, body.ref, at),
      ])
    },
  })
}
