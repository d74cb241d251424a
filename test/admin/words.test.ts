/**
 * The console's words read naturally: English counts take their plural forms through one helper
 * (Intl.PluralRules), Japanese counts with counters; and the small things people stumbled on — a
 * delivery's attempts counted as listed after "send again", a code pasted twice said, "none
 * ticked: every event" in the legend, Suspend naming its partner and asking first, the inbox's
 * target filter choosing a product by its name.
 */
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'

import { WORDS as IMPORT_WORDS } from '../../src/admin/pages/imports/words'
import { WORDS as PARTNER_WORDS } from '../../src/admin/pages/partners/words'
import { WORDS as PLATFORM_WORDS } from '../../src/admin/pages/platform/words'
import { WORDS as REVIEW_WORDS } from '../../src/admin/pages/reviews/words'
import { WORDS as TARGET_WORDS } from '../../src/admin/pages/targets/words'
import { WORDS as WATCH_WORDS } from '../../src/admin/pages/watches/words'
import { WORDS as WEBHOOK_WORDS } from '../../src/admin/pages/webhooks/words'
import { WORDS as INBOX_WORDS } from '../../src/admin/pages/inbox/words'
import { WORDS as OVERVIEW_WORDS } from '../../src/admin/pages/overview/words'
import { WORDS as SETTINGS_WORDS } from '../../src/admin/pages/settings/words'
import { WORDS as SIGN_IN_WORDS } from '../../src/admin/pages/sign-in/words'
import { WORDS as SITES_WORDS } from '../../src/admin/pages/sites/words'
import { WORDS as VOICE_WORDS } from '../../src/admin/pages/voice/words'
import { phrase, SHARED_WORDS } from '../../src/admin/kit/words'
import { type Browser, follow, get, post, signIn } from '../helpers/admin'
import { approvedPartner } from '../helpers/affiliates'
import { createSite, createTarget, PUBLISH_PINGS_AT_ONCE, type SiteFixture, unique } from '../helpers/factories'
import { api } from '../helpers/http'
import { eventually } from '../helpers/linkbacks'
import { pingVoice } from '../helpers/voices'

/** Every page's words, and those they share. */
const ALL_WORDS = [
  SHARED_WORDS,
  IMPORT_WORDS,
  INBOX_WORDS,
  OVERVIEW_WORDS,
  PARTNER_WORDS,
  PLATFORM_WORDS,
  REVIEW_WORDS,
  SETTINGS_WORDS,
  SIGN_IN_WORDS,
  SITES_WORDS,
  TARGET_WORDS,
  VOICE_WORDS,
  WATCH_WORDS,
  WEBHOOK_WORDS,
]

describe('phrase', () => {
  it('gives English counts their forms: one, zero and many', () => {
    const merged = TARGET_WORDS.en.targetMerged
    expect(phrase('en', merged, { n: 1 })).toBe('Merged: 1 voice moved.')
    expect(phrase('en', merged, { n: 0 })).toBe('Merged: 0 voices moved.')
    expect(phrase('en', merged, { n: 1200 })).toBe('Merged: 1,200 voices moved.')
    expect(phrase('en', REVIEW_WORDS.en.erasedCounts, { invitations: 1, reviews: 1 })).toBe(
      'Erased: 1 invitation, 1 review.',
    )
    expect(phrase('en', REVIEW_WORDS.en.erasedCounts, { invitations: 2, reviews: 0 })).toBe(
      'Erased: 2 invitations, 0 reviews.',
    )
    expect(phrase('en', REVIEW_WORDS.en.codesAdded, { added: 1, known: 1 })).toBe(
      '1 code added; 1 was already in the pool.',
    )
    expect(phrase('en', PARTNER_WORDS.en.commissionsMoved, { n: 1 })).toBe('1 ledger entry moved.')
    expect(phrase('en', WEBHOOK_WORDS.en.resentMany, { n: 1 })).toBe('1 delivery queued to be sent again.')
    expect(phrase('en', PLATFORM_WORDS.en.productTargets, { n: 1 })).toBe('1 product of the shop is a target.')
    expect(phrase('en', PLATFORM_WORDS.en.productTargets, { n: 0 })).toBe('0 products of the shop are targets.')
    expect(phrase('en', PLATFORM_WORDS.en.delayLine, { n: 1 })).toBe('Invitations are sent 1 day after that.')
    expect(phrase('en', INBOX_WORDS.en.answeredMany, { n: 1 })).toBe('Published on 1 voice.')
    expect(phrase('en', WATCH_WORDS.en.failedTimes, { n: 1 })).toBe('failed 1 time in a row')
    expect(phrase('en', OVERVIEW_WORDS.en.hoursFaster, { n: 1 })).toBe('1 hour faster')
    expect(phrase('en', IMPORT_WORDS.en.progress, { lines: 1, steps: 1 })).toBe('1 line read in 1 step')
    expect(phrase('en', IMPORT_WORDS.en.progress, { lines: 1200, steps: 0 })).toBe('1,200 lines read in 0 steps')
    expect(phrase('en', OVERVIEW_WORDS.en.resolvedOf, { resolved: 1, apologized: 1, percent: '100%' })).toBe(
      '1 of 1 apology (100%)',
    )
  })

  it('counts in Japanese with counters, without plural forms', () => {
    expect(phrase('ja', TARGET_WORDS.ja.targetMerged, { n: 1 })).toBe('まとめました：声を1件移しました。')
    expect(phrase('ja', WATCH_WORDS.ja.failedTimes, { n: 3 })).toBe('3回続けて失敗')
    expect(phrase('ja', PLATFORM_WORDS.ja.productTargets, { n: 1200 })).toBe(
      'ショップの商品のうち1,200件が対象ページです。',
    )
    expect(phrase('ja', IMPORT_WORDS.ja.progress, { lines: 1200, steps: 2 })).toBe('2段階で1,200行を読みました')
    expect(phrase('ja', REVIEW_WORDS.ja.erasedCounts, { invitations: 1, reviews: 0 })).toBe(
      '消去しました：依頼1件、レビュー0件。',
    )
  })

  it('leaves a blank it has no value for as it is', () => {
    expect(phrase('en', 'Sent to {email}.', {})).toBe('Sent to {email}.')
  })

  it('is the only way a console sentence gets a count: no English template writes a plural by hand', () => {
    // Any blank ({n}, {added}, {invitations}…) followed, a word or two on, by a plural written out.
    const handWritten = /\{(\w+)\} (?:[a-z]+ )?(?!(?:was|is|has|as|this|its)\b)[a-z]+s\b/
    for (const words of ALL_WORDS)
      for (const [key, text] of Object.entries(words.en)) expect(text, key).not.toMatch(handWritten)
    // The guard itself: each of these would read "1 … codes" for one.
    for (const bad of ['{added} codes added.', '{n} ledger entries moved.', 'Erased: {invitations} invitations.'])
      expect(bad).toMatch(handWritten)
    expect('{added} {added:code|codes} added; {known} {known:was|were} already in the pool.').not.toMatch(handWritten)
  })
})

