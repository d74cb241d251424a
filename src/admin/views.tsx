/**
 * The web UI's pages, server-rendered with hono/jsx (which escapes every text value: voices
 * are written by strangers). Every form that changes something carries the session's CSRF
 * token; only http(s) URLs become links.
 */
import type { Child, FC } from 'hono/jsx'

import { MENTION_KINDS, MENTION_STATUSES, SENTIMENTS } from '../db/schema'
import { checkOf, STATE_WORDS } from '../linkbacks/status'
import type { MentionRow, ModerationRow, ResponseRow } from '../mentions/store'
import { announcementOf, explainAnnouncement } from '../reasons/announcement'
import { explainCheck } from '../reasons/check'
import { REMOVAL_CATEGORIES } from '../mentions/moderation'
import { parseResponses } from '../mentions/responses-json'
import { responsePageUrl } from '../shared/hub-urls'
import { type FieldError, FormErrors } from '../shared/form-errors'
import { PageShell } from '../shared/page-shell'
import { safeHref } from '../shared/safe-href'
import type { PartnerRow } from '../affiliates/store'
import type { SiteRow } from '../sites/store'
import { formatDateTime, type Lang, type Messages } from './i18n'
import { idCursor, positionCursor } from '../shared/cursor'
import { INBOX_GROUPS, type InboxEntry, type InboxGroup, type InboxGroupPage } from './inbox'

export type PageContext = { lang: Lang; t: Messages; csrf: string | null; timeZone: string; path: string }

const STYLE = `
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#222}
header{display:flex;gap:1rem;align-items:center;padding:.6rem 1rem;background:#1f3a4d;color:#fff}
header a{color:#fff} header form{margin-left:auto}
main{max-width:60rem;margin:1rem auto;padding:0 1rem}
.voice{border:1px solid #ddd;border-radius:6px;padding:.6rem .8rem;margin:.5rem 0;list-style:none}
.voice.negative{border-left:4px solid #b3261e}.voice.positive{border-left:4px solid #2e7d32}
.meta{color:#555;font-size:.9em}.overdue{color:#b3261e;font-weight:bold}
.error{background:#fdecea;padding:.5rem;border-radius:4px}.ok{background:#e8f5e9;padding:.5rem;border-radius:4px}
label{display:block;margin:.4rem 0 .1rem}textarea{width:100%;min-height:6rem}
fieldset{border:1px solid #ddd;border-radius:6px;margin:1rem 0}
`

export const Layout: FC<{ ctx: PageContext; title: string; children?: Child }> = ({ ctx, title, children }) => (
  <PageShell lang={ctx.lang} title={`${title} — ${ctx.t.title}`} style={STYLE} noindex>
    <header>
      <a href="/admin">{ctx.t.title}</a>
      <a href={`${ctx.path}?lang=${ctx.lang === 'ja' ? 'en' : 'ja'}`} lang={ctx.lang === 'ja' ? 'en' : 'ja'}>
        {ctx.t.language}
      </a>
      {ctx.csrf && (
        <form method="post" action="/admin/logout">
          <input type="hidden" name="_csrf" value={ctx.csrf} />
          <button type="submit">{ctx.t.signOut}</button>
        </form>
      )}
    </header>
    <main>{children}</main>
  </PageShell>
)

export const LoginPage: FC<{ ctx: PageContext; error?: boolean }> = ({ ctx, error }) => (
  <Layout ctx={ctx} title={ctx.t.signIn}>
    <h1>{ctx.t.signIn}</h1>
    {error && <p class="error">{ctx.t.badToken}</p>}
    <form method="post" action="/admin/login">
      <label for="token">{ctx.t.tokenLabel}</label>
      <input id="token" name="token" type="password" autocomplete="off" required maxlength={200} size={48} />
      <p class="meta">{ctx.t.signInHelp}</p>
      <button type="submit">{ctx.t.signIn}</button>
    </form>
  </Layout>
)

/** A page with one message (an error no form can show). */
export const MessagePage: FC<{ ctx: PageContext; text: string }> = ({ ctx, text }) => (
  <Layout ctx={ctx} title={ctx.t.error}>
    <p class="error" role="alert">
      {text}
    </p>
    <p>
      <a href="/admin">{ctx.t.back}</a>
    </p>
  </Layout>
)

