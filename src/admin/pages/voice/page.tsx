/** One voice: what it says, its check, its answers and moderation, and the forms that change it. */
import type { FC } from 'hono/jsx'

import { safeHref } from '../../../common/safe-href'
import { SENTIMENTS } from '../../../db/schema'
import { checkOf, STATE_WORDS } from '../../../linkbacks/status'
import { explainCheck } from '../../../reasons/check'
import type { SiteRow } from '../../../sites/store'
import type { TargetRow } from '../../../targets/store'
import { REMOVAL_CATEGORIES } from '../../../voices/moderation'
import { parseResponses } from '../../../voices/responses-json'
import { announcementDue } from '../../../voices/announcement'
import { type AnsweredResponse, announcementWords } from '../../../voices/present'
import type { ModerationRow, VoiceRow } from '../../../voices/store'
import { statusWordsOf, wordFor } from '../../kit/code-words'
import type { PageContext } from '../../kit/context'
import { formatDateTime } from '../../kit/dates'
import { InputField, SelectField } from '../../kit/fields'
import { Csrf, type FormValues, Layout, type Notice, NoticeLine } from '../../kit/layout'
import { ResponseFields, who } from '../../kit/responses'
import { AnswerForms, AnswerHead, type Editing } from './answer-forms'
import type { Words } from './words'
import type { Because } from '../../../sentiment/suggest'
import { REASON_WORDS } from '../../../sentiment/reason-words'

type Ctx = PageContext<Words>

