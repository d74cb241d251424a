import { env } from 'cloudflare:workers'

/** A page served by the fixture web (test/fixtures/blogs.js). */
export type Page = {
  status?: number
  headers?: Record<string, string>
  body?: string
  bodyBase64?: string
  /** Produce a body of this many bytes as it is read. */
  generateBytes?: number
  /** Answer only after this long. */
  delayMs?: number
  /** Drop the connection instead of answering (the fetch fails). */
  dropConnection?: boolean
}

const control = (path: string, init?: RequestInit) => {
  const headers = new Headers(init?.headers)
  headers.set('X-Fixture-Control', 'yes')
  return env.BLOGS.fetch(`http://fixtures${path}`, { ...init, headers })
}

/** Serves `page` at `url` (replacing what was there). */
export async function servePage(url: string, page: Page = {}): Promise<void> {
  const res = await control('/pages', { method: 'PUT', body: JSON.stringify({ url, ...page }) })
  if (!res.ok) throw new Error(`fixture web refused the page: ${await res.text()}`)
}

/** How often `url` was fetched, and the headers, method and body (null for GET) of the last request. */
export async function hitsOf(
  url: string,
): Promise<{ count: number; headers: Record<string, string> | null; method?: string; body?: string | null }> {
  return (await control(`/hits?url=${encodeURIComponent(url)}`)).json()
}

export const html = (body: string, head = '') =>
  `<!doctype html><html><head><meta charset="utf-8">${head}</head><body>${body}</body></html>`
