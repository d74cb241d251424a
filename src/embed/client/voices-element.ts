/**
 * `<glasshouse-voices site="demo" target="tshirt">`: what customers say about a product, criticism
 * included, with the shop's answers — rendered from the hub's public feed inside a Shadow DOM.
 *
 * Attributes: `site` (required), `target` (a target id or the product page's URL), `limit`
 * (1–100, default 10), `lang` (`en`/`ja`; default: the page's language), `filter` (`all`,
 * `critical`, `reviews`), `theme` (`light`/`dark`; default: the reader's setting), `jsonld`
 * (adds the product's review markup to the page), `hub` (the hub's origin; default: where this
 * script came from).
 */
import { type Child, el, linkOut, outside, safeUrl } from './dom'
import { STYLE } from './style'
import { type Lang, langOf, WORDS, type Words } from './words'

type Response = {
  stage: string
  author: { name: string; role: string | null }
  content_text: string
  date_published?: string
}

type Item = {
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
    responses: Response[]
  }
}

type Feed = {
  items: Item[]
  next_url?: string
  _glasshouse: {
    stats: { voices: number; response_rate: number | null; median_hours_to_first_response: number | null }
    rating: { count: number; average: number | null }
  }
}

const FILTERS = { all: '', critical: 'sentiment=negative', reviews: 'kind=review' } as const
type Filter = keyof typeof FILTERS

const SCRIPT_ORIGIN = new URL(import.meta.url).origin

let instances = 0

export class VoicesElement extends HTMLElement {
  static observedAttributes = ['site', 'target', 'limit', 'lang', 'filter', 'hub']

  readonly #root = this.attachShadow({ mode: 'open' })
  readonly #id = `gh-${++instances}`
  #filter: Filter = 'all'
  #loading = 0

  connectedCallback() {
    const asked = this.getAttribute('filter')
    this.#filter = asked === 'critical' || asked === 'reviews' ? asked : 'all'
    void this.#load()
    if (this.hasAttribute('jsonld')) void this.#addJsonLd()
  }

  attributeChangedCallback(_name: string, before: string | null, after: string | null) {
    if (this.isConnected && before !== after) void this.#load()
  }

