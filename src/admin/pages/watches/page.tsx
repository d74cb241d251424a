/** A site's watched feeds: each with its keywords and how its last reading went; add one, stop one. */
import type { FC } from 'hono/jsx'

import { DAY, HOUR } from '../../../common/clock'
import { feedErrorWords } from '../../../listening/feed-errors'
import type { RunRow, WatchRow } from '../../../listening/store'
import { lastTriedAt, waitAfterFailure } from '../../../listening/schedule'
import type { SiteRow } from '../../../sites/store'
import type { PageContext } from '../../kit/context'
import { formatDateTime } from '../../kit/dates'
import { InputField, TextField } from '../../kit/fields'
import { Csrf, type FormValues, Layout, type Notice, NoticeLine, SiteHeading } from '../../kit/layout'
import { phrase } from '../../kit/words'
import type { Words } from './words'

type Ctx = PageContext<Words>

/** A wait in hours, or in days from a day on. */
const waitWords = (ctx: Ctx, ms: number) =>
  ms >= DAY
    ? phrase(ctx.lang, ctx.t.waitDays, { n: Math.round(ms / DAY) })
    : phrase(ctx.lang, ctx.t.waitHours, { n: Math.round(ms / HOUR) })

/**
 * When a feed was last read and is read next; a failing one also says when it was last tried, and
 * one that has never been read successfully says so (never "not read yet": it was, and failed).
 */
const ReadingLine: FC<{ ctx: Ctx; watch: WatchRow }> = ({ ctx, watch: w }) => {
  const t = ctx.t
  const when = (ms: number) => formatDateTime(ms, ctx.lang, ctx.timeZone)
  const tried = lastTriedAt(w)
  const read =
    w.lastFetchedAt !== null ? `${t.lastRead} ${when(w.lastFetchedAt)}` : tried === null ? t.notReadYet : t.neverRead
  return (
    <>
      {read}
      {w.failures > 0 && tried !== null && ` · ${t.lastTried} ${when(tried)}`}
      {` · ${t.nextRead} ${when(w.nextFetchAt)}`}
    </>
  )
}

export const WatchesPage: FC<{
  ctx: Ctx
  site: SiteRow
  watches: WatchRow[]
  runs: RunRow[]
  notice: Notice | null
  values?: FormValues
}> = ({ ctx, site, watches, runs, notice, values }) => {
  const t = ctx.t
  const base = `/admin/sites/${encodeURIComponent(site.slug)}/watches`
  return (
    <Layout ctx={ctx} title={`${t.watches}${ctx.t.colon}${site.name}`}>
      <SiteHeading ctx={ctx} site={site} title={t.watches} />
      <p class="meta">{t.watchesHelp}</p>
      <NoticeLine ctx={ctx} notice={notice} />
      <p>
        <a href={`/admin/sites/${encodeURIComponent(site.slug)}?kind=discovered&status=pending`}>
          {t.foundVoicesWaiting}
        </a>
      </p>
      {watches.length === 0 && <p>{t.noWatches}</p>}
      <ul>
        {watches.map((w) => (
          <li class="voice">
            <code>{w.feedUrl}</code>
            <br />
            <span class="meta">
              {t.keywords}: {w.keywords.join(' · ')}
              <br />
              <ReadingLine ctx={ctx} watch={w} />
            </span>
            {w.failures > 0 && (
              <p class="meta">
                <strong>{phrase(ctx.lang, t.failedTimes, { n: w.failures })}</strong>:{' '}
                {feedErrorWords(w.lastError ?? 'internal', ctx.lang)}{' '}
                {phrase(ctx.lang, t.nextTryWaits, { wait: waitWords(ctx, waitAfterFailure(w) ?? 0) })}
              </p>
            )}
            <form method="post" action={`${base}/${encodeURIComponent(w.id)}/delete`}>
              <Csrf ctx={ctx} />
              <button type="submit" aria-label={`${t.stopWatching}: ${w.feedUrl}`}>
                {t.stopWatching}
              </button>
            </form>
          </li>
        ))}
      </ul>
      <h2>{t.recentRuns}</h2>
      <p class="meta">{t.recentRunsHelp}</p>
      {runs.length === 0 ? (
        <p>{t.noRuns}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t.runAt}</th>
              <th scope="col">{t.runFetched}</th>
              <th scope="col">{t.runUnchanged}</th>
              <th scope="col">{t.runFailed}</th>
              <th scope="col">{t.runAdded}</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <>
                <tr>
                  <th scope="row">{formatDateTime(r.at, ctx.lang, ctx.timeZone)}</th>
                  <td>{r.fetched}</td>
                  <td>{r.unchanged}</td>
                  <td>{r.failed}</td>
                  <td>{r.added}</td>
                </tr>
                {r.errors.length > 0 && (
                  <tr>
                    {/* The failed feeds of the run above, across the row: an address and a sentence need the width. */}
                    <td colspan={5} class="meta">
                      <ul>
                        {r.errors.map((e) => (
                          <li>
                            <code>{e.feed_url}</code>: {feedErrorWords(e.error, ctx.lang)}
                          </li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                )}
              </>
            ))}
          </tbody>
        </table>
      )}
      <form method="post" action={base}>
        <fieldset>
          <legend>{t.addWatch}</legend>
          <Csrf ctx={ctx} />
          <InputField name="feed_url" label={t.feedUrl} maxlength={2048} value={values?.get('feed_url') ?? ''} />
          <TextField
            name="keywords"
            label={t.keywords}
            help={t.keywordsHelp}
            required
            value={values?.get('keywords') ?? ''}
          />
          <button type="submit">{t.addWatch}</button>
        </fieldset>
      </form>
    </Layout>
  )
}
