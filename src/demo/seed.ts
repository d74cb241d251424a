/**
 * The demo data `npm run dev` serves (README: Run it locally): site `demo`, target
 * `tshirt`, and voices of every kind and sentiment, some answered. Idempotent: fixed ids,
 * inserts that skip what exists, responses only for voices created by this run.
 */
import { sql } from 'drizzle-orm'

import type { Db } from '../db/client'
import type { VoiceKind, Sentiment } from '../db/schema'
import { newVoiceRow, recordVoice } from '../voices/ingest'
import { addResponse, type ResponseInput } from '../voices/answers'
import { moderate } from '../voices/moderate'
import { reviewLink } from '../reviews/invitations/links'
import { newInvitationRow } from '../reviews/invitations/invitations'
import { insertInvitationIf } from '../reviews/store'
import { findSiteBySlug, insertSite, type SiteRow } from '../sites/store'
import { insertTarget } from '../targets/store'
import { HOUR, WEEK } from '../common/clock'

export const DEMO_SITE = 'demo'
export const DEMO_TARGET = 'tshirt'
const OPERATOR = { kind: 'operator' } as const

type DemoVoice = {
  id: string
  kind: VoiceKind
  sentiment: Sentiment | null
  sourceUrl: string | null
  title: string
  excerpt: string
  blogName?: string
  author?: { name: string; url?: string }
  rating?: number
  disclosure?: string
  verifiedPurchase?: boolean
  hoursAgo: number
  responses?: { afterHours: number; response: ResponseInput }[]
  spam?: boolean
}

/** Found in a watched feed: about the T-shirt (the post links to it), or about the shop as a whole (its home page). */
const FOUND: (Pick<DemoVoice, 'id' | 'sentiment' | 'title' | 'excerpt' | 'hoursAgo'> & {
  sourceUrl: string
  blogName: string
  page?: string
})[] = [
  {
    id: 'm_demo_found',
    sentiment: 'negative',
    sourceUrl: 'https://diary.example.jp/entry/2026/11/20/tee',
    title: 'Demo Shop のTシャツ、届くまで2週間',
    excerpt: '生地は良いけれど、注文から届くまで2週間かかりました。連絡もなかったのが残念。',
    blogName: 'てくてく日記',
    hoursAgo: 20,
  },
  {
    id: 'm_demo_found_aside',
    sentiment: null,
    sourceUrl: 'https://news.example.com/2026/11/shops-to-watch',
    title: 'Ten small shops to watch',
    excerpt: 'Demo Shop is one of ten small online shops we liked this autumn.',
    blogName: 'Example News',
    page: 'https://shop.example/',
    hoursAgo: 6,
  },
]

const TENCHO = { name: '山田', role: '店長' }
const MAKER = { name: 'Aiko Sato', role: '作り手' }

