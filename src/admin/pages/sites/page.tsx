/** The sites the signed-in principal may see (the operator also sees deleted shops, and makes new ones), and a shop's deletion page. */
import type { FC } from 'hono/jsx'

import { idCursor } from '../../../common/cursor'
import { GRACE_DAYS } from '../../../sites/deleted'
import { deletionOf } from '../../../sites/deletion-state'
import type { SiteRow } from '../../../sites/store'
import type { PageContext } from '../../kit/context'
import { formatDateTime } from '../../kit/dates'
import { InputField } from '../../kit/fields'
import { Csrf, Layout, type Notice, NoticeLine, SiteHeading } from '../../kit/layout'
import { ExportInList, ExportOffer } from '../../kit/export-offer'
import type { Out } from '../../../common/outputs'
import type { ExportOut } from '../../../exports/outputs'
import { phrase } from '../../kit/words'
import type { Words } from './words'

/** A deleted shop's state in words: restorable until when, or how far its purge has gone. */
function stateOf(ctx: PageContext<Words>, site: SiteRow, now: number) {
  const d = deletionOf(site, now)
  if (!d) return ''
  return d.state === 'restorable'
    ? phrase(ctx.lang, ctx.t.restorable, { until: formatDateTime(Date.parse(d.purge_after), ctx.lang, ctx.timeZone) })
    : phrase(ctx.lang, ctx.t.purging, { rows: d.rows_purged, step: d.step, steps: d.steps })
}

export const SitesPage: FC<{
  ctx: PageContext<Words>
  sites: SiteRow[]
  next: number | null
  operator: boolean
  notice: Notice | null
  now: number
  /** The latest export of each deleted shop that can still be restored (by slug). */
  exports: ReadonlyMap<string, Out<typeof ExportOut> | null>
}> = ({ ctx, sites, next, operator, notice, now, exports }) => {
  const live = sites.filter((s) => s.deletedAt === null)
  const deleted = sites.filter((s) => s.deletedAt !== null)
  return (
    <Layout ctx={ctx} title={ctx.t.sites}>
      <h1>{ctx.t.sites}</h1>
      <NoticeLine ctx={ctx} notice={notice} />
      {operator && (
        <p>
          <a href="/admin/sites/new">{ctx.t.newShop}</a>
        </p>
      )}
      <ul>
        {live.map((s) => (
          <li>
            <a href={`/admin/sites/${encodeURIComponent(s.slug)}`}>{s.name}</a> <span class="meta">({s.slug})</span>
          </li>
        ))}
      </ul>
      {deleted.length > 0 && (
        <section aria-labelledby="deleted_heading">
          <h2 id="deleted_heading">{ctx.t.deletedShops}</h2>
          <ul>
            {deleted.map((s) => (
              <li>
                {s.name} <span class="meta">({s.slug})</span> — {stateOf(ctx, s, now)}
                {deletionOf(s, now)?.state === 'restorable' && (
                  <>
                    <form method="post" action={`/admin/sites/${encodeURIComponent(s.slug)}/restore`}>
                      <Csrf ctx={ctx} />
                      <button type="submit" aria-label={`${ctx.t.restore}: ${s.name}`}>
                        {ctx.t.restore}
                      </button>
                    </form>
                    <ExportInList ctx={ctx} slug={s.slug} name={s.name} latest={exports.get(s.slug) ?? null} />
                  </>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      {next !== null && (
        <p>
          <a href={`/admin?cursor=${idCursor(next)}`}>{ctx.t.moreSites}</a>
        </p>
      )}
    </Layout>
  )
}

/** A shop's deletion: what it does, the offer to take its data out first, and the slug typed to confirm. */
export const DeletePage: FC<{
  ctx: PageContext<Words>
  site: SiteRow
  notice: Notice | null
  latest: Out<typeof ExportOut> | null
}> = ({ ctx, site, notice, latest }) => (
  <Layout ctx={ctx} title={`${ctx.t.deleteShop}${ctx.t.colon}${site.name}`}>
    <SiteHeading ctx={ctx} site={site} title={ctx.t.deleteShop} />
    <NoticeLine ctx={ctx} notice={notice} />
    <p>{phrase(ctx.lang, ctx.t.deleteIntro, { days: GRACE_DAYS })}</p>
    <p>{ctx.t.exportFirst}</p>
    <ExportOffer ctx={ctx} slug={site.slug} back="delete" latest={latest} />
    <h2>{ctx.t.deleteHeading}</h2>
    <form method="post" action={`/admin/sites/${encodeURIComponent(site.slug)}/delete`}>
      <Csrf ctx={ctx} />
      <InputField
        name="confirm"
        label={phrase(ctx.lang, ctx.t.typeSlug, { slug: site.slug })}
        required
        autocomplete="off"
        value=""
      />
      <p>
        <button type="submit">{ctx.t.deleteNow}</button>
      </p>
    </form>
  </Layout>
)
