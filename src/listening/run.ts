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
import { type AddressPolicy, onHosts } from '../common/address-policy'
import { type FetchedSource, type FetchLimits, fetchSource } from '../common/fetch-source'
import { cleanField } from '../common/plain-text'
import { readHtml } from '../common/source-page'
import { canonicalUrl, hostOf, isUnderOrigins } from '../common/url'
import type { Db } from '../db/client'
import { suggestedFields, wordsOf } from '../sentiment/fields'
import { type SiteRow, sitesByIds } from '../sites/store'
import { targetsAtUrls } from '../targets/store'
import { newVoiceRow } from '../voices/ingest'
import { sourcesOfSite, type VoiceRow } from '../voices/store'
import { EXCERPT_MAX } from '../verification/h-entry'
import { type FeedEntry, MAX_FEED_BYTES, parseFeed } from './feed'
import type { FeedError } from './feed-errors'
import { matchedKeywords } from './keywords'
import { backoffMs, READ_EVERY_MS } from './schedule'
import { claimWatches, dueWatches, insertDiscovered, insertRun, recordReadings, type WatchRow } from './store'

/** Watches read per run (the cron runs every 10 minutes), a few at a time. */
export const WATCHES_PER_RUN = 20
const AT_ONCE = 5
/** New voices taken from one reading, and from one run: a feed that suddenly matches everything cannot flood the inbox, and a run's D1 work stays small. */
export const NEW_VOICES_PER_READING = 50
export const NEW_VOICES_PER_RUN = 100
/**
 * A claimed watch is left alone by other runs at least this long; if the run dies before it
 * records the reading, the watch counts it as a failure and is backed off like one.
 */
const CLAIM_MS = 15 * 60 * 1000
/** Links to the shop looked up per entry to find the page it is about. */
const SHOP_LINKS_LOOKED_UP = 3
/** How much of an entry's text is searched for the keywords. */
const MATCHED_TEXT = 50_000

export const FEED_LIMITS: FetchLimits = { maxRedirects: 5, maxBytes: MAX_FEED_BYTES, timeoutMs: 10_000 }
const FEED_ACCEPT =
  'application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1'

export type ListenDeps = {
  db: Db
  policy: AddressPolicy
  limits?: FetchLimits
}

/** What one run shares: its deps, and how many new voices it may still add. */
type RunDeps = ListenDeps & { room: { voices: number } }

type Reading =
  /** `complete`: every new entry was taken (else the validators are not kept, so the rest come next time). */
  | { kind: 'fetched'; added: number; complete: boolean; etag: string | null; lastModified: string | null }
  | { kind: 'unchanged' }
  | { kind: 'failed'; error: FeedError }

export type RunSummary = { watches: number; fetched: number; unchanged: number; failed: number; added: number }