const VOICES: DemoVoice[] = [
  {
    id: 'm_demo_tb_positive',
    kind: 'trackback',
    sentiment: 'positive',
    sourceUrl: 'https://blog.example.jp/archives/000123.html',
    title: '新しいTシャツ、最高でした',
    excerpt: '生地が厚くて、洗濯しても首元がヨレません。色違いも買おうと思います。',
    blogName: 'テスト日記',
    hoursAgo: 24 * 9,
    responses: [
      {
        afterHours: 3,
        response: { stage: 'reply', body: 'ありがとうございます！色違いは来月入荷します。', author: TENCHO },
      },
    ],
  },
  {
    id: 'm_demo_tb_negative',
    kind: 'trackback',
    sentiment: 'negative',
    sourceUrl: 'https://kurashi.example.net/2026/10/tshirt-review',
    title: '3回洗ったら首元が伸びた',
    excerpt: '着心地は良いのに、3回目の洗濯で首まわりのリブが伸びてしまいました。値段を考えると残念です。',
    blogName: '暮らしの記録',
    hoursAgo: 24 * 7,
    responses: [
      {
        afterHours: 5,
        response: {
          stage: 'apology',
          body: 'ご不便をおかけして申し訳ありません。リブの縫製を見直しています。交換品をお送りしました。',
          author: TENCHO,
        },
      },
      {
        afterHours: 24 * 5,
        response: {
          stage: 'resolution',
          body: '11月の生産分から、リブを二重縫いに変更しました。ご指摘ありがとうございました。',
          author: MAKER,
        },
      },
    ],
  },
  {
    id: 'm_demo_pingback',
    kind: 'pingback',
    sentiment: 'neutral',
    sourceUrl: 'https://wp.example.com/2026/11/autumn-basics/',
    title: 'Autumn basics: five shirts compared',
    excerpt: 'The demo shop tee sits in the middle of the pack: good cotton, plain cut, average price.',
    blogName: 'Example Style Notes',
    hoursAgo: 24 * 4,
  },
  {
    id: 'm_demo_webmention',
    kind: 'webmention',
    sentiment: 'positive',
    sourceUrl: 'https://alice.example.org/notes/2026/11/tee',
    title: 'Finally a tee that fits',
    excerpt: 'Bought the tshirt from the demo shop. The fit is great and the seams are neat.',
    author: { name: 'Alice', url: 'https://alice.example.org/' },
    hoursAgo: 24 * 2,
  },
  {
    id: 'm_demo_review_negative',
    kind: 'review',
    sentiment: 'negative',
    sourceUrl: null,
    title: 'Colour faded',
    excerpt: 'The navy faded to grey after a month. Disappointed.',
    author: { name: 'K. Tanaka' },
    rating: 2,
    verifiedPurchase: true,
    hoursAgo: 20,
  },
  {
    id: 'm_demo_review_positive',
    kind: 'review',
    sentiment: 'positive',
    sourceUrl: null,
    title: 'Perfect everyday shirt',
    excerpt: 'Soft, sturdy, and the size guide was accurate.',
    author: { name: 'M. Suzuki' },
    rating: 5,
    verifiedPurchase: true,
    disclosure: 'incentivized',
    hoursAgo: 12,
    responses: [{ afterHours: 2, response: { stage: 'reply', body: 'Thank you for the kind words!', author: MAKER } }],
  },
  {
    id: 'm_demo_affiliate',
    kind: 'affiliate',
    sentiment: 'positive',
    sourceUrl: 'https://partner.example.com/best-tees-2026',
    title: 'The best tees of 2026',
    excerpt: 'My favourite this year is the demo shop tee. (This post contains affiliate links.)',
    blogName: 'Partner Picks',
    disclosure: 'affiliate',
    hoursAgo: 6,
  },
  {
    id: 'm_demo_spam',
    kind: 'trackback',
    sentiment: null,
    sourceUrl: 'https://cheap-pills.example/buy-now',
    title: 'Cheap pills',
    excerpt: 'Buy cheap pills online now',
    blogName: 'pills',
    hoursAgo: 30,
    spam: true,
  },
]

/** The demo's review invitation: an order of the T-shirt delivered ten days ago, so `npm run dev` has a review link to try. */
const DEMO_INVITATION = 'inv_demoreviewlink22'

async function seedInvitation(db: Db, site: SiteRow, now: number, secretsKey: string | undefined, hubOrigin: string) {
  const delivered = now - 10 * 24 * HOUR
  const row = newInvitationRow(
    site,
    {
      orderId: 'DEMO-ORDER-1',
      items: [DEMO_TARGET],
      customerName: 'Demo Buyer',
      emailSealed: null,
      emailHash: null,
      lang: 'en',
      deliveredAt: delivered,
    },
    hubOrigin,
    now,
  )
  // Already sent, and valid for a year, so the link works whenever the demo is opened.
  await insertInvitationIf(
    db,
    { ...row, id: DEMO_INVITATION, state: 'sent', sentAt: now, expiresAt: now + 365 * 24 * HOUR },
    sql`1`,
  )
  return reviewLink(hubOrigin, secretsKey, DEMO_INVITATION)
}

