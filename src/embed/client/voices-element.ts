/**
 * `<glasshouse-voices site="demo" target="tshirt">`: what customers say about a product, criticism
 * included, with the shop's answers — rendered from the hub's public feed inside a Shadow DOM.
 *
 * Attributes: `site` (required), `target` (a target id or the product page's URL), `limit`
 * (1–100, default 10), `lang` (`en`/`ja`; default: the page's language), `filter` (`all`,
 * `critical`, `reviews`), `theme` (`light`, `dark`, or `auto` for the reader's setting; default:
 * whichever stands out on the page behind the widget), `jsonld` (adds the product's review markup
 * to the page), `hub` (the hub's origin; default: where this script came from).
 *
 * However many attributes are set, in whatever order, the widget renders once: changes are
 * gathered until the task that made them ends (the HTML parser, too, sets them one by one), and
 * the feed is fetched only when its address changed — a new `lang` or `theme` redraws what is held.
 */
import { el, safeUrl } from './dom'
import { type Feed, type Item, summary, voice } from './render'
import { DARK_SYSTEM, isDark } from './scheme'
import { STYLE } from './style'
import { type Lang, langOf, WORDS, type Words } from './words'

const FILTERS = { all: '', critical: 'sentiment=negative', reviews: 'kind=review' } as const
type Filter = keyof typeof FILTERS
const filterOf = (asked: string | null): Filter => (asked === 'critical' || asked === 'reviews' ? asked : 'all')

const SCRIPT_ORIGIN = new URL(import.meta.url).origin

/** What the widget shows: the feed at `url` as far as it has been read, or why it shows none. */
type View = {
  url: string | null
  state: 'loading' | 'shown' | 'missing' | 'failed'
  feed: Feed | null
  items: Item[]
  next: string | null
}

let instances = 0

export class VoicesElement extends HTMLElement {
  static observedAttributes = ['site', 'target', 'limit', 'lang', 'filter', 'theme', 'hub', 'jsonld']

