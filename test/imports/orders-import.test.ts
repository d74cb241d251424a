/**
 * Past orders as CSV → review invitations, end to end: the file uploaded, the import queue's steps
 * run, the invitations read back through the operator API and sent by the cron. UTF-8 with the
 * hub's columns and a Japanese cart's Shift_JIS export (one row per item, orders split across
 * steps), the import's dates and the age limit, never twice, and every refused row explained.
 */
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'

import { DAY } from '../../src/common/clock'
import { createSite, createTarget, type SiteFixture, unique } from '../helpers/factories'
import { api, testClock } from '../helpers/http'
import { importFile, reportOf } from '../helpers/imports'
import { encodeLegacy } from '../helpers/legacy-charsets'
import { inboundSecret, invite, order, type InvitationJson, runInvitationCron } from '../helpers/reviews'

const HOUR = 3600_000
const clock = testClock()
const now = clock()

/** Noon on the shop's clock `days` days before today, as the moment and as the cart writes it. */
function noonAgo(days: number, offsetHours: number) {
  const local = new Date(now + offsetHours * HOUR)
  const noon = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), 12) - days * DAY
  const wall = new Date(noon).toISOString()
  return {
    at: noon - offsetHours * HOUR,
    day: wall.slice(0, 10),
    iso: `${wall.slice(0, 10)} ${wall.slice(11, 19)}`,
    slashed: `${wall.slice(0, 10).replaceAll('-', '/')} ${wall.slice(11, 19)}`,
  }
}

async function invitationOf(site: SiteFixture, orderId: string) {
  const res = await api(
    'GET',
    `/api/sites/${site.slug}/invitations/${encodeURIComponent(orderId)}`,
    undefined,
    site.key,
  )
  expect(res.status, await res.clone().text()).toBe(200)
  return res.json<InvitationJson & { delivered_at: string }>()
}

async function invitationCount(site: SiteFixture) {
  const res = await api('GET', `/api/sites/${site.slug}/invitations?limit=100`, undefined, site.key)
  expect(res.status).toBe(200)
  return (await res.json<{ items: unknown[] }>()).items.length
}

const rowOf = (id: string) => env.DB.prepare('SELECT * FROM invitations WHERE id = ?').bind(id).first()

