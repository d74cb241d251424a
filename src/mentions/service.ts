/**
 * The operator's actions on voices: list, read, set sentiment, respond, moderate.
 *
 * Every write goes through `writeMention`: one `db.batch()` that updates the voice only if
 * its `rev` is still the one we read, adds the rows that belong to the change (a response,
 * a moderation event) and moves the counters — each guarded by the new rev, so a write
 * that lost a race changes nothing and is retried on fresh data.
 */
import type { SQL } from 'drizzle-orm'
import type { BatchItem } from 'drizzle-orm/batch'

import { actorName, assertSiteAccess, type Principal } from '../shared/principal'
import type { Db } from '../db/client'
import type { MentionStatus, ResponseStage, Sentiment } from '../db/schema'
import { newId, randomToken } from '../shared/crypto'
import { AppError } from '../shared/errors'
import { loadSite } from '../sites/service'
import { bumpDataVersion } from '../sites/store'
import { addDelta, type CounterName, deltaBetween, emptyDelta, type StatsDelta } from '../stats/counters'
import { mentionHasRev, statsUpdate } from '../stats/store'
import { entryHash, type LedgerFacts } from '../ledger/chain'
import { ledgerHeadIs, ledgerHeadOf, moveLedgerHead } from '../ledger/store'
import { decideModeration, eventDelta, type ModerationRequest } from './moderation'
import type { Position } from '../shared/cursor'
import {
  findMention,
  findMentions,
  insertModerationIfRev,
  insertResponseIfRev,
  listMentions,
  type MentionFilter,
  type MentionRow,
  moderationOf,
  revisionsOf,
  refreshResponsesJson,
  responsesOf,
  updateMentionIfRev,
} from './store'

const MAX_ATTEMPTS = 3

export type Change = {
  changes: Partial<MentionRow>
  /** Rows written with the change, inserted only if the change takes effect. */
  extra?: (rev: string) => BatchItem<'sqlite'>[]
  /** Event counters (moderation ledger) to add besides the status change. */
  events?: Partial<Record<CounterName, number>>
  /** A further condition the write needs (e.g. the ledger head it chains to is still the head). */
  guard?: SQL
  /**
   * What the voice's history counts for besides itself (its moderation steps): moved with the
   * voice when the change gives it another target.
   */
  carried?: StatsDelta
}

/** Writes `change` unless the voice was written since `before` was read (then null: read again). */
export async function writeMention(db: Db, before: MentionRow, change: Change): Promise<MentionRow | null> {
  const rev = randomToken(16)
  const after: MentionRow = { ...before, ...change.changes, rev }
  const events: StatsDelta = { ...emptyDelta(), counters: change.events ?? {} }
  const written = mentionHasRev(before.id, rev)
  // A voice that moves to another target takes what it counts for along (the site's row sees the difference only).
  const counters =
    after.targetId === before.targetId
      ? [statsUpdate(db, before.siteId, before.targetId, addDelta(deltaBetween(before, after), events), written)]
      : [
          statsUpdate(
            db,
            before.siteId,
            before.targetId,
            addDelta(deltaBetween(before, null), change.carried ?? emptyDelta(), -1),
            written,
          ),
          statsUpdate(
            db,
            before.siteId,
            after.targetId,
            addDelta(addDelta(deltaBetween(null, after), change.carried ?? emptyDelta()), events),
            written,
          ),
        ]
  const moves = counters.filter((u) => u !== null)
  // Feeds show published voices and the counters; a change to neither leaves their caches valid.
  const shown = moves.length > 0 || before.status === 'published' || after.status === 'published'
  const [update] = await db.batch([
    updateMentionIfRev(db, before.id, before.rev, { ...change.changes, rev }, change.guard),
    ...(change.extra?.(rev) ?? []),
    ...moves,
    ...(shown ? [bumpDataVersion(db, before.siteId, written)] : []),
  ])
  return update.meta.changes === 1 ? after : null
}

/**
 * Reads the voice, lets `decide` plan the change, writes it; retries when another write
 * got there first. `decide` may throw an AppError to refuse.
 */
