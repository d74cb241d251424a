/**
 * A site's inbox: the voices waiting for an answer, grouped by what they need, with filters, and
 * one response for several voices at once.
 */
import type { FC } from 'hono/jsx'

import { positionCursor } from '../../../common/cursor'
import { SENTIMENTS, VOICE_KINDS, VOICE_STATUSES } from '../../../db/schema'
import type { SiteRow } from '../../../sites/store'
import type { PageContext } from '../../kit/context'
import { Csrf, type FormValues, Layout, type Notice, NoticeLine } from '../../kit/layout'
import { ResponseFields, who } from '../../kit/responses'
import {
  FOUND_COUNTED,
  INBOX_GROUPS,
  type InboxEntry,
  type InboxGroup,
  type InboxGroupPage,
  type TargetChoice,
} from './inbox'
import { statusWordsOf } from '../../kit/code-words'
import { phrase } from '../../kit/words'
import type { Words } from './words'

type Ctx = PageContext<Words>

const VoiceLine: FC<{ ctx: Ctx; entry: InboxEntry; targetHours: number | null }> = ({ ctx, entry, targetHours }) => {
  const m = entry.voice
  return (
    <li class={`voice ${m.sentiment ?? 'unclassified'}`}>
      {/* Belongs to the "answer several" form at the foot of the page. */}
      <input type="checkbox" name="ids" value={m.id} form="answer-many" aria-label={ctx.t.select} />{' '}
      <a href={`/admin/mentions/${encodeURIComponent(m.id)}`}>{m.title ?? m.sourceUrl ?? m.id}</a>
      <div class="meta">
        {ctx.w.kind[m.kind]} · {ctx.w.sentiment[m.sentiment ?? 'unclassified']}
        {m.sentimentBy === 'suggested' && `${ctx.t.open}${ctx.t.suggested}${ctx.t.close}`} · {who(m)} · {ctx.t.waited}{' '}
        {Math.floor(entry.waitedHours)}
        {ctx.t.hours}
        {targetHours !== null && ` / ${ctx.t.target} ${targetHours}${ctx.t.hours}`}
        {entry.overdue && <span class="overdue"> · {ctx.t.overdue}</span>}
      </div>
      {m.excerpt && <p>{m.excerpt}</p>}
    </li>
  )
}

export type InboxFilterValues = {
  kind?: string | undefined
  sentiment?: string | undefined
  target?: string | undefined
  status?: string | undefined
}

const Select: FC<{
  name: string
  label: string
  options: readonly string[]
  words: Readonly<Record<string, string>>
  value: string | undefined
  anyLabel: string
}> = (p) => (
  <label>
    {p.label}{' '}
    <select name={p.name}>
      <option value="">{p.anyLabel}</option>
      {p.options.map((o) => (
        <option value={o} selected={o === p.value}>
          {p.words[o] ?? o}
        </option>
      ))}
    </select>
  </label>
)

const Filters: FC<{ ctx: Ctx; base: string; values: InboxFilterValues; targets: readonly TargetChoice[] }> = ({
  ctx,
  base,
  values,
  targets,
}) => (
  <form method="get" action={base} class="meta">
    <strong>{ctx.t.filters}</strong>
    <Select
      name="kind"
      label={ctx.t.kind}
      options={VOICE_KINDS}
      words={ctx.w.kind}
      value={values.kind}
      anyLabel={ctx.t.any}
    />
    <Select
      name="sentiment"
      label={ctx.t.sentiment}
      options={[...SENTIMENTS, 'unclassified']}
      words={ctx.w.sentiment}
      value={values.sentiment}
      anyLabel={ctx.t.any}
    />
    <Select
      name="status"
      label={ctx.t.status}
      options={VOICE_STATUSES}
      words={ctx.w.status}
      value={values.status}
      anyLabel={ctx.t.inbox}
    />
    <Select
      name="target"
      label={ctx.t.targetPage}
      options={targets.map((t) => t.id)}
      words={Object.fromEntries(targets.map((t) => [t.id, t.title]))}
      value={values.target}
      anyLabel={ctx.t.any}
    />
    <button type="submit">{ctx.t.apply}</button>
  </form>
)

/** The inbox's address (`base`) with the current filters and one paging parameter. */
function inboxHref(base: string, values: InboxFilterValues, paging: Record<string, string>) {
  const params = new URLSearchParams()
  for (const [name, value] of Object.entries(values)) if (value) params.set(name, value)
  for (const [name, value] of Object.entries(paging)) params.set(name, value)
  return `${base}?${params.toString()}`
}

