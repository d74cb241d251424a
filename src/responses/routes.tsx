import type { Context } from 'hono'

import { getDb } from '../db/client'
import { type AppEnv, newRouter } from '../env'
import { isLang, type PageLang, textLang } from '../common/lang'
import { pathParam } from '../common/validation'
import { readSettings } from '../sites/settings'
import { NoResponsePage, ResponsePage, WithdrawnAnswerPage } from './page'
import { revisionsOfResponse } from '../corrections/store'
import { findResponseWithVoice } from './store'
import { responsePageUrl } from '../common/hub-urls'
import { isDeleted } from '../sites/deleted'

/** Voices whose responses are no longer public: the page is gone, not missing. */
const WITHDRAWN = new Set(['spam', 'removed', 'gone'])

/**
 * The page speaks the language its answer is written in (a Japanese shop may answer an English
 * post in English), else the shop's; `?lang=en|ja` overrides both (a reader may prefer the other).
 */
const langOf = (c: Context<AppEnv>, shop: PageLang, answer?: string): PageLang => {
  const q = c.req.query('lang')
  return isLang(q) ? q : ((answer === undefined ? null : textLang(answer)) ?? shop)
}

/** GET /responses/:id — the public page of one official response (h-entry). */
export const responseRoutes = newRouter().get('/:id', async (c) => {
  const id = pathParam(c.req.param('id'))
  const found = await findResponseWithVoice(getDb(c.env.DB), id)
  const settings = found ? readSettings(found.site.settings) : null
  // A withdrawn answer's words say nothing, not even their language: its tombstone speaks the shop's.
  const lang = langOf(c, settings?.lang ?? 'en', found?.response.withdrawnAt === null ? found.response.body : undefined)
  if (!found || (found.voice.status !== 'published' && !WITHDRAWN.has(found.voice.status))) {
    return c.html(<NoResponsePage lang={lang} gone={false} />, 404)
  }
  // A withdrawn voice, or a deleted shop (src/sites/deleted.ts): gone.
  if (found.voice.status !== 'published' || isDeleted(found.site))
    return c.html(<NoResponsePage lang={lang} gone />, 410)
  const timeZone = settings?.time_zone ?? 'UTC'
  // An answer the shop withdrew: its tombstone, gone (a blog fetching it again drops it, as Webmention's deletes go).
  if (found.response.withdrawnAt !== null)
    return c.html(
      <WithdrawnAnswerPage
        lang={lang}
        shop={found.site.name}
        at={found.response.withdrawnAt}
        reason={found.response.withdrawnReason ?? ''}
        timeZone={timeZone}
      />,
      410,
    )
  const revisions = found.response.version > 1 ? await revisionsOfResponse(getDb(c.env.DB), id) : []
  c.header('Cache-Control', 'public, max-age=300')
  const pageUrl = responsePageUrl(new URL(c.req.url).origin, id)
  return c.html(<ResponsePage {...found} lang={lang} timeZone={timeZone} pageUrl={pageUrl} revisions={revisions} />)
})
