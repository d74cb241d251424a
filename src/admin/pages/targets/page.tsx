/**
 * A site's targets: each with its published voices, to rename or re-kind; a target the hub made
 * for an unregistered page can be merged into a registered one; a target nothing uses, deleted.
 */
import type { FC } from 'hono/jsx'

import { safeHref } from '../../../common/safe-href'
import type { TargetKind } from '../../../db/schema'
import type { SiteRow } from '../../../sites/store'
import type { TargetRow } from '../../../targets/store'
import type { PageContext } from '../../kit/context'
import { InputField, SelectField } from '../../kit/fields'
import { Csrf, type FormValues, Layout, type Notice, NoticeLine, SiteHeading } from '../../kit/layout'
import type { Words } from './words'

export type TargetLine = { target: TargetRow; published: number; negative: number }

/** A refused form's target and what was typed into it, to show it again. */
export type TypedTarget = { id: string; values: FormValues }

const KINDS: readonly TargetKind[] = ['product', 'post', 'page']

export const TargetsPage: FC<{
  ctx: PageContext<Words>
  site: SiteRow
  lines: TargetLine[]
  registered: TargetRow[]
  /** The list's page shown ('' or `?cursor=…`): its forms carry it, so an answer comes back to it. */
  here: string
  next: string | null
  notice: Notice | null
  typed?: TypedTarget | undefined
}> = ({ ctx, site, lines, registered, here, next, notice, typed }) => {
  const t = ctx.t
  const base = `/admin/sites/${encodeURIComponent(site.slug)}`
  return (
    <Layout ctx={ctx} title={`${t.targets}${ctx.t.colon}${site.name}`}>
      <SiteHeading ctx={ctx} site={site} title={t.targets} />
      <p class="meta">{t.targetsHelp}</p>
      <NoticeLine ctx={ctx} notice={notice} />
      {lines.length === 0 && <p>{t.noTargets}</p>}
      <ul>
        {lines.map(({ target, published, negative }) => {
          const action = `${base}/targets/${encodeURIComponent(target.id)}`
          const href = safeHref(target.url)
          const others = registered.filter((r) => r.id !== target.id)
          const values = typed?.id === target.id ? typed.values : undefined
          return (
            <li class="voice">
              <strong>{target.title}</strong> <code>{target.id}</code>
              {target.automatic && <span class="meta"> · {t.automaticTarget}</span>}
              <br />
              <span class="meta">
                {href ? (
                  <a href={href} rel="noopener noreferrer" target="_blank">
                    {target.url}
                  </a>
                ) : (
                  target.url
                )}{' '}
                · {t.voicesCount}
                {t.colon}
                {published}
                {t.open}
                {t.negativeCount}
                {t.colon}
                {negative}
                {t.close}
              </span>
              <form method="post" action={`${action}${here}`}>
                <Csrf ctx={ctx} />
                <InputField
                  name="title"
                  id={`title_${target.id}`}
                  label={t.targetTitle}
                  required
                  maxlength={300}
                  value={values?.get('title') ?? target.title}
                />
                <SelectField
                  name="kind"
                  id={`kind_${target.id}`}
                  label={t.targetKind}
                  value={values?.get('kind') ?? target.kind}
                  options={KINDS.map((k) => ({ value: k, label: ctx.w.targetKind[k] }))}
                />{' '}
                <button type="submit">{t.rename}</button>
              </form>
              {target.automatic && others.length > 0 && (
                <form method="post" action={`${action}/merge${here}`}>
                  <Csrf ctx={ctx} />
                  <SelectField
                    name="into"
                    id={`into_${target.id}`}
                    label={t.mergeInto}
                    value={values?.get('into')}
                    options={others.map((r) => ({ value: r.id, label: r.title }))}
                  />{' '}
                  <button type="submit">{t.merge}</button>
                </form>
              )}
              {published === 0 && (
                <form method="post" action={`${action}/delete${here}`}>
                  <Csrf ctx={ctx} />
                  <button type="submit" aria-label={`${t.deleteTarget}: ${target.title}`}>
                    {t.deleteTarget}
                  </button>
                </form>
              )}
            </li>
          )
        })}
      </ul>
      {next && (
        <p>
          <a href={`${base}/targets?cursor=${encodeURIComponent(next)}`}>{t.moreTargets}</a>
        </p>
      )}
    </Layout>
  )
}
