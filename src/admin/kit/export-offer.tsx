/**
 * The offer to take a shop's data out, on the pages where staff look for it (the shop's settings,
 * its deletion): a button that starts an export (`POST /admin/sites/{site}/exports`, answered by a
 * redirect back), and the latest export's state, or its files' download links once it is done.
 */
import type { FC } from 'hono/jsx'

import type { Out } from '../../common/outputs'
import type { ExportOut } from '../../exports/outputs'
import type { PageContext } from './context'
import { formatDateTime } from './dates'
import { Csrf } from './layout'
import { defineWords, phrase } from './words'

export const EXPORT_WORDS = defineWords(
  {
    heading: 'Download the shop’s data',
    intro:
      'Everything the hub holds for this shop — voices with their answers, reviews, targets, partners, the ledgers, webhook endpoints (without secrets) and watched feeds — as JSON Lines files, with voices and reviews also as CSV for spreadsheets.',
    start: 'Download the shop’s data',
    queued: 'An export started {at} is waiting to begin.',
    running: 'An export started {at} is running: {kind}, step {step} of {steps}. Reload this page to see it move on.',
    done: 'The export of {at} is ready. Its links work for an hour from when this page was shown; reload for fresh ones. Its files are kept until {until}.',
    failed: 'The export of {at} failed: {error}',
    expired: 'The files of the export of {at} were deleted on {until}.',
    rows: '{rows} {rows:row|rows}',
  },
  {
    heading: 'ショップのデータをダウンロード',
    intro:
      'このショップについてハブが持つすべて（回答付きの声、レビュー、対象ページ、パートナー、台帳、Webhook の送信先（シークレットは除く）、監視するフィード）を JSON Lines ファイルで書き出します。声とレビューは表計算ソフト用の CSV でも書き出します。',
    start: 'ショップのデータをダウンロード',
    queued: '{at}に始めた書き出しが開始を待っています。',
    running:
      '{at}に始めた書き出しの途中です（{kind}、{steps}段階のうち{step}段階目）。このページを再読み込みすると進み具合が分かります。',
    done: '{at}の書き出しができました。リンクはこのページを表示してから1時間有効です。再読み込みすると新しいリンクになります。ファイルは{until}まで保管します。',
    failed: '{at}の書き出しは失敗しました：{error}',
    expired: '{at}の書き出しのファイルは{until}に削除しました。',
    rows: '{rows}行',
  },
)

/** Where the button's redirect lands: the page that shows it (`sites`: the list of sites, for a deleted shop). */
export type ExportBack = 'settings' | 'delete' | 'sites'

type Latest = Out<typeof ExportOut> | null

/** The latest export's state in words, and its files' links once it is done. */
const ExportState: FC<{ ctx: PageContext; latest: Latest }> = ({ ctx, latest }) => {
  if (!latest) return null
  const t = EXPORT_WORDS[ctx.lang]
  const when = (iso: string | null) => (iso ? formatDateTime(Date.parse(iso), ctx.lang, ctx.timeZone) : '')
  const values = {
    at: when(latest.created_at),
    until: when(latest.expires_at),
    kind: latest.progress.kind ?? '',
    step: latest.progress.step,
    steps: latest.progress.steps,
    error: latest.error ?? '',
  }
  return (
    <>
      <p class={latest.state === 'failed' ? 'error' : 'meta'}>{phrase(ctx.lang, t[latest.state], values)}</p>
      {latest.state === 'done' && (
        <ul>
          {latest.files.map((f) => (
            <li>
              {f.url ? <a href={f.url}>{f.name}</a> : f.name}
              <span class="meta">
                {ctx.t.open}
                {f.name === 'manifest.json' ? '' : phrase(ctx.lang, t.rows, { rows: f.rows }) + ctx.t.comma}
                {(f.bytes / 1024).toLocaleString(ctx.lang, { maximumFractionDigits: 1 })} KB
                {ctx.t.close}
              </span>
            </li>
          ))}
        </ul>
      )}
    </>
  )
}

/** The button, unless an export is running; `name` (the shop's) tells one button from another on a list. */
const ExportButton: FC<{ ctx: PageContext; slug: string; back: ExportBack; latest: Latest; name?: string }> = ({
  ctx,
  slug,
  back,
  latest,
  name,
}) => {
  const t = EXPORT_WORDS[ctx.lang]
  if (latest?.state === 'queued' || latest?.state === 'running') return null
  return (
    <form method="post" action={`/admin/sites/${encodeURIComponent(slug)}/exports`}>
      <Csrf ctx={ctx} />
      <input type="hidden" name="back" value={back} />
      <button type="submit" aria-label={name === undefined ? undefined : `${t.start}: ${name}`}>
        {t.start}
      </button>
    </form>
  )
}

/** The offer as a section of a shop's page (its settings, its deletion). */
export const ExportOffer: FC<{ ctx: PageContext; slug: string; back: ExportBack; latest: Latest }> = ({
  ctx,
  slug,
  back,
  latest,
}) => {
  const t = EXPORT_WORDS[ctx.lang]
  return (
    <section aria-labelledby="export_heading">
      <h2 id="export_heading">{t.heading}</h2>
      <p>{t.intro}</p>
      <ExportState ctx={ctx} latest={latest} />
      <ExportButton ctx={ctx} slug={slug} back={back} latest={latest} />
    </section>
  )
}

/** The offer within a list of shops (a deleted shop that can still be restored). */
export const ExportInList: FC<{ ctx: PageContext; slug: string; name: string; latest: Latest }> = ({
  ctx,
  slug,
  name,
  latest,
}) => (
  <>
    <ExportState ctx={ctx} latest={latest} />
    <ExportButton ctx={ctx} slug={slug} back="sites" latest={latest} name={name} />
  </>
)
