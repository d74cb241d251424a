#!/usr/bin/env node
// `npm run dev`: local secrets, local D1 migrations, `wrangler dev` on 127.0.0.1:8787 (PORT to
// change it), then the demo data (idempotent). The migration step's output is shown only when
// it fails; wrangler dev's own output is kept. Ctrl-C stops everything.
import { spawn, spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, readFileSync } from 'node:fs'

const HOST = '127.0.0.1'
const PORT = process.env.PORT ?? '8787'

if (!existsSync('.dev.vars')) {
  copyFileSync('.dev.vars.example', '.dev.vars')
  console.log('Created .dev.vars from .dev.vars.example')
}

process.stdout.write('Applying migrations to the local D1… ')
const migrate = spawnSync('npx', ['wrangler', 'd1', 'migrations', 'apply', 'DB', '--local'], {
  encoding: 'utf8',
  env: { ...process.env, CI: 'true' }, // no interactive confirmation
})
if (migrate.status !== 0) {
  console.log('failed:\n')
  process.stdout.write(migrate.stdout ?? '')
  process.stderr.write(migrate.stderr ?? '')
  if (migrate.error) console.error(migrate.error.message)
  process.exit(migrate.status ?? 1)
}
// wrangler redraws its table after each migration: count each migration marked ✅ once.
const applied = new Set([...migrate.stdout.matchAll(/(\d{4}_\S+\.sql)\s*│\s*✅/g)].map((m) => m[1])).size
console.log(applied > 0 ? `${applied} applied.` : 'up to date.')

const dev = spawn('npx', ['wrangler', 'dev', '--ip', HOST, '--port', PORT, ...process.argv.slice(2)], {
  stdio: 'inherit',
})
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => dev.kill(signal))
dev.on('exit', (code) => process.exit(code ?? 0))

const base = `http://${HOST}:${PORT}`
for (let attempt = 0; attempt < 120; attempt++) {
  try {
    const res = await fetch(`${base}/__dev/seed`, { method: 'POST' })
    if (res.ok) {
      const token = /^ADMIN_TOKEN=(.*)$/m.exec(readFileSync('.dev.vars', 'utf8'))?.[1]?.trim()
      const seeded = await res.json()
      console.log(`\nGlasshouse is up on ${base}`)
      console.log(`  demo storefront  ${base}/`)
      console.log(`  demo feed        ${base}/feeds/demo.json?target=tshirt`)
      console.log(`  operator UI      ${base}/admin`)
      if (seeded.review_link) console.log(`  a review link    ${seeded.review_link} (the demo order's buyer)`)
      console.log(`  operator token   ${token} (from .dev.vars)\n`)
      break
    }
    console.error(`Seeding failed: ${res.status} ${await res.text()}`)
    break
  } catch {
    await new Promise((r) => setTimeout(r, 500))
  }
}
