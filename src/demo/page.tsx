/**
 * A tiny storefront product page that shows its feed, as a shop would. Rendered with
 * hono/jsx, which escapes every text value: bloggers' titles and excerpts are untrusted.
 */
import type { FC } from 'hono/jsx'

import type { feedDocument } from '../feeds/render'
import { PageShell } from '../shared/page-shell'
import { safeHref } from '../shared/safe-href'
import { STOREFRONT_STYLE } from '../shared/storefront-style'
import { STAGE_LABELS } from '../responses/stage-labels'

type Feed = ReturnType<typeof feedDocument>
type Item = Feed['items'][number]

const KIND_LABEL: Record<string, string> = {
  trackback: 'TrackBack',
  pingback: 'Pingback',
  webmention: 'Webmention',
  review: 'Review',
  affiliate: 'Affiliate post',
  discovered: 'Found on the web',
}

const date = (iso: string | undefined) => (iso ? iso.slice(0, 10) : '')


const Voice: FC<{ item: Item }> = ({ item }) => {
  const g = item._glasshouse
  const href = safeHref(item.url)
  const who = item.authors?.[0]?.name ?? g.blog_name ?? 'Anonymous'
  return (
    <li class={`voice ${g.sentiment ?? 'unclassified'}`}>
      <div class="meta">
        <span class="kind">{KIND_LABEL[g.kind] ?? g.kind}</span>
        {g.disclosure === 'affiliate' && <span class="label">PR / 広告</span>}
        {g.disclosure === 'incentivized' && <span class="label">Coupon given for any review</span>}
        {g.verified_purchase && <span class="label">Verified purchase</span>}
        {g.rating !== null && <span class="rating">{'★'.repeat(g.rating) + '☆'.repeat(5 - g.rating)}</span>}
        <span class="sentiment">{g.sentiment ?? 'unclassified'}</span>
      </div>
      <h3>{href ? <a href={href} rel="nofollow ugc noopener" target="_blank">{item.title ?? href}</a> : item.title}</h3>
      <p>{item.content_text}</p>
      <p class="by">
        {who} · {date(item.date_published)}
      </p>
      {g.responses.length > 0 && (
        <ol class="responses">
          {g.responses.map((r) => (
            <li class={`response ${r.stage}`}>
              <strong>{STAGE_LABELS.en[r.stage]}</strong> — {r.author.name}
              {r.author.role ? ` (${r.author.role})` : ''} · {date(r.date_published)}
              <p>{r.content_text}</p>
            </li>
          ))}
          {g.author_verdict && (
            <li class="verdict">
              The reviewer says: {g.author_verdict.resolved ? 'this resolved my problem' : 'this did not resolve my problem'}
            </li>
          )}
        </ol>
      )}
      {g.photos.length > 0 && (
        <p class="photos">
          {g.photos.map((p) => (
            <img src={p.url} alt="" loading="lazy" width="96" height="96" />
          ))}
        </p>
      )}
    </li>
  )
}


export const DemoPage: FC<{ feed: Feed; feedUrl: string }> = ({ feed, feedUrl }) => {
  const s = feed._glasshouse.stats
  const m = feed._glasshouse.moderation
  const r = feed._glasshouse.rating
  return (
    <PageShell lang="en" title={`${feed._glasshouse.target?.title ?? feed._glasshouse.site.name} — Glasshouse demo`} style={STOREFRONT_STYLE}>
      <div class="product">
        <div class="swatch" aria-hidden="true"></div>
        <div>
          <h1>{feed._glasshouse.target?.title}</h1>
          <p>{feed._glasshouse.site.name} · demo storefront served by Glasshouse</p>
        </div>
      </div>
      <div class="stats">
        {r.count > 0 && (
          <p class="rating-summary">
            <strong>{r.average}</strong> / 5 from {r.count} review{r.count === 1 ? '' : 's'} (
            {(['5', '4', '3', '2', '1'] as const).map((n) => `${n}★ ${r.histogram[n]}`).join(' · ')})
          </p>
        )}
        <strong>{s.voices}</strong> voices — {s.by_sentiment.positive} positive, {s.by_sentiment.neutral} neutral,{' '}
        {s.by_sentiment.negative} negative. Answered: {s.response_rate === null ? '—' : `${Math.round(s.response_rate * 100)}%`}
        {s.median_hours_to_first_response !== null && `, median first answer after ${s.median_hours_to_first_response} h`}.
        Removed: {m.removed}, spam: {m.spam}.
      </div>
      <h2>What people say, criticism included</h2>
      <ul class="voices">
        {feed.items.map((item) => (
          <Voice item={item} />
        ))}
      </ul>
      <p>
        This page renders <a href={feedUrl}>{feedUrl}</a>.
      </p>
    </PageShell>
  )
}

export const NoDemoPage: FC = () => (
  <PageShell lang="en" title="Glasshouse" style={STOREFRONT_STYLE}>
    <h1>Glasshouse</h1>
    <p>No demo data here. Run <code>npm run dev</code>, which seeds the demo site.</p>
  </PageShell>
)