const changeMention = (db: Db, p: Principal, id: string, decide: (m: MentionRow) => Change | Promise<Change>) =>
  changeVoice(db, () => loadMention(db, p, id), decide)

/** As `changeMention`, for a voice `load` finds (and checks access to) — e.g. a reviewer's own review. */
export async function changeVoice(
  db: Db,
  load: () => Promise<MentionRow>,
  decide: (m: MentionRow) => Change | Promise<Change>,
): Promise<MentionRow> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const before = await load()
    const after = await writeMention(db, before, await decide(before))
    if (after) return after
  }
  throw new AppError('conflict', 'The voice changed while we were writing; try again')
}

/** A response is announced to the voice's blog (src/responses/announce.ts) when that blog speaks Webmention (it sent one, or a Pingback) and the voice is public. */
const announcementDue = (m: Pick<MentionRow, 'kind' | 'status' | 'sourceUrl'>) =>
  (m.kind === 'webmention' || m.kind === 'pingback') && m.status === 'published' && m.sourceUrl !== null

export async function loadMention(db: Db, p: Principal, id: string): Promise<MentionRow> {
  const m = await findMention(db, id)
  if (!m) throw new AppError('not_found', 'Mention not found')
  assertSiteAccess(p, m.siteId, 'Mention')
  return m
}

export type ListQuery = MentionFilter & { cursor: Position | null; limit: number }

export async function mentionsOfSite(db: Db, p: Principal, slug: string, q: ListQuery) {
  const site = await loadSite(db, p, slug)
  return listMentions(db, site.id, q, q.cursor, q.limit)
}

export async function mentionDetail(db: Db, p: Principal, id: string) {
  const mention = await loadMention(db, p, id)
  const [moderation, revisions, answers] = await Promise.all([
    moderationOf(db, id),
    mention.kind === 'review' ? revisionsOf(db, id) : [],
    responsesOf(db, id),
  ])
  return { mention, moderation, revisions, answers }
}

export const setSentiment = (db: Db, p: Principal, id: string, sentiment: Sentiment | null, now: number) =>
  changeMention(db, p, id, () => ({ changes: { sentiment, sentimentBy: 'operator', updatedAt: now } }))

export type ResponseInput = {
  stage: ResponseStage
  body: string
  author: { name: string; role?: string | undefined }
}

const RESPONDABLE: readonly MentionStatus[] = ['published', 'pending']

export async function addResponse(db: Db, p: Principal, id: string, input: ResponseInput, now: number) {
  const response = {
    id: newId('r'),
    stage: input.stage,
    body: input.body,
    author_name: input.author.name,
    author_role: input.author.role ?? null,
    created_at: now,
  }
  // Set inside the change below: typed wide so TypeScript does not assume it stays false.
  let announce = false as boolean
  const mention = await changeMention(db, p, id, (m) => {
    if (!RESPONDABLE.includes(m.status)) {
      throw new AppError('conflict', `A ${m.status} voice cannot be answered; restore it first`)
    }
    announce = announcementDue(m)
    return {
      changes: {
        firstResponseAt: m.firstResponseAt ?? now,
        apologizedAt: input.stage === 'apology' ? (m.apologizedAt ?? now) : m.apologizedAt,
        resolvedAt: input.stage === 'resolution' ? (m.resolvedAt ?? now) : m.resolvedAt,
        updatedAt: now,
      },
      extra: (rev) => [
        insertResponseIfRev(
          db,
          {
            id: response.id,
            siteId: m.siteId,
            mentionId: m.id,
            stage: response.stage,
            body: response.body,
            authorName: response.author_name,
            authorRole: response.author_role,
            createdAt: now,
            webmentionState: announce ? 'queued' : null,
            webmentionReason: null,
            webmentionRefusal: null,
            webmentionHttpStatus: null,
            webmentionAttempts: 0,
            webmentionAt: null,
          },
          rev,
        ),
        refreshResponsesJson(db, m.id, rev),
      ],
    }
  })
  return { mention, response: { ...response, webmention_state: announce ? ('queued' as const) : null } }
}

