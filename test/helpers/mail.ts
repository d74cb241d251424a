/**
 * E-mail through the outbox in tests: a post whose mail queue keeps what it is sent (the message
 * is "lost" unless the test hands it on), and the mail queue's consumer run on kept messages with
 * a stand-in for the send_email binding.
 */
import { env } from 'cloudflare:workers'

import type { Post } from '../../src/mail/letters'
import { mailbox } from './digest'
import { consume, keepingQueue } from './outbox'

/** A post for e-mail whose queue keeps the messages it is sent. */
export function keptPost() {
  const { queue, sent } = keepingQueue()
  const post: Post = { queue, key: env.WEBHOOK_SECRETS_KEY }
  return { post, sent }
}

/** Hands mail messages to the mail queue's consumer at `at`, `box` standing in for the EMAIL binding. */
export const deliverMail = (bodies: readonly unknown[], at: number, box = mailbox(), attempts = 1) =>
  consume('mail', bodies, () => at, attempts, { EMAIL: box.EMAIL, REVIEW_MAIL_FROM: 'reviews@shop.example' })
