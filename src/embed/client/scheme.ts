/**
 * Light or dark: what the widget's text is drawn for. A storefront's page, not the reader's
 * system, decides what is behind the widget, so without a `theme` the widget reads the colour
 * it actually sits on and picks the scheme whose text stands out on it.
 */

/** The reader's system setting: followed for `theme="auto"`; a change makes the widget look at the page again. */
export const DARK_SYSTEM = matchMedia('(prefers-color-scheme: dark)')

/**
 * `theme="light"` or `"dark"` as asked; `"auto"` the reader's system setting; otherwise (unset,
 * or any other value) dark exactly when the background behind the element is dark.
 */
export function isDark(host: HTMLElement): boolean {
  const theme = host.getAttribute('theme')
  if (theme === 'light' || theme === 'dark') return theme === 'dark'
  if (theme === 'auto') return DARK_SYSTEM.matches
  // Below this relative luminance, light text has the higher contrast (WCAG 2.2's formula).
  return luminanceBehind(host) < 0.18
}

let pixel: CanvasRenderingContext2D | null | undefined

/** A computed colour in sRGB (0–1 each) and its alpha, whatever syntax it was written in: a canvas converts it. */
function rgba(color: string): number[] {
  pixel ??= Object.assign(document.createElement('canvas'), { width: 1, height: 1 }).getContext('2d', {
    willReadFrequently: true,
  })
  if (!pixel) return [1, 1, 1, 0]
  pixel.clearRect(0, 0, 1, 1)
  pixel.fillStyle = '#0000'
  pixel.fillStyle = color
  pixel.fillRect(0, 0, 1, 1)
  return [...pixel.getImageData(0, 0, 1, 1).data].map((c) => c / 255)
}

/** Whether the page's canvas (behind every background) is dark: the page asks for a dark colour scheme. */
function canvasIsDark(): boolean {
  const asked = getComputedStyle(document.documentElement).colorScheme
  const schemes =
    asked === 'normal' ? (document.querySelector<HTMLMetaElement>('meta[name="color-scheme"]')?.content ?? '') : asked
  return schemes.includes('dark') && (!schemes.includes('light') || DARK_SYSTEM.matches)
}

/**
 * The relative luminance of what is painted behind `node`: the background colours of it and its
 * ancestors (through shadow roots and slots), each laid over the next, down to the page's canvas.
 * Background images are not seen; a shop that puts the widget on one sets `theme`.
 */
export function luminanceBehind(node: Element): number {
  let [r, g, b, left] = [0, 0, 0, 1]
  for (let n: Node | null = node; n && left > 0.004; n = n instanceof ShadowRoot ? n.host : n.parentNode) {
    if (!(n instanceof Element)) continue
    const box: Element = n.assignedSlot ?? n
    n = box
    const bg = getComputedStyle(box).backgroundColor
    if (bg === 'rgba(0, 0, 0, 0)' || bg === 'transparent') continue
    const [cr = 0, cg = 0, cb = 0, a = 0] = rgba(bg)
    r += left * a * cr
    g += left * a * cg
    b += left * a * cb
    left *= 1 - a
  }
  const canvas = left * (canvasIsDark() ? 0.07 : 1)
  return 0.2126 * linear(r + canvas) + 0.7152 * linear(g + canvas) + 0.0722 * linear(b + canvas)
}

const linear = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)
