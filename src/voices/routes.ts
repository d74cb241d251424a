import * as v from 'valibot'

import { getDb } from '../db/client'
import { VOICE_KINDS, VOICE_STATUSES, SENTIMENTS } from '../db/schema'
import { newRouter } from '../env'
import { apiDocsFor } from '../common/api-docs'
import { responsePageUrl } from '../common/hub-urls'
import { cursorParam, positionCursor } from '../common/cursor'
import type { Out } from '../common/outputs'
import { jsonBody, LimitParam, oneOf, pathParam, queryOf } from '../common/validation'
import { ManyResponseCreate, VoicePatch, ModerationCreate, ResponseCreate } from './inputs'
import { ManyResponsesOut, ResponseCreated, VoiceDetailOut, VoiceOut, VoicePage } from './outputs'
import { voiceDetailJson, voiceJson, responseJson } from './present'
import { sendAnnouncement, tellsOf } from '../responses/follow-ups'
import { addResponse, respondToMany } from './answers'
import { moderate, setSentiment } from './moderate'
import { voiceDetail, voicesOfSite } from './reads'

const ListQuery = v.object({
  status: v.optional(oneOf(VOICE_STATUSES)),
  kind: v.optional(oneOf(VOICE_KINDS)),
  sentiment: v.optional(oneOf([...SENTIMENTS, 'unclassified'] as const)),
  target: v.optional(v.pipe(v.string(), v.maxLength(64))),
  unanswered: v.optional(v.picklist(['1', 'true', '0', 'false'], 'must be 1 or 0')),
  limit: v.optional(LimitParam(100)),
  cursor: v.optional(v.string()),
})

/** What each route below says about itself in the API description (GET /openapi.json; src/common/api-docs.ts). */
const VOICE_ID = { id: "The voice's id (m_…)." }

const doc = apiDocsFor({ tag: 'Voices' })

const docs = {
  list: doc({
    summary: "List a site's voices",
    description:
      'Filtered by status, kind, sentiment (incl. unclassified), target and unanswered; newest first, a page at a time (follow next_cursor until it is null).',
    errors: ['not_found'],
    responses: { 200: { description: 'A page of voices, newest first.', schema: VoicePage } },
  }),
  respondToMany: doc({
    summary: 'Publish one response on several voices',
    description:
      '1–50 voices of the site, e.g. a resolution report for every complaint about one fault. Every id is checked first: one bad id refuses the whole request.',
    errors: ['not_found', 'conflict'],
    responses: { 201: { description: 'Per voice, the response id and page, or why not.', schema: ManyResponsesOut } },
  }),
  read: doc({
    summary: 'Read a voice',
    description: 'With its responses (and their Webmentions back to the blog), moderation log and earlier versions.',
    params: VOICE_ID,
    errors: ['not_found'],
    responses: { 200: { description: 'The voice.', schema: VoiceDetailOut } },
  }),
  sentiment: doc({
    summary: "Set a voice's sentiment",
    description: 'null clears it.',
    params: VOICE_ID,
    errors: ['not_found', 'conflict'],
    responses: { 200: { description: 'The voice.', schema: VoiceOut } },
  }),
  respond: doc({
    summary: 'Publish an official response',
    description: 'Stage reply, apology or resolution; announced to the blog by Webmention.',
    params: VOICE_ID,
    errors: ['not_found', 'conflict'],
    responses: {
      201: { description: 'The response, its public page and where its Webmention stands.', schema: ResponseCreated },
    },
  }),
  moderate: doc({
    summary: 'Moderate a voice',
    description: 'spam, remove (with a category) or restore; logged in the public moderation ledger and reversible.',
    params: VOICE_ID,
    errors: ['not_found', 'conflict'],
    responses: { 200: { description: 'The voice.', schema: VoiceOut } },
  }),
}

/** /api/sites/:site/mentions */
export const siteVoiceRoutes = newRouter().get('/:site/mentions', docs.list, queryOf(ListQuery), async (c) => {
  const q = c.req.valid('query')
  const cursor = cursorParam(q.cursor)
  const page = await voicesOfSite(getDb(c.env.DB), c.var.principal, pathParam(c.req.param('site')), {
    status: q.status,
    kind: q.kind,
    sentiment: q.sentiment,
    targetId: q.target,
    unanswered: q.unanswered === '1' || q.unanswered === 'true',
    cursor,
    limit: q.limit ?? 50,
  })
  return c.json({
    items: page.items.map(voiceJson),
    next_cursor: page.next && positionCursor(page.next),
  } satisfies Out<typeof VoicePage>)
})

/** POST /api/sites/:site/responses — one response published on several voices at once. */
export const siteResponseRoutes = newRouter().post(
  '/:site/responses',
  docs.respondToMany,
  jsonBody(ManyResponseCreate),
  async (c) => {
    const db = getDb(c.env.DB)
    const { mention_ids, ...input } = c.req.valid('json')
    const hub = new URL(c.req.url).origin
    const results = await respondToMany(
      db,
      c.var.principal,
      pathParam(c.req.param('site')),
      mention_ids,
      input,
      c.var.now(),
      hub,
      tellsOf(c.env, hub, c.var.now).response,
    )
    for (const r of results) if (r.ok) await sendAnnouncement(c.env, r.announcement, c.var.now)
    return c.json(
      {
        items: results.map((r) =>
          r.ok
            ? { mention_id: r.id, ok: true, response_id: r.response.id, url: responsePageUrl(hub, r.response.id) }
            : { mention_id: r.id, ok: false, error: r.refusal.message },
        ),
      } satisfies Out<typeof ManyResponsesOut>,
      201,
    )
  },
)

/** /api/mentions/:id */
export const voiceRoutes = newRouter()
  .get('/:id', docs.read, async (c) => {
    const detail = await voiceDetail(getDb(c.env.DB), c.var.principal, pathParam(c.req.param('id')))
    return c.json(voiceDetailJson(detail, c.var.now()))
  })
  .patch('/:id', docs.sentiment, jsonBody(VoicePatch), async (c) => {
    const m = await setSentiment(
      getDb(c.env.DB),
      c.var.principal,
      pathParam(c.req.param('id')),
      c.req.valid('json').sentiment,
      c.var.now(),
    )
    return c.json(voiceJson(m))
  })
  .post('/:id/responses', docs.respond, jsonBody(ResponseCreate), async (c) => {
    const db = getDb(c.env.DB)
    const hub = new URL(c.req.url).origin
    const { response, announcement } = await addResponse(
      db,
      c.var.principal,
      pathParam(c.req.param('id')),
      c.req.valid('json'),
      c.var.now(),
      hub,
      tellsOf(c.env, hub, c.var.now).response,
    )
    await sendAnnouncement(c.env, announcement, c.var.now)
    return c.json(
      {
        ...responseJson(response),
        url: responsePageUrl(hub, response.id),
        webmention: response.webmention_state,
      } satisfies Out<typeof ResponseCreated>,
      201,
    )
  })
  .post('/:id/moderation', docs.moderate, jsonBody(ModerationCreate), async (c) => {
    const m = await moderate(
      getDb(c.env.DB),
      c.var.principal,
      pathParam(c.req.param('id')),
      c.req.valid('json'),
      c.var.now(),
      tellsOf(c.env, new URL(c.req.url).origin, c.var.now).moderated,
    )
    return c.json(voiceJson(m))
  })
