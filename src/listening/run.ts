/**
 * The scheduled listening run. Each run reads the watches that are due — at most
 * WATCHES_PER_RUN, longest waiting first, so the due time works as a cursor and a busy hub
 * catches up over the next runs — through the guarded fetcher, conditionally (ETag,
 * Last-Modified), capped at 2 MB and 10 seconds. Entries that name one of the watch's keywords
 * become voices of kind `discovered`, pending until an operator publishes them: nobody sent
 * them to the shop, so the shop decides whether to show them. A page that is already a voice of
 * the site, of any kind, is not added again. A feed that fails is read again later and later
 * (up to a day), and its error is kept for the operator; each site gets a line in its run log.
 */
import type { AddressPolicy } from '../common/address-policy'
import { onHosts } from '../common/address-policy'
import { type FetchedSource, type FetchLimits, fetchSource } from '../common/fetch-source'
import { cleanField } from '../common/plain-text'
import { readHtml } from '../common/source-page'
import { canonicalUrl, isUnderOrigins } from '../common/url'
import type { Db } from '../db/client'
import { wordsOf, suggestionFields } from '../sentiment/lexicon'
import type { Suggester } from '../sentiment/suggester'
import { findSiteById, type SiteRow } from '../sites/store'
import { findTargetByUrl } from '../targets/store'
import { newVoiceRow } from '../voices/ingest'
import { sourcesOfSite, type VoiceRow } from '../voices/store'
import { EXCERPT_MAX } from '../verification/h-entry'
import { type FeedEntry, MAX_FEED_BYTES, parseFeed } from './feed'
import type { FeedError } from './feed-errors'
import { matchedKeywords } from './keywords'
import { dueWatches, insertDiscovered, insertRun, recordReadings, type WatchRow } from './store'

/** Watches read per run (the cron runs every 10 minutes), a few at a time. */
export const WATCHES_PER_RUN = 20
const AT_ONCE = 5
/** How often a healthy feed is read. */
export const READ_EVERY_MS = 60 * 60 * 1000
/** The longest a failing feed waits before it is tried again. */
export const MAX_BACKOFF_MS = 24 * 60 * 60 * 1000
/** New voices taken from one reading: a feed that suddenly matches everything cannot flood the inbox. */
export const NEW_VOICES_PER_READING = 50
/** Links to the shop looked up per entry to find the page it is about. */
const SHOP_LINKS_LOOKED_UP = 3

export const FEED_LIMITS: FetchLimits = { maxRedirects: 5, maxBytes: MAX_FEED_BYTES, timeoutMs: 10_000 }
const FEED_ACCEPT =
  'application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1'

export type ListenDeps = {
  db: Db
  policy: AddressPolicy
  suggest: Suggester
  limits?: FetchLimits
}

/** A target looked up by its page, once per run (many entries are about a shop's home page). */
type TargetLookup = (siteId: number, url: string) => Promise<{ id: string } | undefined>

/** What one run shares: the deps, and its target lookups. */
type RunDeps = ListenDeps & { findTarget: TargetLookup }

function lookupOnce(db: Db): TargetLookup {
  const found = new Map<string, Promise<{ id: string } | undefined>>()
  return (siteId, url) => {
    const key = `${String(siteId)} ${url}`
    let target = found.get(key)
    if (!target) found.set(key, (target = findTargetByUrl(db, siteId, url)))
    return target
  }
}

type Reading =
  | { kind: 'fetched'; added: number; etag: string | null; lastModified: string | null }
  | { kind: 'unchanged' }
  | { kind: 'failed'; error: FeedError }

export type RunSummary = { watches: number; fetched: number; unchanged: number; failed: number; added: number }

/** A failing feed waits twice as long after each failure in a row: 2 h, 4 h … up to a day. */
export const backoffMs = (failures: number) => Math.min(READ_EVERY_MS * 2 ** Math.min(failures, 10), MAX_BACKOFF_MS)

