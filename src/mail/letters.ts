/**
 * E-mail through the outbox: a feature seals each e-mail it sends (its address, subject and text)
 * under the hub's secrets key, records it as a `mail` message in the batch of the change that
 * causes it, and sends it to the mail queue; the queue's consumer (./consume.ts) unseals and mails
 * it. The outbox keeps only the sealed bytes: sign-in links, review links and buyers' addresses
 * are never stored in clear. A hub without a valid secrets key sends no e-mail (as one without
 * the `send_email` binding or a sender): the features fall back as they do without a mailer.
 */
import type { Db } from '../db/client'
import { type Mail, mailerOf } from '../common/mail'
import { isSecretsKey, seal } from '../common/secrets'
import { type OutboxMessage, sendRecorded } from '../outbox/outbox'

/** How a feature sends e-mail: the mail queue, and the key its e-mails are sealed under. */
export type Post = { queue: Queue; key: string }

/** One e-mail as its queue message carries it: its outbox key and the sealed envelope. */
export type LetterBody = { ref: string; sealed: string }

/** The sealed envelope's content. */
export type Envelope = Mail & { to: string }

type PostEnv = Pick<Env, 'EMAIL' | 'REVIEW_MAIL_FROM' | 'MAIL_QUEUE' | 'WEBHOOK_SECRETS_KEY'>

/** The hub's post, or null when it cannot send e-mail: no `send_email` binding, no sender, or no valid secrets key. */
export function postOf(env: PostEnv): Post | null {
  if (!mailerOf(env)) return null
  if (!isSecretsKey(env.WEBHOOK_SECRETS_KEY)) {
    console.warn(JSON.stringify({ msg: 'no e-mail sent: WEBHOOK_SECRETS_KEY is missing or malformed' }))
    return null
  }
  return { queue: env.MAIL_QUEUE, key: env.WEBHOOK_SECRETS_KEY }
}

/**
 * An e-mail to record (`recordMessages`) in the batch of the change that causes it, then to send
 * with `postLetters`. `ref` names the one e-mail it is (`invitation:{id}`…): it is sent once.
 */
export async function letter(
  post: Post,
  m: { ref: string; siteId: number; to: string; mail: Mail },
): Promise<OutboxMessage> {
  const envelope: Envelope = { to: m.to, subject: m.mail.subject, text: m.mail.text }
  const body: LetterBody = { ref: m.ref, sealed: await seal(JSON.stringify(envelope), post.key) }
  return { kind: 'mail', ref: m.ref, siteId: m.siteId, body }
}

/** Sends the queue messages of e-mails just recorded (if the queue refuses, the cron sends them). */
export const postLetters = (db: Db, post: Post, letters: readonly OutboxMessage[], at: number) =>
  sendRecorded(db, post.queue, letters, at)