export const SitesPage: FC<{ ctx: PageContext; sites: SiteRow[]; next: number | null }> = ({ ctx, sites, next }) => (
  <Layout ctx={ctx} title={ctx.t.sites}>
    <h1>{ctx.t.sites}</h1>
    <ul>
      {sites.map((s) => (
        <li>
          <a href={`/admin/sites/${encodeURIComponent(s.slug)}`}>{s.name}</a> <span class="meta">({s.slug})</span>
        </li>
      ))}
    </ul>
    {next !== null && (
      <p>
        <a href={`/admin?cursor=${idCursor(next)}`}>{ctx.t.moreSites}</a>
      </p>
    )}
  </Layout>
)

const who = (m: MentionRow) => m.authorName ?? m.blogName ?? m.sourceHost ?? '—'

const VoiceLine: FC<{ ctx: PageContext; entry: InboxEntry; targetHours: number | null }> = ({
  ctx,
  entry,
  targetHours,
}) => {
  const m = entry.mention
  return (
    <li class={`voice ${m.sentiment ?? 'unclassified'}`}>
      {/* Belongs to the "answer several" form at the foot of the page. */}
      <input type="checkbox" name="ids" value={m.id} form="answer-many" aria-label={ctx.t.select} />{' '}
      <a href={`/admin/mentions/${encodeURIComponent(m.id)}`}>{m.title ?? m.sourceUrl ?? m.id}</a>
      <div class="meta">
        {m.kind} · {m.sentiment ?? ctx.t.unclassified}
        {m.sentimentBy === 'suggested' && ` (${ctx.t.suggested})`} · {who(m)} · {ctx.t.waited}{' '}
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
  value: string | undefined
  anyLabel: string
}> = (p) => (
  <label>
    {p.label}{' '}
    <select name={p.name}>
      <option value="">{p.anyLabel}</option>
      {p.options.map((o) => (
        <option value={o} selected={o === p.value}>
          {o}
        </option>
      ))}
    </select>
  </label>
)

const Filters: FC<{ ctx: PageContext; values: InboxFilterValues }> = ({ ctx, values }) => (
  <form method="get" class="meta">
    <strong>{ctx.t.filters}</strong>
    <Select name="kind" label={ctx.t.kind} options={MENTION_KINDS} value={values.kind} anyLabel={ctx.t.any} />
    <Select
      name="sentiment"
      label={ctx.t.sentiment}
      options={[...SENTIMENTS, 'unclassified']}
      value={values.sentiment}
      anyLabel={ctx.t.any}
    />
    <Select
      name="status"
      label={ctx.t.status}
      options={MENTION_STATUSES}
      value={values.status}
      anyLabel={ctx.t.inbox}
    />
    <label>
      {ctx.t.targetPage} <input name="target" value={values.target ?? ''} maxlength={64} />
    </label>
    <button type="submit">{ctx.t.apply}</button>
  </form>
)

/** The inbox's address with the current filters and one paging parameter. */
function inboxHref(values: InboxFilterValues, paging: Record<string, string>) {
  const params = new URLSearchParams()
  for (const [name, value] of Object.entries(values)) if (value) params.set(name, value)
  for (const [name, value] of Object.entries(paging)) params.set(name, value)
  return `?${params.toString()}`
}

export const InboxPage: FC<{
  ctx: PageContext
  site: SiteRow
  targetHours: number
  values: InboxFilterValues
  groups: Record<InboxGroup, InboxGroupPage> | null
  list: InboxGroupPage | null
  notice: Notice | null
  formValues?: FormValues
}> = ({ ctx, site, targetHours, values, groups, list, notice, formValues }) => (
  <Layout ctx={ctx} title={`${ctx.t.inbox}: ${site.name}`}>
    <h1>
      {ctx.t.inbox}: {site.name}
    </h1>
    <p>
      <a href={`/admin/sites/${encodeURIComponent(site.slug)}/partners`}>{ctx.t.partners}</a>
    </p>
    <NoticeLine ctx={ctx} notice={notice} />
    <Filters ctx={ctx} values={values} />
    {groups &&
      INBOX_GROUPS.map((g) => (
        <section id={g}>
          <h2>
            {ctx.t[g]} ({groups[g].entries.length}
            {groups[g].next ? '+' : ''})
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
              <a href={`${inboxHref(values, { more: `${g}.${positionCursor(groups[g].next)}` })}#${g}`}>
                {ctx.t.nextOnes}
              </a>
            </p>
          )}
        </section>
      ))}
    {list && (
      <section>
        <h2>
          {ctx.t.status}: {values.status}
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
            <a href={inboxHref(values, { cursor: positionCursor(list.next) })}>{ctx.t.olderOnes}</a>
          </p>
        )}
      </section>
    )}
    <form id="answer-many" method="post" action={`/admin/sites/${encodeURIComponent(site.slug)}/responses`}>
      <fieldset>
        <legend>{ctx.t.answerMany}</legend>
        <p class="meta">{ctx.t.answerManyHelp}</p>
        <Csrf ctx={ctx} />
        <ResponseFields ctx={ctx} stage="resolution" values={formValues} />
      </fieldset>
    </form>
  </Layout>
)

