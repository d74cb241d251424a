/**
 * The purge's SQL: a deleted shop's rows, table by table, children before the rows they point at,
 * each step a bounded `DELETE … WHERE rowid IN (SELECT … LIMIT n)` found through an index that
 * begins with the shop (or with its voices, partners or endpoints). Each statement runs in one
 * batch with the shop's progress counter, so a run that stops anywhere is taken up by the next.
 * Raw D1 statements: their `meta` says how many rows each read and deleted.
 */
import { getTableName, type Table } from 'drizzle-orm'

import {
  importLines,
  shopImports,
  sentimentExamples,
  shopConnections,
  shopDeliveries,
  shopProducts,
  shopOrders,
  sentimentLearning,
  affiliateLinks,
  apiKeys,
  clicks,
  conversions,
  couponCodes,
  digests,
  erasureRequests,
  inboundReceipts,
  invitations,
  listeningRuns,
  moderationEvents,
  outbox,
  partners,
  partnerSignInLinks,
  responseRevisions,
  responses,
  reviewRevisions,
  shopExports,
  sites,
  stats,
  targets,
  targetUrls,
  voices,
  watches,
  webhookDeliveries,
  webhookEndpoints,
} from '../db/schema'

const name = (t: Table) => `"${getTableName(t)}"`

/** Rows of a table that carries the shop's id, through an index that begins with it. */
const bySite = (t: Table) => `SELECT rowid FROM ${name(t)} WHERE site_id = ?1 LIMIT ?2`

/** The shop's voices, oldest first (the `list_site` index): the same `n` for every statement of a voice step. */
const voicesOf = `SELECT id FROM ${name(voices)} WHERE site_id = ?1 ORDER BY received_at, id LIMIT ?2`

/**
 * One step: the table it empties and its statements, each bound to (site id, n). The last
 * statement's changes are the step's; a step whose last statement deleted fewer than `n` is done.
 */
export type PurgeStep = { table: string; statements: string[] }

const plain = (t: Table): PurgeStep => ({
  table: getTableName(t),
  statements: [`DELETE FROM ${name(t)} WHERE rowid IN (${bySite(t)})`],
})

/** Rows of a child table found through its parent's rows of the shop. */
const through = (child: Table, column: string, parent: Table): PurgeStep => ({
  table: getTableName(child),
  statements: [
    `DELETE FROM ${name(child)} WHERE rowid IN (SELECT rowid FROM ${name(child)} WHERE ${column} IN (SELECT id FROM ${name(parent)} WHERE site_id = ?1) LIMIT ?2)`,
  ],
})

/** In order: nothing is deleted before the rows that point at it. The site row itself is last, apart. */
export const PURGE_STEPS: readonly PurgeStep[] = [
  plain(outbox),
  // The exports' files in R2 go first (./purge.ts), then their rows.
  plain(shopExports),
  plain(webhookDeliveries),
  plain(webhookEndpoints),
  plain(responseRevisions),
  plain(responses),
  plain(moderationEvents),
  {
    // A batch of voices with their reviews' earlier versions (the photos in R2 go first: ./purge.ts).
    table: getTableName(voices),
    statements: [
      `DELETE FROM ${name(reviewRevisions)} WHERE mention_id IN (${voicesOf})`,
      `DELETE FROM ${name(voices)} WHERE id IN (${voicesOf})`,
    ],
  },
  plain(targetUrls),
  plain(targets),
  plain(stats),
  plain(apiKeys),
  plain(invitations),
  plain(erasureRequests),
  plain(inboundReceipts),
  plain(couponCodes),
  plain(clicks),
  plain(conversions),
  plain(affiliateLinks),
  through(partnerSignInLinks, 'partner_id', partners),
  plain(partners),
  plain(listeningRuns),
  plain(watches),
  plain(digests),
  // Imports last (added after the others: a purge under way keeps its step numbers). Their files went with the exports'.
  plain(importLines),
  plain(shopImports),
  // What the shop's staff taught the sentiment suggestions (added after the imports, for the same reason).
  plain(sentimentExamples),
  plain(sentimentLearning),
  // The shop platform's connection, its deliveries and products (added after the sentiment's, for the same reason).
  plain(shopDeliveries),
  plain(shopProducts),
  plain(shopConnections),
  // Orders' versions (added after the connections, for the same reason).
  plain(shopOrders),
]

/** What one statement of a step did: rows deleted (by its last statement) and read (by all). */
export type StepResult = { deleted: number; read: number }

/** Runs one step's statements for up to `n` rows, with the shop's progress, in one batch. */
export async function runStep(d1: D1Database, siteId: number, step: PurgeStep, n: number): Promise<StepResult> {
  const statements = step.statements.map((s) => d1.prepare(s).bind(siteId, n))
  const progress = d1
    .prepare(`UPDATE ${name(sites)} SET purge_rows = purge_rows + changes() WHERE id = ?1`)
    .bind(siteId)
  const results = await d1.batch([...statements, progress])
  const last = results[statements.length - 1]
  return {
    deleted: last?.meta.changes ?? 0,
    read: results.reduce((sum, r) => sum + r.meta.rows_read, 0),
  }
}

/** The R2 keys of the photos of the voices the next voice step deletes. */
export async function photoKeysOfNext(d1: D1Database, siteId: number, n: number) {
  const { results, meta } = await d1
    .prepare(`SELECT photos FROM ${name(voices)} WHERE id IN (${voicesOf}) AND photos <> '[]'`)
    .bind(siteId, n)
    .all<{ photos: string }>()
  const keys = results.flatMap((r) => {
    try {
      const photos: unknown = JSON.parse(r.photos)
      return Array.isArray(photos)
        ? photos.flatMap((p: unknown) =>
            typeof p === 'object' && p !== null && 'key' in p && typeof p.key === 'string' ? [p.key] : [],
          )
        : []
    } catch {
      return []
    }
  })
  return { keys, read: meta.rows_read }
}

/** Moves the shop's purge on to step `step`. */
export const setPurgeStep = (d1: D1Database, siteId: number, step: number) =>
  d1
    .prepare(`UPDATE ${name(sites)} SET purge_step = ?2 WHERE id = ?1`)
    .bind(siteId, step)
    .run()

/** The last row of a purged shop: its slug is free again. */
export const deleteSiteRow = (d1: D1Database, siteId: number) =>
  d1
    .prepare(`DELETE FROM ${name(sites)} WHERE id = ?1 AND deleted_at IS NOT NULL`)
    .bind(siteId)
    .run()

/** The deleted shops whose grace period ended by `before`, the longest-deleted first. */
export const sitesDueForPurge = (d1: D1Database, before: number, limit: number) =>
  d1
    .prepare(
      `SELECT id, slug, purge_step AS purgeStep FROM ${name(sites)} WHERE deleted_at IS NOT NULL AND deleted_at <= ?1 ORDER BY deleted_at, id LIMIT ?2`,
    )
    .bind(before, limit)
    .all<{ id: number; slug: string; purgeStep: number }>()
