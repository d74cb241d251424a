import { vValidator } from '@hono/valibot-validator'
import * as v from 'valibot'

import { getDb } from '../db/client'
import { MENTION_KINDS, MENTION_STATUSES, MODERATION_ACTIONS, RESPONSE_STAGES, SENTIMENTS } from '../db/schema'
import { newRouter } from '../env'
import { queueAnnouncement } from '../responses/announce'
import { responsePageUrl } from '../responses/urls'
import { decodeTimeCursor, encodeCursor } from '../shared/cursor'
import { AppError } from '../shared/errors'
import { LimitParam, Line, oneOf, pathParam, rejectInvalid } from '../shared/validation'
import { mentionJson, responseJson } from './present'
import { addResponse, mentionDetail, mentionsOfSite, moderate, setSentiment } from './service'

const ListQuery = v.object({
  status: v.optional(oneOf(MENTION_STATUSES)),
  kind: v.optional(oneOf(MENTION_KINDS)),
  sentiment: v.optional(oneOf([...SENTIMENTS, 'unclassified'] as const)),
  target: v.optional(v.pipe(v.string(), v.maxLength(64))),
  unanswered: v.optional(v.picklist(['1', 'true', '0', 'false'], 'must be 1 or 0')),
  limit: v.optional(LimitParam(100)),
  cursor: v.optional(v.string()),
})

const MentionPatch = v.strictObject({
  sentiment: v.nullable(oneOf(SENTIMENTS)),
})

/** Long text: kept with its line breaks, control characters refused by the length check. */
const Body = v.pipe(v.string('must be a string'), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(5000, 'must be at most 5000 characters'))

const ResponseCreate = v.strictObject({
  stage: oneOf(RESPONSE_STAGES),
  body: Body,
  author: v.strictObject({ name: Line(100), role: v.optional(Line(50)) }),
})

const ModerationCreate = v.strictObject({
  action: oneOf(MODERATION_ACTIONS),
  category: v.optional(v.pipe(v.string(), v.maxLength(40))),
  reason: Line(1000),
})

/** /api/sites/:site/mentions */
export const siteMentionRoutes = newRouter().get(
  '/:site/mentions',
  vValidator('query', ListQuery, rejectInvalid),
  async (c) => {
    const q = c.req.valid('query')
    const cursor = q.cursor === undefined ? null : decodeTimeCursor(q.cursor)
    if (q.cursor !== undefined && !cursor) throw new AppError('invalid_input', 'cursor: not a cursor this API issued')
    const page = await mentionsOfSite(getDb(c.env.DB), c.var.principal, pathParam(c.req.param('site')), {
      status: q.status,
      kind: q.kind,
      sentiment: q.sentiment,
      targetId: q.target,
      unanswered: q.unanswered === '1' || q.unanswered === 'true',
      cursor,
      limit: q.limit ?? 50,
    })
    return c.json({
      items: page.items.map(mentionJson),
      next_cursor: page.next && encodeCursor([page.next.time, page.next.id]),
    })
  }
)

/** /api/mentions/:id */
export const mentionRoutes = newRouter()
  .get('/:id', async (c) => {
    const { mention, moderation } = await mentionDetail(getDb(c.env.DB), c.var.principal, pathParam(c.req.param('id')))
    return c.json({
      ...mentionJson(mention),
      moderation: moderation.map((e) => ({
        action: e.action,
        category: e.category,
        reason: e.reason,
        actor: e.actor,
        from_status: e.fromStatus,
        to_status: e.toStatus,
        created_at: new Date(e.createdAt).toISOString(),
      })),
    })
  })
  .patch('/:id', vValidator('json', MentionPatch, rejectInvalid), async (c) => {
    const m = await setSentiment(getDb(c.env.DB), c.var.principal, pathParam(c.req.param('id')), c.req.valid('json').sentiment, Date.now())
    return c.json(mentionJson(m))
  })
  .post('/:id/responses', vValidator('json', ResponseCreate, rejectInvalid), async (c) => {
    const db = getDb(c.env.DB)
    const { response } = await addResponse(db, c.var.principal, pathParam(c.req.param('id')), c.req.valid('json'), Date.now())
    const hub = new URL(c.req.url).origin
    if (response.webmention_state === 'queued') await queueAnnouncement(db, c.env.ANNOUNCE_QUEUE, response.id, hub)
    return c.json({ ...responseJson(response), url: responsePageUrl(hub, response.id), webmention: response.webmention_state }, 201)
  })
  .post('/:id/moderation', vValidator('json', ModerationCreate, rejectInvalid), async (c) => {
    const m = await moderate(getDb(c.env.DB), c.var.principal, pathParam(c.req.param('id')), c.req.valid('json'), Date.now())
    return c.json(mentionJson(m))
  })
