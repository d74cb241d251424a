/** `GET /r/{code}`: 302 to the link's target (never 301: browsers would cache it and hide repeat clicks). */
import type { Context } from 'hono'

import { getDb } from '../../db/client'
import { type AppEnv, newRouter } from '../../env'
import { apiDoc } from '../../common/api-docs'
import { clientIpOf } from '../../common/client-ip'
import { newId } from '../../common/crypto'
import { PageShell } from '../../common/page-shell'
import { hostOf } from '../../common/url'
import { type ClickMessage, isBot, uaClassOf, visitorHash } from './clicks'
import { destinationOf, type LiveLink, liveLink } from './redirect'

const NotFound = () => (
  <PageShell
    lang="en"
    title="Link not found"
    style="body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}"
    noindex
  >
    <h1>This link does not lead anywhere</h1>
    <p>It may have been mistyped, or the shop has switched it off.</p>
    <p lang="ja">このリンクの行き先はありません。入力の誤りか、ショップがリンクを停止した可能性があります。</p>
  </PageShell>
)

/** Hands the click to the queue after the answer; over the flood limit it is not recorded at all. */
async function recordLater(c: Context<AppEnv>, link: LiveLink, clickId: string, at: number) {
  const ip = clientIpOf(c.req)
  const { success } = await c.env.CLICK_LIMITER.limit({ key: `${link.code}:${ip}` })
  if (!success) return
  const headers = c.req.raw.headers
  const cf = (c.req.raw as { cf?: { country?: string; botManagement?: { verifiedBot?: boolean } } }).cf
  const bot = isBot(headers, cf?.botManagement?.verifiedBot === true)
  const ua = headers.get('User-Agent') ?? ''
  const message: ClickMessage = {
    id: clickId,
    siteId: link.siteId,
    code: link.code,
    partnerId: link.partnerId,
    at,
    referrerHost: hostOf(headers.get('Referer') ?? '')?.slice(0, 255) ?? null,
    country: cf?.country ?? null,
    uaClass: uaClassOf(ua, bot),
    bot,
    visitor: await visitorHash(c.env.WEBHOOK_SECRETS_KEY, ip, ua, at),
  }
  try {
    await c.env.CLICK_QUEUE.send(message)
  } catch (err) {
    console.error(JSON.stringify({ msg: 'could not queue a click', id: clickId, error: String(err) }))
  }
}

/** What each route below says about itself in the API description (GET /openapi.json; src/common/api-docs.ts). */
const docs = {
  follow: apiDoc({
    tag: 'Affiliates',
    summary: 'Follow a tracking link',
    description:
      "302 to the link's target, with the click id in the site's click parameter (never 301: browsers would cache it and hide repeat clicks). An unknown or disabled link is a 404 page.",
    params: { code: "The link's code." },
    ownErrors: true,
    responses: {
      302: { description: 'To the storefront (Location).', media: null },
      404: { description: 'No such link (an HTML page).', media: 'text/html' },
    },
  }),
}

export const redirectRoutes = newRouter().get('/:code', docs.follow, async (c) => {
  const link = await liveLink(getDb(c.env.DB), c.req.param('code'))
  if (!link) return c.html(<NotFound />, 404, { 'Cache-Control': 'no-store' })
  const clickId = newId('c')
  c.executionCtx.waitUntil(recordLater(c, link, clickId, c.var.now()))
  return new Response(null, {
    status: 302,
    headers: { Location: destinationOf(link, clickId), 'Cache-Control': 'no-store' },
  })
})
