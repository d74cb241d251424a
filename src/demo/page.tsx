/**
 * A tiny storefront product page that shows its feed, as a shop would. Rendered with
 * hono/jsx, which escapes every text value: bloggers' titles and excerpts are untrusted.
 */
import type { FC } from 'hono/jsx'

import type { feedDocument } from '../feeds/render'
import { safeHref } from '../shared/safe-href'
import { STAGE_LABEL } from '../responses/stage-labels'

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
              <strong>{STAGE_LABEL[r.stage]}</strong> — {r.author.name}
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

const STYLE = `
body{font:16px/1.5 system-ui,sans-serif;max-width:760px;margin:2rem auto;padding:0 1rem;color:#222}
.product{display:flex;gap:1rem;align-items:center;border-bottom:1px solid #ddd;padding-bottom:1rem}
.swatch{width:96px;height:96px;border-radius:8px;background:#1d3557}
.stats{background:#f4f4f4;border-radius:6px;padding:.5rem 1rem;margin:1rem 0}
ul.voices{list-style:none;padding:0}
.voice{border:1px solid #ddd;border-left:6px solid #999;border-radius:6px;padding:.5rem 1rem;margin:1rem 0}
.voice.positive{border-left-color:#2a9d8f}.voice.negative{border-left-color:#e63946}.voice.neutral{border-left-color:#e9c46a}
.meta span{font-size:.8rem;margin-right:.5rem;padding:.1rem .4rem;border-radius:4px;background:#eee}
.meta .label{background:#ffe8a3}
.voice h3{margin:.4rem 0;font-size:1.05rem}.by{color:#666;font-size:.85rem}
.responses{list-style:none;padding-left:1rem;border-left:3px solid #1d3557}
.response p{margin:.2rem 0 .6rem}.verdict{color:#1d3557;font-style:italic}
.photos img{object-fit:cover;border-radius:4px;margin-right:.3rem}
`

export const DemoPage: FC<{ feed: Feed; feedUrl: string }> = ({ feed, feedUrl }) => {
  const s = feed._glasshouse.stats
  const m = feed._glasshouse.moderation
  const r = feed._glasshouse.rating
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{feed._glasshouse.target?.title ?? feed._glasshouse.site.name} — Glasshouse demo</title>
        <style>{STYLE}</style>
      </head>
      <body>
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
      </body>
    </html>
  )
}

export const NoDemoPage: FC = () => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <title>Glasshouse</title>
    </head>
    <body>
      <h1>Glasshouse</h1>
      <p>No demo data here. Run <code>npm run dev</code>, which seeds the demo site.</p>
    </body>
  </html>
)
