/**
 * Targets: the pages voices are about. Operators register them (id, URL, title, kind); the
 * hub makes one by itself only when a voice about a page nobody registered is published
 * (`auto_targets`, on by default) — a ping alone never makes a target. Operators can rename
 * a target, move it to another URL of the storefront, delete one nothing refers to, and merge
 * an automatic target into a registered one.
 */
import type { Principal } from '../common/principal'
import type { Db } from '../db/client'
import type { TargetKind } from '../db/schema'
import { newId } from '../common/crypto'
import { AppError } from '../common/errors'
import { canonicalUrl, isUnderOrigins } from '../common/url'
import { loadSite } from '../sites/service'
import { readSettings } from '../sites/settings'
import type { SiteRow } from '../sites/store'
import { rebuildStats } from '../voices/rebuild-stats'
import { countsOfTargets } from '../stats/store'
import { linkbackDiscovery, trackbackRdf, trackbackUrl } from './discovery'
import {
  deleteUnusedTarget,
  findTarget,
  findTargetByUrl,
  insertTarget,
  listTargets,
  mergeInto,
  referencesTo,
  type TargetRow,
  twinsOf,
  updateTarget,
} from './store'
import type { Out } from '../common/outputs'
import type { TargetOut } from './outputs'

export type TargetInput = { id?: string | undefined; url: string; title: string; kind: TargetKind }

/** The canonical form of a URL on one of the site's origins, or an AppError naming the field. */
function storefrontUrl(site: SiteRow, input: string): string {
  const url = canonicalUrl(input)
  if (!url) throw new AppError('invalid_input', 'url: must be an absolute http(s) URL')
  if (!isUnderOrigins(url, site.origins))
    throw new AppError('invalid_input', `url: must be under one of the site's origins (${site.origins.join(', ')})`)
  return url
}

export async function createTarget(db: Db, p: Principal, slug: string, input: TargetInput, now: number) {
  const site = await loadSite(db, p, slug)
  const url = storefrontUrl(site, input.url)
  const created = await insertTarget(db, {
    siteId: site.id,
    id: input.id ?? newId('t'),
    url,
    title: input.title,
    kind: input.kind,
    automatic: false,
    createdAt: now,
  })
  if (!created) {
    const owner = await findTargetByUrl(db, site.id, url)
    throw new AppError(
      'conflict',
      owner && owner.url !== url
        ? `url: this is a former address of target "${owner.id}": merge into that target, or move it`
        : 'A target with this id or URL already exists',
      owner && owner.url !== url
        ? `URL：対象ページ「${owner.id}」の以前のアドレスです。その対象ページに統合するか、移動してください`
        : '同じIDかURLの対象ページがすでにあります',
    )
  }
  await recountIfAdopted(db, site, created)
  return { site, target: created.target }
}

/** Voices that were waiting about a target's page may have moderation steps: the target is recounted when it adopted any. */
async function recountIfAdopted(db: Db, site: SiteRow, made: { target: TargetRow; adopted: number }) {
  if (made.adopted > 0) await rebuildStats(db, site.id, [made.target.id])
}

/**
 * The target at a storefront URL (its current or a former one), made if there is none: for a
 * published voice about a page nobody registered (when the site's `auto_targets` allows it) —
 * `publishing` is that voice —, or a product an order names. `url` is canonical and under one
 * of the site's origins; a concurrent first sighting of the same URL finds the winner's row.
 * Null when the site makes no targets by itself.
 */
export async function automaticTarget(
  db: Db,
  site: SiteRow,
  url: string,
  now: number,
  { always = false, publishing }: { always?: boolean; publishing?: string } = {},
): Promise<TargetRow | null> {
  const found = await findTargetByUrl(db, site.id, url)
  if (found) return found
  if (!always && !readSettings(site.settings).auto_targets) return null
  // Until an operator names it, a target is known by its address.
  const row: TargetRow = {
    siteId: site.id,
    id: newId('t'),
    url,
    title: url,
    kind: 'page',
    automatic: true,
    createdAt: now,
  }
  const created = await insertTarget(db, row, publishing)
  if (created) await recountIfAdopted(db, site, created)
  const target = created?.target ?? (await findTargetByUrl(db, site.id, url))
  if (!target) throw new Error(`target for ${url} neither created nor found`)
  return target
}

export async function loadTarget(db: Db, p: Principal, slug: string, id: string) {
  const site = await loadSite(db, p, slug)
  const target = await findTarget(db, site.id, id)
  if (!target) throw new AppError('not_found', 'Target not found', '対象ページが見つかりません')
  return { site, target }
}

export async function pageOfTargets(
  db: Db,
  p: Principal,
  slug: string,
  after: string | null,
  limit: number,
  automatic?: boolean,
) {
  const site = await loadSite(db, p, slug)
  const rows = await listTargets(db, site.id, after, limit + 1, automatic)
  const items = rows.slice(0, limit)
  return { site, items, next: rows.length > limit ? (items.at(-1)?.id ?? null) : null }
}

/** How many registered targets a choice of target (merging, publishing a found voice) offers. */
const TARGET_CHOICES = 200

/** The registered targets to choose from, by id (the first TARGET_CHOICES). */
export const registeredTargets = (db: Db, siteId: number) => listTargets(db, siteId, null, TARGET_CHOICES, false)

