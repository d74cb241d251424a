/** A signed-in browser of the operator's web UI (/admin): its session cookie and CSRF token. */
import { expect } from 'vitest'

import { call, HUB } from './http'

export type Browser = { cookie: string; csrf: string }

export async function signIn(token: string): Promise<Browser> {
  const res = await call('/admin/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: HUB },
    body: new URLSearchParams({ token }).toString(),
    redirect: 'manual',
  })
  expect(res.status).toBe(303)
  const setCookie = res.headers.get('Set-Cookie')!
  const cookie = setCookie.split(';')[0]!
  const page = await (await call('/admin', { headers: { Cookie: cookie }, redirect: 'manual' })).text()
  const after = page.includes('_csrf')
    ? page
    : await (await get({ cookie, csrf: '' }, `/admin/sites/${await firstSlug(cookie)}`)).text()
  return { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(after)![1]! }
}

export async function firstSlug(cookie: string) {
  const res = await call('/admin', { headers: { Cookie: cookie }, redirect: 'manual' })
  return decodeURIComponent(res.headers.get('Location')!.split('/').pop()!)
}

export const get = (b: Browser, path: string, headers: Record<string, string> = {}) =>
  call(path, { headers: { Cookie: b.cookie, ...headers }, redirect: 'manual' })

export const post = (b: Browser, path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  call(path, {
    method: 'POST',
    headers: { Cookie: b.cookie, 'Content-Type': 'application/x-www-form-urlencoded', Origin: HUB, ...headers },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  })

/** A flash's cookie: this, then the flash's id. */
export const FLASH_COOKIE = '__Host-glasshouse_flash_'

/** The flash a form's answer set for the page it redirects to (`name=value`), or undefined. */
export const flashOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith(FLASH_COOKIE) && !c.endsWith('='))

/** Whether a response clears the flash cookie `flash` (`name=value`, as flashOf gives it). */
export const clearsFlash = (res: Response, flash: string) =>
  res.headers.getSetCookie().some((c) => c.startsWith(`${flash.split('=')[0]!}=;`))

/**
 * A form's answer is a redirect (303): the page it lands on, fetched as a browser would — with the
 * session and the flash the answer set (`query`, e.g. `lang=ja`, added to the address).
 */
export async function follow(b: Browser, res: Response, query = ''): Promise<Response> {
  const location = res.headers.get('Location')!
  expect(res.status, `answered ${res.status}, not a redirect (${location})`).toBe(303)
  const flash = flashOf(res)
  const path = query ? `${location}${location.includes('?') ? '&' : '?'}${query}` : location
  return call(path, { headers: { Cookie: flash ? `${b.cookie}; ${flash}` : b.cookie }, redirect: 'manual' })
}
