/** /api/responses/:id — correcting an official answer: a new version, or its withdrawal. */
import type { Context } from 'hono'

import { getDb } from '../db/client'
import { type AppEnv, newRouter } from '../env'
import { apiDocsFor } from '../common/api-docs'
import { requestIdOf } from '../common/errors'
import type { Out } from '../common/outputs'
import { jsonBody, pathParam } from '../common/validation'
import { sendAnnouncement, tellsOf } from '../responses/follow-ups'
import { editResponse } from './edit'
import { StaleResponse } from './correct'
import { ResponsePatch, ResponseWithdrawal } from './inputs'
import { CorrectedOut, StaleOut } from './outputs'
import { correctedJson } from './present'
import { withdrawResponse } from './withdraw'

const doc = apiDocsFor({ tag: 'Voices' })
const RESPONSE_ID = { id: "The response's id (r_…)." }

const docs = {
  edit: doc({
    summary: 'Correct an official answer',
    description:
      'Makes a new version of the answer from the version you read (`version`, required): any of `body`, `author` and `stage`. The version it replaces stays readable on the answer’s public page, which says it was edited and when. An edit made on an older version is refused (409) with the current answer in `current`, so nothing is lost; a withdrawn answer cannot be edited (409); a stage is changed only where stages keep their order (reply, apology, resolution; 409). An edit that changes nothing makes no version. When the blog was told of the answer, it is told again (Webmention), and `response.updated` goes to the webhooks.',
    params: RESPONSE_ID,
    errors: ['invalid_input', 'not_found'],
    responses: {
      200: { description: 'The answer as it now is.', schema: CorrectedOut },
      409: {
        description:
          'The answer changed meanwhile (its current version is in `current`), was withdrawn, or the stage would break the order.',
        schema: StaleOut,
      },
    },
  }),
  withdraw: doc({
    summary: 'Withdraw an official answer',
    description:
      'The answer stays in the voice’s answers as a tombstone — "the shop withdrew this answer on …: reason" — without its words; its public page answers 410 Gone with that text; the withdrawal is an entry of the public ledger (action `withdraw_answer`); it no longer counts as an answer in the response rate and times. The blog that was told of it is told again, and `response.withdrawn` goes to the webhooks. A second withdrawal is refused (409).',
    params: RESPONSE_ID,
    errors: ['invalid_input', 'not_found', 'conflict'],
    responses: { 200: { description: 'The answer, withdrawn.', schema: CorrectedOut } },
  }),
}

const hubOf = (c: Context<AppEnv>) => new URL(c.req.url).origin

export const correctionRoutes = newRouter()
  .patch('/:id', docs.edit, jsonBody(ResponsePatch), async (c) => {
    const hub = hubOf(c)
    try {
      const { response, announcement } = await editResponse(
        getDb(c.env.DB),
        c.var.principal,
        pathParam(c.req.param('id')),
        c.req.valid('json'),
        c.var.now(),
        hub,
        tellsOf(c.env, hub, c.var.now).updated,
      )
      await sendAnnouncement(c.env, announcement, c.var.now)
      return c.json(correctedJson(response, hub) satisfies Out<typeof CorrectedOut>)
    } catch (err) {
      if (!(err instanceof StaleResponse)) throw err
      const body = {
        error: { code: 'conflict' as const, message: err.message, request_id: requestIdOf(c) ?? '' },
        current: correctedJson(err.current, hub),
      }
      return c.json(body satisfies Out<typeof StaleOut>, 409)
    }
  })
  .post('/:id/withdraw', docs.withdraw, jsonBody(ResponseWithdrawal), async (c) => {
    const hub = hubOf(c)
    const { response, announcement } = await withdrawResponse(
      getDb(c.env.DB),
      c.var.principal,
      pathParam(c.req.param('id')),
      c.req.valid('json').reason,
      c.var.now(),
      hub,
      tellsOf(c.env, hub, c.var.now).withdrawn,
    )
    await sendAnnouncement(c.env, announcement, c.var.now)
    return c.json(correctedJson(response, hub) satisfies Out<typeof CorrectedOut>)
  })
