/** A site's review invitations, latest due first, by stage or by order id, each with where it stands. */
import type { FC } from 'hono/jsx'

import { INVITATION_STAGES, type InvitationRow, type InvitationStage } from '../../../reviews/store'
import type { SiteRow } from '../../../sites/store'
import type { PageContext } from '../../kit/context'
import { formatDateTime } from '../../kit/dates'
import { InputField, SelectField } from '../../kit/fields'
import { Layout, SiteHeading } from '../../kit/layout'
import { siteBase } from './page'
import type { Words } from './words'

type Ctx = PageContext<Words>

/** When something happened to an invitation, or nothing when it has not. */
const When: FC<{ ctx: Ctx; label: string; at: number | null }> = ({ ctx, label, at }) =>
  at === null ? null : (
    <>
      <dt>{label}</dt>
      <dd>{formatDateTime(at, ctx.lang, ctx.timeZone)}</dd>
    </>
  )

export type InvitationLine = { invitation: InvitationRow; stage: InvitationStage; products: string[] }

/** A site's invitations, latest due first: by stage or by order id. */
export const InvitationsPage: FC<{
  ctx: Ctx
  site: SiteRow
  lines: InvitationLine[]
  stage: InvitationStage | undefined
  order: string | undefined
  next: string | null
}> = ({ ctx, site, lines, stage, order, next }) => {
  const t = ctx.t
  const path = `${siteBase(site)}/invitations`
  const more = new URLSearchParams({ ...(stage ? { stage } : {}), ...(next ? { cursor: next } : {}) })
  return (
    <Layout ctx={ctx} title={`${t.invitations}${ctx.t.colon}${site.name}`}>
      <SiteHeading
        ctx={ctx}
        site={site}
        title={t.invitations}
        back={{ href: `${siteBase(site)}/reviews`, label: t.reviews }}
      />
      <form method="get" action={path}>
        <fieldset>
          <legend>{t.filters}</legend>
          <SelectField
            name="stage"
            label={t.status}
            value={stage ?? ''}
            options={[
              { value: '', label: t.any },
              ...INVITATION_STAGES.map((s) => ({ value: s, label: ctx.w.invitation[s] })),
            ]}
          />
          <InputField name="order" label={t.orderId} maxlength={100} value={order ?? ''} />
          <button type="submit">{t.show}</button>
        </fieldset>
      </form>
      {lines.length === 0 && <p>{t.noInvitations}</p>}
      <ul>
        {lines.map(({ invitation: i, stage: s, products }) => (
          <li class="voice">
            <strong>
              {t.orderId}
              {t.colon}
              {i.orderId}
            </strong>{' '}
            · {ctx.w.invitation[s]}
            {i.erasedAt !== null && <span class="meta"> · {t.personalDataErased}</span>}
            <br />
            <span class="meta">
              {t.products}
              {t.colon}
              {products.join(t.comma)}
            </span>
            <dl class="numbers">
              <When ctx={ctx} label={t.dueAt} at={i.dueAt} />
              <When ctx={ctx} label={t.sentAt} at={i.sentAt} />
              <When ctx={ctx} label={t.openedAt} at={i.openedAt} />
              <When ctx={ctx} label={t.usedAt} at={i.usedAt} />
              {i.usedAt === null && <When ctx={ctx} label={t.validUntil} at={i.expiresAt} />}
              {i.couponCode !== null && (
                <>
                  <dt>{t.couponCode}</dt>
                  <dd>
                    <code>{i.couponCode}</code>
                  </dd>
                </>
              )}
            </dl>
          </li>
        ))}
      </ul>
      {next && <a href={`${path}?${more.toString()}`}>{t.olderOnes}</a>}
    </Layout>
  )
}
