// Debian's Chromium for the browser tests (never a downloaded browser), started the same way by each.
import { existsSync } from 'node:fs'
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