describe('importing past orders (Glasshouse’s columns, UTF-8)', () => {
  let site: SiteFixture
  let other: SiteFixture
  let tee: string
  let mug: string

  beforeAll(async () => {
    site = await createSite()
    other = await createSite()
    tee = (await createTarget(site, unique('tee'), 'Linen tee')).id
    mug = (await createTarget(site, unique('mug'), 'Mug')).id
  })

  it('reads a file whose rows end in a lone CR (old Mac Excel) and a cell with a quote inside it, every row once', async () => {
    const shop = await createSite()
    const target = (await createTarget(shop, unique('cap'), 'Cap')).id
    const day = noonAgo(5, 0)
    const rows = Array.from({ length: 7 }, (_, i) => `CR-${i},${day.iso},cr${i}@mail.example,5" tall,${target}`)
    const file = ['order_id,ordered_at,email,name,item', ...rows].join('\r')
    const { done } = await importFile(shop.slug, { format: 'orders_csv' }, file, clock, 2)
    expect(done).toMatchObject({ state: 'done', counts: { added: 7, duplicate: 0, skipped: 0, refused: 0 } })
  })

  it('invites each order’s buyer once, sealed, due the shop’s delay after the order, and sends it through the cron', async () => {
    const recent = noonAgo(10, 0)
    const file = [
      'order_id,ordered_at,email,name,item',
      `A-1,${recent.iso},Buyer.One@Mail.example,Alex One,${tee}`,
      `A-2,${recent.iso},two@mail.example,,${site.origin}/products/${mug}?utm_source=mail|SKU-TEE`,
      `A-3,${recent.iso},three@mail.example,Sam,${site.origin}/products/new-thing`,
    ].join('\n')
    const { id, done } = await importFile(site.slug, { format: 'orders_csv', targets: { 'SKU-TEE': tee } }, file, clock)
    expect(done).toMatchObject({ state: 'done', counts: { added: 3, duplicate: 0, skipped: 0, refused: 0 } })
    const lines = await reportOf(site.slug, id, clock)
    expect(lines.map((l) => [l.place, l.subject, l.outcome])).toEqual([
      ['row 2', 'A-1', 'added'],
      ['row 3', 'A-2', 'added'],
      ['row 4', 'A-3', 'added'],
    ])

    const first = await invitationOf(site, 'A-1')
    expect(lines[0]?.ref).toBe(first.id)
    expect(first).toMatchObject({ state: 'scheduled', targets: [tee] })
    expect(first.delivered_at).toBe(new Date(recent.at).toISOString())
    expect(first.due_at).toBe(new Date(recent.at + 7 * DAY).toISOString())
    expect(first.expires_at).toBe(new Date(recent.at + 37 * DAY).toISOString())
    // The product page's URL and the mapped product code, one target each; a new storefront page becomes a target.
    expect((await invitationOf(site, 'A-2')).targets).toEqual([mug, tee])
    expect((await invitationOf(site, 'A-3')).targets).toHaveLength(1)

    // The address is kept only sealed and hashed, as for an order event.
    const raw = await rowOf(first.id)
    expect(JSON.stringify(raw)).not.toMatch(/buyer\.one/i)
    expect(raw).toMatchObject({
      customer_name: 'Alex One',
      email_hash: expect.stringMatching(/^[\w-]{43}$/),
      // The review link's origin when HUB_ORIGIN is unset: the one the import was made at.
      hub_origin: 'http://hub.test',
    })

    // Due already (ten days after the order, seven of delay): the cron's next run e-mails it.
    const cron = await runInvitationCron(now)
    const mailed = cron.sent.find((m) => m.to === 'buyer.one@mail.example')
    expect(mailed?.mail.text).toContain('Linen tee')
    expect((await invitationOf(site, 'A-1')).state).toBe('sent')
  })

  it('a second import of the same orders, or of an order invited by an order event, adds nothing', async () => {
    const secret = await inboundSecret(site)
    const evented = await invite(site, secret, order([tee]))
    const recent = noonAgo(5, 0)
    const file = [
      'order_id,ordered_at,email,item',
      `B-1,${recent.iso},b1@mail.example,${tee}`,
      `${evented.order_id},${recent.iso},event@mail.example,${tee}`,
      `B-1,${recent.iso},b1@mail.example,${mug}`,
    ].join('\r\n')
    const once = await importFile(site.slug, { format: 'orders_csv' }, file, clock)
    const b1 = await invitationOf(site, 'B-1')
    const report = await reportOf(site.slug, once.id, clock)
    expect(report.map((l) => [l.place, l.outcome, l.reason, l.ref])).toEqual([
      ['row 2', 'added', null, b1.id],
      ['row 3', 'duplicate', 'already_invited', evented.id],
      // The same order further down the file (not next to its first row): still one invitation.
      ['row 4', 'duplicate', 'already_invited', b1.id],
    ])
    expect(report[1]?.reason_text).toMatch(/already has a review invitation/)
    const count = await invitationCount(site)

    const twice = await importFile(site.slug, { format: 'orders_csv' }, file, clock)
    expect(twice.done.counts).toEqual({ added: 0, duplicate: 3, skipped: 0, refused: 0 })
    const ja = await reportOf(site.slug, twice.id, clock, '&lang=ja')
    expect(ja[0]).toMatchObject({ ref: b1.id, reason_text: expect.stringContaining('すでにレビュー招待') })
    expect(await invitationCount(site)).toBe(count)
  })

  it('refuses malformed rows and other shops’ products, each with its reason in English and Japanese', async () => {
    const recent = noonAgo(3, 0)
    const file = [
      'Order Number,Order Date,E-mail,Product',
      `,${recent.iso},nobody@mail.example,${tee}`,
      `C-2,${recent.iso},,${tee}`,
      `C-3,${recent.iso},not-an-address,${tee}`,
      `C-4,last tuesday,c4@mail.example,${tee}`,
      `C-5,${recent.iso},c5@mail.example,`,
      `C-6,${recent.iso},c6@mail.example,${other.origin}/products/x`,
      `C-7,${recent.iso},c7@mail.example,UNKNOWN-SKU`,
      `C-8,${recent.iso},c8@mail.example,https://elsewhere.example/p/1`,
      `C-9,2099-01-01 00:00:00,c9@mail.example,${tee}`,
      `${'x'.repeat(101)},${recent.iso},c10@mail.example,${tee}`,
      `"C-11, with ""quotes""",${recent.iso},c11@mail.example,${tee}`,
    ].join('\n')
    const { id, done } = await importFile(site.slug, { format: 'orders_csv' }, file, clock)
    expect(done.state).toBe('done')
    const lines = await reportOf(site.slug, id, clock)
    expect(lines.map((l) => [l.place, l.outcome, l.reason])).toEqual([
      ['row 2', 'refused', 'no_order_id'],
      ['row 3', 'refused', 'no_email'],
      ['row 4', 'refused', 'bad_email'],
      ['row 5', 'refused', 'bad_date'],
      ['row 6', 'refused', 'no_item'],
      ['row 7', 'refused', 'other_shop'],
      ['row 8', 'skipped', 'no_known_product'],
      ['row 9', 'skipped', 'no_known_product'],
      ['row 10', 'skipped', 'future_order'],
      ['row 11', 'refused', 'bad_order_id'],
      ['row 12', 'added', null],
    ])
    expect(lines.every((l) => l.outcome === 'added' || (l.reason_text ?? '') !== l.reason)).toBe(true)
    const ja = await reportOf(site.slug, id, clock, '&lang=ja&outcome=refused')
    expect(ja.map((l) => l.reason_text)).toEqual([
      '行に注文番号がありません',
      '注文にメールアドレスがありません',
      '注文のメールアドレスが正しくありません',
      expect.stringContaining('注文の日付を読み取れません'),
      '注文に商品がありません',
      expect.stringContaining('別のショップ'),
      '注文番号が 100 文字を超えています',
    ])
    expect((await invitationOf(site, 'C-11, with "quotes"')).targets).toEqual([tee])
  })

  it('fails a file whose header lacks the columns orders need, saying which in the reader’s language', async () => {
    const file = 'order_id,ordered_at,name\nD-1,2026-01-01 10:00,Someone\n'
    const { done } = await importFile(site.slug, { format: 'orders_csv' }, file, clock)
    expect(done).toMatchObject({ state: 'failed', error: 'no_order_columns', progress: { lines: 0 } })
    expect(done.error_text).toMatch(/order number, its date, the e-mail address and the product/)
    const ja = await api('GET', `/api/sites/${site.slug}/imports/${done.id}?lang=ja`, undefined, site.key)
    expect((await ja.json<{ error_text: string }>()).error_text).toContain('メールアドレス')
  })
})

