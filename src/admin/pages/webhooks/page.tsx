/**
 * A site's webhook addresses (add one — its secret shown once —, a new secret, start sending again,
 * delete) and one address's deliveries, each attempt's answer, and sending again.
 */
import type { FC } from 'hono/jsx'

import { type DeliveryAttempt, WEBHOOK_EVENTS, WEBHOOK_MODES } from '../../../db/schema'
import type { SiteRow } from '../../../sites/store'
import { DELIVERY_LIMITS } from '../../../webhooks/deliver'
import { deliveryFailureWords } from '../../../webhooks/failures'
import { explainProgress } from '../../../reasons/outbox'
import type { TrackedDelivery } from '../../../webhooks/service'
import type { DeliveryRow, EndpointRow } from '../../../webhooks/store'
import { wordFor } from '../../kit/code-words'
import type { PageContext } from '../../kit/context'
import { formatDateTime } from '../../kit/dates'
import { Choices, InputField, SelectField } from '../../kit/fields'
import { ShownOnceLine, type ShownOnce } from '../../kit/flash'
import { Csrf, type FormValues, Layout, type Notice, NoticeLine, SiteHeading } from '../../kit/layout'
import { phrase } from '../../kit/words'
import type { Words } from './words'

type Ctx = PageContext<Words>

const eventsOf = (ctx: Ctx, e: EndpointRow) =>
  e.events.length === 0 ? ctx.t.allEvents : e.events.map((event) => wordFor(ctx.w, 'event', event)).join(', ')

/** An address's format and the events it gets (none ticked: all of them), as the add and change forms show them. */
const FormatAndEvents: FC<{ ctx: Ctx; mode: string | undefined; events: ReadonlySet<string> }> = ({
  ctx,
  mode,
  events,
}) => (
  <>
    <SelectField
      name="mode"
      label={ctx.t.endpointMode}
      value={mode}
      options={WEBHOOK_MODES.map((m) => ({ value: m, label: ctx.w.mode[m] }))}
    />
    <Choices
      name="events"
      legend={ctx.t.eventsLegend}
      options={WEBHOOK_EVENTS.map((event) => ({ value: event, label: ctx.w.event[event] }))}
      chosen={events}
    />
  </>
)

/** What an attempt's answer was, in words: delivered ("answered 200"), or what went wrong; never the runtime's text. */
const attemptWords = (ctx: Ctx, a: DeliveryAttempt) =>
  a.error !== null
    ? deliveryFailureWords(a.error, ctx.lang, DELIVERY_LIMITS.timeoutMs / 1000)
    : a.status !== null
      ? phrase(ctx.lang, ctx.t.answered, { status: a.status })
      : ctx.t.noAnswer

/**
 * How many attempts a delivery has had, as its list shows them: "send again" starts a new round
 * (its count from 0 again, for the retry schedule) but keeps the earlier attempts in the list.
 */
const attemptsOf = (d: DeliveryRow) => Math.max(d.attempts, d.attemptLog.length)

export const WebhooksPage: FC<{
  ctx: Ctx
  site: SiteRow
  endpoints: EndpointRow[]
  notice: Notice | null
  once: ShownOnce | null
  values?: FormValues
  /** The events ticked on a refused form (a form field can hold several). */
  chosenEvents?: readonly string[] | undefined
}> = ({ ctx, site, endpoints, notice, once, values, chosenEvents }) => {
  const t = ctx.t
  const base = `/admin/sites/${encodeURIComponent(site.slug)}/webhooks`
  return (
    <Layout ctx={ctx} title={`${t.webhooks}${ctx.t.colon}${site.name}`}>
      <SiteHeading ctx={ctx} site={site} title={t.webhooks} />
      <p class="meta">{t.webhooksHelp}</p>
      <NoticeLine ctx={ctx} notice={notice} />
      <ShownOnceLine ctx={ctx} once={once} />
      {endpoints.length === 0 && <p>{t.noEndpoints}</p>}
      <ul>
        {endpoints.map((e) => {
          const action = `${base}/${encodeURIComponent(e.id)}`
          return (
            <li class="voice">
              <code>{e.url}</code>
              <br />
              <span class="meta">
                {wordFor(ctx.w, 'mode', e.mode)} · {eventsOf(ctx, e)}
                {e.disabledAt !== null && (
                  <strong>
                    {' '}
                    · {t.endpointDisabled}
                    {t.open}
                    {formatDateTime(e.disabledAt, ctx.lang, ctx.timeZone)}
                    {t.close}
                  </strong>
                )}
                {e.disabledAt === null && e.failingSince !== null && (
                  <>
                    {' '}
                    · {t.failingSince} {formatDateTime(e.failingSince, ctx.lang, ctx.timeZone)}
                  </>
                )}
              </span>
              <br />
              <a href={action}>{t.deliveries}</a>{' '}
              <form method="post" action={`${action}/rotate`} style="display:inline">
                <Csrf ctx={ctx} />
                <button type="submit">{t.rotateEndpointSecret}</button>
              </form>{' '}
              {e.disabledAt !== null ? (
                <form method="post" action={`${action}/enable`} style="display:inline">
                  <Csrf ctx={ctx} />
                  <button type="submit">{t.enableEndpoint}</button>
                </form>
              ) : (
                <form method="post" action={`${action}/disable`} style="display:inline">
                  <Csrf ctx={ctx} />
                  <button type="submit" aria-label={`${t.disableEndpoint}: ${e.url}`}>
                    {t.disableEndpoint}
                  </button>
                </form>
              )}{' '}
              <form method="post" action={`${action}/delete`} style="display:inline">
                <Csrf ctx={ctx} />
                <button type="submit" aria-label={`${t.deleteEndpoint}: ${e.url}`}>
                  {t.deleteEndpoint}
                </button>
              </form>
            </li>
          )
        })}
      </ul>
      <form method="post" action={base}>
        <fieldset>
          <legend>{t.addEndpoint}</legend>
          <Csrf ctx={ctx} />
          <InputField
            name="url"
            label={t.endpointUrl}
            type="url"
            required
            maxlength={2048}
            value={values?.get('url') ?? ''}
          />
          <FormatAndEvents ctx={ctx} mode={values?.get('mode')} events={new Set(chosenEvents ?? [])} />
          <button type="submit">{t.addEndpoint}</button>
        </fieldset>
      </form>
    </Layout>
  )
}

