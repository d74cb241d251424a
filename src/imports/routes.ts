/**
 * `/api/sites/{site}/imports` — make an import, upload its file, list a shop's imports, read one,
 * and read its report a page at a time.
 */
import { apiDocsFor } from '../common/api-docs'
import { jsonBody, pathParam, queryOf } from '../common/validation'
import { getDb } from '../db/client'
import { newRouter } from '../env'
import { requireAuth } from '../auth/middleware'
import { importBucket } from './files'
import { createImport, importJson, readImport, receiveFile, recentImports } from './imports'
import { ImportCreate, LangQuery, LineQuery, optionsOf } from './inputs'
import { ImportLinePage, ImportList, ImportOut } from './outputs'
import { reasonText } from './reasons'
import { linesOf } from './store'

const doc = apiDocsFor({ tag: 'Sites' })

const IMPORT_PARAM = { id: "The import's id (imp_…)." }

const docs = {
  create: doc({
    summary: "Import a shop's history",
    description:
      'Makes an import of one file: an old blog’s WordPress export (WXR) or Movable Type export, webmention.io’s export of a domain, reviews from another service (CSV) or past orders (CSV). Without `url` the import waits for its file (`PUT` it to `upload_url`); with `url` the hub fetches it. One import runs per shop: a second is answered 409. With `trust`, the imported voices are published without checking their sources, and the choice is an entry in the shop’s public ledger.',
    errors: ['not_found', 'conflict', 'gone'],
    responses: { 201: { description: 'The import (Location: its URL).', schema: ImportOut } },
  }),
  upload: doc({
    summary: "Upload an import's file",
    description:
      'The file as the request body (any media type), with its `Content-Length`: at most 100 MB for WordPress and Movable Type exports, 50 MB for CSV, 10 MB for webmention.io’s JSON. It is stored as sent and read by the queue a step at a time; poll the import until it is `done`.',
    params: IMPORT_PARAM,
    errors: ['not_found', 'conflict', 'payload_too_large', 'gone'],
    responses: { 202: { description: 'The import, queued.', schema: ImportOut } },
  }),
  list: doc({
    summary: "List a shop's imports",
    description: 'The newest 20, newest first.',
    errors: ['not_found', 'gone'],
    responses: { 200: { description: 'The imports.', schema: ImportList } },
  }),
  read: doc({
    summary: 'Read an import',
    description: 'Its state, progress and counts of lines added, duplicate, skipped and refused.',
    params: IMPORT_PARAM,
    errors: ['not_found', 'gone'],
    responses: { 200: { description: 'The import.', schema: ImportOut } },
  }),
  lines: doc({
    summary: "Read an import's report",
    description:
      'What became of each record of the file, in file order: added (with the voice’s id), duplicate (with the id of the voice already there), skipped or refused, with the reason in English or Japanese (`lang`). `outcome` shows only one kind of line.',
    params: IMPORT_PARAM,
    errors: ['not_found', 'gone'],
    responses: { 200: { description: 'A page of lines.', schema: ImportLinePage } },
  }),
}

const location = (slug: string, id: string) => `/api/sites/${encodeURIComponent(slug)}/imports/${id}`

/** Under /api/sites (auth and the 64 KB body limit by the API router). */
export const siteImportRoutes = newRouter()
  .post('/:site/imports', docs.create, jsonBody(ImportCreate), async (c) => {
    const slug = pathParam(c.req.param('site'))
    const input = c.req.valid('json')
    const row = await createImport(
      { db: getDb(c.env.DB), queue: c.env.IMPORT_QUEUE },
      c.var.principal,
      slug,
      { format: input.format, fileName: input.file_name ?? null, options: optionsOf(input, new URL(c.req.url).origin) },
      c.var.now(),
    )
    return c.json(importJson(row, slug, 'en'), 201, { Location: location(slug, row.id) })
  })
  .get('/:site/imports', docs.list, queryOf(LangQuery), async (c) => {
    const slug = pathParam(c.req.param('site'))
    const rows = await recentImports(getDb(c.env.DB), c.var.principal, slug)
    const lang = c.req.valid('query').lang ?? 'en'
    return c.json({ items: rows.map((r) => importJson(r, slug, lang)) })
  })
  .get('/:site/imports/:id', docs.read, queryOf(LangQuery), async (c) => {
    const slug = pathParam(c.req.param('site'))
    const row = await readImport(getDb(c.env.DB), c.var.principal, slug, pathParam(c.req.param('id')))
    return c.json(importJson(row, slug, c.req.valid('query').lang ?? 'en'))
  })
  .get('/:site/imports/:id/lines', docs.lines, queryOf(LineQuery), async (c) => {
    const slug = pathParam(c.req.param('site'))
    const db = getDb(c.env.DB)
    const row = await readImport(db, c.var.principal, slug, pathParam(c.req.param('id')))
    const q = c.req.valid('query')
    const limit = q.limit ?? 100
    const lang = q.lang ?? 'en'
    const rows = await linesOf(db, row.id, q.after ?? 0, limit + 1, q.outcome)
    const items = rows.slice(0, limit)
    const last = items.at(-1)
    let next: string | null = null
    if (rows.length > limit && last) {
      const url = new URL(c.req.url)
      url.searchParams.set('after', String(last.line))
      next = url.toString()
    }
    return c.json({
      items: items.map((l) => ({
        line: l.line,
        outcome: l.outcome,
        place: l.place,
        subject: l.subject,
        ref: l.ref,
        reason: l.reason,
        reason_text: reasonText(l.reason, lang),
      })),
      next_url: next,
    })
  })

/**
 * PUT /api/sites/{site}/imports/{id}/file: mounted before the API router, whose 64 KB body limit
 * would refuse a file; authenticated the same way.
 */
export const importFileRoutes = newRouter()
  .use('/:site/imports/:id/file', requireAuth)
  .put('/:site/imports/:id/file', docs.upload, async (c) => {
    const slug = pathParam(c.req.param('site'))
    const declared = c.req.header('Content-Length')
    const length = declared !== undefined && /^\d{1,12}$/.test(declared) ? Number(declared) : null
    const row = await receiveFile(
      { db: getDb(c.env.DB), queue: c.env.IMPORT_QUEUE, bucket: importBucket(c.env) },
      c.var.principal,
      slug,
      pathParam(c.req.param('id')),
      { stream: c.req.raw.body, length },
      c.var.now(),
    )
    return c.json(importJson(row, slug, 'en'), 202, { Location: location(slug, row.id) })
  })