export async function listen(deps: ListenDeps, now: number): Promise<RunSummary> {
  const run: RunDeps = { ...deps, findTarget: lookupOnce(deps.db) }
  const due = await dueWatches(deps.db, now, WATCHES_PER_RUN)
  const sites = new Map<number, Promise<SiteRow | undefined>>()
  const siteOf = (id: number) => sites.get(id) ?? sites.set(id, findSiteById(deps.db, id)).get(id)
  const readings: { watch: WatchRow; reading: Reading }[] = []
  for (let i = 0; i < due.length; i += AT_ONCE) {
    const group = due.slice(i, i + AT_ONCE)
    readings.push(
      ...(await Promise.all(
        group.map(async (watch) => ({
          watch,
          reading: await readSafely(run, watch, await siteOf(watch.siteId), now),
        })),
      )),
    )
  }
  await recordReadings(
    deps.db,
    readings.map(({ watch, reading }) => ({ watch, changes: watchChanges(watch, reading, now) })),
  )
  await logRuns(deps.db, readings, now)
  const count = (kind: Reading['kind']) => readings.filter((r) => r.reading.kind === kind).length
  return {
    watches: due.length,
    fetched: count('fetched'),
    unchanged: count('unchanged'),
    failed: count('failed'),
    added: readings.reduce((n, { reading }) => n + (reading.kind === 'fetched' ? reading.added : 0), 0),
  }
}

/** One watch's failure (even the hub's own) is that watch's, never the run's. */
async function readSafely(deps: RunDeps, watch: WatchRow, site: SiteRow | undefined, now: number) {
  try {
    if (!site) return { kind: 'failed', error: 'internal' } satisfies Reading
    return await readWatch(deps, watch, site, now)
  } catch (err) {
    console.error(JSON.stringify({ msg: 'reading a watched feed failed', watch: watch.id, error: String(err) }))
    return { kind: 'failed', error: 'internal' } satisfies Reading
  }
}

async function readWatch(deps: RunDeps, watch: WatchRow, site: SiteRow, now: number): Promise<Reading> {
  const conditional: Record<string, string> = {}
  if (watch.etag !== null) conditional['If-None-Match'] = watch.etag
  if (watch.lastModified !== null) conditional['If-Modified-Since'] = watch.lastModified
  const fetched = await fetchSource(watch.feedUrl, deps.policy, deps.limits ?? FEED_LIMITS, {
    headers: conditional,
    accept: FEED_ACCEPT,
    // Feeds served as plain text or HTML exist; the parser decides whether they are feeds.
    read: ['xml', 'text', 'html'],
  })
  const failure = failureOf(fetched)
  if (failure !== null) return failure
  if (fetched.kind !== 'answered') return { kind: 'failed', error: 'internal' }
  const parsed = parseFeed(fetched.body, fetched.contentType)
  // A web page where the feed should be (the blog's address instead of its feed's) is not a broken feed.
  if (!parsed.ok) return { kind: 'failed', error: fetched.mediaType === 'html' ? 'unsupported_content' : parsed.reason }
  const added = await addDiscovered(deps, site, watch, parsed.entries, parsed.title, now)
  return { kind: 'fetched', added, etag: fetched.etag, lastModified: fetched.lastModified }
}

/** What the answer says before the body is read: unchanged, or why it cannot be a feed. */
function failureOf(fetched: FetchedSource): Reading | null {
  if (fetched.kind === 'refused') return { kind: 'failed', error: fetched.reason }
  if (fetched.kind === 'unreachable')
    return { kind: 'failed', error: fetched.reason === 'timeout' ? 'timeout' : 'unreachable' }
  if (fetched.status === 304) return { kind: 'unchanged' }
  if (fetched.status < 200 || fetched.status >= 300) return { kind: 'failed', error: `http_${fetched.status}` }
  if (fetched.mediaType === null) return { kind: 'failed', error: 'unsupported_content' }
  if (fetched.truncated) return { kind: 'failed', error: 'too_large' }
  return null
}

function watchChanges(watch: WatchRow, reading: Reading, now: number): Partial<WatchRow> {
  switch (reading.kind) {
    case 'fetched':
      return {
        etag: reading.etag,
        lastModified: reading.lastModified,
        lastFetchedAt: now,
        nextFetchAt: now + READ_EVERY_MS,
        failures: 0,
        lastError: null,
      }
    case 'unchanged':
      return { lastFetchedAt: now, nextFetchAt: now + READ_EVERY_MS, failures: 0, lastError: null }
    case 'failed':
      return {
        nextFetchAt: now + backoffMs(watch.failures + 1),
        failures: watch.failures + 1,
        lastError: reading.error,
      }
  }
}