export const VoicePage: FC<{
  ctx: Ctx
  site: SiteRow
  voice: VoiceRow
  /** The registered targets a found voice may be published on (empty for other voices). */
  targets: TargetRow[]
  moderation: ModerationRow[]
  answers: AnsweredResponse[]
  notice: Notice | null
  values?: FormValues
  hubOrigin: string
  /** The time the page is made at: says whether a retry is still to come. */
  now: number
  /** The answer whose edit or withdrawal was just refused, if any. */
  editing?: Editing | null
  /** Why the words suggested the voice's sentiment (when it is still a suggestion). */
  why?: { mixed: boolean; because: readonly Because[] } | null
}> = ({
  ctx,
  site,
  voice: m,
  targets,
  moderation,
  answers,
  notice,
  values,
  hubOrigin,
  now,
  editing = null,
  why = null,
}) => {
  const base = `/admin/mentions/${encodeURIComponent(m.id)}`
  const source = safeHref(m.sourceUrl)
  const announced = new Map(answers.map((r) => [r.id, r]))
  return (
    <Layout ctx={ctx} title={m.title ?? m.id}>
      <p>
        <a href={`/admin/sites/${encodeURIComponent(site.slug)}`}>← {ctx.t.back}</a>
      </p>
      <NoticeLine ctx={ctx} notice={notice} />
      <h1>{m.title ?? m.sourceUrl ?? m.id}</h1>
      <p class="meta">
        {ctx.w.kind[m.kind]} · {statusWordsOf(ctx.w, m.kind, m.status)} ·{' '}
        {ctx.w.sentiment[m.sentiment ?? 'unclassified']}
        {m.sentimentBy === 'suggested' && `${ctx.t.open}${ctx.t.suggested}${ctx.t.close}`} · {ctx.t.received}{' '}
        {formatDateTime(m.receivedAt, ctx.lang, ctx.timeZone)}
        {m.importId !== null && (
          <>
            {' · '}
            <a href={`/admin/sites/${encodeURIComponent(site.slug)}/imports/${encodeURIComponent(m.importId)}`}>
              {ctx.t.imported}
            </a>
          </>
        )}
      </p>
      {why !== null && why.because.length > 0 && (
        <p class="meta">
          {ctx.t.why}
          {ctx.t.colon}
          {why.because.map((b, i) => (
            <>
              {i > 0 && ' · '}
              <q>
                <bdi>{b.text}</bdi>
              </q>
              {ctx.t.open}
              {REASON_WORDS[ctx.lang][b.learned ? 'learned' : b.reason]}
              {b.negated && `${ctx.t.comma}${ctx.t.negated}`}
              {ctx.t.close}
            </>
          ))}
          {why.mixed && ` — ${ctx.t.mixed}`}
        </p>
      )}
      {m.verifyState !== null && (
        <p class="meta">
          {ctx.t.linkCheck}
          {ctx.t.colon}
          {explainCheck(checkOf(m), ctx.lang) ?? STATE_WORDS[ctx.lang][m.verifyState]}
        </p>
      )}
      {m.kind === 'review' && (
        <p class="meta">
          {m.rating !== null && `${'★'.repeat(m.rating)}${'☆'.repeat(5 - m.rating)} · `}
          {m.verifiedPurchase ? ctx.t.verifiedPurchase : ctx.t.notVerifiedPurchase}
          {m.disclosure === 'incentivized' && ` · ${ctx.t.incentivized}`}
          {m.editedAt !== null && ` · ${ctx.t.edited} ${formatDateTime(m.editedAt, ctx.lang, ctx.timeZone)}`}
          {m.authorVerdict && ` · ${m.authorVerdict === 'resolved' ? ctx.t.verdictResolved : ctx.t.verdictUnresolved}`}
        </p>
      )}
      <p>
        {ctx.t.source}
        {ctx.t.colon}
        {source ? (
          <a href={source} rel="nofollow noopener noreferrer" target="_blank">
            {m.sourceUrl}
          </a>
        ) : (
          (m.sourceUrl ?? '—')
        )}
        {m.sourceHost && (
          <>
            {ctx.t.open}
            {ctx.t.sourceHost}
            {ctx.t.colon}
            <strong>{m.sourceHost}</strong>
            {ctx.t.close}
          </>
        )}
        <br />
        {ctx.t.author}
        {ctx.t.colon}
        {who(m)}
      </p>
      {m.excerpt && <blockquote>{m.excerpt}</blockquote>}
      {m.kind === 'discovered' && (m.status === 'pending' || m.status === 'rejected') && (
        <FoundVoice ctx={ctx} voice={m} targets={targets} base={base} />
      )}

      <h2>{ctx.t.responses}</h2>
      {parseResponses(m.responsesJson).length === 0 ? (
        <p class="meta">{ctx.t.noResponses}</p>
      ) : (
        <ul>
          {parseResponses(m.responsesJson).map((r) => {
            const sent = announced.get(r.id)
            return (
              <li class="voice">
                <AnswerHead ctx={ctx} answer={r} hubOrigin={hubOrigin} />
                {sent?.webmentionState && (
                  <p class="meta">
                    {ctx.t.toBlog}
                    {ctx.t.colon}
                    {announcementWords(sent, ctx.lang, ctx.timeZone, now)}
                  </p>
                )}
                {sent?.webmentionState && sent.webmentionState !== 'sent' && announcementDue(m) && (
                  <form method="post" action={`${base}/responses/${encodeURIComponent(r.id)}/announce`}>
                    <Csrf ctx={ctx} />
                    <button type="submit">{ctx.t.sendAgain}</button>
                  </form>
                )}
                {r.withdrawn_at === null && (m.status === 'published' || m.status === 'pending') && (
                  <AnswerForms ctx={ctx} answer={r} base={base} editing={editing} />
                )}
              </li>
            )
          })}
        </ul>
      )}

      <form method="post" action={`${base}/responses`}>
        <fieldset>
          <legend>{ctx.t.publishResponse}</legend>
          <Csrf ctx={ctx} />
          <ResponseFields
            ctx={ctx}
            stage={
              m.apologizedAt !== null && m.resolvedAt === null
                ? 'resolution'
                : m.sentiment === 'negative' && m.apologizedAt === null
                  ? 'apology'
                  : 'reply'
            }
            values={values}
          />
        </fieldset>
      </form>

      <form method="post" action={`${base}/sentiment`}>
        <fieldset>
          <legend>{ctx.t.setSentiment}</legend>
          <Csrf ctx={ctx} />
          <SelectField
            name="sentiment"
            label={ctx.t.sentiment}
            help={ctx.t.sentimentHelp}
            value={m.sentiment ?? ''}
            options={[
              { value: '', label: ctx.w.sentiment.unclassified },
              ...SENTIMENTS.map((s) => ({ value: s, label: ctx.w.sentiment[s] })),
            ]}
          />{' '}
          <button type="submit">{ctx.t.save}</button>
        </fieldset>
      </form>

      {/* A found voice is moderated once it has been shown; until then it is published or set aside. */}
      {!(m.kind === 'discovered' && m.publishedAt === null) && (
        <form method="post" action={`${base}/moderation`}>
          <fieldset>
            <legend>{ctx.t.moderation}</legend>
            <Csrf ctx={ctx} />
            {/* Nothing chosen at first: a slip of the Enter key never removes a voice. */}
            <SelectField
              name="action"
              label={ctx.t.action}
              required
              value={values?.get('action') ?? ''}
              options={[
                { value: '', label: ctx.t.chooseAction },
                { value: 'remove', label: ctx.t.actionRemove },
                { value: 'spam', label: ctx.t.actionSpam },
                { value: 'restore', label: ctx.t.actionRestore },
              ]}
            />
            <SelectField
              name="category"
              label={ctx.t.category}
              value={values?.get('category') ?? ''}
              options={[
                { value: '', label: '—' },
                ...REMOVAL_CATEGORIES.map((c) => ({ value: c, label: ctx.w.category[c] })),
              ]}
            />
            <InputField
              name="reason"
              label={ctx.t.reason}
              required
              maxlength={1000}
              value={values?.get('reason') ?? ''}
            />
            <button type="submit">{ctx.t.save}</button>
          </fieldset>
        </form>
      )}

      {moderation.length > 0 && (
        <ul class="meta">
          {moderation.map((e) => (
            <li>
              {formatDateTime(e.createdAt, ctx.lang, ctx.timeZone)} · {wordFor(ctx.w, 'action', e.action)} ·{' '}
              {wordFor(ctx.w, 'category', e.category)} · {e.reason}
              {ctx.t.open}
              {wordFor(ctx.w, 'status', e.fromStatus)} → {wordFor(ctx.w, 'status', e.toStatus)}
              {ctx.t.close}
            </li>
          ))}
        </ul>
      )}
    </Layout>
  )
}

