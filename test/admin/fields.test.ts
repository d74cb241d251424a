/**
 * A refused field says so at the field, on every console form: its problem beside the control (and
 * in the summary at the top, linked to it), `aria-invalid="true"` on the control and
 * `aria-describedby` naming the problem; a box of lines names the line that is wrong.
 */
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'

import { type Browser, get, post, signIn } from '../helpers/admin'
import { createSite, createTarget, PUBLISH_PINGS_AT_ONCE, type SiteFixture, unique } from '../helpers/factories'
import { api, call, HUB, OPERATOR_TOKEN } from '../helpers/http'
import { pingVoice } from '../helpers/voices'

let site: SiteFixture
let staff: Browser

/** The opening tag of the control with this id (an input, a select, a textarea or a group of boxes). */
function control(html: string, id: string): string {
  const tag = new RegExp(`<(input|select|textarea|fieldset)\\b[^>]*\\bid="${id}"[^>]*>`).exec(html)
  expect(tag, `no control #${id}`).not.toBeNull()
  return tag![0]
}

/** Asserts that the field `id` is marked refused with `message` beside it and in the summary; returns its tag. */
function refusedAt(html: string, id: string, message: string) {
  const tag = control(html, id)
  if (!tag.startsWith('<fieldset')) expect(tag, id).toContain('aria-invalid="true"')
  expect(/aria-describedby="([^"]+)"/.exec(tag)?.[1]?.split(' '), id).toContain(`${id}_error`)
  expect(html, id).toContain(`<p class="field-error" id="${id}_error">${message}</p>`)
  expect(html, id).toMatch(new RegExp(`<a href="#${id}">[^<]+</a>: ${message.replace(/[()]/g, '\\$&')}`))
  return tag
}

const notRefused = (html: string, id: string) => {
  expect(control(html, id)).not.toContain('aria-invalid')
  expect(html).not.toContain(`id="${id}_error"`)
}

beforeAll(async () => {
  site = await createSite(PUBLISH_PINGS_AT_ONCE)
  staff = await signIn(site.key)
})

describe('the sign-in page', () => {
  it('marks the token it refused', async () => {
    const res = await call('/admin/login?lang=en', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: HUB },
      body: 'token=gh_nonsense',
    })
    expect(res.status).toBe(401)
    const html = await res.text()
    const token = control(html, 'token')
    expect(token).toContain('aria-invalid="true"')
    expect(token).toContain('aria-describedby="token_error token_help"')
    expect(token).not.toContain('gh_nonsense')
    expect(html).toContain(
      '<p class="field-error" id="token_error">That key or token is not valid (or was revoked).</p>',
    )
  })
})

describe('the settings page', () => {
  it('marks each refused field and names the wrong line of the origins; help lines stay described', async () => {
    const res = await post(staff, `/admin/sites/${site.slug}/settings?lang=en`, {
      _csrf: staff.csrf,
      name: '',
      origins: `${site.origin}\n\nshop.example`,
      embed_origins: '',
      response_target_hours: '24',
      time_zone: 'UTC',
      cache_seconds: '0',
      lang: 'en',
    })
    expect(res.status).toBe(400)
    const html = await res.text()
    refusedAt(html, 'name', 'must not be empty')
    const origins = refusedAt(html, 'origins', 'line 3: must be an absolute http(s) URL')
    expect(origins).toContain('aria-describedby="origins_error origins_help"')
    // Left empty, the widget's box copies the storefront's: its problem is said once, where it was typed.
    notRefused(html, 'embed_origins')
    notRefused(html, 'time_zone')
    expect(control(html, 'time_zone')).toContain('aria-describedby="time_zone_help"')
  })

  it('says the line in Japanese on a Japanese page', async () => {
    const res = await post(staff, `/admin/sites/${site.slug}/settings?lang=ja`, {
      _csrf: staff.csrf,
      name: 'Shop',
      origins: site.origin,
      embed_origins: `https://ok.example\nftp://no.example`,
      response_target_hours: '24',
      time_zone: 'UTC',
      cache_seconds: '0',
      lang: 'ja',
    })
    const html = await res.text()
    expect(html).toContain('<p class="field-error" id="embed_origins_error">2行目：')
    expect(control(html, 'embed_origins')).toContain('aria-invalid="true"')
  })

  it('marks a refused key label', async () => {
    const operator = await signIn(OPERATOR_TOKEN)
    const res = await post(operator, `/admin/sites/${site.slug}/keys?lang=en`, { _csrf: operator.csrf, label: ' ' })
    expect(res.status).toBe(400)
    refusedAt(await res.text(), 'label', 'must not be empty')
  })
})

describe('the reviews pages', () => {
  it('marks refused settings, a select among them, and the wrong line of a box of codes', async () => {
    const settings = await post(staff, `/admin/sites/${site.slug}/reviews?lang=en`, {
      _csrf: staff.csrf,
      delay_days: 'soon',
      valid_days: '30',
      edit_days: '30',
      review_lang: 'en',
      coupon_mode: 'lottery',
    })
    expect(settings.status).toBe(400)
    const html = await settings.text()
    refusedAt(html, 'delay_days', 'must be a number')
    expect(control(html, 'coupon_mode')).toContain('aria-invalid="true"')
    notRefused(html, 'valid_days')

    const codes = await post(staff, `/admin/sites/${site.slug}/reviews/codes?lang=en`, {
      _csrf: staff.csrf,
      codes: 'GOOD-1\n\nGOOD-2\nnot a code!',
    })
    expect(codes.status).toBe(400)
    refusedAt(await codes.text(), 'codes', 'line 4: each code: 1–64 letters, digits, - or _')
  })

  it('marks the erasure form’s address and its box to tick', async () => {
    const res = await post(staff, `/admin/sites/${site.slug}/erasure?lang=en`, { _csrf: staff.csrf, email: 'nobody' })
    expect(res.status).toBe(400)
    const html = await res.text()
    expect(control(html, 'email')).toContain('aria-invalid="true"')
    refusedAt(html, 'confirm', 'tick the box to confirm')
  })
})

