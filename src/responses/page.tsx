/**
 * The public page of one official response, in the shop's language and the storefront's look.
 * It quotes what it answers (the post's title, excerpt and a link to it) and is an h-entry
 * `in-reply-to` the post, so the blog that receives our Webmention can show the shop's answer
 * under the post. hono/jsx escapes every text value; only http(s) URLs become links.
 */
import type { FC } from 'hono/jsx'

import type { VoiceRow, ResponseRow } from '../voices/store'
import { formatDate, textLang } from '../common/lang'
import { type PageLang, PageShell } from '../common/page-shell'
import { safeHref } from '../common/safe-href'
import { STOREFRONT_STYLE } from '../common/storefront-style'
import type { SiteRow } from '../sites/store'
import { STAGE_LABELS } from './stage-labels'

const WORDS = {
  en: {
    title: (stage: string, shop: string) => `${stage} from ${shop}`,
    heading: (shop: string) => `${shop} answers`,
    inReplyTo: 'In reply to',
    readPost: 'Read the post',
    aPost: 'a post',
    aReview: 'a review',
    by: 'by',
    stars: (n: number) => `${n} of 5 stars`,
    withdrawn: 'This answer was withdrawn together with the voice it answered. The shop’s public ledger says why.',
    missing: 'There is no answer at this address.',
    edited: 'edited',
    earlier: 'Earlier versions',
    earlierNote: 'The shop edited this answer. Every earlier version stays readable here, oldest first.',
    version: (n: number) => `Version ${n}`,
    replaced: 'replaced',
    tombstone: (shop: string, date: string) => `${shop} withdrew this answer on ${date}.`,
    reason: ' Reason: ',
  },
  ja: {
    title: (stage: string, shop: string) => `${shop}からの${stage}`,
    heading: (shop: string) => `${shop}からの回答`,
    inReplyTo: '回答先',
    readPost: '記事を読む',
    aPost: '記事',
    aReview: 'レビュー',
    by: '投稿：',
    stars: (n: number) => `5つ星中${n}`,
    withdrawn: 'この回答は、回答先の声とともに取り下げられました。理由はショップの公開台帳に記録されています。',
    missing: 'このアドレスに回答はありません。',
    edited: '編集済み',
    earlier: '以前の版',
    earlierNote: 'ショップはこの回答を編集しました。以前の版はすべて、古い順にここで読めます。',
    version: (n: number) => `第${n}版`,
    replaced: '差し替え：',
    tombstone: (shop: string, date: string) => `${shop}は${date}にこの回答を取り下げました。`,
    reason: '理由：',
  },
} as const

/** One earlier version of an answer, as its page lists it. */
export type EarlierVersion = Pick<ResponseRow, 'version' | 'stage' | 'body' | 'authorName' | 'authorRole'> & {
  writtenAt: number
  replacedAt: number
}

const paragraphs = (text: string) => text.split(/\n{2,}/).map((para) => <p>{para}</p>)

