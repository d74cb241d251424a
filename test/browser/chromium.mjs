// Debian's Chromium for the browser tests (never a downloaded browser), started the same way by each,
// and axe-core (offline, from npm) to check the pages they show.
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { chromium } from 'playwright-core'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Stops the test at once, with the package to install, when there is no Chromium. */
export function requireChromium() {
  if (existsSync(CHROMIUM)) return
  console.error(`Browser test: no Chromium at ${CHROMIUM}. Install Debian's package: apt-get install -y chromium`)
  process.exit(1)
}

/** Headless, without a sandbox or network of its own (what this machine allows). */
export const launchChromium = () =>
  chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/** axe-core on the page as it is now: no serious or critical violation. */
export async function axeClean(page, what) {
  await page.addScriptTag({ content: AXE })
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] })
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
  })
  assert.deepEqual(result, [], `axe-core on ${what}`)
}