/**
 * The entries that name a keyword become pending voices: not the shop's own pages, not the
 * hub's, not a page the site already has as a voice; at most NEW_VOICES_PER_READING.
 */
async function addDiscovered(
  deps: RunDeps,
  site: SiteRow,
  watch: WatchRow,
  entries: readonly FeedEntry[],
  feedTitle: string | null,
  now: number,
): Promise<number> {
  const matching = entries.filter(
    (e) =>
      !isUnderOrigins(e.url, site.origins) &&
      !onHosts(e.url, deps.policy.forbiddenHosts ?? []) &&
      matchedKeywords(wordsOf(e.title, e.text), watch.keywords).length > 0,
  )
  const known = await sourcesOfSite(
    deps.db,
    site.id,
    matching.map((e) => e.url),
  )
  const fresh = [...new Map(matching.filter((e) => !known.has(e.url)).map((e) => [e.url, e])).values()].slice(
    0,
    NEW_VOICES_PER_READING,
  )
  const rows: VoiceRow[] = []
  for (const entry of fresh) rows.push(await discoveredVoice(deps, site, entry, feedTitle, now))
  return insertDiscovered(deps.db, rows)
}

async function discoveredVoice(
  deps: RunDeps,
  site: SiteRow,
  entry: FeedEntry,
  feedTitle: string | null,
  now: number,
): Promise<VoiceRow> {
  const target = await targetOfEntry(deps.findTarget, site, entry)
  const suggested = await deps.suggest(wordsOf(entry.title, entry.text))
  return newVoiceRow(
    {
      siteId: site.id,
      targetId: target.id,
      targetPending: target.pending,
      kind: 'discovered',
      status: 'pending',
      sourceUrl: entry.url,
      sourceUrlSent: entry.url,
      title: entry.title,
      excerpt: cleanField(entry.text, EXCERPT_MAX),
      authorName: entry.author,
      blogName: feedTitle,
      voiceType: 'mention',
      sourcePublished: entry.publishedAt === null ? null : new Date(entry.publishedAt).toISOString(),
      ...suggestionFields({ sentimentBy: null }, suggested),
    },
    now,
  )
}

/**
 * The page a discovered voice is about: the first page of the shop its entry links to that is a
 * target (or, failing that, the first page of the shop it links to at all); an entry that links
 * to none is about the shop as a whole, its storefront's home page. A page nobody registered is
 * named by its address until the voice is published (then it becomes a target).
 */
async function targetOfEntry(
  findTarget: TargetLookup,
  site: SiteRow,
  entry: Pick<FeedEntry, 'url' | 'markup'>,
): Promise<{ id: string; pending: boolean }> {
  const links = entry.markup === null ? [] : [...(await readHtml(entry.markup, entry.url)).links]
  const onShop = links.filter((link) => isUnderOrigins(link, site.origins)).slice(0, SHOP_LINKS_LOOKED_UP)
  const home = site.origins[0] === undefined ? null : canonicalUrl(`${site.origins[0]}/`)
  for (const url of home === null ? onShop : [...onShop, home]) {
    const target = await findTarget(site.id, url)
    if (target) return { id: target.id, pending: false }
  }
  const url = onShop[0] ?? home ?? entry.url
  return { id: url, pending: true }
}

/** One line per site in its run log: what this run read and added, and which feeds failed. */
async function logRuns(db: Db, readings: readonly { watch: WatchRow; reading: Reading }[], now: number) {
  const bySite = new Map<number, { watch: WatchRow; reading: Reading }[]>()
  for (const r of readings) bySite.set(r.watch.siteId, [...(bySite.get(r.watch.siteId) ?? []), r])
  await Promise.all(
    [...bySite].map(([siteId, own]) =>
      insertRun(db, {
        siteId,
        at: now,
        fetched: own.filter((r) => r.reading.kind === 'fetched').length,
        unchanged: own.filter((r) => r.reading.kind === 'unchanged').length,
        failed: own.filter((r) => r.reading.kind === 'failed').length,
        added: own.reduce((n, { reading }) => n + (reading.kind === 'fetched' ? reading.added : 0), 0),
        errors: own.flatMap(({ watch, reading }) =>
          reading.kind === 'failed' ? [{ feed_url: watch.feedUrl, error: reading.error }] : [],
        ),
      }),
    ),
  )
}
