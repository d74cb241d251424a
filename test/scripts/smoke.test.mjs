/**
 * `npm run smoke` against a stand-in hub on loopback (node:test, no wrangler): with no URL it
 * checks the local hub on PORT, and a hub whose /healthz answers 503 fails the run, naming the
 * settings. The whole run against a real dev hub is in test/docs/examples.mjs (README's example).
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import http from 'node:http'
import { after, before, describe, it } from 'node:test'

const SMOKE = new URL('../../scripts/smoke.mjs', import.meta.url).pathname
const WIDGET_VERSION = '0123456789ab'

/** A hub that passes every check, except that /healthz answers `health` (status and body). */
function standInHub(health) {
  const seen = []
  const server = http.createServer((req, res) => {
    seen.push(req.url)
    const send = (status, body, headers = {}) => {
      res.writeHead(status, { 'X-Request-Id': 'req-1', 'Content-Type': 'application/json', ...headers })
      res.end(typeof body === 'string' ? body : JSON.stringify(body))
    }
    const path = new URL(req.url, 'http://x').pathname
    if (path === '/healthz') return send(health.status, health.body)
    if (path === '/embed.js' || path === `/embed/${WIDGET_VERSION}.js`)
      return send(200, 'export {}', { 'Content-Type': 'text/javascript', 'X-Widget-Version': WIDGET_VERSION })
    if (path === '/openapi.json') return send(200, { openapi: '3.1.0', paths: {} })
    if (path === '/api/sites') return send(401, { error: { code: 'unauthorized', message: 'no token' } })
    if (path === '/admin/login') return send(200, '<!doctype html>', { 'Content-Type': 'text/html' })
    send(404, { error: { code: 'not_found', message: 'No such route', request_id: 'req-1' } })
  })
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ port: server.address().port, seen, close: () => server.close() })),
  )
}

/** Runs `npm run smoke`'s script with `args` and `env`; resolves with its exit code and output. */
function smoke(args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SMOKE, ...args], { env: { ...process.env, ...env } })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    child.on('exit', (code) => resolve({ code, out }))
  })
}

describe('npm run smoke', () => {
  let healthy
  let broken
  before(async () => {
    healthy = await standInHub({ status: 200, body: { status: 'ok' } })
    broken = await standInHub({
      status: 503,
      body: {
        status: 'misconfigured',
        settings: [
          { name: 'ADMIN_TOKEN', problem: 'missing', expected: 'a random string' },
          { name: 'HUB_ORIGIN', problem: 'invalid', expected: 'an https origin' },
        ],
      },
    })
  })
  after(() => {
    healthy.close()
    broken.close()
  })

  it('checks the local hub on PORT when given no URL, and passes when every check does', async () => {
    const { code, out } = await smoke([], { PORT: String(healthy.port) })
    assert.match(out, new RegExp(`^Checking http://127\\.0\\.0\\.1:${healthy.port}$`, 'm'))
    assert.ok(healthy.seen.includes('/healthz'), 'the hub on PORT was asked for /healthz')
    assert.match(out, /^✓ GET \/healthz/m)
    assert.match(out, /^All checks passed\.$/m)
    assert.equal(code, 0, out)
  })

  it('fails when /healthz answers 503, naming each setting', async () => {
    const { code, out } = await smoke([`http://127.0.0.1:${broken.port}`])
    assert.match(
      out,
      /^✗ GET \/healthz.* — 503: ADMIN_TOKEN is missing \(expected a random string\); HUB_ORIGIN is invalid/m,
    )
    assert.match(out, /^1 check\(s\) failed\.$/m)
    assert.equal(code, 1, out)
  })

  it('says nothing answers when no hub runs on PORT', async () => {
    const { port, close } = await standInHub({ status: 200, body: { status: 'ok' } })
    close()
    const { code, out } = await smoke([], { PORT: String(port) })
    assert.match(out, new RegExp(`Nothing answers at http://127\\.0\\.0\\.1:${port}`))
    assert.equal(code, 1)
  })
})