let site: SiteFixture
let staff: Browser

beforeAll(async () => {
  site = await createSite(PUBLISH_PINGS_AT_ONCE)
  staff = await signIn(site.key)
})

describe('the console', () => {
  it('counts a delivery’s attempts as its list shows them, right after “send again”', async () => {
    const made = await api('POST', `/api/sites/${site.slug}/webhooks`, { url: 'https://hooks.example/a' }, site.key)
    const { id } = await made.json<{ id: string }>()
    await pingVoice(site, (await createTarget(site)).id)
    const page = `/admin/sites/${site.slug}/webhooks/${id}?lang=en`
    const attempted = await eventually(
      async () => (await get(staff, page)).text(),
      (html) => html.includes('aria-label="Attempts, oldest first"'),
    )
    const delivery = /deliveries\/([A-Za-z0-9_-]+)\/resend/.exec(attempted)![1]!
    const resent = await post(staff, `/admin/sites/${site.slug}/webhooks/${id}/deliveries/${delivery}/resend`, {
      _csrf: staff.csrf,
    })
    const html = await (await follow(staff, resent, 'lang=en')).text()
    const listed = /<ol class="meta" aria-label="Attempts, oldest first">(.*?)<\/ol>/.exec(html)![1]!.match(/<li>/g)!
    expect(html).toContain(`attempts: ${listed.length}<`)
    expect(listed.length).toBeGreaterThan(0)
  })

  it('says in the legend that no event ticked means every event', async () => {
    const en = await (await get(staff, `/admin/sites/${site.slug}/webhooks?lang=en`)).text()
    expect(en).toContain('<legend>Events to send (none ticked: every event)</legend>')
    const ja = await (await get(staff, `/admin/sites/${site.slug}/webhooks?lang=ja`)).text()
    expect(ja).toContain('<legend>送るイベント（何も選ばなければすべてのイベント）</legend>')
  })

  it('names the partner on Suspend, and asks before suspending', async () => {
    const partner = await approvedPartner(site, `Hanako ${unique('blog')}`)
    const name = (await env.DB.prepare('SELECT name FROM partners WHERE id = ?').bind(partner.id).first<{
      name: string
    }>())!.name
    const html = await (await get(staff, `/admin/sites/${site.slug}/partners?lang=en`)).text()
    // The button is a question first: its answer, a second button, names the partner and says what happens.
    expect(html).toContain(`<summary aria-label="Suspend: ${name}">Suspend</summary>`)
    expect(html).toContain(`Suspend ${name}? Their tracking links stop working`)
    expect(html).toContain(`<button type="submit">Yes, suspend ${name}</button>`)
    expect(html).toContain(`<button type="submit" aria-label="Send a new sign-in link: ${name}">`)
    const ja = await (await get(staff, `/admin/sites/${site.slug}/partners?lang=ja`)).text()
    expect(ja).toContain(`${name}の参加を停止しますか？`)
  })

  it('lets the inbox be filtered by a product chosen by its name', async () => {
    const mug = await createTarget(site, unique('mug'), 'Stoneware mug')
    const html = await (await get(staff, `/admin/sites/${site.slug}?lang=en`)).text()
    expect(html).toContain(`<option value="${mug.id}">Stoneware mug</option>`)
    expect(html).not.toMatch(/<input name="target"/)
    const chosen = await (await get(staff, `/admin/sites/${site.slug}?target=${mug.id}&lang=en`)).text()
    expect(chosen).toContain(`<option value="${mug.id}" selected="">Stoneware mug</option>`)
  })
})
