/**
 * Building the widget's DOM without ever parsing markup: elements are created one by one,
 * outside text goes in as text nodes only (never innerHTML), and the only outside value that
 * becomes an attribute is a link — and only an http(s) one.
 */

/** A child: an element, or text (null and false are skipped). */
export type Child = Node | string | number | null | false | undefined

/** An element with fixed attributes (our own strings) and children (text nodes for strings). */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag)
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value)
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue
    node.append(typeof child === 'object' ? child : document.createTextNode(String(child)))
  }
  return node
}

/**
 * Text someone outside the shop wrote: in its own bidi-isolated span, so that direction
 * overrides inside it (U+202E) cannot turn the widget's own words around.
 */
export const outside = (text: string | null | undefined) =>
  text ? el('span', { class: 'outside', dir: 'auto' }, text) : null

/** An http(s) URL as given, or null: `javascript:`, `data:` and the rest never become links. */
export function safeUrl(url: unknown): string | null {
  if (typeof url !== 'string') return null
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null
  } catch {
    return null
  }
}

/** A link out to someone else's page: never passes on who sent the visitor, never lends our page's rank. */
export function linkOut(url: unknown, ...children: Child[]): HTMLElement | null {
  const href = safeUrl(url)
  return href ? el('a', { href, rel: 'nofollow ugc noopener noreferrer', target: '_blank' }, ...children) : null
}
