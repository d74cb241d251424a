/**
 * The Webmention endpoint as people meet it in a browser (an Accept naming text/html and not
 * JSON): the page that tells a blogger how to reach the shop, that page again with a refusal at
 * its field when its form was not taken, and — when it was — on to the status page.
 */
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

import { getDb } from '../db/client'
import type { AppEnv } from '../env'
import { publicHubOrigin } from '../common/hub-urls'
import { isLang, pickLang } from '../common/lang'
import { siteNamed } from '../linkbacks/lookup'
import { liveSite } from '../sites/deleted'
import { readSettings } from '../sites/settings'
import { sendPage, type SendRefusal } from './send-page'

/** The page in the reader's language: `?lang=`, else the browser's, else the shop's. */
export async function browserPage(
  c: Context<AppEnv>,
  slug: string,
  refusal?: { status: ContentfulStatusCode } & SendRefusal,
) {
  const site = liveSite(await siteNamed(getDb(c.env.DB), slug, false))
  const lang = pickLang(
    c.req.query('lang'),
    undefined,
    c.req.header('Accept-Language'),
    readSettings(site.settings).lang,
  )
  c.header('Vary', 'Accept, Accept-Language')
  // The same page for every reader of a language: browsers and caches may keep it five minutes.
  c.header('Cache-Control', refusal ? 'no-store' : 'public, max-age=300')
  const page = sendPage({
    hub: publicHubOrigin(c.env, c.req.url),
    slug: site.slug,
    siteName: site.name,
    example: `${site.origins[0] ?? 'https://shop.example'}/…`,
    lang,
    refusal,
  })
  return c.html(page, refusal?.status ?? 200)
}

/** On to a queued Webmention's status page, in the language of the page it was sent from. */
export function toStatusPage(c: Context<AppEnv>, location: string) {
  const lang = c.req.query('lang')
  return c.redirect(isLang(lang) ? `${location}?lang=${lang}` : location, 303)
}
