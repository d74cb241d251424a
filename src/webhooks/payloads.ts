/**
 * What an endpoint receives. Standard Webhooks: `{ type, timestamp, data }` JSON (kept well
 * under 20 KB: voices carry an excerpt, never a page). Slack-compatible: `{ text }`, a readable
 * line with negative voices flagged, for an incoming-webhook URL.
 */
import type { DigestBody, WebhookEvent, WebhookMode } from '../db/schema'

export type EventData =
  | VoiceEventData
  | InvitationEventData
  | CouponEventData
  | PartnerEventData
  | ConversionEventData
  | ClicksEventData
  | DigestEventData

/** A site's weekly digest (src/digest/): the week's voices, what still waits, the answers against the week before. */
export type DigestEventData = { site: string; digest: DigestBody }

/** Clicks on one tracking link since the last report (aggregated every 10 minutes, not per click). */
export type ClicksEventData = {
  site: string
  clicks: {
    link: string
    partner: string
    target: string
    new_clicks: number
    new_unique_clicks: number
    total_clicks: number
    total_unique_clicks: number
    until: string
  }
}

/** A blogger applied to the affiliate programme. */
export type PartnerEventData = {
  site: string
  partner: { id: string; name: string; blog_url: string; applied_at: string }
}

/** A sale or refund attributed to a partner (amounts in minor units of `currency`). */
export type ConversionEventData = {
  site: string
  conversion: {
    id: string
    order_id: string
    event: string
    amount: number
    currency: string
    partner: string | null
    link: string | null
    commission: number
    state: string
  }
}

export type VoiceEventData = {
  site: string
  mention: {
    id: string
    kind: string
    status: string
    sentiment: string | null
    rating: number | null
    /** The target's id — or, while `target_pending`, the URL of the page nobody registered yet. */
    target: string
    target_pending: boolean
    url: string | null
    title: string | null
    excerpt: string | null
    author: string | null
  }
  response?: {
    id: string
    stage: string
    body: string
    author: string
    url: string
    /** On `response.updated`: the version the edit made (2 for the first edit). */
    version?: number
    /** On `response.withdrawn`: the shop's reason, as its tombstone shows it. */
    reason?: string
  }
}

/** A review invitation is due: the storefront's mailer may send `link` to the order's buyer. */
export type InvitationEventData = {
  site: string
  invitation: {
    id: string
    order_id: string
    /** The buyer's review link: a credential for this order's reviews, meant for the buyer only. */
    link: string
    lang: string
    targets: string[]
    customer_name: string | null
    coupon_offered: boolean
    due_at: string
    expires_at: string
    /** Whether the hub also e-mailed the buyer itself (send_email binding). */
    emailed: boolean
  }
}

/** A reviewer was given the site's thank-you coupon (for any review, whatever its rating). */
export type CouponEventData = {
  site: string
  coupon: { code: string; invitation_id: string; order_id: string; reviews: string[] }
}

const LABEL: Record<WebhookEvent, string> = {
  'mention.received': 'New voice received',
  'mention.published': 'Voice published',
  'mention.removed': 'Voice taken out of the feed',
  'response.published': 'Response published',
  'response.updated': 'Response edited',
  'response.withdrawn': 'Response withdrawn',
  'review.invitation.due': 'Review invitation due',
  'review.coupon.issued': 'Thank-you coupon issued',
  'affiliate.partner.applied': 'New affiliate application',
  'affiliate.conversion': 'Affiliate conversion',
  'affiliate.click': 'Affiliate link clicks',
  'digest.weekly': 'Weekly digest',
}

/** Slack's mrkdwn treats &, < and > specially: escape them in anything a stranger wrote. */
const slackText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

export function payloadFor(mode: WebhookMode, event: WebhookEvent, data: EventData, at: number): string {
  if (mode === 'standard') return JSON.stringify({ type: event, timestamp: new Date(at).toISOString(), data })
  return JSON.stringify({ text: slackLines(event, data).filter(Boolean).join('\n') })
}

function slackLines(event: WebhookEvent, data: EventData): string[] {
  // The review link is the buyer's credential: a chat channel never sees it, nor a coupon code.
  if ('invitation' in data) {
    const i = data.invitation
    return [
      `${LABEL[event]} on ${slackText(data.site)}: order ${slackText(i.order_id)} (${i.targets.length} product${i.targets.length === 1 ? '' : 's'})`,
    ]
  }
  if ('coupon' in data) return [`${LABEL[event]} on ${slackText(data.site)}: order ${slackText(data.coupon.order_id)}`]
  if ('partner' in data)
    return [
      `${LABEL[event]} on ${slackText(data.site)}: ${slackText(data.partner.name)} (${slackText(data.partner.blog_url)})`,
    ]
  if ('clicks' in data)
    return [
      `${LABEL[event]} on ${slackText(data.site)}: link ${data.clicks.link}, ${data.clicks.new_clicks} new (${data.clicks.new_unique_clicks} unique)`,
    ]
  if ('digest' in data) return digestLines(LABEL[event], data)
  if ('conversion' in data) {
    const c = data.conversion
    return [
      `${LABEL[event]} on ${slackText(data.site)}: ${c.event} of order ${slackText(c.order_id)}, ${c.amount} ${c.currency} (minor units), commission ${c.commission}`,
    ]
  }
  const m = data.mention
  const flag = m.sentiment === 'negative' ? ':warning: *Negative* — ' : ''
  const words = [m.title, m.excerpt].filter(Boolean).join(' — ')
  const lines = [
    `${flag}${LABEL[event]} on ${slackText(data.site)} (${m.kind}, target ${slackText(m.target)})`,
    slackText(words.slice(0, 500)),
  ]
  if (m.url) lines.push(slackText(m.url))
  if (data.response?.reason !== undefined)
    lines.push(`Response withdrawn: ${slackText(data.response.reason.slice(0, 500))}`)
  else if (data.response)
    lines.push(
      `Response (${data.response.stage}) by ${slackText(data.response.author)}: ${slackText(data.response.body.slice(0, 500))}`,
    )
  return lines
}

/** The digest in a few lines: the week, its new voices, what still waits, the answers (no voice's words). */
function digestLines(label: string, data: DigestEventData): string[] {
  const d = data.digest
  const answered = (r: DigestBody['response']['this_week']) =>
    r.published === 0
      ? 'none published'
      : `${r.answered} of ${r.published}${r.rate === null ? '' : ` (${Math.round(r.rate * 100)}%)`}` +
        (r.median_hours === null ? '' : `, median ${r.median_hours} h`)
  const v = d.new_voices
  return [
    `${label} on ${slackText(data.site)}: the week from ${d.week_start.slice(0, 10)} (UTC)`,
    `New voices: ${v.total} (${v.positive} positive, ${v.neutral} neutral, ${v.negative} negative, ${v.unclassified} unclassified)`,
    `${d.unanswered_negative.count > 0 ? ':warning: ' : ''}Negative voices still unanswered: ${d.unanswered_negative.count}`,
    `Apologies waiting for a resolution report: ${d.awaiting_resolution.count}`,
    `Answered: ${answered(d.response.this_week)}; the week before: ${answered(d.response.week_before)}`,
  ]
}
