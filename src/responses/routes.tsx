import { getDb } from '../db/client'
import { newRouter } from '../env'
import { AppError } from '../shared/errors'
import { pathParam } from '../shared/validation'
import { responsePageUrl } from './urls'
import { ResponsePage } from './page'
import { findResponseWithVoice } from './store'

/** Voices whose responses are no longer public: the page is gone, not missing. */
const WITHDRAWN = new Set(['spam', 'removed', 'gone'])

/** GET /responses/:id — the public page of one official response (h-entry). */
export const responseRoutes = newRouter().get('/:id', async (c) => {
  const id = pathParam(c.req.param('id'))
  const found = await findResponseWithVoice(getDb(c.env.DB), id)
  if (!found || (found.voice.status !== 'published' && !WITHDRAWN.has(found.voice.status))) {
    throw new AppError('not_found', 'No such response')
  }
  if (found.voice.status !== 'published') {
    return c.text('This response was withdrawn with the voice it answered (see the site’s public ledger).', 410)
  }
  c.header('Cache-Control', 'public, max-age=300')
  return c.html(<ResponsePage {...found} pageUrl={responsePageUrl(new URL(c.req.url).origin, id)} />)
})
