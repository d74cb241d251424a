/**
 * A site's overview: four charts drawn as SVG on the server (no chart library, no script), each
 * with a caption, a one-line summary for screen readers and its numbers in a table; above them,
 * the newest weekly digest (./digest.tsx).
 */
import type { Child, FC } from 'hono/jsx'

import type { DigestBody } from '../../../db/schema'
import type { SiteRow } from '../../../sites/store'
import type { PageContext } from '../../kit/context'
import { Layout, SiteHeading } from '../../kit/layout'
import { phrase } from '../../kit/words'
import { DigestSection } from './digest'
import type { AgeBucket, ResponseWeek, SentimentWeek } from './overview'
import type { Words } from './words'

type Ctx = PageContext<Words>

const W = 600
const H = 200
const PAD = 28
const COLOURS = { negative: '#b3261e', neutral: '#8a6d00', positive: '#2e7d32', unclassified: '#6b6b6b' } as const
const SENTIMENT_ORDER = ['negative', 'neutral', 'positive', 'unclassified'] as const

const weekLabel = (ctx: Ctx, start: number) =>
  new Intl.DateTimeFormat(ctx.lang === 'ja' ? 'ja-JP' : 'en-GB', {
    month: 'numeric',
    day: 'numeric',
    timeZone: ctx.timeZone,
  }).format(new Date(start))

/** A chart: caption, the drawing (an image with a summary), and its numbers for anyone who would rather read. */
const Chart: FC<{ id: string; caption: string; summary: string; numbers: string; table: Child; children?: Child }> = (
  p,
) => (
  <figure aria-labelledby={`${p.id}_caption`}>
    <figcaption id={`${p.id}_caption`}>
      <strong>{p.caption}</strong>
    </figcaption>
    <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={p.summary} style="max-width:40rem">
      {p.children}
    </svg>
    <details>
      <summary>{p.numbers}</summary>
      {p.table}
    </details>
  </figure>
)

