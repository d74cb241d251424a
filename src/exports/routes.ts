/**
 * `/api/sites/{site}/exports` — start an export, list a shop's exports, read one (with signed
 * links to its files); `/exports/{id}/{file}` — download a file by its signed link.
 */
import { apiDoc, apiDocsFor } from '../common/api-docs'
import { problem } from '../common/errors'
import { publicHubOrigin } from '../common/hub-urls'
import type { Out } from '../common/outputs'
import { pathParam } from '../common/validation'
import { getDb } from '../db/client'
import { newRouter } from '../env'
import { findSiteById } from '../sites/store'
import { exportBucket, partKey, partsStream } from './archive'
import { EXPORT_FILES, exportJson, readExport, recentExports, startExport } from './exports'
import { checkLink } from './links'
import { ExportList, ExportOut } from './outputs'
import { findExport } from './store'

const doc = apiDocsFor({ tag: 'Sites' })

const EXPORT_PARAM = { id: "The export's id (exp_…)." }

const docs = {
  start: doc({
    summary: "Export a shop's data",
    description:
      'Starts an export: the hub writes every voice with its answers, the reviews with their photos’ URLs, targets, partners, the commission and moderation ledgers, webhook endpoints (without secrets) and watched feeds as JSON Lines, voices and reviews also as CSV (UTF-8 with BOM), and a manifest, a batch at a time. Poll `GET …/exports/{id}` until it is `done`. One export runs per shop: a second is answered 409 with the running one’s address in `Location`. The operator may export a deleted shop while it can be restored.',
    errors: ['not_found', 'conflict', 'gone'],
    responses: { 202: { description: 'The export, queued (Location: its URL).', schema: ExportOut } },
  }),
  list: doc({
    summary: "List a shop's exports",
    description: 'The newest 20, newest first; a done one’s files with links valid for an hour.',
    errors: ['not_found', 'gone'],
    responses: { 200: { description: 'The exports.', schema: ExportList } },
  }),
  read: doc({
    summary: 'Read an export',
    description:
      'Its state and progress; once `done`, each file with a signed link that works for an hour from this answer (ask again for fresh ones). Files are deleted 7 days after the export finished (`expires_at`; the state is then `expired`).',
    params: EXPORT_PARAM,
    errors: ['not_found', 'gone'],
    responses: { 200: { description: 'The export.', schema: ExportOut } },
  }),
  download: apiDoc({
    tag: 'Sites',
    summary: "Download an export's file",
    description:
      'By the signed link an export’s answer gives (no other credential): 403 for a link the hub did not make for this file, 410 once its hour is over or the export’s files were deleted.',
    params: { id: "The export's id (exp_…).", file: 'The file’s name, e.g. voices.jsonl.' },
    errors: ['not_found', 'forbidden', 'gone'],
    responses: {
      200: {
        description:
          'The file, streamed: JSON Lines (`.jsonl`) or CSV (`.csv`); the manifest (`manifest.json`) comes as `application/json`, its fields in docs/moving.md.',
        media: ['application/jsonl', 'text/csv'],
      },
    },
  }),
}

/** Under /api/sites (auth by the API router). */
export const siteExportRoutes = newRouter()
  .post('/:site/exports', docs.start, async (c) => {
    const slug = pathParam(c.req.param('site'))
    const db = getDb(c.env.DB)
    const now = c.var.now()
    const origin = publicHubOrigin(c.env, c.req.url)
    const result = await startExport({ db, queue: c.env.EXPORT_QUEUE }, c.var.principal, slug, origin, now)
    if (!result.started) {
      const res = problem(
        c,
        'conflict',
        `An export of this shop is already running: ${result.running.id} (one runs at a time)`,
      )
      res.headers.set('Location', `/api/sites/${encodeURIComponent(slug)}/exports/${result.running.id}`)
      return res
    }
    const body = await exportJson(c.env.WEBHOOK_SECRETS_KEY, result.row, now)
    return c.json(body, 202, { Location: `/api/sites/${encodeURIComponent(slug)}/exports/${result.row.id}` })
  })
  .get('/:site/exports', docs.list, async (c) => {
    const now = c.var.now()
    const rows = await recentExports(getDb(c.env.DB), c.var.principal, pathParam(c.req.param('site')), now)
    const items = await Promise.all(rows.map((r) => exportJson(c.env.WEBHOOK_SECRETS_KEY, r, now)))
    return c.json({ items } satisfies Out<typeof ExportList>)
  })
  .get('/:site/exports/:id', docs.read, async (c) => {
    const now = c.var.now()
    const row = await readExport(
      getDb(c.env.DB),
      c.var.principal,
      pathParam(c.req.param('site')),
      pathParam(c.req.param('id')),
      now,
    )
    return c.json(await exportJson(c.env.WEBHOOK_SECRETS_KEY, row, now))
  })

const MEDIA: Record<string, string> = {
  jsonl: 'application/jsonl; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
}

/** GET /exports/{id}/{file}: a file of a done export, by its signed link. */
export const exportDownloadRoutes = newRouter().get('/:id/:file', docs.download, async (c) => {
  const id = pathParam(c.req.param('id'))
  const file = pathParam(c.req.param('file'))
  const check = await checkLink(
    c.env.WEBHOOK_SECRETS_KEY,
    id,
    file,
    c.req.query('expires'),
    c.req.query('sig'),
    c.var.now(),
  )
  if (check === 'forbidden') return problem(c, 'forbidden', 'This is not a download link the hub made for this file')
  if (check === 'expired')
    return problem(c, 'gone', 'This download link has expired: ask for the export again for a fresh one')
  const db = getDb(c.env.DB)
  const row = await findExport(db, id)
  const progress = row?.files[file]
  const bucket = exportBucket(c.env)
  if (!row || !progress || !EXPORT_FILES.includes(file) || !bucket) return problem(c, 'not_found', 'No such file')
  if (row.state === 'expired') return problem(c, 'gone', 'The files of this export were deleted')
  if (row.state !== 'done') return problem(c, 'not_found', 'This export is not finished')
  const site = await findSiteById(db, row.siteId)
  const ext = file.split('.').pop() ?? ''
  // The parts' bytes were counted as they were written: the download says its length up front.
  return c.body(
    partsStream(bucket, (n) => partKey(row.siteId, row.id, file, n), progress.parts).pipeThrough(
      new FixedLengthStream(progress.bytes),
    ),
    200,
    {
      'Content-Type': MEDIA[ext] ?? 'application/octet-stream',
      'Content-Length': String(progress.bytes),
      'Content-Disposition': `attachment; filename="${site?.slug ?? 'shop'}-${file}"`,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
    },
  )
})
