/**
 * A site's inbox: the voices waiting for an answer in their groups (or the voices of one status),
 * filtered, a page at a time; and one response published on several voices at once, answered with
 * a redirect to the inbox as it was filtered (saying which voices could not be answered, and why).
 */
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import * as v from 'valibot'

import { decodeTimeCursor } from '../../../common/cursor'
import { checkForm } from '../../../common/form-errors'
import { issuesText, oneOf, pathParam } from '../../../common/validation'
import { getDb } from '../../../db/client'
import { SENTIMENTS, VOICE_KINDS, VOICE_STATUSES } from '../../../db/schema'
import { sendAnnouncement, tellsOf } from '../../../responses/follow-ups'
import { loadSite } from '../../../sites/service'
import { readSettings } from '../../../sites/settings'
import { type ManyAnswered, respondToMany } from '../../../voices/answers'
import { ManyResponseCreate } from '../../../voices/inputs'
import { voicesOfSite } from '../../../voices/reads'
import { type AdminEnv, consoleRouter, pageContext } from '../../kit/context'
import { type Flash, redirectWith, takeFlash } from '../../kit/flash'
import { onForm, orUndefined } from '../../kit/forms'
import type { Notice } from '../../kit/layout'
import { rememberResponder, responderOf, responseFormInput, responseLabels } from '../../kit/responses'
import { INBOX_GROUPS, inboxOf, targetChoices } from './inbox'
import { InboxPage } from './page'
import { WORDS, type Words } from './words'

const FilterQuery = v.object({
  kind: v.optional(v.union([v.literal(''), oneOf(VOICE_KINDS)])),
  sentiment: v.optional(v.union([v.literal(''), oneOf([...SENTIMENTS, 'unclassified'] as const)])),
  status: v.optional(v.union([v.literal(''), oneOf(VOICE_STATUSES)])),
  target: v.optional(v.pipe(v.string(), v.maxLength(64))),
  lang: v.optional(v.string()),
  // Paging: `cursor` continues the list of one status; `more` ("group.cursor") continues one inbox group.
  cursor: v.optional(v.pipe(v.string(), v.maxLength(200))),
  more: v.optional(v.pipe(v.string(), v.maxLength(300))),
})

const inboxPath = (slug: string) => `/admin/sites/${encodeURIComponent(slug)}`

/** The inbox's filters and paging as this request carries them ('' or `?kind=…`; '' when they are not the inbox's). */
function inboxQuery(c: Context<AdminEnv>) {
  const parsed = v.safeParse(FilterQuery, c.req.query())
  if (!parsed.success) return ''
  const query = new URLSearchParams()
  for (const [name, value] of Object.entries(parsed.output)) if (name !== 'lang' && value) query.set(name, value)
  const text = query.toString()
  return text === '' ? '' : `?${text}`
}

async function renderInbox(
  c: Context<AdminEnv>,
  notice: Notice | null,
  status: ContentfulStatusCode = 200,
  formValues?: ReadonlyMap<string, string>,
) {
  const parsedQuery = v.safeParse(FilterQuery, c.req.query())
  if (!parsedQuery.success) {
    notice ??= { kind: 'error', text: issuesText(parsedQuery.issues) }
    status = 400
  }
  const q = parsedQuery.success ? parsedQuery.output : {}
  const db = getDb(c.env.DB)
  const principal = c.get('principal')
  const slug = pathParam(c.req.param('site'))
  const filter = { kind: orUndefined(q.kind), sentiment: orUndefined(q.sentiment), targetId: orUndefined(q.target) }
  const statusFilter = orUndefined(q.status)
  const values = { kind: filter.kind, sentiment: filter.sentiment, target: filter.targetId, status: statusFilter }
  const staleLink = () => {
    notice ??= { kind: 'error', text: pageContext(c, WORDS).t.staleLink }
    status = 400
    return null
  }
  if (statusFilter) {
    // A status other than the inbox's: the plain list, newest first, a page at a time.
    const cursor = q.cursor === undefined ? null : (decodeTimeCursor(q.cursor) ?? staleLink())
    const site = await loadSite(db, principal, slug)
    const page = await voicesOfSite(db, principal, slug, { ...filter, status: statusFilter, cursor, limit: 100 })
    const list = {
      entries: page.items.map((voice) => ({
        voice,
        waitedHours: (c.var.now() - voice.receivedAt) / 3_600_000,
        overdue: false,
      })),
      next: page.next,
    }
    const settings = readSettings(site.settings)
    return c.html(
      <InboxPage
        ctx={{ ...pageContext(c, WORDS, settings.time_zone), path: inboxPath(site.slug) }}
        site={site}
        targets={await targetChoices(db, site.id, filter.targetId)}
        targetHours={settings.response_target_hours}
        values={values}
        groups={null}
        found={0}
        list={list}
        query={inboxQuery(c)}
        notice={notice}
        formValues={formValues ?? responderOf(c)}
      />,
      status,
    )
  }
  const from = q.more === undefined ? null : (inboxContinuation(q.more) ?? staleLink())
  const inbox = await inboxOf(db, principal, slug, filter, c.var.now(), from)
  return c.html(
    <InboxPage
      ctx={{ ...pageContext(c, WORDS, inbox.settings.time_zone), path: inboxPath(inbox.site.slug) }}
      site={inbox.site}
      targets={await targetChoices(db, inbox.site.id, filter.targetId)}
      targetHours={inbox.settings.response_target_hours}
      values={values}
      groups={inbox.groups}
      found={inbox.found}
      list={null}
      query={inboxQuery(c)}
      notice={notice}
      formValues={formValues ?? responderOf(c)}
    />,
    status,
  )
}