/** The fields of a response, for one voice or several (with what was typed, after a refusal). */
const ResponseFields: FC<{ ctx: PageContext; stage: 'reply' | 'apology' | 'resolution'; values?: FormValues }> = ({
  ctx,
  stage,
  values,
}) => {
  const chosen = values?.get('stage') ?? stage
  return (
    <>
      <label for="stage">{ctx.t.stage}</label>
      <select id="stage" name="stage">
        <option value="reply" selected={chosen === 'reply'}>
          {ctx.t.stageReply}
        </option>
        <option value="apology" selected={chosen === 'apology'}>
          {ctx.t.stageApology}
        </option>
        <option value="resolution" selected={chosen === 'resolution'}>
          {ctx.t.stageResolution}
        </option>
      </select>
      <label for="body">{ctx.t.body}</label>
      <textarea id="body" name="body" required maxlength={5000}>
        {values?.get('body') ?? ''}
      </textarea>
      <label for="author_name">{ctx.t.authorName}</label>
      <input id="author_name" name="author_name" required maxlength={100} value={values?.get('author_name') ?? ''} />
      <label for="author_role">{ctx.t.authorRole}</label>
      <input id="author_role" name="author_role" maxlength={50} value={values?.get('author_role') ?? ''} />
      <button type="submit">{ctx.t.publish}</button>
    </>
  )
}

export type Notice = { kind: 'ok' | 'error'; text: string; errors?: FieldError[] }

/** A notice above a page's forms; a refused form lists each field's problem. */
const NoticeLine: FC<{ ctx: PageContext; notice: Notice | null }> = ({ ctx, notice }) =>
  notice === null ? null : notice.errors ? (
    <FormErrors lang={ctx.lang} errors={notice.errors} text={notice.text} />
  ) : (
    <p class={notice.kind} role={notice.kind === 'error' ? 'alert' : 'status'}>
      {notice.text}
    </p>
  )

/** What the person typed into a refused form, to show it again. */
type FormValues = ReadonlyMap<string, string> | undefined

const Csrf: FC<{ ctx: PageContext }> = ({ ctx }) => <input type="hidden" name="_csrf" value={ctx.csrf ?? ''} />