export async function listen(deps: ListenDeps, now: number): Promise<RunSummary> {
  const run: RunDeps = { ...deps, room: { voices: NEW_VOICES_PER_RUN } }
  // Claimed first: a run that overlaps this one leaves these alone, and a feed that kills the run is backed off.
  const due = await claimWatches(deps.db, await dueWatches(deps.db, now, WATCHES_PER_RUN), now, (failures) =>
    Math.max(now + backoffMs(failures), now + CLAIM_MS),
  )
  const sites = await sitesByIds(
    deps.db,
    due.map((w) => w.siteId),
  )
  const readings: { watch: WatchRow; reading: Reading }[] = []
  for (let i = 0; i < due.length; i += AT_ONCE) {
    const group = due.slice(i, i + AT_ONCE)
    readings.push(
      ...(await Promise.all(
        group.map(async (watch) => ({
          watch,
          reading: await readSafely(run, watch, sites.get(watch.siteId), now),
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
  const { added, complete } = await addDiscovered(deps, site, watch, parsed.entries, parsed.title, now)
  return { kind: 'fetched', added, complete, etag: fetched.etag, lastModified: fetched.lastModified }
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
        etag: reading.complete ? reading.etag : null,
        lastModified: reading.complete ? reading.lastModified : null,
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
 * The entries that name a keyword (in their title, their summary or their whole text) become
 * pending voices: not the shop's own pages, not the hub's, not a page the site already has as a
 * voice; at most NEW_VOICES_PER_READING, and what is left of the run's NEW_VOICES_PER_RUN.
 */
async function addDiscovered(
  deps: RunDeps,
  site: SiteRow,
  watch: WatchRow,
  entries: readonly FeedEntry[],
  feedTitle: string | null,
  now: number,
): Promise<{ added: number; complete: boolean }> {
  const matching = entries.filter(
    (e) =>
      !isUnderOrigins(e.url, site.origins) &&
      !onHosts(e.url, deps.policy.forbiddenHosts ?? []) &&
      matchedKeywords(
        wordsOf(e.title, cleanField(e.summary, MATCHED_TEXT), cleanField(e.markup, MATCHED_TEXT)),
        watch.keywords,
      ).length > 0,
  )
  const known = await sourcesOfSite(
    deps.db,
    site.id,
    matching.map((e) => e.url),
  )
  const fresh = [...new Map(matching.filter((e) => !known.has(e.url)).map((e) => [e.url, e])).values()]
  // Taken before any await, so the run's other readings see what is left.
  const taken = fresh.slice(0, Math.min(NEW_VOICES_PER_READING, deps.room.voices))
  deps.room.voices -= taken.length
  const pages = await Promise.all(taken.map((e) => pagesOfEntry(site, e)))
  const targets = await targetsAtUrls(
    deps.db,
    site.id,
    pages.flatMap((p) => (p.home === null ? p.links : [...p.links, p.home])),
  )
  // The feed's title names the entry's blog only when the feed is that blog's own (not a search's).
  const ownFeed = (entry: FeedEntry) => hostOf(entry.url) === hostOf(watch.feedUrl)
  const rows = taken.map((entry, i) =>
    discoveredVoice(
      site,
      entry,
      aboutPage(pages[i] ?? { links: [], home: null }, targets),
      ownFeed(entry) ? feedTitle : null,
      now,
    ),
  )
  return { added: await insertDiscovered(deps.db, rows), complete: taken.length === fresh.length }
}

function discoveredVoice(
  site: SiteRow,
  entry: FeedEntry,
  target: { id: string; pending: boolean },
  blogName: string | null,
  now: number,
): VoiceRow {
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
      blogName,
      voiceType: 'mention',
      sourcePublished: entry.publishedAt === null ? null : new Date(entry.publishedAt).toISOString(),
      // The words' suggestion, as for linkbacks (no model service is called on the way in).
      ...suggestedFields({ sentimentBy: null }, entry.title, entry.text),
    },
    now,
  )
}

/** The shop's pages an entry links to (the first few), and the storefront's home page (the shop as a whole). */
async function pagesOfEntry(site: SiteRow, entry: Pick<FeedEntry, 'url' | 'markup'>) {
  const links = entry.markup === null ? [] : [...(await readHtml(entry.markup, entry.url)).links]
  return {
    links: links.filter((link) => isUnderOrigins(link, site.origins)).slice(0, SHOP_LINKS_LOOKED_UP),
    home: site.origins[0] === undefined ? null : canonicalUrl(`${site.origins[0]}/`),
  }
}

/**
 * The page a found voice is about: the first page it links to that is a target; else the first
 * page it links to; else the home page. A page nobody registered is named by its address until
 * the voice is published and it becomes a target.
 */
function aboutPage(pages: { links: string[]; home: string | null }, targets: ReadonlyMap<string, { id: string }>) {
  const linked = pages.links.find((url) => targets.has(url))
  const url = linked ?? pages.links[0] ?? pages.home ?? ''
  const target = targets.get(url)
  return target ? { id: target.id, pending: false } : { id: url, pending: true }
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
