import { bodyLimit } from 'hono/body-limit'
import * as v from 'valibot'

import { newRouter } from '../env'
import { apiDoc, type ResponseDoc } from '../common/api-docs'
import type { Out } from '../common/outputs'
import { intakeDeps } from '../linkbacks/intake'
import { statusUrl } from '../common/hub-urls'
import { clientIpOf } from '../common/client-ip'
import { pathParam } from '../common/validation'
import { statusOf } from '../common/errors'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { parseWebmentionForm, refusalText } from './protocol'
import { WebmentionQueued } from './outputs'
import { receiveWebmention } from './service'
import { wantsHtml } from '../common/media-type'
import { browserPage, toStatusPage } from './browser'

/** Two URLs and a few extra fields; anything bigger is not a Webmention. */
const MAX_BODY_BYTES = 16 * 1024

/** The form's fields as the API description shows them (parseWebmentionForm reads the bytes itself, UTF-8 only). */
const WebmentionFields = v.object({
  source: v.pipe(v.string(), v.description('The post that mentions the page.')),
  target: v.pipe(v.string(), v.description("The storefront's page it mentions (under one of the site's origins).")),
})

const refusal = (description: string): ResponseDoc => ({ description, media: 'text/plain' })
/** A refusal from the form of the page below: that page again, the refusal at its field. */
const refusalOrPage = (description: string): ResponseDoc => ({
  description: `${description} From a browser (Accept: text/html): the page again, in HTML.`,
  media: ['text/plain', 'text/html'],
})

/** The language of the page for people (and of the status page a form sent from it goes on to). */
const LangQuery = { schema: v.object({ lang: v.optional(v.picklist(['en', 'ja'])) }) }

const plain = (text: string, status: ContentfulStatusCode, headers: Record<string, string> = {}) =>
  new Response(text, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...headers },
  })

/** Any method but POST, and a GET from anything but a browser. */
const notAllowed = () =>
  plain(refusalText('method_not_allowed', 'This is a Webmention endpoint: POST source and target to it'), 405, {
    Allow: 'POST',
  })

/** POST /webmention/:site — the Webmention endpoint a storefront advertises. */
export const webmentionRoutes = newRouter()
  .post(
    '/:site',
    apiDoc({
      tag: 'Linkbacks',
      summary: 'Send a Webmention (W3C Recommendation)',
      description:
        'source and target as a form. Accepted requests are queued for verification: the Location header (and location) is the status URL. Refusals are plain text: a code, a blank line, a sentence.',
      body: { media: ['application/x-www-form-urlencoded'], schema: WebmentionFields },
      query: LangQuery,
      ownErrors: true,
      responses: {
        201: { description: 'Queued for verification (Location: the status URL).', schema: WebmentionQueued },
        303: { description: 'Queued, sent from a browser (Accept: text/html): on to its status page.', media: null },
        400: refusalOrPage('Refused: not a form, not UTF-8, a missing or invalid URL, a target not on the storefront.'),
        404: refusal('No such site.'),
        413: refusal('The body is over 16 KB.'),
        429: refusalOrPage('Too many Webmentions from this address or for this site (Retry-After).'),
      },
    }),
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => plain(refusalText('too_large', `A Webmention body is at most ${MAX_BODY_BYTES / 1024} KB`), 413),
    }),
    async (c) => {
      const form = parseWebmentionForm(new Uint8Array(await c.req.arrayBuffer()), c.req.header('Content-Type') ?? null)
      if (!form.ok) return plain(refusalText(form.reason, form.message), 400)

      const slug = pathParam(c.req.param('site'))
      const outcome = await receiveWebmention(intakeDeps(c.env, c.req.url, c.var.now), {
        siteSlug: slug,
        source: form.source,
        target: form.target,
        clientIp: clientIpOf(c.req),
        now: c.var.now(),
      })
      const byHand = wantsHtml(c.req.header('Accept'))
      if (!outcome.ok && byHand && outcome.reason !== 'unknown_site') {
        const typed = { source: form.source ?? '', target: form.target ?? '' }
        return browserPage(c, slug, { status: statusOf(outcome.code), reason: outcome.reason, ...typed })
      }
      if (!outcome.ok) {
        return plain(
          refusalText(outcome.reason, outcome.message),
          statusOf(outcome.code),
          outcome.code === 'rate_limited' ? { 'Retry-After': '60' } : {},
        )
      }
      const location = statusUrl(new URL(c.req.url).origin, slug, outcome.voiceId)
      c.header('Cache-Control', 'no-store')
      // A person who sent it from the page below goes on to its status page.
      if (byHand) return toStatusPage(c, location)
      c.header('Location', location)
      c.header('Access-Control-Allow-Origin', '*')
      return c.json(
        {
          status: 'queued',
          summary: 'Webmention was queued for verification',
          location,
          source: outcome.source,
          target: outcome.target,
        } satisfies Out<typeof WebmentionQueued>,
        201,
      )
    },
  )
  .get(
    '/:site',
    apiDoc({
      tag: 'Linkbacks',
      summary: 'How to tell this shop about a post (a page for people)',
      description:
        'A browser asking for text/html gets a page in its language (?lang=en|ja): the addresses blog software sends to, and a form that sends a Webmention by hand (answered with 303 to its status page, or this page again with the refusal at its field). Anything else gets 405, as for any method but POST.',
      query: LangQuery,
      errors: ['not_found', 'gone'],
      responses: {
        200: { description: 'The page (text/html).', media: 'text/html' },
        405: refusal('Not a browser: this endpoint takes POST.'),
      },
    }),
    (c) => (wantsHtml(c.req.header('Accept')) ? browserPage(c, pathParam(c.req.param('site'))) : notAllowed()),
  )
  .all('/:site', notAllowed)
