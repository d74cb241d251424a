/**
 * A shop's own product pages for the widget's browser test, on another origin than the hub: the
 * two lines pasted in the ways shops paste them (after the element, in the head before it, by a
 * script of the shop's), on white, dark and system-following pages, and with a wrong site or
 * target. Also webmention.js (from npm), another widget, unchanged.
 */
import { readFileSync } from 'node:fs'
import http from 'node:http'
import { createRequire } from 'node:module'

const WEBMENTION_JS = readFileSync(
  createRequire(import.meta.url).resolve('webmention.js/static/webmention.min.js'),
  'utf8',
)

/** The page's own background: `os` follows the reader's system setting (as many shops do); `white` and `dark` do not. */
const BACKGROUNDS = {
  os: '@media (prefers-color-scheme:dark){body{background:#0d1117;color:#e6edf3}}',
  white: '',
  dark: 'body{background:#0d1117;color:#e6edf3}',
}

const page = ({ lang = 'en', bg = 'os', head = '', body }) =>
  `<!doctype html><html lang="${lang === 'ja' ? 'ja' : 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Organic cotton T-shirt — a shop</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:760px;margin:1rem auto;padding:0 1rem}${BACKGROUNDS[bg] ?? ''}</style>${head}
</head><body><main><h1>Organic cotton T-shirt</h1><p>¥3,980</p>
${body}
</main></body></html>`

/** Serves the pages on a free port of 127.0.0.1; `hub` is the hub's origin. */
export function serveStorefront(hub) {
  const embed = `<script type="module" src="${hub}/embed.js" async></script>`
  const pages = {
    '/': (q) => ({
      lang: q.get('lang'),
      bg: q.get('bg') ?? 'os',
      body: `<glasshouse-voices site="demo" target="tshirt" limit="3" jsonld></glasshouse-voices>\n${embed}`,
    }),
    // Exactly the README's two lines.
    '/readme': () => ({ body: `<glasshouse-voices site="demo" target="tshirt"></glasshouse-voices>\n${embed}` }),
    '/every-attribute': () => ({
      body: `<glasshouse-voices jsonld theme="auto" filter="critical" lang="ja" limit="2" hub="${hub}" target="tshirt" site="demo"></glasshouse-voices>\n${embed}`,
    }),
    // The shop's script makes the element, puts it on the page, then sets its attributes, all in one task.
    '/scripted': () => ({
      body: `<script type="module">
import '${hub}/embed.js'
const voices = document.createElement('glasshouse-voices')
document.querySelector('main').append(voices)
for (const [name, value] of [['limit', '4'], ['target', 'tshirt'], ['theme', 'light'], ['site', 'demo'], ['filter', 'reviews'], ['lang', 'en'], ['jsonld', '']]) voices.setAttribute(name, value)
voices.setAttribute('limit', '3')
</script>`,
    }),
    // The script in the head, and the element arriving a second later: the parser makes it with the
    // widget already defined, and sets its attributes one by one.
    '/script-first': () => ({
      streamed: true,
      head: embed,
      body: `<script>window.__definedFirst = Boolean(customElements.get('glasshouse-voices'))</script>
<glasshouse-voices limit="2" target="tshirt" lang="en" filter="all" site="demo" jsonld></glasshouse-voices>`,
    }),
    '/missing-site': (q) => ({
      lang: q.get('lang'),
      body: `<glasshouse-voices site="no-such-shop" target="tshirt"></glasshouse-voices>\n${embed}`,
    }),
    '/missing-target': (q) => ({
      lang: q.get('lang'),
      body: `<glasshouse-voices site="demo" target="no-such-product"></glasshouse-voices>\n${embed}`,
    }),
  }
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x')
    if (url.pathname === '/webmention.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript' })
      return res.end(WEBMENTION_JS)
    }
    if (url.pathname === '/blog-style') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
      return res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Tee — webmention.js</title></head><body>
<div id="webmentions"></div><script src="/webmention.js" data-page-url="https://shop.example/products/tshirt" data-max-webmentions="50" async></script></body></html>`)
    }
    const build = pages[url.pathname]
    if (!build) {
      res.writeHead(404)
      return res.end()
    }
    const shown = build(url.searchParams)
    const html = page(shown)
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
    if (!shown.streamed) return res.end(html)
    const body = html.indexOf('<body>')
    res.write(html.slice(0, body))
    setTimeout(() => res.end(html.slice(body)), 1000)
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}