export const ResponsePage: FC<{
  response: ResponseRow
  voice: VoiceRow
  site: SiteRow
  pageUrl: string
  lang: PageLang
  /** The shop's time zone, for the dates. */
  timeZone: string
  /** The answer's earlier versions, oldest first. */
  revisions: readonly EarlierVersion[]
}> = ({ response, voice, site, pageUrl, lang, timeZone, revisions }) => {
  const w = WORDS[lang]
  const date = (ms: number) => formatDate(ms, lang, { timeZone })
  const dateTime = (ms: number) => formatDate(ms, lang, { timeZone, time: true })
  // The voice may be in the other language: its own texts say so, for screen readers and fonts.
  const otherLang = (text: string | null) => {
    const l = text === null ? null : textLang(text)
    return l === null || l === lang ? undefined : l
  }
  const post = safeHref(voice.sourceUrlSent ?? voice.sourceUrl)
  const published = new Date(response.createdAt).toISOString()
  const stage = STAGE_LABELS[lang][response.stage]
  const who = voice.authorName ?? voice.blogName
  return (
    <PageShell
      lang={lang}
      title={w.title(stage, site.name)}
      style={STOREFRONT_STYLE}
      head={<link rel="canonical" href={pageUrl} />}
    >
      <main>
        <p class="shop">
          <a href={safeHref(site.origins[0])}>{site.name}</a>
        </p>
        <h1>{w.heading(site.name)}</h1>
        <article class="h-entry">
          <section class={`voice ${voice.sentiment ?? 'unclassified'}`} aria-label={w.inReplyTo}>
            <p class="meta">
              {w.inReplyTo}{' '}
              <a class="u-in-reply-to" href={post} rel="nofollow ugc noopener" lang={otherLang(voice.title)}>
                {voice.title ?? post ?? (voice.kind === 'review' ? w.aReview : w.aPost)}
              </a>
            </p>
            <blockquote cite={post} lang={otherLang(voice.excerpt)}>
              {voice.rating !== null && (
                <p aria-label={w.stars(voice.rating)}>{'★'.repeat(voice.rating) + '☆'.repeat(5 - voice.rating)}</p>
              )}
              {voice.excerpt && <p>{voice.excerpt}</p>}
            </blockquote>
            {(who || voice.publishedAt !== null) && (
              <p class="by">
                {who && `${w.by} ${who}`}
                {who && voice.publishedAt !== null && ' · '}
                {voice.publishedAt !== null && date(voice.publishedAt)}
              </p>
            )}
            {post && (
              <p>
                <a href={post} rel="nofollow ugc noopener">
                  {w.readPost}
                </a>
              </p>
            )}
          </section>
          <div class="answer">
            <p class="meta">
              <span class="stage">{stage}</span>{' '}
              <span class="p-author h-card">
                <span class="p-name">{response.authorName}</span>
                {response.authorRole && (
                  <>
                    {' '}
                    (<span class="p-role">{response.authorRole}</span>)
                  </>
                )}
                ,{' '}
                <a class="p-org u-url" href={safeHref(site.origins[0])}>
                  {site.name}
                </a>
              </span>
            </p>
            <div class="e-content p-name">{paragraphs(response.body)}</div>
            <p class="by">
              <a class="u-url" href={pageUrl}>
                <time class="dt-published" datetime={published}>
                  {date(response.createdAt)}
                </time>
              </a>
              {response.editedAt !== null && (
                <>
                  {' · '}
                  {w.edited}{' '}
                  <time class="dt-updated" datetime={new Date(response.editedAt).toISOString()}>
                    {dateTime(response.editedAt)}
                  </time>
                </>
              )}
            </p>
          </div>
          {revisions.length > 0 && (
            <section class="earlier" aria-labelledby="earlier">
              <h2 id="earlier">{w.earlier}</h2>
              <p class="meta">{w.earlierNote}</p>
              {revisions.map((r) => (
                <details>
                  <summary>
                    {w.version(r.version)} · {STAGE_LABELS[lang][r.stage]} · {r.authorName}
                    {r.authorRole && ` (${r.authorRole})`} ·{' '}
                    <time datetime={new Date(r.writtenAt).toISOString()}>{dateTime(r.writtenAt)}</time>
                  </summary>
                  {paragraphs(r.body)}
                  <p class="by">
                    {w.replaced} <time datetime={new Date(r.replacedAt).toISOString()}>{dateTime(r.replacedAt)}</time>
                  </p>
                </details>
              ))}
            </section>
          )}
        </article>
      </main>
    </PageShell>
  )
}

/** The page of an answer that is gone (410) or never was (404), in the shop's language when it is known. */
export const NoResponsePage: FC<{ lang: PageLang; gone: boolean }> = ({ lang, gone }) => (
  <PageShell lang={lang} title={gone ? WORDS[lang].withdrawn : WORDS[lang].missing} style={STOREFRONT_STYLE}>
    <main>
      <p>{gone ? WORDS[lang].withdrawn : WORDS[lang].missing}</p>
    </main>
  </PageShell>
)

/** The tombstone of an answer the shop withdrew (410): when and why, never what it said. */
export const WithdrawnAnswerPage: FC<{
  lang: PageLang
  shop: string
  at: number
  reason: string
  timeZone: string
}> = ({ lang, shop, at, reason, timeZone }) => {
  const w = WORDS[lang]
  const text = w.tombstone(shop, formatDate(at, lang, { timeZone }))
  return (
    <PageShell lang={lang} title={text} style={STOREFRONT_STYLE}>
      <main>
        <p class="withdrawn">
          {text}
          {w.reason}
          <span lang={textLang(reason) ?? undefined}>{reason}</span>
        </p>
      </main>
    </PageShell>
  )
}
