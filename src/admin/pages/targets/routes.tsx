/**
 * A site's targets, a page at a time: renamed or given another kind, an automatic one merged into
 * a registered one, an unused one deleted — each answered with a redirect to the list.
 */
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

import { idCursor, textIdParam } from '../../../common/cursor'
import { checkForm } from '../../../common/form-errors'
import { pathParam } from '../../../common/validation'
import { getDb } from '../../../db/client'
import { readSettings } from '../../../sites/settings'
import { TargetMerge, TargetPatch } from '../../../targets/inputs'
import { changeTarget, mergeTarget, removeTarget, targetsWithCounts } from '../../../targets/service'
import { type AdminEnv, consoleRouter, field, pageContext } from '../../kit/context'
import { type Flash, redirectWith, takeFlash } from '../../kit/flash'
import { onForm } from '../../kit/forms'
import type { Notice } from '../../kit/layout'
import { TargetsPage, type TypedTarget } from './page'
import { WORDS, type Words } from './words'

const targetsPath = (slug: string) => `/admin/sites/${encodeURIComponent(slug)}/targets`

/**
 * The list's page this request is about (`cursor`, as its forms carry it), as a query: '' for the
 * first page; a cursor the page did not issue is refused (400).
 */
function pageQuery(c: Context<AdminEnv>) {
  const after = textIdParam(c.req.query('cursor'))
  return after === null ? '' : `?cursor=${encodeURIComponent(idCursor(after))}`
}

/**
 * A site's targets, a page at a time, with their counts and what an automatic one may be merged
 * into; after a refused form, the target it was about shows what was typed (`typed`).
 */
async function renderTargets(
  c: Context<AdminEnv>,
  notice: Notice | null,
  status: ContentfulStatusCode = 200,
  typed?: TypedTarget,
) {
  const db = getDb(c.env.DB)
  const slug = pathParam(c.req.param('site'))
  const page = await targetsWithCounts(db, c.get('principal'), slug, textIdParam(c.req.query('cursor')), 50)
  return c.html(
    <TargetsPage
      ctx={{
        ...pageContext(c, WORDS, readSettings(page.site.settings).time_zone),
        // A page shown after a form answers a POST: its language link goes to the list itself.
        path: targetsPath(page.site.slug),
      }}
      site={page.site}
      lines={page.items}
      registered={page.registered}
      here={pageQuery(c)}
      next={page.next === null ? null : idCursor(page.next)}
      notice={notice}
      typed={typed}
    />,
    status,
  )
}

/**
 * A target form's outcome: a redirect to the list's page it was sent from, with what was done; or
 * that page with its refusal (and status), the target's form as typed.
 */
const onTarget = (c: Context<AdminEnv>, change: () => Promise<Flash<Words>>) =>
  onForm(
    c,
    (notice, status) =>
      renderTargets(c, notice, status, { id: pathParam(c.req.param('id')), values: c.get('form').text }),
    async () => {
      const landing = `${targetsPath(pathParam(c.req.param('site')))}${pageQuery(c)}`
      return redirectWith<Words>(c, landing, await change())
    },
  )

export const targetsRoutes = consoleRouter()
  .get('/sites/:site/targets', async (c) => renderTargets(c, (await takeFlash(c, WORDS)).notice))
  .post('/sites/:site/targets/:id', (c) =>
    onTarget(c, async () => {
      const ctx = pageContext(c, WORDS)
      const id = pathParam(c.req.param('id'))
      const patch = checkForm(TargetPatch, { title: field(c, 'title') ?? '', kind: field(c, 'kind') ?? '' }, ctx.lang, {
        title: { field: `title_${id}`, label: ctx.t.targetTitle },
        kind: { field: `kind_${id}`, label: ctx.t.targetKind },
      })
      const slug = pathParam(c.req.param('site'))
      await changeTarget(getDb(c.env.DB), c.get('principal'), slug, id, patch, c.var.now())
      return { say: 'saved' }
    }),
  )
  .post('/sites/:site/targets/:id/merge', (c) =>
    onTarget(c, async () => {
      const ctx = pageContext(c, WORDS)
      const id = pathParam(c.req.param('id'))
      const { into } = checkForm(TargetMerge, { into: field(c, 'into') ?? '' }, ctx.lang, {
        into: { field: `into_${id}`, label: ctx.t.mergeInto },
      })
      const slug = pathParam(c.req.param('site'))
      const out = await mergeTarget(getDb(c.env.DB), c.get('principal'), slug, id, into, c.var.now())
      return { say: 'targetMerged', values: { n: out.moved } }
    }),
  )
  .post('/sites/:site/targets/:id/delete', (c) =>
    onTarget(c, async () => {
      const slug = pathParam(c.req.param('site'))
      await removeTarget(getDb(c.env.DB), c.get('principal'), slug, pathParam(c.req.param('id')))
      return { say: 'targetDeleted' }
    }),
  )
