/** What the API answers about partners, tracking links and commissions (the API description shows them). */
import * as v from 'valibot'

import { COMMISSION_STATES, CONVERSION_EVENTS, PARTNER_STATES } from '../db/schema'
import { Count, Int, ListOf, MaybeTimestamp, PageOf, Timestamp } from '../common/outputs'

const Rate = v.pipe(v.nullable(v.number()), v.description('Sales per unique click (null before any click).'))

export const PartnerOut = v.strictObject({
  id: v.pipe(v.string(), v.description('pt_…')),
  name: v.string(),
  email: v.string(),
  blog_url: v.string(),
  lang: v.nullable(v.picklist(['en', 'ja'])),
  state: v.picklist(PARTNER_STATES),
  key_prefix: v.nullable(v.string()),
  applied_at: Timestamp,
  decided_at: MaybeTimestamp,
  note: v.nullable(v.string()),
  totals: v.pipe(
    v.strictObject({
      clicks: Count,
      unique_clicks: Count,
      conversions: Int,
      conversion_rate: Rate,
      revenue: Int,
      commission: v.strictObject({ pending: Int, approved: Int, paid: Int }),
    }),
    v.description("In minor units of the site's currency (kept on write)."),
  ),
})

export const PartnerPage = PageOf(PartnerOut)

export const PartnerDecided = v.strictObject({
  partner: PartnerOut,
  key: v.pipe(v.nullable(v.string()), v.description('The partner key (gh_pk_…), on approval only: shown once.')),
})

export const CommissionsMoved = v.strictObject({
  moved: v.pipe(Count, v.description('Ledger entries moved.')),
  to: v.picklist(COMMISSION_STATES),
})

export const ConversionOut = v.strictObject({
  id: v.string(),
  order_id: v.string(),
  event: v.picklist(CONVERSION_EVENTS),
  amount: v.pipe(Int, v.description('Minor units of currency (yen, cents); a refund is negative.')),
  currency: v.string(),
  click_id: v.nullable(v.string()),
  partner: v.nullable(v.string()),
  link: v.nullable(v.string()),
  commission: Int,
  state: v.picklist(COMMISSION_STATES),
  occurred_at: Timestamp,
  approved_at: MaybeTimestamp,
  paid_at: MaybeTimestamp,
})

export const ConversionPage = PageOf(ConversionOut)

/** A storefront's conversion event, answered: the ledger entry, and whether this event recorded it. */
export const ConversionReceived = v.strictObject({ conversion: ConversionOut, created: v.boolean() })

export const LinkOut = v.strictObject({
  code: v.string(),
  url: v.pipe(v.string(), v.description('The tracking link: /r/{code} on the hub.')),
  target: v.string(),
  created_at: Timestamp,
  disabled: v.boolean(),
  clicks: Count,
  unique_clicks: Count,
  bot_clicks: Count,
  conversions: Int,
  conversion_rate: Rate,
  revenue: Int,
  commission: Int,
})

export const LinkList = ListOf(LinkOut)

export const ApplicationReceived = v.strictObject({
  id: v.string(),
  state: v.picklist(PARTNER_STATES),
  summary: v.string(),
})

export const PostQueued = v.strictObject({
  status: v.literal('queued'),
  id: v.string(),
  location: v.pipe(v.string(), v.description('The status URL (also in Location).')),
})
