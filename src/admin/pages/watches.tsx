/** A site's watched feeds: each with its keywords and how its last reading went; add one, stop one. */
import type { FC } from 'hono/jsx'

import type { WatchRow } from '../../listening/store'
import type { SiteRow } from '../../sites/store'
import { formatDateTime } from '../i18n'
import { Field, InputField } from './fields'
import { Csrf, type FormValues, Layout, type Notice, NoticeLine, type PageContext, SiteHeading } from './layout'

export const WatchesPage: FC<{
  ctx: PageContext
  site: SiteRow
  watches: WatchRow[]
  notice: Notice | null
  values?: FormValues
}> = ({ ctx, site, watches, notice, values }) => {
  const t = ctx.t
  const base = `/admin/sites/${encodeURIComponent(site.slug)}/watches`
  return (
    <Layout ctx={ctx} title={`${t.watches}: ${site.name}`}>
      <SiteHeading ctx={ctx} site={site} title={t.watches} />
      <p class="meta">{t.watchesHelp}</p>
      <NoticeLine ctx={ctx} notice={notice} />
      {watches.length === 0 && <p>{t.noWatches}</p>}
      <ul>
        {watches.map((w) => (
          <li class="voice">
            <code>{w.feedUrl}</code>
            <br />
            <span class="meta">
              {t.keywords}: {w.keywords.join(' · ')}
              <br />
              {w.lastFetchedAt === null
                ? t.notReadYet
                : `${t.lastRead} ${formatDateTime(w.lastFetchedAt, ctx.lang, ctx.timeZone)}`}
              {w.failures > 0 && ` · ${t.failedTimes.replace('{n}', String(w.failures))}: ${w.lastError ?? ''}`}
            </span>
            <form method="post" action={`${base}/${encodeURIComponent(w.id)}/delete`}>
              <Csrf ctx={ctx} />
              <button type="submit" aria-label={`${t.stopWatching}: ${w.feedUrl}`}>
                {t.stopWatching}
              </button>
            </form>
          </li>
        ))}
      </ul>
      <form method="post" action={base}>
        <fieldset>
          <legend>{t.addWatch}</legend>
          <Csrf ctx={ctx} />
          <InputField name="feed_url" label={t.feedUrl} maxlength={2048} value={values?.get('feed_url') ?? ''} />
          <Field name="keywords" label={t.keywords} help={t.keywordsHelp}>
            <textarea id="keywords" name="keywords" required aria-describedby="keywords_help">
              {values?.get('keywords') ?? ''}
            </textarea>
          </Field>
          <button type="submit">{t.addWatch}</button>
        </fieldset>
      </form>
    </Layout>
  )
}
