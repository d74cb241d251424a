/**
 * A throw-away local hub for scripts that drive it from outside (the bench, the browser
 * test): a fresh persisted state directory with the migrations applied, `wrangler dev` on
 * 127.0.0.1 with development settings plus `vars`, a plain HTTP helper, and a stop that
 * takes the whole process group down. `errorLog`: a file (under `dir`) for wrangler dev's
 * stderr instead of this process's; `args`: more arguments for `wrangler dev`.
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync, openSync, rmSync } from 'node:fs'
import http from 'node:http'

export function startLocalHub({ port, dir, vars = {}, log = process.env.HUB_LOG, errorLog, args = [] }) {
  const state = `${dir}/state`
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const stderr = errorLog ? openSync(`${dir}/${errorLog}`, 'w') : 'inherit'
  const migrate = spawnSync('npx', ['wrangler', 'd1', 'migrations', 'apply', 'DB', '--local', '--persist-to', state], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, CI: 'true' },
  })
  if (migrate.status !== 0) throw new Error('applying the migrations failed')

  const varArgs = Object.entries({ ENVIRONMENT: 'development', ...vars }).flatMap(([k, v]) => ['--var', `${k}:${v}`])
  const dev = spawn(
    'npx',
    [
      'wrangler',
      'dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--persist-to',
      state,
      ...varArgs,
      '--log-level',
      log ?? 'error',
      ...args,
    ],
    {
      stdio: ['ignore', log ? 'inherit' : 'ignore', stderr],
      detached: true,
    },
  )
  const stop = () => {
    try {
      process.kill(-dev.pid, 'SIGTERM')
    } catch {
      // already gone
    }
  }
  process.on('exit', stop)
  process.on('SIGINT', () => process.exit(130))

  const base = `http://127.0.0.1:${port}`
  /**
   * One request on a new connection (`agent: false`): pooled keep-alive connections go stale
   * while a long request runs and then hang in wrangler dev's proxy.
   */
  const request = (method, path, body, headers = {}) =>
    new Promise((resolve, reject) => {
      const req = http.request(`${base}${path}`, { method, agent: false, headers }, (res) => {
        const chunks = []
        res.on('data', (c) => chunks.push(c))
        res.on('end', () =>
          resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        )
      })
      req.setTimeout(600_000, () => req.destroy(new Error(`${method} ${path}: timed out`)))
      req.on('error', reject)
      req.end(body)
    })

  /** Waits until `path` answers 200 (wrangler dev takes a few seconds to start). */
  const waitFor = async (path) => {
    let last = null
    for (let i = 0; i < 240; i++) {
      try {
        last = await request('GET', path)
        if (last.status === 200) return
      } catch {
        // not there yet: try again
      }
      await new Promise((r) => setTimeout(r, 500))
    }
    throw new Error(
      last
        ? `the local hub answers ${path} with ${last.status}: ${last.body.slice(0, 500)}`
        : 'wrangler dev did not start',
    )
  }
  return { base, request, waitFor, stop, pid: dev.pid }
}
