/** /api/responses/:id — the operator API's actions on one official response. */
import { getDb } from '../db/client'
import { newRouter } from '../env'
import { apiDocsFor } from '../common/api-docs'
import type { Out } from '../common/outputs'
import { pathParam } from '../common/validation'
import { AnnouncementOut } from '../voices/outputs'
import { announcementJson } from '../voices/present'
import { resendAnnouncement } from './resend'

const doc = apiDocsFor({ tag: 'Voices' })

const docs = {
  announce: doc({
    summary: "Send a response's Webmention to the blog again",
    description:
      'A new round of tries, starting now: after the last one failed, the post had no endpoint (it may have one now), or a retry is still waiting. Refused (409) once the blog has accepted it, and for a voice that is not public or did not come by Webmention or Pingback.',
    params: { id: "The response's id (r_…)." },
    errors: ['not_found', 'conflict'],
    responses: { 202: { description: 'Where its Webmention now stands.', schema: AnnouncementOut } },
  }),
}

export const responseApiRoutes = newRouter().post('/:id/announce', docs.announce, async (c) => {
  const now = c.var.now()
  const { timeZone, ...response } = await resendAnnouncement(
    getDb(c.env.DB),
    c.env.ANNOUNCE_QUEUE,
    c.var.principal,
    pathParam(c.req.param('id')),
    new URL(c.req.url).origin,
    now,
  )
  return c.json(announcementJson(response, timeZone, now) satisfies Out<typeof AnnouncementOut>, 202)
})
