#!/usr/bin/env node
/**
 * `npm run smoke -- https://your-hub [--site slug]`: checks a running hub without changing
 * anything — only GET requests, no token. One line per check, ✓ or ✗; exits 1 when a check
 * fails. With no URL it checks the local hub of `npm run dev` (http://127.0.0.1:8787, or the
 * port in PORT, as `npm run dev` reads it). Node 20 or later, no dependencies.
 */
const LOCAL_HUB = `http://127.0.0.1:${process.env.PORT || '8787'}`
const USAGE = `usage: npm run smoke -- [hub URL] [--site slug]
  hub URL     the hub's origin (default ${LOCAL_HUB}, the hub of npm run dev; PORT changes the port)
  --site      also check that site's public feed, its ETag/304 and its trust figures`

const args = process.argv.slice(2)
let hub = LOCAL_HUB
let site = null
for (let i = 0; i < args.length; i++) {
  const arg = args[i]
  if (arg === '--help' || arg === '-h') {
    console.log(USAGE)
    process.exit(0)
  } else if (arg === '--site') site = args[++i] ?? null
  else if (arg.startsWith('--site=')) site = arg.slice('--site='.length)
  else if (!arg.startsWith('-')) hub = arg
  else {
    console.error(`unknown option ${arg}\n${USAGE}`)
    process.exit(2)
  }
}
if (site === '') site = null
let base
try {
  base = new URL(hub)
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new Error('not http(s)')
} catch {
  console.error(`not a hub URL: ${hub}\n${USAGE}`)
  process.exit(2)
}
const origin = base.origin
const local = ['127.0.0.1', 'localhost', '[::1]'].includes(base.hostname)

const withoutRequestId = []
let answers = 0

/** One GET (no redirects followed), with the body read as text. */
async function get(path, headers = {}) {
  const res = await fetch(`${origin}${path}`, {
    headers: { 'User-Agent': 'glasshouse-smoke', ...headers },
    redirect: 'manual',
    signal: AbortSignal.timeout(15_000),
  })
  const body = await res.text()
  answers++
  if (!res.headers.get('x-request-id')) withoutRequestId.push(`GET ${path}`)
  return { status: res.status, headers: res.headers, body }
}

