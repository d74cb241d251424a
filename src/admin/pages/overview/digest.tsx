/**
 * The overview's "Last week's digest": the newest weekly digest of the site (src/digest/) — its
 * week, new voices by sentiment, the negative voices and apologies that were still waiting (each
 * linked to its page, with the days it had waited), and the week's answers against the week before.
 * Tables with header cells, and every figure in words or numbers, never in colour alone.
 */
import type { FC } from 'hono/jsx'

import { formatDate } from '../../../common/lang'
import type { DigestBody, DigestResponse } from '../../../db/schema'
import { percentOf, weekWords } from '../../../digest/figures'
import type { PageContext } from '../../kit/context'
import { formatDateTime } from '../../kit/dates'
import { phrase } from '../../kit/words'
import type { Words } from './words'

type Ctx = PageContext<Words>

const SENTIMENT_ORDER = ['negative', 'neutral', 'positive', 'unclassified'] as const

type Listed = { id: string; title: string | null; url: string | null; since: string; age_days: number }

/** A list of waiting voices: each linked to its console page, the date it began to wait, the days since. */
const Waiting: FC<{
  ctx: Ctx
  id: string
  caption: string
  dateLabel: string
  count: number
  items: Listed[]
}> = ({ ctx, id, caption, dateLabel, count, items }) => {
  const t = ctx.t
  return (
    <>
      <h4 id={id}>{phrase(ctx.lang, caption, { n: count })}</h4>
      {items.length === 0 ? (
        <p>{t.noneWaiting}</p>
      ) : (
        <table aria-labelledby={id}>
          <thead>
            <tr>
              <th scope="col">{t.voice}</th>
              <th scope="col">{dateLabel}</th>
              <th scope="col">{t.daysWaited}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((v) => (
              <tr>
                <td>
                  <a href={`/admin/mentions/${encodeURIComponent(v.id)}`}>{v.title ?? v.url ?? v.id}</a>
                </td>
                <td>{formatDate(Date.parse(v.since), ctx.lang, { timeZone: ctx.timeZone })}</td>
                <td>{v.age_days}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {count > items.length && <p class="meta">{phrase(ctx.lang, t.moreNotListed, { n: count - items.length })}</p>}
    </>
  )
}

/** How a figure moved from the week before, in words (null: nothing to compare). */
function change(ctx: Ctx, now: number | null, before: number | null, kind: 'rate' | 'hours') {
  if (now === null || before === null) return null
  const t = ctx.t
  if (kind === 'rate') {
    const points = Math.round(now * 100) - Math.round(before * 100)
    if (points === 0) return t.noChange
    return phrase(ctx.lang, points > 0 ? t.pointsHigher : t.pointsLower, { n: Math.abs(points) })
  }
  const hours = Math.round((now - before) * 10) / 10
  if (hours === 0) return t.noChange
  // Fewer hours to a first answer is faster.
  return phrase(ctx.lang, hours < 0 ? t.hoursFaster : t.hoursSlower, { n: Math.abs(hours) })
}

const hours = (h: number | null) => (h === null ? '–' : String(h))

export const DigestSection: FC<{ ctx: Ctx; digest: DigestBody | null }> = ({ ctx, digest }) => {
  const t = ctx.t
  if (!digest) {
    return (
      <section aria-labelledby="digest_heading">
        <h2 id="digest_heading">{t.lastDigest}</h2>
        <p>{t.noDigestYet}</p>
      </section>
    )
  }
  const { from, to, zone } = weekWords(digest, ctx.lang)
  const week = phrase(ctx.lang, t.digestWeek, {
    from,
    to,
    zone,
    made: formatDateTime(Date.parse(digest.made_at), ctx.lang, ctx.timeZone),
  })
  const r = digest.response
  const rows: { label: string; pick: (w: DigestResponse) => string; change: string | null }[] = [
    { label: t.digestPublishedCount, pick: (w) => String(w.published), change: null },
    { label: t.digestAnswered, pick: (w) => String(w.answered), change: null },
    {
      label: t.responseRate,
      pick: (w) => percentOf(w.rate),
      change: change(ctx, r.this_week.rate, r.week_before.rate, 'rate'),
    },
    {
      label: t.medianHours,
      pick: (w) => hours(w.median_hours),
      change: change(ctx, r.this_week.median_hours, r.week_before.median_hours, 'hours'),
    },
  ]
  return (
    <section aria-labelledby="digest_heading">
      <h2 id="digest_heading">{t.lastDigest}</h2>
      <p>{week}</p>

      <h3 id="digest_new">{t.newVoices}</h3>
      <table aria-labelledby="digest_new">
        <thead>
          <tr>
            <th scope="col">{t.sentiment}</th>
            <th scope="col">{t.voicesCount}</th>
          </tr>
        </thead>
        <tbody>
          {SENTIMENT_ORDER.map((s) => (
            <tr>
              <th scope="row">{ctx.w.sentiment[s]}</th>
              <td>{digest.new_voices[s]}</td>
            </tr>
          ))}
          <tr>
            <th scope="row">{t.total}</th>
            <td>{digest.new_voices.total}</td>
          </tr>
        </tbody>
      </table>

      <h3 id="digest_waiting">{t.digestStillWaiting}</h3>
      <Waiting
        ctx={ctx}
        id="digest_unanswered"
        caption={t.digestUnanswered}
        dateLabel={t.digestPublished}
        count={digest.unanswered_negative.count}
        items={digest.unanswered_negative.oldest.map((v) => ({ ...v, since: v.published_at }))}
      />
      <Waiting
        ctx={ctx}
        id="digest_awaiting"
        caption={t.digestAwaiting}
        dateLabel={t.digestApologized}
        count={digest.awaiting_resolution.count}
        items={digest.awaiting_resolution.oldest.map((v) => ({ ...v, since: v.apologized_at }))}
      />

      <h3 id="digest_answers">{t.digestAnswers}</h3>
      <table aria-labelledby="digest_answers">
        <thead>
          <tr>
            <td></td>
            <th scope="col">{t.digestThisWeek}</th>
            <th scope="col">{t.digestWeekBefore}</th>
            <th scope="col">{t.digestChange}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr>
              <th scope="row">{row.label}</th>
              <td>{row.pick(r.this_week)}</td>
              <td>{row.pick(r.week_before)}</td>
              <td>{row.change ?? '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