/** A page of targets with how many published (and negative) voices each has, for the web UI's list. */
export async function targetsWithCounts(db: Db, p: Principal, slug: string, after: string | null, limit: number) {
  const page = await pageOfTargets(db, p, slug, after, limit)
  const counts = new Map(
    (
      await countsOfTargets(
        db,
        page.site.id,
        page.items.map((t) => t.id),
      )
    ).map((c) => [c.targetId, c]),
  )
  // What an automatic target can be merged into: the registered targets (a bounded read).
  const registered = await registeredTargets(db, page.site.id)
  return {
    ...page,
    registered,
    items: page.items.map((t) => ({
      target: t,
      published: counts.get(t.id)?.published ?? 0,
      negative: counts.get(t.id)?.negative ?? 0,
    })),
  }
}

export type TargetPatch = {
  title?: string | undefined
  kind?: TargetKind | undefined
  url?: string | undefined
  automatic?: false | undefined
}

/** Renames a target, changes its kind or moves it to another URL of the storefront; `automatic: false` registers an automatic one. */
export async function changeTarget(db: Db, p: Principal, slug: string, id: string, patch: TargetPatch, now: number) {
  const { site, target } = await loadTarget(db, p, slug, id)
  const changes = {
    ...(patch.title !== undefined ? { title: patch.title } : {}),
    ...(patch.kind !== undefined ? { kind: patch.kind } : {}),
    ...(patch.url !== undefined ? { url: storefrontUrl(site, patch.url) } : {}),
    ...(patch.automatic === false ? { automatic: false } : {}),
  }
  if (Object.keys(changes).length === 0) return { site, target }
  const updated = await updateTarget(db, target, changes, now)
  if (!updated)
    throw new AppError(
      'conflict',
      'url: another target of this site has this URL (now, or as a former address), or the target changed meanwhile',
      'URL：このサイトの別の対象ページがこのURLを使っている（以前のアドレスを含む）か、対象ページが同時に変更されました',
    )
  // Voices that waited about the new URL are its own now; they may bring moderation steps.
  if (updated.url !== target.url) await rebuildStats(db, site.id, [updated.id])
  return { site, target: updated }
}

/** Deletes a target nothing refers to: no voice (of any status), no tracking link, no review invitation. */
export async function removeTarget(db: Db, p: Principal, slug: string, id: string) {
  const { site, target } = await loadTarget(db, p, slug, id)
  if (await deleteUnusedTarget(db, site.id, target.id)) return
  const refs = await referencesTo(db, site.id, target.id)
  const what = [
    refs.voices && `${refs.voices} voice${refs.voices === 1 ? '' : 's'}`,
    refs.links && `${refs.links} tracking link${refs.links === 1 ? '' : 's'}`,
    refs.invitations && `${refs.invitations} review invitation${refs.invitations === 1 ? '' : 's'}`,
  ].filter(Boolean)
  throw new AppError(
    'conflict',
    `This target is in use (${what.join(', ') || 'just now'}); merge it into another target instead`,
    `この対象ページは使われています（声${refs.voices}件・トラッキングリンク${refs.links}件・レビュー依頼${refs.invitations}件）。削除せず、別の対象ページに統合してください`,
  )
}

/**
 * Merges an automatic target into a registered one: its voices (with their answers), tracking
 * links, review invitations and counters move, and its address becomes a former address of the
 * registered target (a post linking to it still links to the target; a ping to it comes there).
 * A voice whose post is already a voice of the registered target stays (the answer lists it),
 * and so does the automatic target, until nothing refers to it.
 */
export async function mergeTarget(db: Db, p: Principal, slug: string, id: string, intoId: string, now: number) {
  const { site, target: from } = await loadTarget(db, p, slug, id)
  const into = await findTarget(db, site.id, intoId)
  if (!into)
    throw new AppError('invalid_input', 'into: no such target on this site', '統合先：このサイトにない対象ページです')
  if (into.id === from.id)
    throw new AppError(
      'invalid_input',
      'into: a target cannot be merged into itself',
      '統合先：自分自身には統合できません',
    )
  if (!from.automatic)
    throw new AppError(
      'conflict',
      'Only an automatic target can be merged into another; this one was registered',
      '統合できるのはハブが作った対象ページだけです。この対象ページは登録済みです',
    )
  if (into.automatic)
    throw new AppError(
      'invalid_input',
      'into: must be a registered target (register it first: PATCH it with "automatic": false)',
      '統合先：登録済みの対象ページを選んでください',
    )
  const { moved, whole, counted } = await mergeInto(db, site.id, from.id, into.id, now)
  // Some voices stayed behind (or `into` had no counter row): the targets are recounted from their voices.
  if (!whole || !counted) await rebuildStats(db, site.id, whole ? [into.id] : [from.id, into.id])
  const left = whole ? [] : await twinsOf(db, site.id, from.id, into.id)
  return { site, into, moved, left, deleted: whole }
}

/** A target as the API shows it, with the snippets a storefront pastes into the page. */
export function targetJson(hubOrigin: string, site: SiteRow, t: TargetRow): Out<typeof TargetOut> {
  const ping = trackbackUrl(hubOrigin, site.slug, t.id)
  return {
    id: t.id,
    url: t.url,
    title: t.title,
    kind: t.kind,
    /** Made by the hub for a published voice (or an order) about a page nobody registered. */
    automatic: t.automatic,
    created_at: new Date(t.createdAt).toISOString(),
    feed_url: `${hubOrigin}/feeds/${site.slug}.json?target=${encodeURIComponent(t.id)}`,
    discovery: {
      ...linkbackDiscovery(hubOrigin, site.slug),
      trackback_url: ping,
      trackback_rdf: trackbackRdf(t.url, t.title, ping),
    },
  }
}