export const VoicePage: FC<{
  ctx: PageContext
  site: SiteRow
  mention: MentionRow
  moderation: ModerationRow[]
  answers: ResponseRow[]
  notice: Notice | null
  values?: FormValues
  hubOrigin: string
}> = ({ ctx, site, mention: m, moderation, answers, notice, values, hubOrigin }) => {
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
        {m.kind} · {m.status} · {m.sentiment ?? ctx.t.unclassified}
        {m.sentimentBy === 'suggested' && ` (${ctx.t.suggested})`} · {ctx.t.received}{' '}
        {formatDateTime(m.receivedAt, ctx.lang, ctx.timeZone)}
      </p>
      {m.verifyState !== null && (
        <p class="meta">
          {ctx.t.linkCheck}: {explainCheck(checkOf(m), ctx.lang) ?? STATE_WORDS[ctx.lang][m.verifyState]}
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
        {ctx.t.source}:{' '}
        {source ? (
          <a href={source} rel="nofollow noopener noreferrer" target="_blank">
            {m.sourceUrl}
          </a>
        ) : (
          (m.sourceUrl ?? '—')
        )}
        <br />
        {ctx.t.author}: {who(m)}
      </p>
      {m.excerpt && <blockquote>{m.excerpt}</blockquote>}

      <h2>{ctx.t.responses}</h2>
      {parseResponses(m.responsesJson).length === 0 ? (
        <p class="meta">{ctx.t.noResponses}</p>
      ) : (
        <ul>
          {parseResponses(m.responsesJson).map((r) => {
            const sent = announced.get(r.id)
            return (
              <li class="voice">
                <strong>{r.stage}</strong> · {r.author_name}
                {r.author_role && ` (${r.author_role})`} · {formatDateTime(r.created_at, ctx.lang, ctx.timeZone)} ·{' '}
                <a href={responsePageUrl(hubOrigin, r.id)}>{ctx.t.responsePage}</a>
                <p>{r.body}</p>
                {sent?.webmentionState && (
                  <p class="meta">
                    {ctx.t.toBlog}: {explainAnnouncement(announcementOf(sent), ctx.lang)}
                  </p>
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
          <select id="sentiment" name="sentiment" aria-label={ctx.t.sentiment}>
            <option value="">{ctx.t.unclassified}</option>
            {SENTIMENTS.map((s) => (
              <option value={s} selected={m.sentiment === s}>
                {s}
              </option>
            ))}
          </select>{' '}
          <button type="submit">{ctx.t.save}</button>
        </fieldset>
      </form>

      <form method="post" action={`${base}/moderation`}>
        <fieldset>
          <legend>{ctx.t.moderation}</legend>
          <Csrf ctx={ctx} />
          <label for="action">{ctx.t.action}</label>
          <select id="action" name="action">
            <option value="remove" selected={values?.get('action') === 'remove'}>
              {ctx.t.actionRemove}
            </option>
            <option value="spam" selected={values?.get('action') === 'spam'}>
              {ctx.t.actionSpam}
            </option>
            <option value="restore" selected={values?.get('action') === 'restore'}>
              {ctx.t.actionRestore}
            </option>
          </select>
          <label for="category">{ctx.t.category}</label>
          <select id="category" name="category">
            <option value="">—</option>
            {REMOVAL_CATEGORIES.map((c) => (
              <option value={c} selected={values?.get('category') === c}>
                {c}
              </option>
            ))}
          </select>
          <label for="reason">{ctx.t.reason}</label>
          <input id="reason" name="reason" required maxlength={1000} size={60} value={values?.get('reason') ?? ''} />
          <button type="submit">{ctx.t.save}</button>
        </fieldset>
      </form>

      {moderation.length > 0 && (
        <ul class="meta">
          {moderation.map((e) => (
            <li>
              {formatDateTime(e.createdAt, ctx.lang, ctx.timeZone)} · {e.action} · {e.category} · {e.reason} (
              {e.fromStatus} → {e.toStatus})
            </li>
          ))}
        </ul>
      )}
    </Layout>
  )
}

/** The affiliate programme's partners: applications to decide, active and past partners; a new key is shown once. */
export const PartnersPage: FC<{
  ctx: PageContext
  site: SiteRow
  partners: PartnerRow[]
  notice: Notice | null
  newKey: string | null
}> = ({ ctx, site, partners, notice, newKey }) => {
  const base = `/admin/sites/${encodeURIComponent(site.slug)}/partners`
  const action = (p: PartnerRow, decision: 'approve' | 'reject' | 'suspend', label: string) => (
    <form method="post" action={`${base}/${encodeURIComponent(p.id)}`} style="display:inline">
      <input type="hidden" name="_csrf" value={ctx.csrf ?? ''} />
      <input type="hidden" name="decision" value={decision} />
      <button type="submit">{label}</button>
    </form>
  )
  return (
    <Layout ctx={ctx} title={`${ctx.t.partners}: ${site.name}`}>
      <p>
        <a href={`/admin/sites/${encodeURIComponent(site.slug)}`}>← {ctx.t.back}</a>
      </p>
      <h1>
        {ctx.t.partners}: {site.name}
      </h1>
      <NoticeLine ctx={ctx} notice={notice} />
      {newKey && (
        <p class="ok">
          {ctx.t.partnerKeyOnce} <code>{newKey}</code>
        </p>
      )}
      <ul>
        {partners.map((p) => {
          const blog = safeHref(p.blogUrl)
          return (
            <li class="voice">
              <strong>{p.name}</strong> · {p.email} ·{' '}
              {blog ? (
                <a href={blog} rel="nofollow noopener noreferrer" target="_blank">
                  {p.blogUrl}
                </a>
              ) : (
                p.blogUrl
              )}{' '}
              · <span class="meta">{p.state}</span>
              <br />
              {p.state === 'applied' && [action(p, 'approve', ctx.t.approve), ' ', action(p, 'reject', ctx.t.reject)]}
              {p.state === 'approved' && action(p, 'suspend', ctx.t.suspend)}
              {(p.state === 'rejected' || p.state === 'suspended') && action(p, 'approve', ctx.t.approve)}
              <span class="meta">
                {' '}
                {ctx.t.partnerTotals} {p.conversions} / {p.revenue} / {p.commissionPending} · {p.commissionApproved} ·{' '}
                {p.commissionPaid}
              </span>
            </li>
          )
        })}
      </ul>
    </Layout>
  )
}
