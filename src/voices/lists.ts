/**
 * The operator's lists of voices: filtered, keyset-paginated pages of a site's voices (the API's
 * list and the console's inbox), each reading at most its page — or a bounded window of index
 * entries per voice it shows when a filter is not on the index it walks.
 */
import { and, asc, desc, eq, isNull, sql, type SQL } from 'drizzle-orm'
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core'

import type { Db } from '../db/client'
import { pastPosition } from '../db/keyset'
import { type Sentiment, type VoiceKind, type VoiceStatus, voices } from '../db/schema'
import type { Position } from '../common/cursor'
import { allOf } from '../db/conditions'
import type { VoiceRow } from './store'

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