export const OverviewPage: FC<{
  ctx: Ctx
  site: SiteRow
  targetHours: number
  sentiment: SentimentWeek[]
  response: ResponseWeek[]
  waiting: AgeBucket[]
  resolution: { apologized: number; resolved: number }
  digest: DigestBody | null
}> = ({ ctx, site, targetHours, sentiment, response, waiting, resolution, digest }) => {
  const t = ctx.t
  const w = ctx.w
  const barWidth = (W - 2 * PAD) / sentiment.length
  const most = Math.max(1, ...sentiment.map((s) => s.positive + s.neutral + s.negative + s.unclassified))
  const y = (n: number, max: number) => H - PAD - (n / max) * (H - 2 * PAD)
  const total = sentiment.reduce((n, s) => n + s.positive + s.neutral + s.negative + s.unclassified, 0)

  const slowest = Math.max(targetHours, ...response.map((r) => r.medianHours ?? 0)) * 1.1
  const points = response
    .map((r, i) => (r.medianHours === null ? null : { x: PAD + barWidth * (i + 0.5), y: y(r.medianHours, slowest), r }))
    .filter((p) => p !== null)

  const ageWords = { day: t.ageDay, days3: t.ageDays3, week: t.ageWeek, older: t.ageOlder }
  const waitingMost = Math.max(1, ...waiting.map((b) => b.count))
  const percent = resolution.apologized === 0 ? null : resolution.resolved / resolution.apologized
  const percentText = percent === null ? '' : `${Math.round(percent * 100)}%`
  const resolvedText = phrase(ctx.lang, t.resolvedOf, { ...resolution, percent: percentText })

  return (
    <Layout ctx={ctx} title={`${t.overview}${ctx.t.colon}${site.name}`}>
      <SiteHeading ctx={ctx} site={site} title={t.overview} />
      <DigestSection ctx={ctx} digest={digest} />

      <Chart
        id="sentiment"
        numbers={t.theNumbers}
        caption={t.voicesPerWeek}
        summary={`${t.voicesPerWeek}: ${total}`}
        table={
          <table>
            <thead>
              <tr>
                <th>{t.weekOf}</th>
                {SENTIMENT_ORDER.map((s) => (
                  <th>{w.sentiment[s]}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {sentiment.map((week) => (
                <tr>
                  <td>{weekLabel(ctx, week.start)}</td>
                  {SENTIMENT_ORDER.map((s) => (
                    <td>{week[s]}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        }
      >
        {sentiment.map((week, i) => {
          let top = H - PAD
          return (
            <g>
              {SENTIMENT_ORDER.map((s) => {
                const height = (week[s] / most) * (H - 2 * PAD)
                top -= height
                return week[s] === 0 ? null : (
                  <rect x={PAD + i * barWidth + 2} y={top} width={barWidth - 4} height={height} fill={COLOURS[s]} />
                )
              })}
              {i % 2 === 0 && (
                <text x={PAD + (i + 0.5) * barWidth} y={H - 8} font-size="11" text-anchor="middle">
                  {weekLabel(ctx, week.start)}
                </text>
              )}
            </g>
          )
        })}
        <line x1={PAD} y1={H - PAD} x2={W - PAD} y2={H - PAD} stroke="#333" />
        <text x={4} y={PAD} font-size="11">
          {most}
        </text>
      </Chart>
      <ul class="meta legend">
        {SENTIMENT_ORDER.map((s) => (
          <li>
            <span style={`display:inline-block;width:.8em;height:.8em;background:${COLOURS[s]}`}></span>{' '}
            {w.sentiment[s]}
          </li>
        ))}
      </ul>

      <Chart
        id="response"
        numbers={t.theNumbers}
        caption={t.medianResponse}
        summary={`${t.medianResponse}; ${t.responseTargetLine} ${targetHours}`}
        table={
          <table>
            <thead>
              <tr>
                <th>{t.weekOf}</th>
                <th>{t.medianResponse}</th>
              </tr>
            </thead>
            <tbody>
              {response.map((r) => (
                <tr>
                  <td>{weekLabel(ctx, r.start)}</td>
                  <td>{r.medianHours === null ? t.noAnswerYet : r.medianHours.toFixed(1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        }
      >
        <line
          x1={PAD}
          y1={y(targetHours, slowest)}
          x2={W - PAD}
          y2={y(targetHours, slowest)}
          stroke="#b3261e"
          stroke-dasharray="6 4"
        />
        <text x={W - PAD} y={y(targetHours, slowest) - 4} font-size="11" text-anchor="end">
          {t.responseTargetLine} {targetHours}
        </text>
        <polyline points={points.map((p) => `${p.x},${p.y}`).join(' ')} fill="none" stroke="#1f3a4d" stroke-width="2" />
        {points.map((p) => (
          <circle cx={p.x} cy={p.y} r="4" fill="#1f3a4d" />
        ))}
        <line x1={PAD} y1={H - PAD} x2={W - PAD} y2={H - PAD} stroke="#333" />
      </Chart>

      <Chart
        id="waiting"
        numbers={t.theNumbers}
        caption={t.waitingNegative}
        summary={`${t.waitingNegative}: ${waiting.map((b) => `${ageWords[b.key]} ${b.count}`).join(', ')}`}
        table={
          <table>
            <tbody>
              {waiting.map((b) => (
                <tr>
                  <th>{ageWords[b.key]}</th>
                  <td>{b.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        }
      >
        {waiting.map((b, i) => {
          const rowHeight = (H - 2 * PAD) / waiting.length
          const length = (b.count / waitingMost) * (W - 160 - PAD)
          return (
            <g>
              <text x={4} y={PAD + rowHeight * (i + 0.65)} font-size="12">
                {ageWords[b.key]}
              </text>
              <rect
                x={120}
                y={PAD + rowHeight * i + 4}
                width={Math.max(length, b.count > 0 ? 2 : 0)}
                height={rowHeight - 8}
                fill={i >= 2 ? '#b3261e' : '#8a6d00'}
              />
              <text x={126 + length} y={PAD + rowHeight * (i + 0.65)} font-size="12">
                {b.count}
              </text>
            </g>
          )
        })}
      </Chart>

      <Chart
        id="resolution"
        numbers={t.theNumbers}
        caption={t.resolutionRate}
        summary={percent === null ? t.noApologies : resolvedText}
        table={<p>{percent === null ? t.noApologies : resolvedText}</p>}
      >
        <rect x={PAD} y={H / 2 - 20} width={W - 2 * PAD} height={40} fill="#e8e8e8" />
        {percent !== null && <rect x={PAD} y={H / 2 - 20} width={(W - 2 * PAD) * percent} height={40} fill="#2e7d32" />}
        <text x={W / 2} y={H / 2 + 45} font-size="14" text-anchor="middle">
          {percent === null ? t.noApologies : resolvedText}
        </text>
      </Chart>
    </Layout>
  )
}
