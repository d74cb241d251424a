/**
 * A shop's embed page: the two lines for a chosen product, the real widget from this hub showing
 * that product, and whether each storefront origin may embed it (the feed answers a browser on
 * another origin only when that origin is in the shop's embed origins: CORS).
 */
import type { FC } from 'hono/jsx'

import type { SiteRow } from '../../../sites/store'
import type { PageContext } from '../../kit/context'
import { ShownOnceLine, type ShownOnce } from '../../kit/flash'
import { SelectField } from '../../kit/fields'
import { Layout, type Notice, NoticeLine, SiteHeading } from '../../kit/layout'
import { phrase } from '../../kit/words'
import type { Words } from './words'

/** The storefront origins the widget cannot read its feed from: not among the embed origins (and no `*`). */
export const originsNotAllowed = (site: Pick<SiteRow, 'origins' | 'embedOrigins'>) =>
  site.embedOrigins.includes('*') ? [] : site.origins.filter((o) => !site.embedOrigins.includes(o))

export const EmbedPage: FC<{
  ctx: PageContext<Words>
  site: SiteRow
  hub: string
  targets: readonly { id: string; title: string | null }[]
  target: string | null
  notice: Notice | null
  once: ShownOnce | null
}> = ({ ctx, site, hub, targets, target, notice, once }) => {
  const t = ctx.t
  const base = `/admin/sites/${encodeURIComponent(site.slug)}`
  const named = target ?? `${site.origins[0] ?? 'https://shop.example'}/products/…`
  const snippet = `<glasshouse-voices site="${site.slug}" target="${named}"></glasshouse-voices>\n<script type="module" src="${hub}/embed.js" async></script>`
  const missing = originsNotAllowed(site)
  return (
    <Layout ctx={ctx} title={`${t.embed}${ctx.t.colon}${site.name}`}>
      <SiteHeading ctx={ctx} site={site} title={t.embed} />
      <NoticeLine ctx={ctx} notice={notice} />
      <ShownOnceLine ctx={ctx} once={once} />
      <p class="meta">{t.embedHelp}</p>
      {targets.length === 0 ? (
        <p>{t.noTargets}</p>
      ) : (
        <form method="get" action={`${base}/embed`}>
          <SelectField
            name="target"
            label={t.product}
            value={target ?? undefined}
            options={targets.map((x) => ({ value: x.id, label: x.title ? `${x.title} (${x.id})` : x.id }))}
          />
          <button type="submit">{t.show}</button>
        </form>
      )}
      <pre style="white-space:pre-wrap">
        <code>{snippet}</code>
      </pre>
      {missing.length === 0 ? (
        <p class="ok" role="status">
          {t.originsOk}
        </p>
      ) : (
        missing.map((origin) => (
          <p class="error" role="alert">
            {phrase(ctx.lang, t.originMissing, { origin })}{' '}
            <a href={`${base}/settings#embed_origins`}>{t.toSettings}</a>
          </p>
        ))
      )}
      {target !== null && (
        <section aria-labelledby="preview_heading">
          <h2 id="preview_heading">{t.preview}</h2>
          <glasshouse-voices site={site.slug} target={target} lang={ctx.lang}></glasshouse-voices>
          <script type="module" src="/embed.js" async></script>
        </section>
      )}
    </Layout>
  )
}
