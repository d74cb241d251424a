/**
 * One answer on a voice's page: what it says (or its tombstone), its version and when it was
 * edited, and the two forms that correct it — a new version (made on the version shown, carried in
 * a hidden field), and a withdrawal with its public reason, confirmed by a box to tick.
 */
import type { FC } from 'hono/jsx'

import { responsePageUrl } from '../../../common/hub-urls'
import type { StoredResponse } from '../../../voices/responses-json'
import { wordFor } from '../../kit/code-words'
import type { PageContext } from '../../kit/context'
import { formatDateTime } from '../../kit/dates'
import { Checkbox, InputField, SelectField, TextField } from '../../kit/fields'
import { Csrf } from '../../kit/layout'
import { phrase } from '../../kit/words'
import type { Words } from './words'

type Ctx = PageContext<Words>

/** The answer whose form was refused: what was typed, or (`stale`) the version someone else saved meanwhile. */
export type Editing = {
  id: string
  values: ReadonlyMap<string, string>
  stale: boolean
}

export const AnswerHead: FC<{ ctx: Ctx; answer: StoredResponse; hubOrigin: string }> = ({
  ctx,
  answer: r,
  hubOrigin,
}) => (
  <>
    <strong>{wordFor(ctx.w, 'stage', r.stage)}</strong> · {r.author_name}
    {r.author_role && `${ctx.t.open}${r.author_role}${ctx.t.close}`} ·{' '}
    {formatDateTime(r.created_at, ctx.lang, ctx.timeZone)}
    {r.edited_at !== null &&
      ` · ${ctx.t.editedAt} ${formatDateTime(r.edited_at, ctx.lang, ctx.timeZone)}${ctx.t.open}${phrase(ctx.lang, ctx.t.version, { version: r.version })}${ctx.t.close}`}{' '}
    · <a href={responsePageUrl(hubOrigin, r.id)}>{ctx.t.responsePage}</a>
    {r.withdrawn_at === null ? (
      <p>{r.body}</p>
    ) : (
      <p class="meta">
        {phrase(ctx.lang, ctx.t.withdrawnOn, {
          date: formatDateTime(r.withdrawn_at, ctx.lang, ctx.timeZone),
          reason: r.withdrawn_reason ?? '',
        })}
      </p>
    )}
  </>
)

export const AnswerForms: FC<{ ctx: Ctx; answer: StoredResponse; base: string; editing: Editing | null }> = ({
  ctx,
  answer: r,
  base,
  editing,
}) => {
  const t = ctx.t
  const mine = editing?.id === r.id ? editing : null
  // After a refusal, what was typed; after a stale edit, the answer as it now is.
  const typed = (name: string, current: string) => (mine && !mine.stale ? (mine.values.get(name) ?? current) : current)
  const action = `${base}/responses/${encodeURIComponent(r.id)}`
  const id = (name: string) => `${name}_${r.id}`
  const withdrawing = mine !== null && mine.values.has('withdraw_reason')
  return (
    <>
      <details open={mine !== null && !withdrawing}>
        <summary>{t.editAnswer}</summary>
        <form method="post" action={`${action}/edit`}>
          <Csrf ctx={ctx} />
          <input type="hidden" name="version" value={String(r.version)} />
          <p class="meta">{t.editHelp}</p>
          <SelectField
            name="edit_stage"
            id={id('edit_stage')}
            label={t.stage}
            value={typed('edit_stage', r.stage)}
            options={[
              { value: 'reply', label: t.stageReply },
              { value: 'apology', label: t.stageApology },
              { value: 'resolution', label: t.stageResolution },
            ]}
          />
          <TextField
            name="edit_body"
            id={id('edit_body')}
            label={t.body}
            required
            maxlength={5000}
            value={typed('edit_body', r.body)}
          />
          <InputField
            name="edit_author_name"
            id={id('edit_author_name')}
            label={t.authorName}
            required
            maxlength={100}
            value={typed('edit_author_name', r.author_name)}
          />
          <InputField
            name="edit_author_role"
            id={id('edit_author_role')}
            label={t.authorRole}
            maxlength={50}
            value={typed('edit_author_role', r.author_role ?? '')}
          />
          <button type="submit">{t.saveEdit}</button>
        </form>
      </details>
      <details open={withdrawing}>
        <summary>{t.withdrawAnswer}</summary>
        <form method="post" action={`${action}/withdraw`}>
          <Csrf ctx={ctx} />
          <p class="meta">{t.withdrawHelp}</p>
          <InputField
            name="withdraw_reason"
            id={id('withdraw_reason')}
            label={t.withdrawReason}
            required
            maxlength={1000}
            value={withdrawing ? (mine.values.get('withdraw_reason') ?? '') : ''}
          />
          <Checkbox name="confirm" id={id('confirm')} label={t.withdrawConfirm} checked={false} required />
          <button type="submit">{t.withdrawButton}</button>
        </form>
      </details>
    </>
  )
}
