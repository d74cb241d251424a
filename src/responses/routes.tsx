import type { Context } from 'hono'

import { getDb } from '../db/client'
import { type AppEnv, newRouter } from '../env'
import { isLang, type PageLang } from '../common/lang'
import { pathParam } from '../common/validation'
import { readSettings } from '../sites/settings'
import { NoResponsePage, ResponsePage } from './page'
import { findResponseWithVoice } from './store'
import { responsePageUrl } from '../common/hub-urls'

/** Voices whose responses are no longer public: the page is gone, not missing. */
const WITHDRAWN = new Set(['spam', 'removed', 'gone'])

/** `?lang=en|ja` overrides the shop's language (a reader may prefer the other). */
const langOf = (c: Context<AppEnv>, shop: PageLang): PageLang => {
  const q = c.req.query('lang')
  return isLang(q) ? q : shop
}

/** GET /responses/:id — the public page of one official response (h-entry). */
export const responseRoutes = newRouter().get('/:id', async (c) => {
  const id = pathParam(c.req.param('id'))
  const found = await findResponseWithVoice(getDb(c.env.DB), id)
  const lang = langOf(c, found ? readSettings(found.site.settings).lang : 'en')
  if (!found || (found.voice.status !== 'published' && !WITHDRAWN.has(found.voice.status))) {
    return c.html(<NoResponsePage lang={lang} gone={false} />, 404)
  }
  if (found.voice.status !== 'published') return c.html(<NoResponsePage lang={lang} gone />, 410)
  c.header('Cache-Control', 'public, max-age=300')
  return c.html(<ResponsePage {...found} lang={lang} pageUrl={responsePageUrl(new URL(c.req.url).origin, id)} />)
})
