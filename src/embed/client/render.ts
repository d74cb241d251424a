/**
 * The widget's parts drawn from a feed: the shop's summary and each voice with its answers.
 * Everything from outside goes in as text (./dom.ts); a voice's sentiment is said in words, and
 * names its card for assistive technology, never left to the colour of its bar alone.
 */
import { type Child, el, linkOut, outside } from './dom'
import type { Lang, Words } from './words'

type Answer = {
  stage: string
  author: { name: string; role: string | null }
  content_text: string
  date_published?: string
  /** When the shop last edited it (absent: never; older hubs send neither field). */
  date_modified?: string
  /** An answer the shop withdrew: its tombstone, when and why. */
  withdrawn?: { date: string; reason: string } | null
}

export type Item = {
  id: string
  url?: string
  title?: string
  content_text: string
  date_published?: string
  authors?: { name?: string }[]
  _glasshouse: {
    kind: string
    sentiment: string | null
    rating: number | null
    blog_name: string | null
    disclosure: string | null
    verified_purchase: boolean
    author_verdict: { resolved: boolean } | null
    responses: Answer[]
  }
}

export type Feed = {
  items: Item[]
  next_url?: string
  _glasshouse: {
    stats: { voices: number; response_rate: number | null; median_hours_to_first_response: number | null }
    rating: { count: number; average: number | null }
  }
}

const percent = (share: number) => Math.round(share * 100)

export function summary(feed: Feed, w: Words): HTMLElement {
  const { stats, rating } = feed._glasshouse
  return el(
    'p',
    { class: 'summary', part: 'summary' },
    rating.count > 0 && rating.average !== null && el('span', {}, w.rating(rating.average.toFixed(1), rating.count)),
    stats.response_rate !== null && el('span', {}, w.answered(percent(stats.response_rate))),
    stats.median_hours_to_first_response !== null &&
      el('span', {}, w.typically(w.hours(stats.median_hours_to_first_response))),
  )
}

const dateIn = (iso: string | undefined, lang: Lang) =>
  iso ? new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', { dateStyle: 'medium' }).format(new Date(iso)) : null

const stars = (n: number, w: Words) =>
  el('span', { class: 'stars', role: 'img', 'aria-label': w.stars(n) }, '★'.repeat(n) + '☆'.repeat(5 - n))

function kindOf(kind: string, w: Words): string {
  if (kind === 'review' || kind === 'affiliate' || kind === 'discovered') return w.kind[kind]
  // TrackBack, Pingback and Webmention are how a blog told us; to a shopper it is a blog post.
  return w.kind.post
}

const sentimentOf = (s: string | null) => (s === 'positive' || s === 'neutral' || s === 'negative' ? s : null)

/** One voice as a list item; `id` is unique in the widget (its card is named by its sentiment and title). */
export function voice(item: Item, w: Words, lang: Lang, id: string): HTMLElement {
  const g = item._glasshouse
  const sentiment = sentimentOf(g.sentiment)
  const rating = typeof g.rating === 'number' && g.rating >= 1 && g.rating <= 5 ? Math.round(g.rating) : null
  const author = item.authors?.[0]?.name
  const when = dateIn(item.date_published, lang)
  const title = item.title ?? null
  const link = linkOut(item.url, outside(title) ?? w.readMore)
  const meta: Child[] = [
    sentiment && el('span', { class: 'tag sentiment', id: `${id}-s` }, w.sentiment[sentiment]),
    el('span', { class: 'tag' }, kindOf(g.kind, w)),
    g.disclosure === 'affiliate' && el('span', { class: 'label' }, w.pr),
    g.disclosure === 'incentivized' && el('span', { class: 'label' }, w.incentivized),
    g.verified_purchase && el('span', { class: 'tag' }, w.verified),
    rating !== null && stars(rating, w),
  ]
  const by: Child[] = [
    author && outside(author),
    g.blog_name && g.blog_name !== author && outside(g.blog_name),
    when,
  ].filter(Boolean)
  const answers =
    g.responses.length === 0
      ? null
      : el(
          'ol',
          { class: 'answers', part: 'answers', 'aria-label': w.answers },
          ...g.responses.map((r) => answer(r, w, lang)),
        )
  const kind = sentiment ?? 'unclassified'
  return el(
    'li',
    { class: `voice ${kind}`, part: `voice voice-${kind}` },
    el(
      'article',
      { tabindex: '-1', 'aria-labelledby': sentiment ? `${id}-s ${id}-t` : `${id}-t` },
      el('p', { class: 'meta' }, ...meta),
      el('h3', { id: `${id}-t` }, link ?? outside(title) ?? kindOf(g.kind, w)),
      item.content_text && item.content_text !== title && el('p', { class: 'text' }, outside(item.content_text)),
      by.length > 0 && el('p', { class: 'by' }, ...join(by, ' · ')),
      answers,
      g.author_verdict && el('p', { class: 'verdict' }, g.author_verdict.resolved ? w.verdictYes : w.verdictNo),
    ),
  )
}

function answer(r: Answer, w: Words, lang: Lang): HTMLElement {
  const stage = r.stage === 'apology' || r.stage === 'resolution' ? w.stage[r.stage] : w.stage.reply
  const when = dateIn(r.date_published, lang)
  return el(
    'li',
    { part: `answer answer-${r.stage}` },
    el(
      'p',
      { class: 'meta' },
      el('span', { class: 'stage' }, stage),
      outside(r.author.role ? w.withRole(r.author.name, r.author.role) : r.author.name),
      when,
      r.date_modified && !r.withdrawn ? ` · ${w.edited(dateIn(r.date_modified, lang) ?? '')}` : null,
    ),
    r.withdrawn
      ? el(
          'p',
          { class: 'text withdrawn' },
          w.withdrawn(dateIn(r.withdrawn.date, lang) ?? ''),
          ' ',
          outside(r.withdrawn.reason),
        )
      : el('p', { class: 'text' }, outside(r.content_text)),
  )
}

const join = (parts: Child[], separator: string): Child[] => parts.flatMap((p, i) => (i === 0 ? [p] : [separator, p]))
