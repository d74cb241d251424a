/**
 * A shop's imports in the console: the form that starts one — its file read from the multipart
 * form (within the console's cap) and handed to the same domain functions as the API's upload —
 * answered with a redirect to the import's report; the list of the shop's imports, and each
 * import's report a page at a time.
 */
import type { Context, MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

import { InvalidForm } from '../../../common/form-errors'
import { pathParam } from '../../../common/validation'
import { getDb } from '../../../db/client'
import { IMPORT_OUTCOMES, type ImportOutcome } from '../../../db/schema'
import { importBucket } from '../../../imports/files'
import { createImport, readImport, receiveFile, recentImports } from '../../../imports/imports'
import { linesOf } from '../../../imports/store'
import { loadSite } from '../../../sites/service'
import { readSettings } from '../../../sites/settings'
import { type AdminEnv, consoleRouter, pageContext } from '../../kit/context'
import { redirectWith, takeFlash } from '../../kit/flash'
import { phrase } from '../../kit/words'
import { onForm, refusedForm } from '../../kit/forms'
import type { FormValues, Notice } from '../../kit/layout'
import { sessionOf } from '../../kit/sessions'
import { CONSOLE_MAX_FILE_BYTES, importRequest, megabytes } from './form'
import { importPath, ImportsPage } from './page'
import { ImportReportPage } from './report-page'
import { WORDS, type Words } from './words'

/** Report lines a page shows. */
const LINES_PER_PAGE = 50

/** The shop's imports and the form, refused or not (`values`: what was typed). */
async function renderImports(
  c: Context<AdminEnv>,
  notice: Notice | null,
  status: ContentfulStatusCode = 200,
  values?: FormValues,
  slug = pathParam(c.req.param('site')),
) {
  const db = getDb(c.env.DB)
  const site = await loadSite(db, c.get('principal'), slug)
  const imports = await recentImports(db, c.get('principal'), slug)
  return c.html(
    <ImportsPage
      ctx={{ ...pageContext(c, WORDS, readSettings(site.settings).time_zone), path: importPath(site.slug) }}
      site={site}
      imports={imports}
      notice={notice}
      values={values}
    />,
    status,
  )
}

/** `?outcome=` as one of the outcomes (anything else: every line). */
const outcomeOf = (text: string | undefined): ImportOutcome | undefined => IMPORT_OUTCOMES.find((o) => o === text)

/** `?after=` as a line number (anything else: from the start). */
const afterOf = (text: string | undefined) => (text !== undefined && /^\d{1,9}$/.test(text) ? Number(text) : 0)

/** The import form's address (its shop's slug captured). */
const UPLOAD = /^\/admin\/sites\/([^/]+)\/imports\/?$/

/**
 * The console's forms are at most 64 KB, but the import form's, which carries a file: up to the
 * console's cap (and a little for its other fields). A larger one is refused at the form's file
 * field when a session sent it; a page without a session is never drawn.
 */
const uploadLimit: MiddlewareHandler<AdminEnv> = bodyLimit({
  maxSize: CONSOLE_MAX_FILE_BYTES + 64 * 1024,
  onError: async (c: Context<AdminEnv>) => {
    const session = await sessionOf(c, getDb(c.env.DB), c.var.now())
    if (!session) return c.redirect('/admin/login', 303)
    c.set('session', session)
    c.set('principal', session.principal)
    const ctx = pageContext(c, WORDS)
    // Sent without its length, the body was counted until it passed the cap: it is at least that.
    const size = Math.max(Number(c.req.header('Content-Length') ?? 0) || 0, CONSOLE_MAX_FILE_BYTES + 1)
    const message = phrase(ctx.lang, ctx.t.fileTooLarge, {
      size: megabytes(size, ctx.lang),
      max: megabytes(CONSOLE_MAX_FILE_BYTES, ctx.lang),
    })
    const notice = refusedForm(c, new InvalidForm([{ field: 'file', label: ctx.t.file, message }]))
    // A middleware's context has no route parameters: the shop is read from the path.
    return renderImports(c, notice, 413, undefined, pathParam(UPLOAD.exec(c.req.path)?.[1] ?? ''))
  },
})

/** The console's body limit: the import form's own for its upload, 64 KB for every other form. */
export const consoleBodyLimit =
  (forms: MiddlewareHandler<AdminEnv>): MiddlewareHandler<AdminEnv> =>
  (c, next) =>
    c.req.method === 'POST' && UPLOAD.test(c.req.path) ? uploadLimit(c, next) : forms(c, next)

export const importsRoutes = consoleRouter()
  .get('/sites/:site/imports', async (c) => renderImports(c, (await takeFlash(c, WORDS)).notice))
  .post('/sites/:site/imports', (c) =>
    onForm(
      c,
      (notice, status) => renderImports(c, notice, status, c.get('form').text),
      async () => {
        const ctx = pageContext(c, WORDS)
        const { request, file } = importRequest(c, ctx)
        const slug = pathParam(c.req.param('site'))
        const db = getDb(c.env.DB)
        const deps = { db, queue: c.env.IMPORT_QUEUE, bucket: importBucket(c.env) }
        const row = await createImport(deps, c.get('principal'), slug, request, c.var.now())
        if (file)
          await receiveFile(
            deps,
            c.get('principal'),
            slug,
            row.id,
            { stream: file.stream(), length: file.size },
            c.var.now(),
          )
        return redirectWith<Words>(c, importPath(slug, row.id), { say: 'importStarted' })
      },
    ),
  )
  .get('/sites/:site/imports/:id', async (c) => {
    const db = getDb(c.env.DB)
    const slug = pathParam(c.req.param('site'))
    const site = await loadSite(db, c.get('principal'), slug)
    const row = await readImport(db, c.get('principal'), slug, pathParam(c.req.param('id')))
    const outcome = outcomeOf(c.req.query('outcome'))
    const rows = await linesOf(db, row.id, afterOf(c.req.query('after')), LINES_PER_PAGE + 1, outcome)
    const lines = rows.slice(0, LINES_PER_PAGE)
    const { notice } = await takeFlash(c, WORDS)
    return c.html(
      <ImportReportPage
        ctx={{ ...pageContext(c, WORDS, readSettings(site.settings).time_zone), path: importPath(site.slug, row.id) }}
        site={site}
        row={row}
        lines={lines}
        outcome={outcome}
        next={rows.length > LINES_PER_PAGE ? (lines.at(-1)?.line ?? null) : null}
        notice={notice}
      />,
    )
  })
