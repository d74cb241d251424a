/**
 * Taking a shop's data out: an export is started (one running per shop), written by the export
 * queue's consumer a batch at a time (./run.ts), and read back with a signed, expiring link per
 * file (./links.ts). A deleted shop may still be exported by the operator while it can be restored.
 */
import { sql } from 'drizzle-orm'

import { newId } from '../common/crypto'
import { AppError } from '../common/errors'
import { isoTime, type Out } from '../common/outputs'
import { assertOperator, assertSiteAccess, type Principal } from '../common/principal'
import type { Db } from '../db/client'
import { shopExports } from '../db/schema'
import { type OutboxMessage, recordMessages, sendRecorded } from '../outbox/outbox'
import { deletionOf } from '../sites/deletion-state'
import { loadSiteInAnyState } from '../sites/service'
import type { SiteRow } from '../sites/store'
import { jsonlFile } from './kind'
import { EXPORT_KINDS } from './kinds'
import { downloadPath, linkKey } from './links'
import type { ExportOut } from './outputs'
import { type ExportRow, exportsOf, findExport, insertExport, runningExportOf } from './store'

/** The manifest, written last: the archive's description. */
export const MANIFEST = 'manifest.json'

/** Every file an export writes, in the order the manifest lists them. */
export const EXPORT_FILES: readonly string[] = [
  ...EXPORT_KINDS.flatMap((k) => [jsonlFile(k), ...(k.csv ? [k.csv.file] : [])]),
  MANIFEST,
]

/** Exports a list shows. */
const RECENT = 20

/**
 * The export queue's message: which export to take a batch further, and (when sent by the hub
 * for a batch) which batch it is for, so a copy that comes after its batch was written does
 * nothing. The outbox keeps the message without a batch: the cron's re-send takes the export on
 * from wherever it stopped.
 */
export const exportMessage = (row: Pick<ExportRow, 'id' | 'siteId'>, batch?: number): OutboxMessage => ({
  kind: 'export',
  ref: row.id,
  siteId: row.siteId,
  body: batch === undefined ? { exportId: row.id } : { exportId: row.id, batch },
})

/**
 * The shop the principal may export: its own (a site key) or any (the operator); a deleted shop
 * only by the operator and only while it can still be restored (gone once its purge began).
 */
async function exportableSite(db: Db, p: Principal, slug: string, now: number): Promise<SiteRow> {
  const site = await loadSiteInAnyState(db, p, slug)
  const deletion = deletionOf(site, now)
  if (deletion) {
    assertOperator(p)
    if (deletion.state !== 'restorable')
      throw new AppError(
        'gone',
        `The shop "${site.slug}" is being purged: its data can no longer be exported`,
        `ショップ「${site.slug}」は完全な削除の途中です。データはもう書き出せません`,
      )
  }
  return site
}

export type Started = { started: true; row: ExportRow } | { started: false; running: ExportRow }

/** Starts an export of the shop, unless one is running (then that one). */
export async function startExport(
  deps: { db: Db; queue: Queue },
  p: Principal,
  slug: string,
  hubOrigin: string,
  now: number,
): Promise<Started> {
  const site = await exportableSite(deps.db, p, slug, now)
  const row: ExportRow = {
    id: newId('exp'),
    siteId: site.id,
    state: 'queued',
    step: 0,
    cursor: null,
    batches: 0,
    files: {},
    hubOrigin,
    requestedBy: p.kind === 'operator' ? 'operator' : p.keyId,
    createdAt: now,
    updatedAt: now,
    finishedAt: null,
    expiresAt: null,
    error: null,
  }
  const message = exportMessage(row)
  // Its message is recorded only with the export itself (not when a running one refused it).
  const inserted = sql`EXISTS (SELECT 1 FROM ${shopExports} WHERE ${shopExports.id} = ${row.id})`
  const [created] = await deps.db.batch([
    insertExport(deps.db, row),
    ...recordMessages(deps.db, [message], now, inserted),
  ])
  if (created.length === 0) {
    const running = await runningExportOf(deps.db, site.id)
    if (running) return { started: false, running }
    throw new AppError(
      'conflict',
      'Another export of this shop began at the same moment',
      '同時に別の書き出しが始まりました',
    )
  }
  await sendRecorded(deps.db, deps.queue, [exportMessage(row, 0)], now)
  return { started: true, row }
}

/** One export of the shop; not_found for another shop's (or no) export. */
export async function readExport(db: Db, p: Principal, slug: string, id: string, now: number) {
  const site = await exportableSite(db, p, slug, now)
  const row = await findExport(db, id)
  if (!row || row.siteId !== site.id) throw new AppError('not_found', 'Export not found', '書き出しが見つかりません')
  return row
}

/** The shop's newest exports. */
export async function recentExports(db: Db, p: Principal, slug: string, now: number) {
  const site = await exportableSite(db, p, slug, now)
  return exportsOf(db, site.id, RECENT)
}

/** The shop's latest export as the API shows it, for a page that shows the shop (the console); null when it has none. */
export async function latestExport(
  deps: { db: Db; secretsKey: string | undefined },
  p: Principal,
  site: Pick<SiteRow, 'id'>,
  now: number,
) {
  assertSiteAccess(p, site.id)
  const [row] = await exportsOf(deps.db, site.id, 1)
  return row ? exportJson(deps.secretsKey, row, now) : null
}

/** An export as the API shows it; a done one's files with links signed for the next hour. */
export async function exportJson(
  secretsKey: string | undefined,
  row: ExportRow,
  now: number,
): Promise<Out<typeof ExportOut>> {
  const key = row.state === 'done' ? await linkKey(secretsKey) : null
  const files = await Promise.all(
    EXPORT_FILES.flatMap((name) => {
      const progress = row.files[name]
      if (!progress) return []
      return [
        (async () => {
          const link = key && (await downloadPath(key, row.id, name, now))
          return {
            name,
            rows: progress.rows,
            bytes: progress.bytes,
            url: link && `${row.hubOrigin}${link.path}`,
            url_expires_at: link && isoTime(link.expiresAt),
          }
        })(),
      ]
    }),
  )
  const counts = Object.fromEntries(
    EXPORT_KINDS.flatMap((k) => {
      const progress = row.files[jsonlFile(k)]
      return progress ? [[k.name, progress.rows]] : []
    }),
  )
  return {
    id: row.id,
    state: row.state,
    created_at: isoTime(row.createdAt),
    finished_at: isoTime(row.finishedAt),
    expires_at: isoTime(row.expiresAt),
    progress: {
      kind: EXPORT_KINDS[row.step]?.name ?? null,
      step: Math.min(row.step + 1, EXPORT_KINDS.length),
      steps: EXPORT_KINDS.length,
      batches: row.batches,
    },
    counts,
    bytes: Object.values(row.files).reduce((sum, f) => sum + f.bytes, 0),
    files,
    error: row.error,
  }
}