describe('the watched feeds, webhooks and targets pages', () => {
  it('marks the feed’s address and names the wrong keyword line', async () => {
    const res = await post(staff, `/admin/sites/${site.slug}/watches?lang=en`, {
      _csrf: staff.csrf,
      feed_url: 'feed',
      keywords: `Tanaka\n${'k'.repeat(101)}`,
    })
    expect(res.status).toBe(400)
    const html = await res.text()
    expect(control(html, 'feed_url')).toContain('aria-invalid="true"')
    expect(html).toMatch(/<p class="field-error" id="keywords_error">line 2: /)
  })

  it('marks a webhook’s address, its format and its events (the group and each box)', async () => {
    const body = new URLSearchParams([
      ['_csrf', staff.csrf],
      ['url', 'hooks'],
      ['mode', 'pigeon'],
      ['events', 'mention.teleported'],
    ])
    const res = await post(staff, `/admin/sites/${site.slug}/webhooks?lang=en`, Object.fromEntries(body))
    expect(res.status).toBe(400)
    const html = await res.text()
    refusedAt(html, 'url', 'must be an absolute http(s) URL')
    expect(control(html, 'mode')).toContain('aria-invalid="true"')
    expect(control(html, 'events')).toContain('aria-describedby="events_error"')
    expect(html).toMatch(/<input type="checkbox" name="events" value="mention.received" aria-invalid="true"\/>/)
  })

  it('marks the date of “send again every failed delivery since”', async () => {
    const made = await api('POST', `/api/sites/${site.slug}/webhooks`, { url: 'https://hooks.example/f' }, site.key)
    const { id } = await made.json<{ id: string }>()
    const res = await post(staff, `/admin/sites/${site.slug}/webhooks/${id}/resend-failed?lang=en`, {
      _csrf: staff.csrf,
      since: 'yesterday',
    })
    expect(res.status).toBe(400)
    refusedAt(await res.text(), 'since', 'choose a date and time')
  })

  it('marks the title of the target whose form was refused, and no other', async () => {
    const one = await createTarget(site, unique('cup'), 'Cup')
    const two = await createTarget(site, unique('bowl'), 'Bowl')
    const res = await post(staff, `/admin/sites/${site.slug}/targets/${one.id}?lang=en`, {
      _csrf: staff.csrf,
      title: ' ',
      kind: 'product',
    })
    expect(res.status).toBe(400)
    const html = await res.text()
    refusedAt(html, `title_${one.id}`, 'must not be empty')
    notRefused(html, `title_${two.id}`)
  })
})

describe('the voice page, the inbox and the partners page', () => {
  it('marks a moderation without its reason, and a response’s fields', async () => {
    const target = await createTarget(site)
    const url = await pingVoice(site, target.id)
    const { id } = (await env.DB.prepare('SELECT id FROM mentions WHERE source_url = ?').bind(url).first<{
      id: string
    }>())!
    const moderated = await post(staff, `/admin/mentions/${id}/moderation?lang=en`, {
      _csrf: staff.csrf,
      action: 'remove',
      category: 'duplicate',
      reason: '',
    })
    expect(moderated.status).toBe(400)
    const html = await moderated.text()
    expect(control(html, 'reason')).toContain('aria-invalid="true"')
    expect(html).toContain('id="reason_error"')
    notRefused(html, 'action')

    const answered = await post(staff, `/admin/mentions/${id}/responses?lang=en`, {
      _csrf: staff.csrf,
      stage: 'gloat',
      body: '',
      author_name: 'Aiko',
    })
    expect(answered.status).toBe(400)
    const page = await answered.text()
    expect(control(page, 'stage')).toContain('aria-invalid="true"')
    expect(control(page, 'body')).toContain('aria-invalid="true"')
    notRefused(page, 'author_name')
  })

  it('marks the inbox’s response form', async () => {
    const res = await post(staff, `/admin/sites/${site.slug}/responses?lang=en`, {
      _csrf: staff.csrf,
      ids: 'm_x',
      stage: 'resolution',
      body: 'Fixed',
      author_name: '',
    })
    expect(res.status).toBe(400)
    expect(control(await res.text(), 'author_name')).toContain('aria-invalid="true"')
  })

  it('names the wrong line of the per-product rates', async () => {
    const res = await post(staff, `/admin/sites/${site.slug}/programme?lang=en`, {
      _csrf: staff.csrf,
      commission_percent: '10',
      commission_by_target: 'tee = 5\n\nmug = lots',
      window_days: '30',
      currency: 'JPY',
      click_param: 'gh_click',
    })
    expect(res.status).toBe(400)
    const html = await res.text()
    expect(html).toMatch(/<p class="field-error" id="commission_by_target_error">line 3: /)
    expect(control(html, 'commission_by_target')).toContain('aria-invalid="true"')
    notRefused(html, 'commission_percent')
  })

  it('leaves every field unmarked on a page that refused nothing', async () => {
    const html = await (await get(staff, `/admin/sites/${site.slug}/settings`)).text()
    expect(html).not.toMatch(/<[a-z]+ [^>]*aria-invalid/)
    expect(html).not.toContain('class="field-error"')
  })
})
