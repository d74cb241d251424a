/** `GET /photos/{review}/{n}` — a review's photo, while the review is published. */
import { getDb } from '../../db/client'
import { newRouter } from '../../env'
import { apiDoc } from '../../common/api-docs'
import { findVoice } from '../../voices/store'
import { problem } from '../../common/errors'
import { pathParam } from '../../common/validation'
import { photoStore } from './photos'

/** What each route below says about itself in the API description (GET /openapi.json; src/common/api-docs.ts). */
const docs = {
  photo: apiDoc({
    tag: 'Reviews',
    summary: "A review's photo",
    description: 'While the review is published.',
    params: { review: "The review's id (m_…).", n: "The photo's number, from 0." },
    errors: ['not_found'],
    responses: { 200: { description: 'The photo.', media: 'image/*' } },
  }),
}

export const photoRoutes = newRouter().get('/:review/:n', docs.photo, async (c) => {
  const n = Number(c.req.param('n'))
  const voice = await findVoice(getDb(c.env.DB), pathParam(c.req.param('review')))
  const photo = Number.isInteger(n) && voice?.status === 'published' ? voice.photos[n] : undefined
  const stored = photo ? await photoStore(c.env)?.get(photo.key) : null
  if (!photo || !stored) return problem(c, 'not_found', 'No such photo')
  return c.body(stored.body, 200, {
    'Content-Type': photo.type,
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'",
    'Cache-Control': 'public, max-age=300',
  })
})