/** A voice found in a watched feed, waiting for staff: publish it (on the page it is about, or another target) or set it aside. */
const FoundVoice: FC<{ ctx: Ctx; voice: VoiceRow; targets: TargetRow[]; base: string }> = ({
  ctx,
  voice: m,
  targets,
  base,
}) => (
  <section aria-labelledby="found-heading">
    <h2 id="found-heading">{ctx.t.foundVoice}</h2>
    <p class="meta">{ctx.t.foundVoiceHelp}</p>
    <form method="post" action={`${base}/publish`}>
      <Csrf ctx={ctx} />
      <SelectField
        name="target"
        label={ctx.t.publishOn}
        value=""
        options={[
          {
            value: '',
            label: `${ctx.t.pageItIsAbout}${ctx.t.colon}${m.targetPending ? m.targetId : (targets.find((t) => t.id === m.targetId)?.title ?? m.targetId)}`,
          },
          ...targets.filter((t) => t.id !== m.targetId).map((t) => ({ value: t.id, label: t.title })),
        ]}
      />{' '}
      <button type="submit">{ctx.t.publishVoice}</button>
    </form>
    {m.status === 'pending' && (
      <form method="post" action={`${base}/dismiss`}>
        <Csrf ctx={ctx} />
        <button type="submit">{ctx.t.setAside}</button>
      </form>
    )}
  </section>
)
