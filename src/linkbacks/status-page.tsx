/** The status URL as a page, for a blogger who opens it in a browser: where the linkback stands, in their language. */
import type { FC } from 'hono/jsx'

import { formatDate, type PageLang } from '../common/lang'
import { PageShell } from '../common/page-shell'
import { safeHref } from '../common/safe-href'
import { STOREFRONT_STYLE } from '../common/storefront-style'
import type { statusJson } from './status'

const WORDS = {
  en: {
    title: 'Linkback status',
    state: {
      queued: 'Waiting for a check',
      verified: 'Verified',
      rejected: 'Not accepted',
      deleted: 'No longer shown',
      accepted: 'Published',
    },
    source: 'Source',
    target: 'Target',
    attempts: 'Checks made',
    received: 'Received',
    other: '日本語',
  },
  ja: {
    title: 'リンクバックの状況',
    state: {
      queued: '確認待ち',
      verified: '確認済み',
      rejected: '受け付けられませんでした',
      deleted: '公開を終了しました',
      accepted: '公開中',
    },
    source: 'ソース',
    target: '対象ページ',
    attempts: '確認回数',
    received: '受信日時',
    other: 'English',
  },
} as const

export const StatusPage: FC<{
  status: ReturnType<typeof statusJson>
  siteName: string
  lang: PageLang
  path: string
}> = ({ status, siteName, lang, path }) => {
  const w = WORDS[lang]
  const other = lang === 'ja' ? 'en' : 'ja'
  return (
    <PageShell lang={lang} title={`${w.title} — ${siteName}`} style={STOREFRONT_STYLE} noindex>
      <main>
        <p class="shop">
          {siteName} ·{' '}
          <a href={`${path}?lang=${other}`} lang={other}>
            {w.other}
          </a>
        </p>
        <h1>
          {w.title}: {w.state[status.status]}
        </h1>
        <p role="status">{status.explanation[lang]}</p>
        <dl>
          <dt>{w.source}</dt>
          <dd>
            {safeHref(status.source) ? (
              <a href={safeHref(status.source)} rel="nofollow ugc noopener">
                {status.source}
              </a>
            ) : (
              status.source
            )}
          </dd>
          <dt>{w.target}</dt>
          <dd>{status.target}</dd>
          <dt>{w.attempts}</dt>
          <dd>{status.attempts}</dd>
          <dt>{w.received}</dt>
          <dd>{`${formatDate(Date.parse(status.received_at), lang, { time: true })} UTC`}</dd>
        </dl>
      </main>
    </PageShell>
  )
}
