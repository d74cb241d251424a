/** The operator sign-in page when the hub's operator token (ADMIN_TOKEN) is missing or malformed. */
import { describe, expect, it } from 'vitest'

import { createSite } from '../helpers/factories'
import { callAt, HUB } from '../helpers/http'

const NOT_CONFIGURED = {
  en: 'The hub’s operator token is not configured',
  ja: 'このハブのオペレータートークンが設定されていません',
}
const BAD_TOKEN = { en: 'That key or token is not valid', ja: 'キーまたはトークンが無効です' }

/** Posts the sign-in form to the hub running with `bindings`, in `lang`. */
function signInWith(bindings: Partial<Env>, token: string, lang: 'en' | 'ja' = 'en') {
  return callAt(Date.now(), bindings)('/admin/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: HUB, 'Accept-Language': lang },
    body: new URLSearchParams({ token }).toString(),
    redirect: 'manual',
  })
}

describe('POST /admin/login', () => {
  it.each(['en', 'ja'] as const)(
    'says the operator token is not configured when ADMIN_TOKEN is missing (%s), at the field',
    async (lang) => {
      const res = await signInWith({ ADMIN_TOKEN: undefined }, 'dev-operator-token-change-me', lang)
      expect(res.status).toBe(401)
      const page = await res.text()
      expect(page).toContain(NOT_CONFIGURED[lang])
      expect(page).not.toContain(BAD_TOKEN[lang])
      expect(page).toMatch(/<input[^>]*id="token"[^>]*aria-invalid="true"[^>]*aria-describedby="token_error[ "]/)
      expect(page).toMatch(new RegExp(`<[a-z]+[^>]*id="token_error"[^>]*>[^<]*${NOT_CONFIGURED[lang]}`))
    },
  )

  it('says so too when a deployed hub’s ADMIN_TOKEN is malformed, without showing it', async () => {
    const res = await signInWith({ ENVIRONMENT: 'production', ADMIN_TOKEN: 'short-token' }, 'something else')
    expect(res.status).toBe(401)
    const page = await res.text()
    expect(page).toContain(NOT_CONFIGURED.en)
    expect(page).not.toContain('short-token')
  })

  it('opens nothing with a deployed hub’s weak operator token, even sent exactly: not the console, not the API', async () => {
    const weak = { ENVIRONMENT: 'production', ADMIN_TOKEN: 'short-token' }
    const page = await signInWith(weak, 'short-token')
    expect(page.status).toBe(401)
    expect(await page.text()).toContain(NOT_CONFIGURED.en)
    const api = await callAt(Date.now(), weak)('/api/sites', { headers: { Authorization: 'Bearer short-token' } })
    expect(api.status).toBe(401)
    // The same token on a local hub (short tokens are fine there) is the operator.
    const local = await callAt(Date.now(), { ADMIN_TOKEN: 'short-token' })('/api/sites', {
      headers: { Authorization: 'Bearer short-token' },
    })
    expect(local.status).toBe(200)
  })

  it('still lets a site key in while the operator token is not configured', async () => {
    const site = await createSite()
    const res = await signInWith({ ADMIN_TOKEN: undefined }, site.key)
    expect(res.status).toBe(303)
    expect(res.headers.get('Set-Cookie')).toMatch(/^__Host-glasshouse_session=/)
  })

  it('keeps saying the key or token is not valid when the operator token is configured', async () => {
    const res = await signInWith({}, 'not-the-token')
    expect(res.status).toBe(401)
    const page = await res.text()
    expect(page).toContain(BAD_TOKEN.en)
    expect(page).not.toContain(NOT_CONFIGURED.en)
  })
})
