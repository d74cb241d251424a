/**
 * One voice's page and the forms that change it: a response, the sentiment, a moderation step, and
 * for a voice found in a watched feed, publishing it or setting it aside. A refused change is shown
 * on the voice's page; a change done answers with a redirect to it.
 */
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

import { checkForm, type FormLabels } from '../../../common/form-errors'
import { pathParam } from '../../../common/validation'
import { type Db, getDb } from '../../../db/client'
import { dismissDiscovered, PublishInput, publishDiscovered } from '../../../listening/discovered'
import { sendAnnouncement, tellsOf } from '../../../responses/follow-ups'
import { resendAnnouncement } from '../../../responses/resend'
import { readSettings } from '../../../sites/settings'
import { registeredTargets } from '../../../targets/service'
import { addResponse } from '../../../voices/answers'
import { ModerationCreate, ResponseCreate, VoicePatch } from '../../../voices/inputs'
import { moderate, setSentiment } from '../../../voices/moderate'
import { voiceDetail } from '../../../voices/reads'
import type { VoiceRow } from '../../../voices/store'
import { type AdminEnv, consoleRouter, field, pageContext } from '../../kit/context'
import { redirectWith, takeFlash } from '../../kit/flash'
import { onForm } from '../../kit/forms'
import type { Notice } from '../../kit/layout'
import { rememberResponder, responderOf, responseFormInput, responseLabels } from '../../kit/responses'
import { VoicePage } from './page'
import { explain } from '../../../sentiment/suggest'
import { wordsOf } from '../../../sentiment/fields'
import { learnedFor } from '../../../sentiment/learning-store'
import type { Editing } from './answer-forms'
import { answerRoutes } from './answer-routes'
import { WORDS, type Words } from './words'

async function renderVoice(
  c: Context<AdminEnv>,
  id: string,
  notice: Notice | null,
  status: ContentfulStatusCode = 200,
  values?: ReadonlyMap<string, string>,
  editing: Editing | null = null,
) {
  const db = getDb(c.env.DB)
  const principal = c.get('principal')
  // voiceDetail checks the principal may see this voice, hence its site.
  const { voice, moderation, answers, site } = await voiceDetail(db, principal, id)
  // A found voice waiting for staff may be published on another target: offer the registered ones.
  const waiting = voice.kind === 'discovered' && (voice.status === 'pending' || voice.status === 'rejected')
  return c.html(
    <VoicePage
      ctx={pageContext(c, WORDS, readSettings(site.settings).time_zone)}
      site={site}
      voice={voice}
      targets={waiting ? await registeredTargets(db, site.id) : []}
      moderation={moderation}
      answers={answers}
      notice={notice}
      values={values ?? responderOf(c)}
      hubOrigin={new URL(c.req.url).origin}
      now={c.var.now()}
      editing={editing}
      why={voice.sentimentBy === 'suggested' ? await whyOf(db, site.id, voice) : null}
    />,
    status,
  )
}

/**
 * Why the words suggest the voice's sentiment, read again now — shown only when today's reading
 * agrees with the stored suggestion (a model service's answer, or an older reader's, is not
 * explained by reasons for another).
 */
async function whyOf(db: Db, siteId: number, voice: VoiceRow) {
  const why = explain(wordsOf(voice.title, voice.excerpt), await learnedFor(db, siteId))
  return why.sentiment === voice.sentiment ? why : null
}

/** Runs a change of a voice; a refused change (bad input, a conflict) is shown on the voice's page, not as an error page. */
function changeVoice(c: Context<AdminEnv>, change: (id: string) => Promise<unknown>) {
  const id = pathParam(c.req.param('id'))
  return onForm(
    c,
    (notice, status) => renderVoice(c, id, notice, status, c.get('form').text),
    async () => {
      await change(id)
      return redirectWith<Words>(c, `/admin/mentions/${encodeURIComponent(id)}`, { say: 'saved' })
    },
  )
}

export const voiceRoutes = consoleRouter()
  .route('/', answerRoutes(renderVoice))
  .get('/mentions/:id', async (c) => renderVoice(c, pathParam(c.req.param('id')), (await takeFlash(c, WORDS)).notice))
  .post('/mentions/:id/sentiment', (c) =>
    changeVoice(c, async (id) => {
      const ctx = pageContext(c)
      const input = checkForm(VoicePatch, { sentiment: field(c, 'sentiment') || null }, ctx.lang, {
        sentiment: { field: 'sentiment', label: ctx.t.sentiment },
      })
      await setSentiment(getDb(c.env.DB), c.get('principal'), id, input.sentiment, c.var.now())
    }),
  )
  .post('/mentions/:id/responses', (c) =>
    changeVoice(c, async (id) => {
      const ctx = pageContext(c)
      const input = checkForm(ResponseCreate, responseFormInput(c), ctx.lang, responseLabels(ctx.t))
      const db = getDb(c.env.DB)
      const hub = new URL(c.req.url).origin
      const tell = tellsOf(c.env, hub, c.var.now).response
      const { announcement } = await addResponse(db, c.get('principal'), id, input, c.var.now(), hub, tell)
      rememberResponder(c, input.author)
      await sendAnnouncement(c.env, announcement, c.var.now)
    }),
  )
  .post('/mentions/:id/responses/:response/announce', (c) => {
    const id = pathParam(c.req.param('id'))
    return onForm(
      c,
      (notice, status) => renderVoice(c, id, notice, status, c.get('form').text),
      async () => {
        await resendAnnouncement(
          getDb(c.env.DB),
          c.env.ANNOUNCE_QUEUE,
          c.get('principal'),
          pathParam(c.req.param('response')),
          new URL(c.req.url).origin,
          c.var.now(),
          // Only an answer of this voice: another voice's is "not found" here.
          id,
        )
        return redirectWith<Words>(c, `/admin/mentions/${encodeURIComponent(id)}`, { say: 'sentAgain' })
      },
    )
  })
  .post('/mentions/:id/publish', (c) =>
    changeVoice(c, async (id) => {
      const ctx = pageContext(c, WORDS)
      const target = field(c, 'target')
      const input = checkForm(PublishInput, target ? { target } : {}, ctx.lang, {
        target: { field: 'target', label: ctx.t.publishOn },
      })
      const tell = tellsOf(c.env, new URL(c.req.url).origin, c.var.now).published
      await publishDiscovered(getDb(c.env.DB), c.get('principal'), id, input, c.var.now(), tell)
    }),
  )
  .post('/mentions/:id/dismiss', (c) =>
    changeVoice(c, (id) => dismissDiscovered(getDb(c.env.DB), c.get('principal'), id, c.var.now())),
  )
  .post('/mentions/:id/moderation', (c) =>
    changeVoice(c, async (id) => {
      const ctx = pageContext(c, WORDS)
      const category = field(c, 'category') || undefined
      const labels: FormLabels = {
        action: { field: 'action', label: ctx.t.action },
        category: { field: 'category', label: ctx.t.category },
        reason: { field: 'reason', label: ctx.t.reason },
      }
      const input = checkForm(
        ModerationCreate,
        { action: field(c, 'action'), reason: field(c, 'reason'), ...(category ? { category } : {}) },
        ctx.lang,
        labels,
      )
      const tell = tellsOf(c.env, new URL(c.req.url).origin, c.var.now).moderated
      await moderate(getDb(c.env.DB), c.get('principal'), id, input, c.var.now(), tell)
    }),
  )