describe('importing a Japanese cart’s export (Shift_JIS, one row per item)', () => {
  let site: SiteFixture
  let tee: string
  let mug: string

  beforeAll(async () => {
    site = await createSite({ settings: { lang: 'ja' } })
    tee = (await createTarget(site, unique('tee'), 'リネンTシャツ')).id
    mug = (await createTarget(site, unique('mug'), 'マグカップ')).id
  })

  const header = '受注番号,注文日時,注文者氏名,メールアドレス,商品コード,商品名,数量,合計金額'

  it('gathers each order’s rows, even across steps, into one invitation', async () => {
    const d = noonAgo(8, 9)
    const rows = [
      header,
      `10001,${d.slashed},山田 花子,hanako@example.jp,TS-01,リネンTシャツ,1,3980`,
      `10001,${d.slashed},山田 花子,hanako@example.jp,MG-01,マグカップ,2,3980`,
      `10001,,,,MG-01,マグカップ,1,3980`,
      `10002,${d.slashed},佐藤 健,ken@example.jp,MG-01,マグカップ,1,1650`,
      `10003,${d.slashed},鈴木 一郎,ichiro@example.jp,TS-01,リネンTシャツ,1,3980`,
      `10003,${d.slashed},鈴木 一郎,ichiro@example.jp,MG-01,マグカップ,1,3980`,
      `10003,${d.slashed},鈴木 一郎,ichiro@example.jp,TS-01,リネンTシャツ,1,3980`,
      `10004,${d.slashed},,,TS-01,リネンTシャツ,1,3980`,
    ]
    const bytes = encodeLegacy(rows.join('\r\n') + '\r\n', 'shift_jis')
    const { id, done, handed } = await importFile(
      site.slug,
      { format: 'orders_csv', targets: { 'TS-01': tee, 'MG-01': mug } },
      bytes,
      clock,
      2,
    )
    expect(handed).toBeGreaterThan(2)
    expect(done).toMatchObject({ state: 'done', counts: { added: 3, duplicate: 0, skipped: 0, refused: 1 } })
    const lines = await reportOf(site.slug, id, clock, '&lang=ja')
    expect(lines.map((l) => [l.place, l.subject, l.outcome, l.reason])).toEqual([
      ['rows 2–4', '10001', 'added', null],
      ['row 5', '10002', 'added', null],
      ['rows 6–8', '10003', 'added', null],
      ['row 9', '10004', 'refused', 'no_email'],
    ])
    expect(lines[3]?.reason_text).toBe('注文にメールアドレスがありません')
    const first = await invitationOf(site, '10001')
    expect(first).toMatchObject({ targets: [tee, mug], lang: 'ja' })
    expect(first.delivered_at).toBe(new Date(d.at).toISOString())
    expect((await invitationOf(site, '10003')).targets).toEqual([tee, mug])
    expect(await rowOf(first.id)).toMatchObject({ customer_name: '山田 花子' })
  })

  it('invites only orders in the chosen days (the shop’s time zone) and never those past the age limit', async () => {
    const inRange = noonAgo(4, 9)
    const before = noonAgo(6, 9)
    const old = noonAgo(40, 9)
    // Just after midnight in Tokyo on the range's first day: still the previous day in UTC.
    const earlyJst = `${inRange.day.replaceAll('-', '/')} 00:30`
    const file = [
      header,
      `20001,${inRange.slashed},A,a@example.jp,TS-01,,1,1`,
      `20002,${before.slashed},B,b@example.jp,TS-01,,1,1`,
      `20003,${earlyJst},C,c@example.jp,TS-01,,1,1`,
      `20004,${old.slashed},D,d@example.jp,TS-01,,1,1`,
    ].join('\r\n')
    const all = await importFile(
      site.slug,
      { format: 'orders_csv', targets: { 'TS-01': tee }, from: inRange.day, to: inRange.day },
      encodeLegacy(file, 'shift_jis'),
      clock,
    )
    const lines = await reportOf(site.slug, all.id, clock)
    expect(lines.map((l) => [l.subject, l.outcome, l.reason])).toEqual([
      ['20001', 'added', null],
      ['20002', 'skipped', 'outside_range'],
      ['20003', 'added', null],
      ['20004', 'skipped', 'outside_range'],
    ])
    // Without a range, the old order is still never invited: its invitation would have expired (7 + 30 days).
    const open = await importFile(
      site.slug,
      { format: 'orders_csv', targets: { 'TS-01': tee } },
      encodeLegacy(file, 'shift_jis'),
      clock,
    )
    const again = await reportOf(site.slug, open.id, clock, '&lang=ja')
    expect(again.map((l) => [l.subject, l.outcome, l.reason])).toEqual([
      ['20001', 'duplicate', 'already_invited'],
      ['20002', 'added', null],
      ['20003', 'duplicate', 'already_invited'],
      ['20004', 'skipped', 'too_old'],
    ])
    expect(again[3]?.reason_text).toContain('注文が古すぎます')
  })

  it('reads a file with Excel’s byte order mark, blank lines and CP932’s own characters, keeping orders whole', async () => {
    const d = noonAgo(2, 9)
    const rows = [
      header,
      `30001,${d.slashed},髙橋 ①子,takahashi@example.jp,TS-01,,1,1`,
      '',
      `30001,${d.slashed},髙橋 ①子,takahashi@example.jp,MG-01,,1,1`,
      '',
      `30002,${d.slashed},㈱ナカムラ,nakamura@example.jp,MG-01,,1,1`,
      '',
      '',
      `30002,${d.slashed},㈱ナカムラ,nakamura@example.jp,TS-01,,1,1`,
      `30003,${d.slashed},Ｔ．Ｋ,tk@example.jp,TS-01,,1,1`,
    ]
    const map = { 'TS-01': tee, 'MG-01': mug }
    const cp932 = await importFile(
      site.slug,
      { format: 'orders_csv', targets: map },
      encodeLegacy(rows.join('\r\n'), 'shift_jis'),
      clock,
      1,
    )
    expect(cp932.done).toMatchObject({ state: 'done', counts: { added: 3, duplicate: 0 } })
    const lines = await reportOf(site.slug, cp932.id, clock)
    expect(lines.map((l) => [l.place, l.subject, l.outcome])).toEqual([
      ['rows 2–3', '30001', 'added'],
      ['rows 4–5', '30002', 'added'],
      ['row 6', '30003', 'added'],
    ])
    expect((await invitationOf(site, '30002')).targets).toEqual([mug, tee])
    expect(await rowOf((await invitationOf(site, '30001')).id)).toMatchObject({ customer_name: '髙橋 ①子' })

    // The same orders in UTF-8 with a byte order mark: the same header read, every order there already.
    const utf8 = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(rows.join('\n'))])
    const again = await importFile(site.slug, { format: 'orders_csv', targets: map }, utf8, clock, 2)
    expect(again.done).toMatchObject({ state: 'done', counts: { added: 0, duplicate: 3, skipped: 0, refused: 0 } })
  })

  it('keeps each shop’s orders apart: another shop’s order with the same number is invited in that shop', async () => {
    const elsewhere = await createSite({ settings: { lang: 'ja' } })
    const theirTee = (await createTarget(elsewhere, unique('tee'))).id
    const d = noonAgo(1, 9)
    const file = [header, `10001,${d.slashed},別の人,other@example.jp,TS-01,,1,1`].join('\r\n')
    const { done } = await importFile(
      elsewhere.slug,
      { format: 'orders_csv', targets: { 'TS-01': theirTee } },
      encodeLegacy(file, 'shift_jis'),
      clock,
    )
    expect(done.counts).toMatchObject({ added: 1, duplicate: 0 })
    expect((await invitationOf(elsewhere, '10001')).targets).toEqual([theirTee])
    // The first shop's invitation for its own order 10001 is untouched, and names its own products.
    expect((await invitationOf(site, '10001')).targets).toEqual([tee, mug])
    // A target id of the other shop is no product of this one.
    const stranger = [header, `40001,${d.slashed},X,x@example.jp,${theirTee},,1,1`].join('\r\n')
    const refused = await importFile(site.slug, { format: 'orders_csv' }, encodeLegacy(stranger, 'shift_jis'), clock)
    expect((await reportOf(site.slug, refused.id, clock)).map((l) => [l.outcome, l.reason])).toEqual([
      ['skipped', 'no_known_product'],
    ])
  })
})
