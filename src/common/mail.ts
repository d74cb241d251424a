/**
 * E-mail from the hub (weekly digests, review invitations, partners' sign-in links): plain text,
 * through the Worker's `send_email` binding. Features never send it themselves: they record it in
 * the outbox (src/mail/letters.ts) and the mail queue's consumer sends it with this mailer.
 * Without the binding or a sender address there is no mailer, and each feature says what happens instead.
 */
export type Mail = { subject: string; text: string }

/** Sends one e-mail (the Worker's `send_email` binding in production). */
export type Mailer = (to: string, mail: Mail) => Promise<void>

/** The Worker's mailer: its `EMAIL` send_email binding and REVIEW_MAIL_FROM, or null when either is missing. */
export function mailerOf({ EMAIL, REVIEW_MAIL_FROM }: Pick<Env, 'EMAIL' | 'REVIEW_MAIL_FROM'>): Mailer | null {
  if (!EMAIL || !REVIEW_MAIL_FROM) return null
  return async (to, mail) => {
    await EMAIL.send({ from: REVIEW_MAIL_FROM, to, subject: mail.subject, text: mail.text })
  }
}