export async function seedDemo(db: Db, now: number, secretsKey?: string, hubOrigin = 'http://127.0.0.1:8787') {
  let site = (await findSiteBySlug(db, DEMO_SITE)) ?? null
  site ??= await insertSite(db, {
    slug: DEMO_SITE,
    name: 'Demo Shop',
    origins: ['https://shop.example'],
    embedOrigins: ['*'],
    settings: {
      // An English-speaking demo of a shop in Japan: both said, as every new site must.
      lang: 'en',
      time_zone: 'Asia/Tokyo',
      coupons: { mode: 'generated', prefix: 'DEMO', offer: '10% off your next order' },
    },
    // As old as its oldest voices, so the first cron run makes it a weekly digest of last week.
    createdAt: now - 4 * WEEK,
  })
  site ??= (await findSiteBySlug(db, DEMO_SITE)) ?? null
  if (!site) throw new Error('the demo site could not be made')
  await insertTarget(db, {
    siteId: site.id,
    id: DEMO_TARGET,
    url: 'https://shop.example/products/tshirt',
    title: 'Organic cotton T-shirt',
    kind: 'product',
    automatic: false,
    createdAt: now,
  })

  let created = 0
  // Oldest first, so their publication numbers (numbered jf2 pages) follow their dates.
  for (const voice of [...VOICES].sort((a, b) => b.hoursAgo - a.hoursAgo)) {
    const at = now - voice.hoursAgo * HOUR
    const row = newVoiceRow(
      {
        id: voice.id,
        siteId: site.id,
        targetId: DEMO_TARGET,
        kind: voice.kind,
        status: 'published',
        sourceUrl: voice.sourceUrl,
        title: voice.title,
        excerpt: voice.excerpt,
        authorName: voice.author?.name ?? null,
        authorUrl: voice.author?.url ?? null,
        blogName: voice.blogName ?? null,
        rating: voice.rating ?? null,
        sentiment: voice.sentiment,
        disclosure: voice.disclosure ?? null,
        verifiedPurchase: voice.verifiedPurchase ?? false,
        verifiedAt: voice.sourceUrl ? at : null,
        verifyState: voice.sourceUrl ? 'verified' : null,
      },
      at,
    )
    const { created: isNew } = await recordVoice(db, row, { refresh: {}, recheck: false })
    if (!isNew) continue
    created++
    for (const { afterHours, response } of voice.responses ?? []) {
      // The demo's blogs are made up: nothing is announced to them (no hub origin).
      await addResponse(db, OPERATOR, voice.id, response, at + afterHours * HOUR, null)
    }
    if (voice.spam) {
      await moderate(db, OPERATOR, voice.id, { action: 'spam', reason: 'Pharmacy spam, no link to the shop' }, now)
    }
  }
  // Two voices found in a watched feed, waiting for staff to publish them or set them aside (docs/listening.md).
  for (const found of FOUND) {
    const at = now - found.hoursAgo * HOUR
    const row = newVoiceRow(
      {
        id: found.id,
        siteId: site.id,
        targetId: found.page ?? DEMO_TARGET,
        targetPending: found.page !== undefined,
        kind: 'discovered',
        status: 'pending',
        sourceUrl: found.sourceUrl,
        sourceUrlSent: found.sourceUrl,
        title: found.title,
        excerpt: found.excerpt,
        blogName: found.blogName,
        sentiment: found.sentiment,
        sentimentBy: found.sentiment === null ? null : 'suggested',
        voiceType: 'mention',
      },
      at,
    )
    if ((await recordVoice(db, row, { refresh: {}, recheck: false })).created) created++
  }
  const reviewLinkUrl = secretsKey ? await seedInvitation(db, site, now, secretsKey, hubOrigin) : null
  return { site: DEMO_SITE, target: DEMO_TARGET, created, review_link: reviewLinkUrl }
}
