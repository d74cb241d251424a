/**
 * A site's watches: feeds to listen to, with the keywords that make an entry about the shop.
 * The feed's address passes the outbound address policy now (no loopback, no private ranges,
 * no credentials), as every fetch of it will again.
 */
import type { AddressPolicy } from '../common/address-policy'
import { newId } from '../common/crypto'
import { AppError } from '../common/errors'
import type { Principal } from '../common/principal'
import type { Db } from '../db/client'
import { checkRemoteUrl } from '../reasons/remote-url'
import { loadSite } from '../sites/service'
import type { WatchChange, WatchInput } from './inputs'
import { feedErrorWords } from './feed-errors'
import {
  deleteWatch,
  findWatch,
  insertWatch,
  type RunRow,
  runsOfSite,
  updateWatch,
  type WatchRow,
  watchesOfSite,
} from './store'
import type { Out } from '../common/outputs'
import type { RunOut, WatchOut } from './outputs'

/** Watches per site: each is read on every due run. */
export const MAX_WATCHES = 20

export type WatchDeps = { db: Db; policy: AddressPolicy }

/** Keywords as given, trimmed, each once. */
const keywordsOf = (keywords: readonly string[]) => [...new Set(keywords.map((k) => k.trim()))]

const duplicate = () =>
  new AppError('conflict', 'This site already watches this feed', 'このサイトはすでにこのフィードを登録しています')

/** A site's watches and its newest runs (what each read, added and which feeds failed). */
export async function watchesOf(db: Db, p: Principal, slug: string) {
  const site = await loadSite(db, p, slug)
  const [watches, runs] = await Promise.all([watchesOfSite(db, site.id, MAX_WATCHES), runsOfSite(db, site.id)])
  return { site, watches, runs }
}

/** A new watch, read at the next run, with nothing cached and no failures yet. */
export const newWatchRow = (w: Pick<WatchRow, 'id' | 'siteId' | 'feedUrl' | 'keywords'>, now: number): WatchRow => ({
  ...w,
  createdAt: now,
  nextFetchAt: now,
  etag: null,
  lastModified: null,
  lastFetchedAt: null,
  failures: 0,
  lastError: null,
})

export async function createWatch(deps: WatchDeps, p: Principal, slug: string, input: WatchInput, now: number) {
  const site = await loadSite(deps.db, p, slug)
  if ((await watchesOfSite(deps.db, site.id, MAX_WATCHES)).length >= MAX_WATCHES)
    throw new AppError(
      'conflict',
      `A site watches at most ${MAX_WATCHES} feeds; delete one first`,
      `フィードは1サイトにつき${MAX_WATCHES}件までです。先にどれかを削除してください`,
    )
  const row = newWatchRow(
    {
      id: newId('wt'),
      siteId: site.id,
      feedUrl: checkRemoteUrl(input.feed_url, deps.policy, { field: 'feed_url', httpsOnly: false }),
      keywords: keywordsOf(input.keywords),
    },
    now,
  )
  if ((await insertWatch(deps.db, row)).meta.changes !== 1) throw duplicate()
  return row
}

async function watchOfSite(db: Db, p: Principal, slug: string, id: string) {
  const site = await loadSite(db, p, slug)
  const watch = await findWatch(db, site.id, id)
  if (!watch) throw new AppError('not_found', 'Watch not found', '登録されたフィードが見つかりません')
  return watch
}

/** A new address starts afresh: read at the next run, with no cached validators or failures. */
export async function changeWatch(
  deps: WatchDeps,
  p: Principal,
  slug: string,
  id: string,
  patch: WatchChange,
  now: number,
) {
  const watch = await watchOfSite(deps.db, p, slug, id)
  const changes: Partial<WatchRow> = {}
  if (patch.keywords !== undefined) changes.keywords = keywordsOf(patch.keywords)
  if (patch.feed_url !== undefined) {
    const feedUrl = checkRemoteUrl(patch.feed_url, deps.policy, { field: 'feed_url', httpsOnly: false })
    if (feedUrl !== watch.feedUrl)
      Object.assign(changes, {
        feedUrl,
        nextFetchAt: now,
        etag: null,
        lastModified: null,
        failures: 0,
        lastError: null,
      })
  }
  if (Object.keys(changes).length === 0) return watch
  try {
    return (await updateWatch(deps.db, watch.id, changes)) ?? watch
  } catch (err) {
    // The unique (site, feed) index: another watch of the site has this address.
    if (String(err).includes('UNIQUE')) throw duplicate()
    throw err
  }
}

export async function removeWatch(db: Db, p: Principal, slug: string, id: string) {
  const watch = await watchOfSite(db, p, slug, id)
  await deleteWatch(db, watch.id)
}

export const watchJson = (w: WatchRow): Out<typeof WatchOut> => ({
  id: w.id,
  feed_url: w.feedUrl,
  keywords: w.keywords,
  created_at: new Date(w.createdAt).toISOString(),
  next_fetch_at: new Date(w.nextFetchAt).toISOString(),
  last_fetched_at: w.lastFetchedAt === null ? null : new Date(w.lastFetchedAt).toISOString(),
  failures: w.failures,
  last_error: w.lastError,
  last_error_message: w.lastError === null ? null : feedErrorWords(w.lastError, 'en'),
})

export const runJson = (r: RunRow): Out<typeof RunOut> => ({
  at: new Date(r.at).toISOString(),
  fetched: r.fetched,
  unchanged: r.unchanged,
  failed: r.failed,
  voices_added: r.added,
  errors: r.errors.map((e) => ({ ...e, message: feedErrorWords(e.error, 'en') })),
})
