/**
 * webmention.io's export of a domain's mentions (its jf2 or JSON API answer), read whole — it is
 * capped at 10 MB — and taken a slice of entries per step: each mention becomes a Webmention voice
 * about its target, with its `wm-property` as the voice's type; private and unverified ones are
 * refused, as webmention.io itself would not show them.
 */
import type { VoiceType } from '../../db/schema'
import { readWebmentionIo, type WmMention, type WmProperty } from '../formats/webmention-io'
import { readWhole } from '../files'
import { type FormatReader, positionOf } from '../step'
import type { StepRecord } from '../voices'

const TYPE: Record<WmProperty, VoiceType> = {
  'in-reply-to': 'reply',
  'like-of': 'like',
  'repost-of': 'repost',
  'bookmark-of': 'bookmark',
  'mention-of': 'mention',
  rsvp: 'reply',
}

type Position = { index: number }
const isPosition = (v: unknown): v is Position =>
  typeof v === 'object' && v !== null && typeof (v as Position).index === 'number'

const dateOf = (m: WmMention) => {
  const ms = Date.parse(m.published ?? m.received ?? '')
  return Number.isNaN(ms) ? null : ms
}

const recordOf = (m: WmMention, n: number): StepRecord => ({
  place: m.id ? `wm-id ${m.id}` : `mention ${n}`,
  kind: 'webmention',
  source: m.source,
  about: [m.target],
  at: dateOf(m),
  fields: {
    title: m.name,
    excerpt: m.text ?? m.html,
    authorName: m.author?.name ?? null,
    authorUrl: m.author?.url ?? null,
    authorPhoto: m.author?.photo ?? null,
    voiceType: TYPE[m.property],
    sourcePublished: m.published,
  },
})

export const readWebmentionIoFile: FormatReader = async (ctx) => {
  const bytes = await readWhole(ctx.bucket, ctx.key)
  if (!bytes) return { ok: false, reason: 'file_missing' }
  const text = new TextDecoder().decode(bytes).replace(/^\ufeff/, '')
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return { ok: false, reason: 'not_json' }
  }
  const file = readWebmentionIo(json)
  if (!file) return { ok: false, reason: 'not_jf2' }
  // The same list every step: the refused entries (by their place in the file), then the mentions.
  const all: StepRecord[] = [
    ...file.refused.map((r): StepRecord => ({
      place: `entry ${r.index + 1}`,
      subject: null,
      outcome: 'refused',
      reason: r.reason,
    })),
    ...file.mentions.map((m, i) => recordOf(m, i + 1)),
  ]
  const from = positionOf(ctx.row.cursor, isPosition)?.index ?? 0
  const to = Math.min(all.length, from + ctx.records)
  return {
    ok: true,
    records: all.slice(from, to),
    cursor: to >= all.length ? null : JSON.stringify({ index: to } satisfies Position),
    origin: from === 0 ? 'webmention.io' : undefined,
  }
}