/** `unansweredOther.<cursor>` → that group, from that voice on; null when it is not a link the page made. */
function inboxContinuation(more: string) {
  const dot = more.indexOf('.')
  const group = INBOX_GROUPS.find((g) => g === more.slice(0, dot))
  const after = decodeTimeCursor(more.slice(dot + 1))
  return dot > 0 && group && after ? { group, after } : null
}

/**
 * What answering several voices tells the inbox: on how many the response was published and, for
 * each voice it could not be (one that changed meanwhile), why — with the response as typed, so
 * those can be answered again.
 */
function answeredFlash(results: readonly ManyAnswered[], form: ReadonlyMap<string, string>): Flash<Words> {
  const published = { say: 'answeredMany', values: { n: results.filter((r) => r.ok).length } } as const
  const failed = results.flatMap((r) => (r.ok ? [] : [r]))
  if (failed.length === 0) return published
  const why = (lang: 'en' | 'ja') =>
    failed.map((r) => `${r.id}: ${r.refusal.messageIn(lang)}`).join(lang === 'ja' ? '；' : '; ')
  const notPublished = {
    say: 'notAnsweredMany',
    values: { n: failed.length, why: { en: why('en'), ja: why('ja') } },
  } as const
  const typed = Object.fromEntries(
    ['stage', 'body', 'author_name', 'author_role'].map((name) => [name, form.get(name) ?? '']),
  )
  return failed.length < results.length
    ? { ...published, also: [notPublished], failed: true, typed }
    : { ...notPublished, failed: true, typed }
}

export const inboxRoutes = consoleRouter()
  .get('/sites/:site', async (c) => {
    const { notice, typed } = await takeFlash(c, WORDS)
    return renderInbox(c, notice, 200, typed)
  })
  // One response on every ticked voice (e.g. a resolution report for one fault's complaints).
  .post('/sites/:site/responses', (c) =>
    onForm(
      c,
      (notice, status) => renderInbox(c, notice, status, c.get('form').text),
      async () => {
        const ctx = pageContext(c)
        const { mention_ids, ...input } = checkForm(
          ManyResponseCreate,
          responseFormInput(c, c.get('form').all.get('ids') ?? []),
          ctx.lang,
          responseLabels(ctx.t),
        )
        const db = getDb(c.env.DB)
        const slug = pathParam(c.req.param('site'))
        const hub = new URL(c.req.url).origin
        const tell = tellsOf(c.env, hub, c.var.now).response
        const results = await respondToMany(db, c.get('principal'), slug, mention_ids, input, c.var.now(), hub, tell)
        rememberResponder(c, input.author)
        for (const r of results) if (r.ok) await sendAnnouncement(c.env, r.announcement, c.var.now)
        // Answered with a redirect whatever the outcome: the voices answered are not answered again on a reload.
        return redirectWith<Words>(c, `${inboxPath(slug)}${inboxQuery(c)}`, answeredFlash(results, c.get('form').text))
      },
    ),
  )