export const InboxPage: FC<{
  ctx: Ctx
  site: SiteRow
  /** The targets the filter offers, by title. */
  targets: readonly TargetChoice[]
  targetHours: number
  values: InboxFilterValues
  groups: Record<InboxGroup, InboxGroupPage> | null
  /** Voices found in watched feeds waiting for staff (counted up to FOUND_COUNTED). */
  found: number
  list: InboxGroupPage | null
  /** The inbox's filters and paging as shown ('' or `?kind=…`): answering several comes back to them. */
  query: string
  notice: Notice | null
  formValues?: FormValues
}> = ({ ctx, site, targets, targetHours, values, groups, found, list, query, notice, formValues }) => {
  const base = `/admin/sites/${encodeURIComponent(site.slug)}`
  return (
    <Layout ctx={ctx} title={`${ctx.t.inbox}${ctx.t.colon}${site.name}`}>
      <h1>
        {ctx.t.inbox}
        {ctx.t.colon}
        {site.name}
      </h1>
      <nav aria-label={ctx.t.siteMenu}>
        <a href={`/admin/sites/${encodeURIComponent(site.slug)}/overview`}>{ctx.t.overview}</a> ·{' '}
        <a href={`/admin/sites/${encodeURIComponent(site.slug)}/settings`}>{ctx.t.settings}</a> ·{' '}
        <a href={`/admin/sites/${encodeURIComponent(site.slug)}/targets`}>{ctx.t.targets}</a> ·{' '}
        <a href={`/admin/sites/${encodeURIComponent(site.slug)}/reviews`}>{ctx.t.reviews}</a> ·{' '}
        <a href={`/admin/sites/${encodeURIComponent(site.slug)}/watches`}>{ctx.t.watches}</a> ·{' '}
        <a href={`/admin/sites/${encodeURIComponent(site.slug)}/webhooks`}>{ctx.t.webhooks}</a> ·{' '}
        <a href={`${base}/platform`}>{ctx.t.platform}</a> ·{' '}
        <a href={`/admin/sites/${encodeURIComponent(site.slug)}/partners`}>{ctx.t.partners}</a> ·{' '}
        <a href={`${base}/imports`}>{ctx.t.imports}</a> · <a href={`${base}/embed`}>{ctx.t.embedLink}</a> ·{' '}
        <a href={`${base}/delete`}>{ctx.t.deleteLink}</a>
      </nav>
      <NoticeLine ctx={ctx} notice={notice} />
      {found > 0 && (
        <p>
          <a href={`${base}?kind=discovered&status=pending`}>
            {phrase(ctx.lang, ctx.t.foundWaitingCount, {
              n: found >= FOUND_COUNTED ? `${(FOUND_COUNTED - 1).toLocaleString(ctx.lang)}+` : found,
            })}
          </a>
        </p>
      )}
      <Filters ctx={ctx} base={base} values={values} targets={targets} />
      {groups &&
        INBOX_GROUPS.map((g) => (
          <section id={g}>
            <h2>
              {ctx.t[g]}
              {ctx.t.open}
              {groups[g].entries.length}
              {groups[g].next ? '+' : ''}
              {ctx.t.close}
            </h2>
            {groups[g].entries.length === 0 ? (
              <p class="meta">{groups[g].next ? ctx.t.noneInThisStretch : ctx.t.nothingHere}</p>
            ) : (
              <ul>
                {groups[g].entries.map((entry) => (
                  <VoiceLine ctx={ctx} entry={entry} targetHours={g === 'awaitingResolution' ? null : targetHours} />
                ))}
              </ul>
            )}
            {groups[g].next && (
              <p>
                <a href={`${inboxHref(base, values, { more: `${g}.${positionCursor(groups[g].next)}` })}#${g}`}>
                  {ctx.t.nextOnes}
                </a>
              </p>
            )}
          </section>
        ))}
      {list && (
        <section>
          <h2>
            {ctx.t.status}
            {ctx.t.colon}
            {values.status && statusWordsOf(ctx.w, values.kind, values.status)}
          </h2>
          {list.entries.length === 0 ? (
            <p class="meta">{list.next ? ctx.t.noneInThisStretch : ctx.t.nothingHere}</p>
          ) : (
            <ul>
              {list.entries.map((entry) => (
                <VoiceLine ctx={ctx} entry={entry} targetHours={null} />
              ))}
            </ul>
          )}
          {list.next && (
            <p>
              <a href={inboxHref(base, values, { cursor: positionCursor(list.next) })}>{ctx.t.olderOnes}</a>
            </p>
          )}
        </section>
      )}
      <form id="answer-many" method="post" action={`${base}/responses${query}`}>
        <fieldset>
          <legend>{ctx.t.answerMany}</legend>
          <p class="meta">{ctx.t.answerManyHelp}</p>
          <Csrf ctx={ctx} />
          <ResponseFields ctx={ctx} stage="resolution" values={formValues} />
        </fieldset>
      </form>
    </Layout>
  )
}
