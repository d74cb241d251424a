/** Buyers' erasure requests: the form (a box to tick before anything is erased) and the record of past ones. */
import type { FC } from 'hono/jsx'

import type { ErasureRecord } from '../../../reviews/store'
import type { SiteRow } from '../../../sites/store'
import type { PageContext } from '../../kit/context'
import { formatDateTime } from '../../kit/dates'
import { Checkbox, InputField } from '../../kit/fields'
import { Csrf, type FormValues, Layout, type Notice, NoticeLine, SiteHeading } from '../../kit/layout'
import { phrase } from '../../kit/words'
import { siteBase } from './page'
import type { Words } from './words'

type Ctx = PageContext<Words>

/** The erasure form (nothing chosen, a box to tick before anything is erased) and the record of requests. */
export const ErasurePage: FC<{
  ctx: Ctx
  site: SiteRow
  records: ErasureRecord[]
  next: string | null
  notice: Notice | null
  values?: FormValues
}> = ({ ctx, site, records, next, notice, values }) => {
  const t = ctx.t
  const path = `${siteBase(site)}/erasure`
  return (
    <Layout ctx={ctx} title={`${t.erasure}${ctx.t.colon}${site.name}`}>
      <SiteHeading
        ctx={ctx}
        site={site}
        title={t.erasure}
        back={{ href: `${siteBase(site)}/reviews`, label: t.reviews }}
      />
      <p class="meta">{t.erasureHelp}</p>
      <NoticeLine ctx={ctx} notice={notice} />
      <form method="post" action={path}>
        <Csrf ctx={ctx} />
        <InputField
          name="email"
          label={t.erasureEmail}
          type="email"
          maxlength={254}
          value={values?.get('email') ?? ''}
        />
        <InputField name="order_id" label={t.erasureOrder} maxlength={100} value={values?.get('order_id') ?? ''} />
        <Checkbox name="remove_reviews" label={t.removeReviews} checked={values?.get('remove_reviews') === 'on'} />
        <Checkbox name="confirm" label={t.confirmErasure} checked={false} />
        <button type="submit">{t.erase}</button>
      </form>
      <h2>{t.erasure}</h2>
      {records.length === 0 && <p>{t.noErasures}</p>}
      <ul>
        {records.map((r) => (
          <li class="voice">
            {formatDateTime(r.createdAt, ctx.lang, ctx.timeZone)} · {r.byEmail ? t.byEmail : ''}
            {r.byEmail && r.orderId !== null ? ' · ' : ''}
            {r.orderId !== null && `${t.byOrder}${t.colon}${r.orderId}`}
            <br />
            <span class="meta">
              {phrase(ctx.lang, t.erasedCounts, { invitations: r.invitations, reviews: r.reviews })}
              {r.removeReviews && ` · ${t.reviewsTakenDown}`} · {t.requestedBy} {r.actor}
            </span>
          </li>
        ))}
      </ul>
      {next && <a href={`${path}?cursor=${encodeURIComponent(next)}`}>{t.olderOnes}</a>}
    </Layout>
  )
}