const json = (text) => {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** A failed expectation: its text becomes the check's ✗ line. */
class Failed extends Error {}
const expect = (condition, message) => {
  if (!condition) throw new Failed(message)
}

const checks = [
  [
    'GET /healthz: the hub’s secrets and variables are in place',
    async () => {
      const res = await get('/healthz')
      const health = json(res.body)
      if (res.status === 503 && Array.isArray(health?.settings)) {
        const named = health.settings.map((s) => `${s.name} is ${s.problem} (expected ${s.expected})`)
        throw new Failed(`503: ${named.join('; ')}`)
      }
      expect(res.status === 200, `status ${res.status}, expected 200: ${res.body.slice(0, 160)}`)
      expect(health?.status === 'ok', `unexpected body: ${res.body.slice(0, 120)}`)
    },
  ],
  [
    'GET /embed.js serves the widget',
    async () => {
      const res = await get('/embed.js')
      expect(res.status === 200, `status ${res.status}, expected 200`)
      expect(
        /javascript/.test(res.headers.get('content-type') ?? ''),
        `content-type ${res.headers.get('content-type')}`,
      )
      const version = res.headers.get('x-widget-version')
      expect(version, 'no X-Widget-Version header')
      return `version ${version}, ${res.body.length} bytes`
    },
  ],
  [
    'GET /embed/{version}.js serves the same widget, cached for long',
    async () => {
      const version = (await get('/embed.js')).headers.get('x-widget-version')
      expect(version, 'no X-Widget-Version header on /embed.js')
      const res = await get(`/embed/${encodeURIComponent(version)}.js`)
      expect(res.status === 200, `status ${res.status}, expected 200`)
      return res.headers.get('cache-control') ?? 'no Cache-Control'
    },
  ],
  [
    'GET /openapi.json describes the API (OpenAPI 3.1)',
    async () => {
      const res = await get('/openapi.json')
      expect(res.status === 200, `status ${res.status}, expected 200`)
      const doc = json(res.body)
      expect(doc?.openapi === '3.1.0', `openapi is ${JSON.stringify(doc?.openapi)}, expected "3.1.0"`)
      return `${Object.keys(doc.paths ?? {}).length} paths`
    },
  ],
  [
    'an unknown path is a 404 with a JSON error body',
    async () => {
      const res = await get(`/glasshouse-smoke-${Date.now()}`)
      expect(res.status === 404, `status ${res.status}, expected 404`)
      const error = json(res.body)?.error
      expect(error && typeof error === 'object', `body is not {"error":{…}}: ${res.body.slice(0, 120)}`)
      expect(error.code === 'not_found', `error.code is ${JSON.stringify(error.code)}, expected "not_found"`)
      expect(typeof error.message === 'string', 'error.message is missing')
      expect(
        error.request_id && error.request_id === res.headers.get('x-request-id'),
        'error.request_id does not match the X-Request-Id header',
      )
      return `request_id ${error.request_id}`
    },
  ],
  [
    'the operator API refuses a request without a token',
    async () => {
      const res = await get('/api/sites')
      expect(res.status === 401, `status ${res.status}, expected 401`)
      expect(json(res.body)?.error?.code === 'unauthorized', `unexpected body: ${res.body.slice(0, 120)}`)
    },
  ],
  [
    'the operator web UI shows its sign-in page',
    async () => {
      const res = await get('/admin/login')
      expect(res.status === 200, `status ${res.status}, expected 200`)
      expect(
        /text\/html/.test(res.headers.get('content-type') ?? ''),
        `content-type ${res.headers.get('content-type')}`,
      )
    },
  ],
  [
    local ? 'development-only routes (on is expected for a local hub)' : 'development-only routes are off',
    async () => {
      const res = await get('/__dev/bench/no-db?bytes=0')
      const on = res.status === 200
      if (local) return on ? 'on' : 'off'
      expect(!on, 'they answer: ENVIRONMENT must not be "development" on a deployed hub')
    },
  ],
]

if (site) {
  const slug = encodeURIComponent(site)
  checks.push(
    [
      `GET /feeds/${site}.json is a JSON Feed`,
      async () => {
        const res = await get(`/feeds/${slug}.json?limit=1`)
        expect(res.status === 200, `status ${res.status}, expected 200: ${res.body.slice(0, 160)}`)
        const feed = json(res.body)
        expect(feed?.version === 'https://jsonfeed.org/version/1.1', 'not a JSON Feed 1.1 document')
        expect(res.headers.get('etag'), 'no ETag header')
        return `${feed._glasshouse?.stats?.voices ?? '?'} published voices, X-Cache ${res.headers.get('x-cache') ?? '–'}`
      },
    ],
    [
      `GET /feeds/${site}.json answers 304 to its own ETag`,
      async () => {
        const etag = (await get(`/feeds/${slug}.json?limit=1`)).headers.get('etag')
        expect(etag, 'no ETag header')
        const res = await get(`/feeds/${slug}.json?limit=1`, { 'If-None-Match': etag })
        expect(res.status === 304, `status ${res.status}, expected 304`)
      },
    ],
    [
      `GET /feeds/${site}/trust.json has the trust figures`,
      async () => {
        const res = await get(`/feeds/${slug}/trust.json`)
        expect(res.status === 200, `status ${res.status}, expected 200`)
        const trust = json(res.body)
        expect(trust && typeof trust === 'object' && 'voices' in trust, `unexpected body: ${res.body.slice(0, 120)}`)
      },
    ],
  )
}

console.log(`Checking ${origin}${site ? ` (site ${site})` : ''}`)
let failures = 0
for (const [name, run] of checks) {
  try {
    const detail = await run()
    console.log(`✓ ${name}${detail ? ` — ${detail}` : ''}`)
  } catch (err) {
    failures++
    const why = err instanceof Failed ? err.message : `${err.name}: ${err.cause?.message ?? err.message}`
    console.log(`✗ ${name} — ${why}`)
    if (answers === 0) {
      console.log(`Nothing answers at ${origin}: is the hub running (npm run dev), or is the URL right?`)
      process.exit(1)
    }
  }
}
if (withoutRequestId.length === 0) console.log('✓ every answer carried an X-Request-Id header')
else {
  failures++
  console.log(`✗ answers without an X-Request-Id header: ${withoutRequestId.join(', ')}`)
}
console.log(failures === 0 ? 'All checks passed.' : `${failures} check(s) failed.`)
process.exit(failures === 0 ? 0 : 1)
