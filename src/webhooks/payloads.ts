/**
 * What an endpoint receives. Standard Webhooks: `{ type, timestamp, data }` JSON (kept well
 * under 20 KB: voices carry an excerpt, never a page). Slack-compatible: `{ text }`, a readable
 * line with negative voices flagged, for an incoming-webhook URL.
 */
import type { WebhookEvent, WebhookMode } from '../db/schema'

export type EventData = {
  site: string
  mention: {
    id: string
    kind: string
    status: string
    sentiment: string | null
    rating: number | null
    target: string
    url: string | null
    title: string | null
    excerpt: string | null
    author: string | null
  }
  response?: { id: string; stage: string; body: string; author: string; url: string }
}

const LABEL: Record<WebhookEvent, string> = {
  'mention.received': 'New voice received',
  'mention.published': 'Voice published',
  'mention.removed': 'Voice taken out of the feed',
  'response.published': 'Response published',
}

/** Slack's mrkdwn treats &, < and > specially: escape them in anything a stranger wrote. */
const slackText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

export function payloadFor(mode: WebhookMode, event: WebhookEvent, data: EventData, at: number): string {
  if (mode === 'standard') return JSON.stringify({ type: event, timestamp: new Date(at).toISOString(), data })
  const m = data.mention
  const flag = m.sentiment === 'negative' ? ':warning: *Negative* — ' : ''
  const words = [m.title, m.excerpt].filter(Boolean).join(' — ')
  const lines = [`${flag}${LABEL[event]} on ${slackText(data.site)} (${m.kind}, target ${slackText(m.target)})`, slackText(words.slice(0, 500))]
  if (m.url) lines.push(slackText(m.url))
  if (data.response) lines.push(`Response (${data.response.stage}) by ${slackText(data.response.author)}: ${slackText(data.response.body.slice(0, 500))}`)
  return JSON.stringify({ text: lines.filter(Boolean).join('\n') })
}
