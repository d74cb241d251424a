/** What the operator sends to set up webhooks: the same rules for the JSON API and the web UI's forms. */
import * as v from 'valibot'

import { WEBHOOK_EVENTS, WEBHOOK_MODES } from '../db/schema'
import { HttpUrl, oneOf, say } from '../common/validation'

const Events = v.pipe(
  v.array(oneOf(WEBHOOK_EVENTS), say('must be a list of event types', 'イベントを選んでください')),
  v.maxLength(WEBHOOK_EVENTS.length),
)

export const EndpointCreate = v.strictObject({
  url: HttpUrl,
  events: v.optional(Events),
  mode: v.optional(oneOf(WEBHOOK_MODES)),
})

export const EndpointPatch = v.strictObject({
  url: v.optional(HttpUrl),
  events: v.optional(Events),
  mode: v.optional(oneOf(WEBHOOK_MODES)),
  /** false stops sending (events meanwhile are not queued for it); true starts again. */
  enabled: v.optional(v.boolean(say('must be true or false', 'はい・いいえで選んでください'))),
})

export const ResendFailed = v.strictObject({
  since: v.pipe(
    v.string(say('must be an ISO 8601 date', '日時を入力してください')),
    v.isoTimestamp(say('must be an ISO 8601 date', '日時を入力してください')),
  ),
})