  readonly #root = this.attachShadow({ mode: 'open' })
  readonly #id = `gh-${++instances}`
  #voices = 0
  /** The filter a shopper chose with the buttons; null: the `filter` attribute's. */
  #chosen: Filter | null = null
  #view: View | null = null
  #queued = false
  #request: AbortController | null = null
  #jsonLdUrl: string | null = null
  #jsonLd: HTMLScriptElement | null = null
  // A page may follow the reader's setting too: when it changes, look again at what is behind.
  readonly #repaint = () => {
    this.#paint()
  }

  connectedCallback() {
    DARK_SYSTEM.addEventListener('change', this.#repaint)
    this.#queue()
  }

  disconnectedCallback() {
    DARK_SYSTEM.removeEventListener('change', this.#repaint)
    // A widget taken off the page while it reads stops reading; put back, it reads again (one that
    // was drawn keeps what it shows, so moving it costs no request).
    if (this.#view?.state === 'loading') {
      this.#request?.abort()
      this.#view = null
    }
  }

  attributeChangedCallback(name: string, before: string | null, after: string | null) {
    if (before === after) return
    if (name === 'theme') {
      this.#paint()
      return
    }
    if (name === 'filter') this.#chosen = null
    this.#queue()
  }

  /** One render after the task that changed the element, however many changes it made. */
  #queue() {
    if (this.#queued) return
    this.#queued = true
    setTimeout(() => {
      this.#queued = false
      if (this.isConnected) this.#render()
    })
  }

  #render() {
    const url = this.#feedUrl()
    if (url === this.#view?.url) this.#draw()
    else void this.#load(url)
    void this.#addJsonLd()
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

  get #filter(): Filter {
    return this.#chosen ?? filterOf(this.getAttribute('filter'))
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

  /** Fetches the first page at `url` and draws the whole widget from it. */
  async #load(url: string | null) {
    this.#request?.abort()
    const view: View = { url, state: 'loading', feed: null, items: [], next: null }
    const shown = this.#view && this.#root.querySelector('section')
    this.#view = view
    // The first time, an empty frame; later (another filter), the voices shown stay until the new ones arrive.
    if (shown && url) {
      shown.setAttribute('aria-busy', 'true')
      this.#setStatus(this.#words.loading)
    } else {
      this.#draw()
    }
    if (!url) return
    const request = (this.#request = new AbortController())
    const answer = await fetchJson<Feed>(url, request.signal)
    if (this.#view !== view) return
    if (answer.ok) {
      view.state = 'shown'
      view.feed = answer.doc
      view.items = [...answer.doc.items]
      view.next = this.#next(answer.doc)
    } else {
      // Only the hub's own "not found" says the shop or product is not there (a wrong `hub` answers 404 too).
      view.state = answer.status === 404 && answer.code === 'not_found' ? 'missing' : 'failed'
      // The shop's developer reads why in the console; shoppers get a quiet line.
      const target = this.getAttribute('target')
      console.warn(
        `<glasshouse-voices site="${this.getAttribute('site') ?? ''}"${target ? ` target="${target}"` : ''}>: ${this.#words[view.state]} (${url}: ${answer.message})`,
      )
    }
    this.#draw()
  }

  #draw() {
    const view = this.#view
    if (!view) return
    const w = this.#words
    const heading = `${this.#id}-heading`
    const section = el(
      'section',
      { part: 'root', 'aria-labelledby': heading, lang: this.#lang },
      el('h2', { id: heading, part: 'heading' }, w.heading),
      view.feed && summary(view.feed, w),
      view.state !== 'missing' && this.#filters(),
      el('ol', { class: 'voices', part: 'list' }),
      el('p', { class: 'status', role: 'status', 'aria-live': 'polite', part: 'status' }, this.#statusOf(view)),
    )
    this.#root.replaceChildren(el('style', {}, STYLE), section)
    this.#paint()
    this.#append(view.items, false)
  }

  #statusOf(view: View): string {
    const w = this.#words
    if (!view.url) return ''
    if (view.state !== 'shown') return w[view.state]
    return view.items.length === 0 ? w.empty : w.shown(view.items.length)
  }

  #setStatus(text: string) {
    const status = this.#root.querySelector('.status')
    if (status) status.textContent = text
  }

  /** Light or dark (./scheme.ts), decided again whenever the widget is drawn or the theme changes. */
  #paint() {
    this.#root.querySelector('section')?.classList.toggle('dark', isDark(this))
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
        this.#chosen = filter
        void this.#load(this.#feedUrl()).then(() =>
          this.#root.querySelector<HTMLElement>('button[aria-pressed=true]')?.focus(),
        )
      })
      group.append(button)
    }
    return group
  }

  /** The feed's next page, if it is on this hub. */
  #next(feed: Feed): string | null {
    const next = safeUrl(feed.next_url)
    return next?.startsWith(`${this.#hub}/`) ? next : null
  }

  /** Adds voices to the list, and a "more" button while the feed has a next page. */
  #append(items: Item[], announce: boolean) {
    const w = this.#words
    const list = this.#root.querySelector('ol.voices')
    const status = this.#root.querySelector('.status')
    const view = this.#view
    if (!list || !status || !view) return
    const added = items.map((item) => voice(item, w, this.#lang, `${this.#id}-${++this.#voices}`))
    list.append(...added)
    this.#root.querySelector('.more')?.remove()
    if (view.next) {
      const more = el('button', { type: 'button', class: 'more', part: 'more' }, w.more)
      more.addEventListener('click', () => void this.#loadMore(view, more))
      status.before(more)
    }
    if (announce) {
      status.textContent = w.loaded(items.length)
      // Keyboard and screen reader users continue where the new voices begin.
      added[0]?.querySelector('article')?.focus()
    }
  }

  async #loadMore(view: View, more: HTMLButtonElement) {
    if (!view.next) return
    more.disabled = true
    const answer = await fetchJson<Feed>(view.next)
    if (this.#view !== view) return
    if (!answer.ok) {
      more.disabled = false
      this.#setStatus(this.#words.failed)
      return
    }
    view.items.push(...answer.doc.items)
    view.next = this.#next(answer.doc)
    this.#append(answer.doc.items, true)
  }

  /** While `jsonld` is set, the product's review markup in the page's head: fetched once per product. */
  async #addJsonLd() {
    const site = this.getAttribute('site')
    const target = this.getAttribute('target')
    const url =
      this.hasAttribute('jsonld') && site && target
        ? `${this.#hub}/feeds/${encodeURIComponent(site)}/jsonld?target=${encodeURIComponent(target)}`
        : null
    if (url === this.#jsonLdUrl) return
    this.#jsonLdUrl = url
    this.#jsonLd?.remove()
    this.#jsonLd = null
    if (!url || !site) return
    const res = await fetch(url).catch(() => null)
    const text = res?.ok ? await res.text().catch(() => null) : null
    if (text === null || this.#jsonLdUrl !== url) return
    // Set as a script's text, never parsed as markup: the hub escapes it for a script element too.
    this.#jsonLd = el('script', { type: 'application/ld+json', 'data-glasshouse': site })
    this.#jsonLd.textContent = text
    document.head.append(this.#jsonLd)
  }
}

type Fetched<T> = { ok: true; doc: T } | { ok: false; status: number; code: string | null; message: string }

/** A JSON document, or the status (0: no answer) and the hub's code and message for why not. */
async function fetchJson<T>(url: string, signal?: AbortSignal): Promise<Fetched<T>> {
  try {
    const res = await fetch(url, { headers: { Accept: 'application/json' }, signal: signal ?? null })
    if (res.ok) return { ok: true, doc: (await res.json()) as T }
    const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null
    const error = body?.error
    return { ok: false, status: res.status, code: error?.code ?? null, message: error?.message ?? String(res.status) }
  } catch (err) {
    return { ok: false, status: 0, code: null, message: String(err) }
  }
}
