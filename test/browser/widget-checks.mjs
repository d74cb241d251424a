// What the widget's browser test measures on a storefront's page: the hub requests a render
// makes, and the contrast of every text in the widget against what is really painted behind it.
import assert from 'node:assert/strict'

/** Records the page's requests to the hub's documents (not the script) as paths with their queries. */
export function hubRequests(page, hub) {
  const asked = []
  page.on('request', (req) => {
    if (req.url().startsWith(`${hub}/feeds/`)) asked.push(req.url().slice(hub.length))
  })
  return asked
}

/** Waits until the widget has drawn its voices (its status says how many), then a moment for any late request. */
export async function settled(page) {
  await page.waitForFunction(() =>
    /shown\.|件を表示しています/.test(
      document.querySelector('glasshouse-voices')?.shadowRoot?.querySelector('.status')?.textContent ?? '',
    ),
  )
  await page.waitForTimeout(500)
}

/** One request for each document a render needs (the feed, and the JSON-LD when asked for), never two. */
export function assertOneRequestEach(asked, what, { jsonld }) {
  const feeds = asked.filter((p) => /^\/feeds\/[^/]+\.json\?/.test(p))
  assert.equal(feeds.length, 1, `${what}: one feed request, not ${feeds.length}: ${asked.join(', ')}`)
  const ld = asked.filter((p) => p.includes('/jsonld?'))
  assert.equal(ld.length, jsonld ? 1 : 0, `${what}: JSON-LD requests: ${asked.join(', ')}`)
  assert.equal(asked.length, feeds.length + ld.length, `${what}: nothing else: ${asked.join(', ')}`)
}

/**
 * WCAG 2.2 contrast of every text node in the widget's shadow root against its effective
 * background: the backgrounds of its element and every ancestor, up through the shadow root into
 * the page, laid over the page's white canvas (the test pages ask for no colour scheme), once
 * any transition has ended. Returns the number of texts checked and those under 4.5:1.
 */
export function textContrast(page) {
  return page.evaluate(async () => {
    const pixel = Object.assign(document.createElement('canvas'), { width: 1, height: 1 }).getContext('2d', {
      willReadFrequently: true,
    })
    const rgba = (color) => {
      pixel.clearRect(0, 0, 1, 1)
      pixel.fillStyle = '#0000'
      pixel.fillStyle = color
      pixel.fillRect(0, 0, 1, 1)
      return [...pixel.getImageData(0, 0, 1, 1).data].map((c) => c / 255)
    }
    const over = ([r, g, b, a], below) => [r, g, b].map((c, i) => c * a + below[i] * (1 - a))
    const behind = (el) => {
      const layers = []
      for (let n = el; n; n = n instanceof ShadowRoot ? n.host : n.parentNode) {
        if (n instanceof Element) layers.push(rgba(getComputedStyle(n).backgroundColor))
      }
      return layers.reduceRight((below, layer) => over(layer, below), [1, 1, 1])
    }
    const linear = (c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)
    const luminance = ([r, g, b]) => 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    const root = document.querySelector('glasshouse-voices').shadowRoot
    // Colours as they settle, not halfway through a transition.
    await Promise.all(root.getAnimations().map((a) => a.finished))
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
    const failures = []
    let checked = 0
    for (let text = walker.nextNode(); text; text = walker.nextNode()) {
      const el = text.parentElement
      if (!text.data.trim() || el.closest('style')) continue
      const bg = behind(el)
      const [hi, lo] = [luminance(over(rgba(getComputedStyle(el).color), bg)), luminance(bg)].sort((a, b) => b - a)
      const ratio = (hi + 0.05) / (lo + 0.05)
      checked++
      if (ratio < 4.5) failures.push(`"${text.data.trim().slice(0, 30)}" ${ratio.toFixed(2)}:1`)
    }
    return { checked, failures }
  })
}
