/**
 * A shop's imports: the form that starts one (its file uploaded, or its address given, and its
 * choices) and the shop's imports with their state, progress and counts, each linked to its report.
 */
import { type FC, useContext } from 'hono/jsx'

import { IMPORT_FORMATS } from '../../../db/schema'
import type { ImportRow } from '../../../imports/store'
import type { SiteRow } from '../../../sites/store'
import type { PageContext } from '../../kit/context'
import { formatDateTime } from '../../kit/dates'
import { Checkbox, FileField, InputField, Refusals, TextField } from '../../kit/fields'
import { Csrf, type FormValues, Layout, type Notice, NoticeLine, SiteHeading } from '../../kit/layout'
import { phrase } from '../../kit/words'
import { CONSOLE_MAX_FILE_BYTES, megabytes } from './form'
import type { Words } from './words'

type Ctx = PageContext<Words>

/** Where the API's upload is described (the hub's API reference). */
export const UPLOAD_DOCS = '/docs#put_api_sites_site_imports_id_file'

const ABOUT = {
  wordpress: 'formatWordpress',
  movable_type: 'formatMovableType',
  webmention_io: 'formatWebmentionIo',
  reviews_csv: 'formatReviewsCsv',
  orders_csv: 'formatOrdersCsv',
} as const satisfies Record<(typeof IMPORT_FORMATS)[number], keyof Words>

/** The file's kind: one choice among the formats, each with a line saying what it reads. */
const FormatChoice: FC<{ ctx: Ctx; value: string | undefined }> = ({ ctx, value }) => {
  const problem = useContext(Refusals).get('format')
  return (
    <fieldset id="format" aria-describedby={problem === undefined ? undefined : 'format_error'}>
      <legend>{ctx.t.format}</legend>
      {problem !== undefined && (
        <p class="field-error" id="format_error">
          {problem}
        </p>
      )}
      {IMPORT_FORMATS.map((f) => (
        <label>
          <input
            type="radio"
            name="format"
            value={f}
            checked={f === (value ?? 'wordpress')}
            aria-invalid={problem === undefined ? undefined : 'true'}
          />{' '}
          {ctx.t[ABOUT[f]]}
        </label>
      ))}
    </fieldset>
  )
}

/** The form that starts an import (sent as multipart/form-data: it carries the file). */
const StartForm: FC<{ ctx: Ctx; action: string; values: FormValues }> = ({ ctx, action, values }) => {
  const t = ctx.t
  const ticked = (name: string) => values?.get(name) === 'on'
  return (
    <section aria-labelledby="start_heading">
      <h2 id="start_heading">{t.startImport}</h2>
      <form method="post" action={action} enctype="multipart/form-data">
        <Csrf ctx={ctx} />
        <FormatChoice ctx={ctx} value={values?.get('format')} />
        <FileField
          name="file"
          label={t.file}
          help={phrase(ctx.lang, t.fileHelp, { max: megabytes(CONSOLE_MAX_FILE_BYTES, ctx.lang) })}
        >
          <a href={UPLOAD_DOCS}>{t.apiLink}</a>
        </FileField>
        <InputField
          name="url"
          type="url"
          label={t.url}
          help={t.urlHelp}
          maxlength={2048}
          value={values?.get('url') ?? ''}
        />
        <fieldset>
          <legend>{t.choices}</legend>
          <label>
            <input type="checkbox" id="trust" name="trust" checked={ticked('trust')} aria-describedby="trust_help" />{' '}
            {t.trust}
          </label>
          <p class="meta" id="trust_help">
            {t.trustHelp}
          </p>
          <Checkbox name="comments" label={t.comments} checked={ticked('comments')} />
          <Checkbox name="auto_targets" label={t.autoTargets} checked={ticked('auto_targets')} />
        </fieldset>
        <TextField
          name="targets"
          label={t.targetsMap}
          help={t.targetsMapHelp}
          maxlength={60000}
          value={values?.get('targets') ?? ''}
        />
        <fieldset>
          <legend>{t.orderDates}</legend>
          <InputField name="from" label={t.from} maxlength={10} value={values?.get('from') ?? ''} />
          <InputField name="to" label={t.to} maxlength={10} value={values?.get('to') ?? ''} />
        </fieldset>
        <p>
          <button type="submit">{t.start}</button>
        </p>
      </form>
    </section>
  )
}

/** An import's state, its progress and its counts, in a sentence each. */
export const ImportFacts: FC<{ ctx: Ctx; row: ImportRow }> = ({ ctx, row }) => {
  const t = ctx.t
  return (
    <>
      {t.state}
      {t.colon}
      <strong>{t[row.state]}</strong> · {t.started}
      {t.colon}
      {formatDateTime(row.createdAt, ctx.lang, ctx.timeZone)}
      {row.finishedAt !== null && (
        <>
          {' '}
          · {t.finished}
          {t.colon}
          {formatDateTime(row.finishedAt, ctx.lang, ctx.timeZone)}
        </>
      )}
      <br />
      {phrase(ctx.lang, t.progress, { lines: row.lines, steps: row.steps })} ·{' '}
      {phrase(ctx.lang, t.countsLine, row.counts)}
    </>
  )
}

export const importPath = (slug: string, id?: string) =>
  `/admin/sites/${encodeURIComponent(slug)}/imports${id === undefined ? '' : `/${encodeURIComponent(id)}`}`

export const ImportsPage: FC<{
  ctx: Ctx
  site: SiteRow
  imports: ImportRow[]
  notice: Notice | null
  values: FormValues
}> = ({ ctx, site, imports, notice, values }) => {
  const t = ctx.t
  return (
    <Layout ctx={ctx} title={`${t.imports}${ctx.t.colon}${site.name}`}>
      <SiteHeading ctx={ctx} site={site} title={t.imports} />
      <p class="meta">{t.importsIntro}</p>
      <NoticeLine ctx={ctx} notice={notice} />
      <StartForm ctx={ctx} action={importPath(site.slug)} values={values} />
      <section aria-labelledby="imports_heading">
        <h2 id="imports_heading">{t.recent}</h2>
        {imports.length === 0 && <p>{t.noImports}</p>}
        <ul>
          {imports.map((row) => (
            <li class="voice">
              <a href={importPath(site.slug, row.id)}>{row.fileName}</a> <span class="meta">({t[row.format]})</span>
              <br />
              <span class="meta">
                <ImportFacts ctx={ctx} row={row} />
              </span>
            </li>
          ))}
        </ul>
      </section>
    </Layout>
  )
}
