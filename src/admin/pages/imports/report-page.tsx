/**
 * One import and its report: what it is and how far it got, then what became of each line of its
 * file, a page at a time, one outcome at a time if asked; each voice a line added (or met already
 * here) is linked to its page. While the import runs, the page says so and offers to reload.
 */
import type { FC } from 'hono/jsx'

import { IMPORT_OUTCOMES, type ImportOutcome } from '../../../db/schema'
import { fileReasonText, reasonText } from '../../../imports/reasons'
import type { ImportLineRow, ImportRow } from '../../../imports/store'
import type { SiteRow } from '../../../sites/store'
import type { PageContext } from '../../kit/context'
import { Layout, type Notice, NoticeLine, SiteHeading } from '../../kit/layout'
import { phrase } from '../../kit/words'
import { ImportFacts, importPath } from './page'
import type { Words } from './words'

type Ctx = PageContext<Words>

/** A line's voice: linked to its console page (an order's line names an invitation, which has none). */
const RefOf: FC<{ line: ImportLineRow }> = ({ line }) =>
  line.ref === null ? null : line.ref.startsWith('m_') ? (
    <a href={`/admin/mentions/${encodeURIComponent(line.ref)}`}>{line.ref}</a>
  ) : (
    <code>{line.ref}</code>
  )

/** The report's query: one outcome or all, from a line on. */
const linesQuery = (outcome: ImportOutcome | undefined, after?: number) => {
  const q = new URLSearchParams()
  if (outcome) q.set('outcome', outcome)
  if (after !== undefined) q.set('after', String(after))
  const s = q.toString()
  return s === '' ? '' : `?${s}`
}

/** Which lines are shown: all, or those of one outcome (each with its count). */
const OutcomeFilter: FC<{ ctx: Ctx; path: string; row: ImportRow; outcome: ImportOutcome | undefined }> = ({
  ctx,
  path,
  row,
  outcome,
}) => {
  const t = ctx.t
  const choices = [
    { value: undefined, label: t.allLines, n: row.lines },
    ...IMPORT_OUTCOMES.map((o) => ({ value: o, label: t[o], n: row.counts[o] })),
  ]
  return (
    <nav aria-label={t.outcome}>
      {choices.map((ch, i) => (
        <>
          {i > 0 && ' · '}
          <a href={`${path}${linesQuery(ch.value)}`} aria-current={ch.value === outcome ? 'page' : undefined}>
            {ch.label}
            {ctx.t.open}
            {ch.n.toLocaleString(ctx.lang)}
            {ctx.t.close}
          </a>
        </>
      ))}
    </nav>
  )
}

export const ImportReportPage: FC<{
  ctx: Ctx
  site: SiteRow
  row: ImportRow
  lines: ImportLineRow[]
  outcome: ImportOutcome | undefined
  /** The line the next page starts after; null on the last page. */
  next: number | null
  notice: Notice | null
}> = ({ ctx, site, row, lines, outcome, next, notice }) => {
  const t = ctx.t
  const path = importPath(site.slug, row.id)
  const moving = row.state === 'queued' || row.state === 'running'
  return (
    <Layout ctx={ctx} title={`${row.fileName}${ctx.t.colon}${site.name}`}>
      <SiteHeading
        ctx={ctx}
        site={site}
        title={t.imports}
        back={{ href: importPath(site.slug), label: t.backToImports }}
      />
      <NoticeLine ctx={ctx} notice={notice} />
      <h2>{row.fileName}</h2>
      <p>
        {t[row.format]} · {row.options.trust ? t.trusted : t.checked}
        <br />
        <ImportFacts ctx={ctx} row={row} />
      </p>
      {row.state === 'failed' && (
        <p class="error" role="alert">
          {phrase(ctx.lang, t.failedBecause, { error: fileReasonText(row.error, ctx.lang) ?? '' })}
        </p>
      )}
      {moving && (
        <p class="meta" role="status">
          {t.runningNote} <a href={`${path}${linesQuery(outcome)}`}>{t.refresh}</a>
        </p>
      )}
      <section aria-labelledby="report_heading">
        <h2 id="report_heading">{t.report}</h2>
        <OutcomeFilter ctx={ctx} path={path} row={row} outcome={outcome} />
        {lines.length === 0 && <p>{t.noLines}</p>}
        <ul>
          {lines.map((l) => (
            <li class={`voice ${l.outcome === 'refused' ? 'negative' : l.outcome === 'added' ? 'positive' : ''}`}>
              {phrase(ctx.lang, t.line, { n: l.line })} · {l.place} · <strong>{t[l.outcome]}</strong> <RefOf line={l} />
              {l.subject !== null && (
                <>
                  <br />
                  <span class="meta">{l.subject}</span>
                </>
              )}
              {l.reason !== null && (
                <>
                  <br />
                  {reasonText(l.reason, ctx.lang)}
                </>
              )}
            </li>
          ))}
        </ul>
        {next !== null && (
          <p>
            <a href={`${path}${linesQuery(outcome, next)}`}>{t.moreLines}</a>
          </p>
        )}
      </section>
    </Layout>
  )
}
