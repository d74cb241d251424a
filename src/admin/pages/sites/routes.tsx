/**
 * The list of sites (a principal who sees one site only goes straight to its inbox), and a
 * shop's deletion and restoration — the operator's, through the same services as the API.
 */
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

import { numberIdParam } from '../../../common/cursor'
import { publicHubOrigin } from '../../../common/hub-urls'
import { latestExport, startExport } from '../../../exports/exports'
import type { ExportBack } from '../../kit/export-offer'
import { InvalidForm } from '../../../common/form-errors'
import { assertOperator } from '../../../common/principal'
import { pathParam } from '../../../common/validation'
import { getDb } from '../../../db/client'
import { purgeAfter } from '../../../sites/deleted'
import { deletionOf } from '../../../sites/deletion-state'
import { deleteSite, restoreSite } from '../../../sites/lifecycle'
import { loadSite, sitesVisibleTo } from '../../../sites/service'
import { readSettings } from '../../../sites/settings'
import { type AdminEnv, consoleRouter, field, pageContext } from '../../kit/context'
import { formatDateTime } from '../../kit/dates'
import { redirectWith, takeFlash } from '../../kit/flash'
import { onForm } from '../../kit/forms'
import type { Notice } from '../../kit/layout'
import { DeletePage, SitesPage } from './page'
import { WORDS, type Words } from './words'

async function renderDelete(c: Context<AdminEnv>, notice: Notice | null, status: ContentfulStatusCode = 200) {
  assertOperator(c.get('principal'))
  const db = getDb(c.env.DB)
  const site = await loadSite(db, c.get('principal'), pathParam(c.req.param('site')))
  const ctx = pageContext(c, WORDS, readSettings(site.settings).time_zone)
  const latest = await latestExport(
    { db, secretsKey: c.env.WEBHOOK_SECRETS_KEY },
    c.get('principal'),
    site,
    c.var.now(),
  )
  return c.html(<DeletePage ctx={ctx} site={site} notice={notice} latest={latest} />, status)
}

/** The pages the export button is on, where its redirect lands. */
const EXPORT_BACK: Record<ExportBack, (slug: string) => string> = {
  settings: (slug) => `/admin/sites/${encodeURIComponent(slug)}/settings`,
  delete: (slug) => `/admin/sites/${encodeURIComponent(slug)}/delete`,
  sites: () => '/admin',
}

export const sitesRoutes = consoleRouter()
  .get('/', async (c) => {
    const { notice } = await takeFlash(c, WORDS)
    const cursor = c.req.query('cursor')
    const principal = c.get('principal')
    const page = await sitesVisibleTo(getDb(c.env.DB), principal, numberIdParam(cursor) ?? 0, 100)
    const only = page.items.length === 1 && page.next === null && cursor === undefined ? page.items[0] : undefined
    if (only && principal.kind !== 'operator') return c.redirect(`/admin/sites/${encodeURIComponent(only.slug)}`, 303)
    // A deleted shop that can still be restored may still be exported: its latest export beside it.
    const db = getDb(c.env.DB)
    const now = c.var.now()
    const deps = { db, secretsKey: c.env.WEBHOOK_SECRETS_KEY }
    const restorable = page.items.filter((s) => deletionOf(s, now)?.state === 'restorable')
    const exports = new Map(
      await Promise.all(restorable.map(async (s) => [s.slug, await latestExport(deps, principal, s, now)] as const)),
    )
    return c.html(
      <SitesPage
        ctx={pageContext(c, WORDS)}
        sites={page.items}
        next={page.next}
        operator={principal.kind === 'operator'}
        notice={notice}
        now={now}
        exports={exports}
      />,
    )
  })
  .get('/sites/:site/delete', (c) => renderDelete(c, null))
  .post('/sites/:site/delete', (c) =>
    onForm(
      c,
      (notice, status) => renderDelete(c, notice, status),
      async () => {
        const ctx = pageContext(c, WORDS)
        const slug = pathParam(c.req.param('site'))
        if ((field(c, 'confirm') ?? '').trim() !== slug)
          throw new InvalidForm([
            { field: 'confirm', label: ctx.t.typeSlug.replace('{slug}', slug), message: ctx.t.slugMismatch },
          ])
        const site = await deleteSite(getDb(c.env.DB), c.get('principal'), slug, c.var.now())
        const zone = readSettings(site.settings).time_zone
        const until = (lang: 'en' | 'ja') => formatDateTime(purgeAfter(site.deletedAt ?? 0), lang, zone)
        return redirectWith<Words>(c, '/admin', {
          say: 'deleted',
          values: { name: site.name, until: { en: until('en'), ja: until('ja') } },
        })
      },
    ),
  )
  // Starts an export (or finds the one running) and goes back to the page the button was on.
  .post('/sites/:site/exports', async (c) => {
    const slug = pathParam(c.req.param('site'))
    const db = getDb(c.env.DB)
    const origin = publicHubOrigin(c.env, c.req.url)
    await startExport({ db, queue: c.env.EXPORT_QUEUE }, c.get('principal'), slug, origin, c.var.now())
    const asked = field(c, 'back')
    const back: ExportBack = asked === 'delete' || asked === 'sites' ? asked : 'settings'
    return c.redirect(`${EXPORT_BACK[back](slug)}${back === 'sites' ? '' : '#export_heading'}`, 303)
  })
  .post('/sites/:site/restore', async (c) => {
    const site = await restoreSite(getDb(c.env.DB), c.get('principal'), pathParam(c.req.param('site')), c.var.now())
    return redirectWith<Words>(c, '/admin', { say: 'restored', values: { name: site.name } })
  })
