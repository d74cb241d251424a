/**
 * The e-mail's own writes to its outbox rows: once an e-mail is settled (sent or given up), or its
 * addressee asked to be forgotten, its sealed envelope is dropped from the row, so the hub keeps no
 * copy of the address, link or token, even sealed, longer than it needs to send it.
 */
import { and, eq, inArray, ne, sql } from 'drizzle-orm'

import type { Db } from '../db/client'
import { chunked, VALUES_PER_LIST } from '../db/chunks'
import { outbox } from '../db/schema'

const isMail = (ref: string) => and(eq(outbox.kind, 'mail'), eq(outbox.ref, ref))

/** Drops a settled e-mail's envelope (its row keeps its key, state and failure). */
export const forgetEnvelope = (db: Db, ref: string, now: number) =>
  db
    .update(outbox)
    .set({ body: { ref }, updatedAt: now })
    .where(and(isMail(ref), ne(outbox.state, 'waiting')))

/** What an erased e-mail's row becomes: one still waiting is given up (`erased`), and every one loses its envelope. */
const erased = (now: number) => ({
  body: sql`json_object('ref', ${outbox.ref})`,
  state: sql`CASE WHEN ${outbox.state} = 'waiting' THEN 'gave_up' ELSE ${outbox.state} END`,
  lastFailure: sql`CASE WHEN ${outbox.state} = 'waiting' THEN 'erased' ELSE ${outbox.lastFailure} END`,
  updatedAt: now,
})

/** E-mails whose addressee asked to be forgotten. */
export const eraseLetters = (db: Db, refs: readonly string[], now: number) =>
  chunked(refs, VALUES_PER_LIST).map((chunk) =>
    db
      .update(outbox)
      .set(erased(now))
      .where(and(eq(outbox.kind, 'mail'), inArray(outbox.ref, chunk))),
  )

/** Every e-mail of the site whose ref starts with `refPrefix` (a platform's erasure of a whole shop's buyers). */
export const eraseSiteLetters = (db: Db, siteId: number, refPrefix: string, now: number) =>
  db
    .update(outbox)
    .set(erased(now))
    .where(
      and(
        eq(outbox.kind, 'mail'),
        eq(outbox.siteId, siteId),
        sql`substr(${outbox.ref}, 1, ${refPrefix.length}) = ${refPrefix}`,
      ),
    )