/** The most voices one response may answer at once. */
export const MAX_VOICES_PER_RESPONSE = 50

export type ManyAnswered =
  | { id: string; ok: true; mention: MentionRow; response: Awaited<ReturnType<typeof addResponse>>['response'] }
  | { id: string; ok: false; error: string }

/**
 * One response — typically a resolution report, "we changed the stitching" — published on
 * several voices of a site at once. Every voice is checked first (this site's, answerable), so
 * a bad id refuses the whole request before anything is written; each voice is then written
 * in its own batch, and one that changed in the meantime is reported, not hidden.
 */
export async function respondToMany(
  db: Db,
  p: Principal,
  slug: string,
  ids: readonly string[],
  input: ResponseInput,
  now: number,
) {
  const site = await loadSite(db, p, slug)
  const unique = [...new Set(ids)]
  if (unique.length === 0 || unique.length > MAX_VOICES_PER_RESPONSE) {
    throw new AppError('invalid_input', `mention_ids: between 1 and ${MAX_VOICES_PER_RESPONSE} voices`)
  }
  const found = await findMentions(db, unique)
  const missing = unique.filter((id) => !found.some((m) => m.id === id && m.siteId === site.id))
  if (missing.length > 0) throw new AppError('not_found', `Mentions not found on this site: ${missing.join(', ')}`)
  const closed = found.filter((m) => !RESPONDABLE.includes(m.status))
  if (closed.length > 0)
    throw new AppError(
      'conflict',
      `These voices cannot be answered: ${closed.map((m) => `${m.id} (${m.status})`).join(', ')}`,
    )

  const results: ManyAnswered[] = []
  for (const id of unique) {
    try {
      const { mention, response } = await addResponse(db, p, id, input, now)
      results.push({ id, ok: true, mention, response })
    } catch (err) {
      if (!(err instanceof AppError)) throw err
      results.push({ id, ok: false, error: err.message })
    }
  }
  return results
}

/**
 * Spam, remove or restore a voice. Every step is an entry of the public ledger, chained to
 * the site's ledger head as read here; if another step moved the head meanwhile, nothing is
 * written and the step is planned again on fresh data (so the chain never forks).
 */
export const moderate = (db: Db, p: Principal, id: string, req: ModerationRequest, now: number) =>
  moderateVoice(db, actorName(p), () => loadMention(db, p, id), req, now)

/** A moderation step by `actor` ("operator", a key id, or "author" for a reviewer's own request). */
export const moderateVoice = (
  db: Db,
  actor: string,
  load: () => Promise<MentionRow>,
  req: ModerationRequest,
  now: number,
) =>
  changeVoice(db, load, async (m): Promise<Change> => {
    const decision = decideModeration(m, req)
    if (!decision.ok) throw new AppError(decision.code, decision.message)
    const head = await ledgerHeadOf(db, m.siteId)
    const facts: LedgerFacts = {
      at: now,
      voice: m.id,
      action: req.action,
      category: decision.category,
      reason: req.reason,
      from: m.status,
      to: decision.toStatus,
      sentiment: m.sentiment,
      rating: m.rating,
    }
    const hash = await entryHash(head, facts)
    return {
      changes: { status: decision.toStatus, updatedAt: now },
      events: eventDelta(req.action, m.status, m.sentiment).counters,
      guard: ledgerHeadIs(m.siteId, head),
      extra: (rev) => [
        insertModerationIfRev(
          db,
          {
            siteId: m.siteId,
            mentionId: m.id,
            action: req.action,
            category: decision.category,
            reason: req.reason,
            actor,
            fromStatus: m.status,
            toStatus: decision.toStatus,
            createdAt: now,
            sentiment: m.sentiment,
            rating: m.rating,
            prevHash: head,
            hash,
          },
          rev,
        ),
        moveLedgerHead(db, m.siteId, hash, mentionHasRev(m.id, rev)),
      ],
    }
  })