/**
 * What a refused form of the deliveries page had, to show it again: the change form's choices, or
 * the time "send the failed ones again" was given.
 */
export type TypedDeliveries = {
  change?: { mode: string | undefined; events: readonly string[] }
  since?: string
}

export const DeliveriesPage: FC<{
  ctx: Ctx
  site: SiteRow
  endpoint: EndpointRow
  deliveries: TrackedDelivery[]
  notice: Notice | null
  typed: TypedDeliveries
  /** The time the page is made at: says whether a retry is still to come. */
  now: number
}> = ({ ctx, site, endpoint, deliveries, notice, typed, now }) => {
  const change = typed.change
  const t = ctx.t
  const action = `/admin/sites/${encodeURIComponent(site.slug)}/webhooks/${encodeURIComponent(endpoint.id)}`
  return (
    <Layout ctx={ctx} title={`${t.deliveries}${ctx.t.colon}${endpoint.url}`}>
      <p>
        <a href={`/admin/sites/${encodeURIComponent(site.slug)}/webhooks`}>← {t.webhooks}</a>
      </p>
      <h1>
        {t.deliveriesOf} <code>{endpoint.url}</code>
      </h1>
      <NoticeLine ctx={ctx} notice={notice} />
      <p class="meta">
        {wordFor(ctx.w, 'mode', endpoint.mode)} · {eventsOf(ctx, endpoint)}
      </p>
      <form method="post" action={action}>
        <fieldset>
          <legend>{t.changeEndpoint}</legend>
          <Csrf ctx={ctx} />
          <FormatAndEvents
            ctx={ctx}
            mode={change ? change.mode : endpoint.mode}
            events={new Set(change ? change.events : endpoint.events)}
          />
          <button type="submit">{t.save}</button>
        </fieldset>
      </form>
      <h2>{t.deliveries}</h2>
      {deliveries.length === 0 && <p>{t.noDeliveries}</p>}
      <ul>
        {deliveries.map((d) => (
          <li class="voice">
            <strong>{wordFor(ctx.w, 'event', d.event)}</strong> · {wordFor(ctx.w, 'delivery', d.state)} ·{' '}
            {formatDateTime(d.createdAt, ctx.lang, ctx.timeZone)}
            <br />
            <span class="meta">
              {t.attempts}
              {t.colon}
              {attemptsOf(d)}
            </span>
            {d.progress && (
              <>
                <br />
                <span class="meta">{explainProgress(d.progress, ctx.lang, ctx.timeZone, now)}</span>
              </>
            )}
            {d.attemptLog.length > 0 && (
              <ol class="meta" aria-label={t.attemptLog}>
                {d.attemptLog.map((a) => (
                  <li>
                    {formatDateTime(a.at, ctx.lang, ctx.timeZone)} · {attemptWords(ctx, a)}
                    {a.body !== null && (
                      <>
                        {' '}
                        · <q>{a.body}</q>
                      </>
                    )}
                  </li>
                ))}
              </ol>
            )}
            <form
              method="post"
              action={`${action}/deliveries/${encodeURIComponent(d.id)}/resend`}
              style="display:inline"
            >
              <Csrf ctx={ctx} />
              <button type="submit">{t.resend}</button>
            </form>
          </li>
        ))}
      </ul>
      <form method="post" action={`${action}/resend-failed`}>
        <Csrf ctx={ctx} />
        <InputField
          name="since"
          label={t.resendFailedSince}
          type="datetime-local"
          required
          value={typed.since ?? ''}
        />{' '}
        <button type="submit">{t.resend}</button>
      </form>
    </Layout>
  )
}