  get #lang(): Lang {
    return langOf(this)
  }

  get #words(): Words {
    return WORDS[this.#lang]
  }

  get #hub(): string {
    return safeUrl(this.getAttribute('hub'))?.replace(/\/$/, '') ?? SCRIPT_ORIGIN
  }

  #feedUrl(): string | null {
    const site = this.getAttribute('site')
    if (!site) return null
    const url = new URL(`${this.#hub}/feeds/${encodeURIComponent(site)}.json`)
    const target = this.getAttribute('target')
    if (target) url.searchParams.set('target', target)
    const limit = Number(this.getAttribute('limit') ?? 10)
    url.searchParams.set('limit', String(Number.isInteger(limit) && limit >= 1 && limit <= 100 ? limit : 10))
    const filter = FILTERS[this.#filter]
    if (filter) for (const [k, v] of new URLSearchParams(filter)) url.searchParams.set(k, v)
    return url.href
  }

  /** Loads the first page and draws the whole widget (again, after a change of filter or attribute). */
  async #load() {
    const w = this.#words
    const url = this.#feedUrl()
    const run = ++this.#loading
    const status = el(
      'p',
      { class: 'status', role: 'status', 'aria-live': 'polite', part: 'status' },
      url ? w.loading : '',
    )
    // The first time, an empty frame; later (a filter chosen), the voices shown stay until the new ones arrive.
    const shown = this.#root.querySelector('section')
    if (shown) {
      shown.setAttribute('aria-busy', 'true')
      shown.querySelector('.status')?.replaceWith(status)
    } else {
      this.#draw(null, status)
    }
    if (!url) return
    const feed = await fetchJson<Feed>(url)
    if (run !== this.#loading) return
    if (!feed) {
      status.textContent = w.failed
      this.#root.querySelector('section')?.removeAttribute('aria-busy')
      return
    }
    this.#draw(feed, status)
    status.textContent = feed.items.length === 0 ? w.empty : w.shown(feed.items.length)
  }

  #draw(feed: Feed | null, status: HTMLElement) {
    const w = this.#words
    const heading = `${this.#id}-heading`
    const list = el('ol', { class: 'voices', part: 'list' })
    const section = el(
      'section',
      { part: 'root', 'aria-labelledby': heading, lang: this.#lang },
      el('h2', { id: heading, part: 'heading' }, w.heading),
      feed && summary(feed, w),
      this.#filters(),
      list,
      status,
    )
    if (feed) this.#append(list, feed, section, status, false)
    this.#root.replaceChildren(el('style', {}, STYLE), section)
  }

  #filters(): HTMLElement {
    const w = this.#words
    const group = el('div', { class: 'filters', role: 'group', 'aria-label': w.filters, part: 'filters' })
    for (const filter of Object.keys(FILTERS) as Filter[]) {
      const button = el(
        'button',
        { type: 'button', 'aria-pressed': String(filter === this.#filter), part: 'filter' },
        w[filter],
      )
      button.addEventListener('click', () => {
        if (this.#filter === filter) return
        this.#filter = filter
        void this.#load().then(() => this.#root.querySelector<HTMLElement>('button[aria-pressed=true]')?.focus())
      })
      group.append(button)
    }
    return group
  }

  /** Adds a page of voices, and a "more" button while the feed has a next page. */
  #append(list: HTMLElement, feed: Feed, section: HTMLElement, status: HTMLElement, announce: boolean) {
    const w = this.#words
    const first = feed.items.map((item) => voice(item, w, this.#lang)).map((li) => (list.append(li), li))[0]
    section.querySelector('.more')?.remove()
    const next = safeUrl(feed.next_url)
    if (next && next.startsWith(`${this.#hub}/`)) {
      const more = el('button', { type: 'button', class: 'more', part: 'more' }, w.more)
      const loadMore = async () => {
        more.disabled = true
        const page = await fetchJson<Feed>(next)
        if (!page) {
          more.disabled = false
          status.textContent = w.failed
          return
        }
        this.#append(list, page, section, status, true)
      }
      more.addEventListener('click', () => void loadMore())
      status.before(more)
    }
    if (announce) {
      status.textContent = w.loaded(feed.items.length)
      // Keyboard and screen reader users continue where the new voices begin.
      first?.querySelector('article')?.focus()
    }
  }

  async #addJsonLd() {
    const site = this.getAttribute('site')
    const target = this.getAttribute('target')
    if (!site || !target) return
    const res = await fetch(
      `${this.#hub}/feeds/${encodeURIComponent(site)}/jsonld?target=${encodeURIComponent(target)}`,
    ).catch(() => null)
    if (!res?.ok) return
    // Set as a script's text, never parsed as markup: the hub escapes it for a script element too.
    const script = el('script', { type: 'application/ld+json', 'data-glasshouse': site })
    script.textContent = await res.text()
    document.head.append(script)
  }
}

async function fetchJson<T>(url: string): Promise<T | null> {
  try {
    const res = await fetch(url, { headers: { Accept: 'application/json' } })
    return res.ok ? ((await res.json()) as T) : null
  } catch {
    return null
  }
}

const percent = (share: number) => Math.round(share * 100)

function summary(feed: Feed, w: Words): HTMLElement {
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

function voice(item: Item, w: Words, lang: Lang): HTMLElement {
  const g = item._glasshouse
  const rating = typeof g.rating === 'number' && g.rating >= 1 && g.rating <= 5 ? Math.round(g.rating) : null
  const author = item.authors?.[0]?.name
  const when = dateIn(item.date_published, lang)
  const title = item.title ?? null
  const link = linkOut(item.url, outside(title) ?? w.readMore)
  const meta: Child[] = [
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
  return el(
    'li',
    { class: `voice ${g.sentiment ?? 'unclassified'}`, part: `voice voice-${g.sentiment ?? 'unclassified'}` },
    el(
      'article',
      { tabindex: '-1' },
      el('p', { class: 'meta' }, ...meta),
      el('h3', {}, link ?? outside(title) ?? kindOf(g.kind, w)),
      item.content_text && item.content_text !== title && el('p', { class: 'text' }, outside(item.content_text)),
      by.length > 0 && el('p', { class: 'by' }, ...join(by, ' · ')),
      answers,
      g.author_verdict && el('p', { class: 'verdict' }, g.author_verdict.resolved ? w.verdictYes : w.verdictNo),
    ),
  )
}

function answer(r: Response, w: Words, lang: Lang): HTMLElement {
  const stage = r.stage === 'apology' || r.stage === 'resolution' ? w.stage[r.stage] : w.stage.reply
  const when = dateIn(r.date_published, lang)
  return el(
    'li',
    { part: `answer answer-${r.stage}` },
    el(
      'p',
      { class: 'meta' },
      el('span', { class: 'stage' }, stage),
      outside(r.author.role ? `${r.author.name} (${r.author.role})` : r.author.name),
      when,
    ),
    el('p', { class: 'text' }, outside(r.content_text)),
  )
}

const join = (parts: Child[], separator: string): Child[] => parts.flatMap((p, i) => (i === 0 ? [p] : [separator, p]))
