import { and, asc, count, desc, eq, gt, gte, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm'
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core'

import type { Db } from '../db/client'
import { randomToken } from '../common/crypto'
import { chunked, VALUES_PER_LIST } from '../db/chunks'
import { insertWhere } from '../db/insert-where'
import { pastPosition } from '../db/keyset'
import {
  type VoiceKind,
  type VoiceStatus,
  voices,
  moderationEvents,
  responses,
  reviewRevisions,
  type Sentiment,
} from '../db/schema'
import type { Position } from '../common/cursor'
import { voiceHasRev } from '../stats/store'
import { allOf } from '../db/conditions'
import { numberedChanges, numberedRow } from './numbering'

export type VoiceRow = typeof voices.$inferSelect
export type ResponseRow = typeof responses.$inferSelect

export const findVoice = (db: Db, id: string) => db.select().from(voices).where(eq(voices.id, id)).get()

/** The voice a source page made about a target, unexecuted (for batches); `findVoiceBySource` runs it. */
export const voiceBySource = (db: Db, siteId: number, targetId: string, sourceUrl: string) =>
  db
    .select()
    .from(voices)
    .where(and(eq(voices.siteId, siteId), eq(voices.targetId, targetId), eq(voices.sourceUrl, sourceUrl)))
    .limit(1)

export const findVoices = (db: Db, ids: string[]) => db.select().from(voices).where(inArray(voices.id, ids)).all()

export const findVoiceBySource = (db: Db, siteId: number, targetId: string, sourceUrl: string) =>
  voiceBySource(db, siteId, targetId, sourceUrl).get()

/** Inserts a voice unless one with the same (site, target, source URL) exists; a published one is numbered (./numbering.ts). */
export const insertVoiceIfNew = (db: Db, row: VoiceRow) =>
  db.insert(voices).values(numberedRow(row)).onConflictDoNothing()

/** As `insertVoiceIfNew`, and only if `condition` holds when the batch runs. */
export const insertVoiceIfNewWhere = (db: Db, row: VoiceRow, condition: SQL) =>
  insertWhere(db, voices, numberedRow(row), condition).onConflictDoNothing()

type DuplicateKey = { siteId: number; targetId: string; sourceUrl: string; insertedId: string }

/** The existing voice with this (target, source) — not the one this batch just inserted. */
const duplicateOf = (key: DuplicateKey) =>
  and(
    eq(voices.siteId, key.siteId),
    eq(voices.targetId, key.targetId),
    eq(voices.sourceUrl, key.sourceUrl),
    sql`${voices.id} <> ${key.insertedId}`,
  )

/** True while the voice with this (target, source) — new or not — is published. */
export const voiceIsPublished = (key: Omit<DuplicateKey, 'insertedId'>): SQL =>
  sql`EXISTS (SELECT 1 FROM ${voices} WHERE ${voices.siteId} = ${key.siteId} AND ${voices.targetId} = ${key.targetId}
    AND ${voices.sourceUrl} = ${key.sourceUrl} AND ${voices.status} = 'published')`

/** True while no voice of the site has this (target, source page): guards moving a voice to another target. */
export const noVoiceAt = (siteId: number, targetId: string, sourceUrl: string): SQL =>
  sql`NOT EXISTS (SELECT 1 FROM ${voices} WHERE ${voices.siteId} = ${siteId} AND ${voices.targetId} = ${targetId} AND ${voices.sourceUrl} = ${sourceUrl})`

/** No voice of the site, whatever its target or kind, has this source page (a watched feed's entry is added once). */
export const noVoiceOfSiteAt = (siteId: number, sourceUrl: string): SQL =>
  sql`NOT EXISTS (SELECT 1 FROM ${voices} WHERE ${voices.siteId} = ${siteId} AND ${voices.sourceUrl} = ${sourceUrl})`

/** Which of these source pages are already voices of the site (one query per 90 pages). */
export async function sourcesOfSite(db: Db, siteId: number, urls: readonly string[]): Promise<Set<string | null>> {
  const found = await Promise.all(
    chunked(urls, VALUES_PER_LIST).map((chunk) =>
      db
        .selectDistinct({ url: voices.sourceUrl })
        .from(voices)
        .where(and(eq(voices.siteId, siteId), inArray(voices.sourceUrl, chunk)))
        .all(),
    ),
  )
  return new Set(found.flat().map((r) => r.url))
}

/** Refreshes an existing voice from a repeated delivery. */
export const refreshDuplicate = (db: Db, key: DuplicateKey, fields: Partial<VoiceRow>) =>
  db.update(voices).set(fields).where(duplicateOf(key))

/** Queues a new check of an existing voice's source unless one is already waiting (changes = 1 when queued). */
export const queueCheckOfDuplicate = (db: Db, key: DuplicateKey) =>
  db
    .update(voices)
    .set({ verifyState: 'queued', verifyAttempts: 0 })
    .where(and(duplicateOf(key), sql`${voices.verifyState} IS NOT 'queued'`))

/** What a write may change of a voice: anything but its publication number, which is the database's to give. */
export type VoiceChanges = Partial<Omit<VoiceRow, 'pubSeq'>>

/**
 * Applies `changes` only if nobody wrote the voice since it was read (rev unchanged) and `guard`
 * holds; a change that publishes the voice numbers it (./numbering.ts).
 */
export const updateVoiceIfRev = (db: Db, id: string, rev: string, changes: VoiceChanges, guard?: SQL) =>
  db
    .update(voices)
    .set(numberedChanges(changes))
    .where(and(eq(voices.id, id), eq(voices.rev, rev), guard))

/** Inserts a response only inside the batch whose voice write took effect. */
export const insertResponseIfRev = (db: Db, row: ResponseRow, rev: string) =>
  insertWhere(db, responses, row, voiceHasRev(row.voiceId, rev))

export type ModerationRow = Omit<typeof moderationEvents.$inferInsert, 'id'>

/** Rebuilds the voice's copy of its responses from the responses table (see ./responses-json.ts). */
export const refreshResponsesJson = (db: Db, voiceId: string, rev: string) =>
  db
    .update(voices)
    .set({
      responsesJson: sql`(SELECT coalesce(json_group_array(json_object('id', r.id, 'stage', r.stage, 'body', r.body,
        'author_name', r.author_name, 'author_role', r.author_role, 'created_at', r.created_at)), '[]')
        FROM (SELECT * FROM ${responses} WHERE ${responses.voiceId} = ${voiceId} ORDER BY ${responses.createdAt}, ${responses.id}) AS r)`,
    })
    .where(and(eq(voices.id, voiceId), eq(voices.rev, rev)))

export const insertModerationIfRev = (db: Db, row: ModerationRow, rev: string) =>
  insertWhere(db, moderationEvents, row, voiceHasRev(row.voiceId, rev))

/** The voice's responses as recorded (with where each one's announcement to the blog stands), oldest first. */
export const responsesOf = (db: Db, voiceId: string) =>
  db.select().from(responses).where(eq(responses.voiceId, voiceId)).orderBy(responses.createdAt, responses.id).all()

/** A review's earlier versions, oldest first: what each edit by its author replaced. */
export const revisionsOf = (db: Db, voiceId: string) =>
  db.select().from(reviewRevisions).where(eq(reviewRevisions.voiceId, voiceId)).orderBy(asc(reviewRevisions.id)).all()

export const moderationOf = (db: Db, voiceId: string) =>
  db.select().from(moderationEvents).where(eq(moderationEvents.voiceId, voiceId)).orderBy(moderationEvents.id).all()

/**
 * How many voices (at most `max`) one blog (src/common/blog.ts) brought after `since`: an
 * indexed read of at most `max` rows, however many voices the blog ever sent.
 */
const arrivalsUpTo = (siteId: number, blog: string, since: number, max: number): SQL =>
  sql`(SELECT count(*) FROM (SELECT 1 FROM ${voices} WHERE ${voices.siteId} = ${siteId}
    AND ${voices.sourceBlog} = ${blog} AND ${voices.receivedAt} > ${since} LIMIT CAST(${max} AS INTEGER)))`

/** True while fewer than `max` voices from one blog arrived after `since` (part of a new voice's guard). */
export const fewerArrivalsThan = (siteId: number, blog: string, since: number, max: number): SQL =>
  sql`${arrivalsUpTo(siteId, blog, since, max)} < ${max}`

/** The same count as a query, for saying which of a blog's limits refused a voice. */
export const arrivalsOf = (db: Db, siteId: number, blog: string, since: number, max: number) =>
  db.select({ n: count() }).from(
    db
      .select({ one: sql`1` })
      .from(voices)
      .where(and(eq(voices.siteId, siteId), eq(voices.sourceBlog, blog), gt(voices.receivedAt, since)))
      .limit(max)
      .as('recent'),
  )

/** Voices whose check has waited since before `before` (the partial index mentions_check_queued). */
export const staleChecks = (db: Db, before: number, limit: number) =>
  db
    .select({ id: voices.id })
    .from(voices)
    .where(and(sql`verify_state = 'queued'`, lt(voices.verifyRequestedAt, before)))
    .orderBy(voices.verifyRequestedAt)
    .limit(limit)
    .all()

/** Marks checks as asked for again now, so the next sweep leaves them alone. */
export const touchChecks = (db: Db, ids: string[], now: number) =>
  db
    .update(voices)
    .set({ verifyRequestedAt: now })
    .where(and(inArray(voices.id, ids), sql`verify_state = 'queued'`))

/** Published linked voices last checked before `before`, least recently first (the partial index mentions_recheck). */
export const rechecksDue = (db: Db, before: number, limit: number) =>
  db
    .select({ id: voices.id })
    .from(voices)
    .where(and(sql`status = 'published' AND verify_state = 'verified'`, lt(voices.verifyRequestedAt, before)))
    .orderBy(voices.verifyRequestedAt, voices.id)
    .limit(limit)
    .all()

/**
 * Queues a new check of these published voices (those still published and checked): the ids
 * queued. The rev moves, so a write planned on the voice as it was is planned again.
 */
export const queueRechecks = async (db: Db, ids: string[], now: number) =>
  ids.length === 0
    ? []
    : (
        await db
          .update(voices)
          .set({ verifyState: 'queued', verifyAttempts: 0, verifyRequestedAt: now, rev: randomToken(16) })
          .where(and(inArray(voices.id, ids), sql`status = 'published' AND verify_state = 'verified'`))
          .returning({ id: voices.id })
      ).map((r) => r.id)

export type VoiceFilter = {
  status?: VoiceStatus | undefined
  kind?: VoiceKind | undefined
  sentiment?: Sentiment | 'unclassified' | undefined
  targetId?: string | undefined
  unanswered?: boolean | undefined
}

export type { Position }

/** The columns a list filters on, from the table or from a windowed scan of it. */
type Filterable = { [K in 'status' | 'kind' | 'sentiment' | 'targetId' | 'firstResponseAt']: SQLiteColumn }

/** Each filter as a condition, by name, so a list can put some on its index and check the others. */
function filterTerms(t: Filterable, f: VoiceFilter) {
  return {
    status: f.status ? eq(t.status, f.status) : undefined,
    kind: f.kind ? eq(t.kind, f.kind) : undefined,
    sentiment: f.sentiment
      ? f.sentiment === 'unclassified'
        ? isNull(t.sentiment)
        : eq(t.sentiment, f.sentiment)
      : undefined,
    targetId: f.targetId !== undefined ? eq(t.targetId, f.targetId) : undefined,
    unanswered: f.unanswered ? isNull(t.firstResponseAt) : undefined,
  }
}
type FilterName = keyof ReturnType<typeof filterTerms>

/** A page scans at most this many index entries per voice it shows when some filter is not on its index. */
const WINDOW_PER_ITEM = 5

type TimeKey = 'receivedAt' | 'publishedAt' | 'apologizedAt'

type ListPlan = {
  /** What the chosen index answers: its equality columns and partial-index predicate (as literals). */
  served: SQL
  /** The filters it does not answer, checked on the scanned rows (`t` is the scan). */
  rest: (t: Filterable) => (SQL | undefined)[]
  key: TimeKey
  oldestFirst: boolean
  after: Position | null
  limit: number
}

/**
 * One keyset page whose rows read are bounded by its size, whatever the table holds. When the
 * index answers every filter, it is a plain `LIMIT limit + 1`. Otherwise the page looks at no
 * more than `limit × WINDOW_PER_ITEM` rows past the cursor (a LIMITed subquery SQLite runs as a
 * co-routine) and keeps those that pass the other filters; if the window ends before the page
 * is full, the page is short and continues from the last row looked at, so following
 * `next` still reaches every voice. Returns the batch statements and how to read their results.
 */
function windowedPage(db: Db, p: ListPlan) {
  const time = voices[p.key]
  const order = p.oldestFirst ? [asc(time), asc(voices.id)] : [desc(time), desc(voices.id)]
  const after = p.after ? pastPosition(time, voices.id, p.after, p.oldestFirst) : undefined
  const scanned = and(p.served, after)
  const positionOf = (m: VoiceRow): Position => ({ time: m[p.key] ?? 0, id: m.id })
  const pageOf = (rows: VoiceRow[], windowEnd?: { time: number | null; id: string }) => {
    const items = rows.slice(0, p.limit)
    const last = items[items.length - 1]
    if (rows.length > p.limit && last) return { items, next: positionOf(last) }
    // The window ended before the page filled: continue after the last row it looked at.
    if (windowEnd) return { items, next: { time: windowEnd.time ?? 0, id: windowEnd.id } }
    return { items, next: null }
  }
  if (p.rest(voices).every((term) => term === undefined)) {
    const rows = db
      .select()
      .from(voices)
      .where(scanned)
      .orderBy(...order)
      .limit(p.limit + 1)
    return { statements: [rows] as const, read: (r: [VoiceRow[]]) => pageOf(r[0]) }
  }
  const window = p.limit * WINDOW_PER_ITEM
  const scan = db
    .select()
    .from(voices)
    .where(scanned)
    .orderBy(...order)
    .limit(window)
    .as('scan')
  const scanTime = scan[p.key]
  const rows = db
    .select()
    .from(scan)
    .where(and(...p.rest(scan)))
    .orderBy(...(p.oldestFirst ? [asc(scanTime), asc(scan.id)] : [desc(scanTime), desc(scan.id)]))
    .limit(p.limit + 1)
  // The window's last row, read from the index alone; none when the voices end inside the window.
  const end = db
    .select({ time, id: voices.id })
    .from(voices)
    .where(scanned)
    .orderBy(...order)
    .limit(1)
    .offset(window - 1)
  return {
    statements: [rows, end] as const,
    read: (r: [VoiceRow[], { time: number | null; id: string }[]]) => pageOf(r[0], r[1][0]),
  }
}

/** Runs windowed pages in one batch (one round trip, one snapshot), each read back from its own results. */
async function runPages(db: Db, plans: ListPlan[]) {
  const pages = plans.map((plan) => windowedPage(db, plan))
  // Each shape's statements and reader belong together; the batch's tuple type cannot follow the union.
  const results: unknown[] = await db.batch(pages.flatMap((p): readonly unknown[] => p.statements) as never)
  let at = 0
  return pages.map((p) => {
    const mine = results.slice(at, (at += p.statements.length))
    return p.read(mine as never)
  })
}

/**
 * The operator's inbox, each group oldest first (they have waited longest): unanswered
 * negative voices, other unanswered voices, and apologies still waiting for a resolution
 * report. Each group reads one of the partial indexes inbox_unanswered, inbox_unanswered_other,
 * inbox_target and inbox_unresolved (their predicates are written here as the same literals);
 * `f` narrows every group, its other filters checked in a bounded window.
 */
export async function inboxQueries(
  db: Db,
  siteId: number,
  f: Omit<VoiceFilter, 'status' | 'unanswered'>,
  limit: number,
  after: readonly (Position | null)[] = [],
) {
  const site = eq(voices.siteId, siteId)
  const waiting = sql`${voices.status} = 'published' AND ${voices.firstResponseAt} IS NULL`
  const plan = (
    group: number,
    served: SQL | undefined,
    rest: ListPlan['rest'],
    key: TimeKey = 'publishedAt',
  ): ListPlan => ({
    served: allOf(site, served),
    rest,
    key,
    oldestFirst: true,
    after: after[group] ?? null,
    limit,
  })
  const terms = (t: Filterable) => filterTerms(t, f)
  const negative = (t: Filterable) => sql`${t.sentiment} = 'negative'`
  const notNegative = (t: Filterable) => sql`${t.sentiment} IS NOT 'negative'`
  const byTarget = f.targetId !== undefined ? and(eq(voices.targetId, f.targetId), waiting) : undefined

  const negatives = byTarget
    ? plan(0, byTarget, (t) => [negative(t), terms(t).kind])
    : plan(0, and(waiting, negative(voices)), (t) => [terms(t).kind])
  const others = byTarget
    ? plan(1, byTarget, (t) => [notNegative(t), terms(t).kind, terms(t).sentiment])
    : f.sentiment !== undefined
      ? plan(1, and(waiting, terms(voices).sentiment), (t) => [terms(t).kind])
      : plan(1, and(waiting, notNegative(voices)), (t) => [terms(t).kind])
  const unresolved = plan(
    2,
    sql`${voices.status} = 'published' AND ${voices.apologizedAt} IS NOT NULL AND ${voices.resolvedAt} IS NULL`,
    (t) => [terms(t).kind, terms(t).sentiment, terms(t).targetId],
    'apologizedAt',
  )
  // A sentiment filter leaves only one of the first two groups: no query for the other.
  const wantNegative = f.sentiment === undefined || f.sentiment === 'negative'
  const wantOther = f.sentiment !== 'negative'
  const read = await runPages(db, [...(wantNegative ? [negatives] : []), ...(wantOther ? [others] : []), unresolved])
  const none = { items: [] as VoiceRow[], next: null }
  // Taken in the order the plans were given.
  const take = (want: boolean) => (want ? (read.shift() ?? none) : none)
  return [take(wantNegative), take(wantOther), take(true)] as const
}

/**
 * The indexes of the operator list (newest received first) by the filters each answers:
 * list_unanswered, list_target, mentions_site_status, list_kind, list_sentiment, list_site.
 * The first whose filters were all given serves the page.
 */
const LIST_INDEXES: FilterName[][] = [
  ['unanswered', 'sentiment'],
  ['targetId'],
  ['status'],
  ['kind'],
  ['sentiment'],
  [],
]

/** Operator list: newest received first, keyset-paginated on (received_at, id); rows read bounded by `limit`. */
export async function listVoices(db: Db, siteId: number, f: VoiceFilter, after: Position | null, limit: number) {
  const given = Object.entries(filterTerms(voices, f))
    .filter(([, term]) => term !== undefined)
    .map(([name]) => name as FilterName)
  const onIndex = LIST_INDEXES.find((names) => names.every((name) => given.includes(name))) ?? []
  const served = allOf(eq(voices.siteId, siteId), ...onIndex.map((name) => filterTerms(voices, f)[name]))
  const rest = given.filter((name) => !onIndex.includes(name))
  const [page] = await runPages(db, [
    {
      served,
      rest: (t) => rest.map((name) => filterTerms(t, f)[name]),
      key: 'receivedAt',
      oldestFirst: false,
      after,
      limit,
    },
  ])
  if (!page) throw new Error('runPages answers one page per plan')
  return page
}

/**
 * Weeks to count by: their starts, oldest first (a shop's local weeks are not all seven times 24
 * hours long), and optionally when the last one ends; without `until`, the last runs on to now.
 */
export type Weeks = { starts: readonly number[]; until?: number }

/** The week (0 = the one starting at `starts[0]`) a voice was published in, as SQL. */
function weekOfPublication(weeks: Weeks) {
  const cases = weeks.starts
    .map((start, i) => ({ start, i }))
    .slice(1)
    .reverse()
    .map(({ start, i }) => sql`WHEN ${voices.publishedAt} >= ${start} THEN ${i} `)
  return cases.length === 0 ? sql<number>`0` : sql<number>`(CASE ${sql.join(cases)}ELSE 0 END)`
}

/** Published voices of a site published in the weeks (from the first one's start on). */
const publishedOfSiteIn = (siteId: number, weeks: Weeks) =>
  and(
    eq(voices.siteId, siteId),
    sql`${voices.status} = 'published'`,
    gte(voices.publishedAt, weeks.starts[0] ?? 0),
    weeks.until === undefined ? undefined : lt(voices.publishedAt, weeks.until),
  )

/**
 * Voices per week and sentiment (the overview's chart, the weekly digest), counted by D1 (exact
 * however many; read over the feed_site index's range of these weeks).
 */
export const sentimentPerWeek = (db: Db, siteId: number, weeks: Weeks) =>
  db
    .select({ week: weekOfPublication(weeks).as('week'), sentiment: voices.sentiment, n: count() })
    .from(voices)
    .where(publishedOfSiteIn(siteId, weeks))
    .groupBy(sql`week`, voices.sentiment)
    .all()

/** Per week of publication: how many voices were answered, and the median time to the first answer (ms). */
export const medianResponsePerWeek = (db: Db, siteId: number, weeks: Weeks) =>
  db.all<{ week: number; answered: number; median: number }>(sql`
    WITH delays AS (
      SELECT ${weekOfPublication(weeks)} AS week, ${voices.firstResponseAt} - ${voices.publishedAt} AS delay
      FROM ${voices}
      WHERE ${publishedOfSiteIn(siteId, weeks)} AND ${voices.firstResponseAt} IS NOT NULL
    ),
    ranked AS (
      SELECT week, delay,
        ROW_NUMBER() OVER (PARTITION BY week ORDER BY delay) AS n,
        COUNT(*) OVER (PARTITION BY week) AS answered
      FROM delays
    )
    SELECT week, answered, AVG(MAX(delay, 0)) AS median
    FROM ranked WHERE n IN ((answered + 1) / 2, (answered + 2) / 2)
    GROUP BY week`)

/** The published negative voices still waiting for an answer, by age (the inbox's first group's index). */
export const waitingNegativeByAge = (db: Db, siteId: number, now: number, dayMs: number) => {
  const olderThan = (days: number) => sql`${voices.publishedAt} <= ${now - days * dayMs}`
  // Named, because D1 names an unnamed column by its text, and two texts that differ only in their bound values would collide.
  const counted = (condition: SQL, name: string) =>
    sql<number>`COALESCE(SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END), 0)`.as(name)
  return db
    .select({
      day: counted(sql`NOT ${olderThan(1)}`, 'day'),
      days3: counted(sql`${olderThan(1)} AND NOT ${olderThan(3)}`, 'days3'),
      week: counted(sql`${olderThan(3)} AND NOT ${olderThan(7)}`, 'week'),
      older: counted(olderThan(7), 'older'),
    })
    .from(voices)
    .where(
      and(
        eq(voices.siteId, siteId),
        sql`${voices.status} = 'published' AND ${voices.sentiment} = 'negative' AND ${voices.firstResponseAt} IS NULL`,
      ),
    )
    .get()
}

/** The voices a weekly digest lists: the oldest first, at most `limit`, with what a reader needs to find them. */
const listed = { id: voices.id, title: voices.title, url: voices.sourceUrl }

/**
 * The published negative voices still unanswered: how many (exact), and the `limit` that have
 * waited longest. Both read the inbox_unanswered partial index (its predicate written as the same literals).
 */
export const unansweredNegative = (db: Db, siteId: number, limit: number) =>
  countAndOldest(
    db,
    and(
      eq(voices.siteId, siteId),
      sql`${voices.status} = 'published' AND ${voices.firstResponseAt} IS NULL AND ${voices.sentiment} = 'negative'`,
    ),
    voices.publishedAt,
    limit,
  )

/**
 * The published voices apologised to and still waiting for a resolution report: how many
 * (exact), and the `limit` apologised to longest ago (the inbox_unresolved partial index).
 */
export const awaitingResolution = (db: Db, siteId: number, limit: number) =>
  countAndOldest(
    db,
    and(
      eq(voices.siteId, siteId),
      sql`${voices.status} = 'published' AND ${voices.apologizedAt} IS NOT NULL AND ${voices.resolvedAt} IS NULL`,
    ),
    voices.apologizedAt,
    limit,
  )

/** How many voices `waiting` holds (exact), and the `limit` with the oldest `since`, in one batch. */
async function countAndOldest(db: Db, waiting: SQL | undefined, since: SQLiteColumn, limit: number) {
  const [counted, oldest] = await db.batch([
    db
      .select({ n: count().as('n') })
      .from(voices)
      .where(waiting),
    db
      .select({ ...listed, at: sql<number>`${since}`.as('at') })
      .from(voices)
      .where(waiting)
      .orderBy(asc(since), asc(voices.id))
      .limit(limit),
  ])
  return { count: counted[0]?.n ?? 0, oldest }
}
