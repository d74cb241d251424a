/**
 * The shop's Webmention endpoint opened in a browser: for a blogger who wrote about the shop, how
 * their post reaches it — the three addresses blog software sends to, what happens next — and a
 * form to send a post by hand (a Webmention, answered with its status page; a refusal is said at
 * its field, with what was typed). In their language.
 */
import type { FC } from 'hono/jsx'

import type { PageLang } from '../common/lang'
import { PageShell } from '../common/page-shell'
import { STOREFRONT_STYLE } from '../common/storefront-style'

const WORDS = {
  en: {
    title: 'Tell this shop about your post',
    intro:
      'Wrote about one of this shop’s products and linked to its page? Much blog software tells the shop by itself, by Webmention, Pingback or TrackBack. Glasshouse checks that your post links to the product page, then shows it there — criticism included — with the shop’s official answer beside it.',
    addresses: 'Where blog software sends',
    webmention: 'Webmention',
    pingback: 'Pingback (WordPress)',
    trackback: 'TrackBack',
    trackbackHow: 'One address per product: the product page shows its TrackBack URL.',
    byHand: 'Send your post by hand',
    byHandHelp: 'If your blog sends nothing by itself, give the two addresses here (a Webmention).',
    source: 'Your post’s address',
    target: 'The product page it links to',
    send: 'Send',
    after:
      'You then see a status page: waiting for the check, published, or why it was not accepted. Every removal the shop makes is recorded, with its reason, in',
    ledger: 'the public ledger',
    ledgerIsData: '(JSON data)',
    other: '日本語',
    notSent: 'Not sent: ',
    refused: {
      missing_source: 'give your post’s address.',
      invalid_source: 'your post’s address must be a whole http(s) address (https://…).',
      missing_target: 'give the address of the product page your post links to.',
      invalid_target: 'the product page’s address must be a whole http(s) address (https://…).',
      same_url: 'the two addresses are the same page.',
      target_not_here: 'that page is not on this shop’s storefront.',
      self_mention: 'your post cannot be on this hub or on the shop’s own storefront.',
      throttled: 'too many posts were sent from here just now. Please try again in a minute.',
      other: 'the hub could not take it.',
    },
  },
  ja: {
    title: 'このショップに記事を知らせる',
    intro:
      'このショップの商品について書き、商品ページにリンクしましたか？ 多くのブログのソフトウェアは、Webmention・ピンバック・トラックバックで自動的にショップへ知らせます。Glasshouse は記事に商品ページへのリンクがあることを確かめてから、批判も含めてそのまま、ショップの公式回答と並べて商品ページに表示します。',
    addresses: 'ブログのソフトウェアが送る先',
    webmention: 'Webmention',
    pingback: 'ピンバック（WordPress）',
    trackback: 'トラックバック',
    trackbackHow: '商品ごとに送り先があります。トラックバック URL は商品ページに表示されています。',
    byHand: '手動で知らせる',
    byHandHelp: 'ブログが自動で送らないときは、ここに 2 つのアドレスを入れて送ってください（Webmention で送ります）。',
    source: 'あなたの記事のアドレス',
    target: '記事がリンクしている商品ページのアドレス',
    send: '送信',
    after:
      '送ると受け付け状況のページが開き、確認待ち・公開・受け付けられなかった理由がわかります。ショップが声を削除したときは、その理由が次の台帳に残ります：',
    ledger: '公開台帳',
    ledgerIsData: '（JSON データ）',
    other: 'English',
    notSent: '送信できませんでした：',
    refused: {
      missing_source: '記事のアドレスを入れてください。',
      invalid_source: '記事のアドレスは https:// などで始まる完全なアドレスにしてください。',
      missing_target: '記事がリンクしている商品ページのアドレスを入れてください。',
      invalid_target: '商品ページのアドレスは https:// などで始まる完全なアドレスにしてください。',
      same_url: '2 つのアドレスが同じページです。',
      target_not_here: 'そのページはこのショップのストアのページではありません。',
      self_mention: 'このハブやショップ自身のストアのページは、記事として送れません。',
      throttled: 'ここからの送信が続いたため、いったん止めています。1 分ほどしてからもう一度送ってください。',
      other: '受け付けられませんでした。',
    },
  },
} as const

const PAGE_STYLE = `${STOREFRONT_STYLE}
dd code{overflow-wrap:anywhere}
form label{display:block;margin-top:.8rem}
form input{box-sizing:border-box;width:100%;font:inherit;padding:.3rem}
form button{margin-top:1rem;font:inherit;padding:.3rem 1rem}
.refusal{color:#9b1c1c;font-weight:600}
`

/** Why a Webmention sent by hand was not taken, and which field it is about. */
export type SendRefusal = { reason: string; source: string; target: string }

type Refused = keyof (typeof WORDS)['en']['refused']
const FIELD_OF: Partial<Record<Refused, 'source' | 'target'>> = {
  missing_source: 'source',
  invalid_source: 'source',
  self_mention: 'source',
  same_url: 'source',
  missing_target: 'target',
  invalid_target: 'target',
  target_not_here: 'target',
}

const isRefused = (reason: string): reason is Refused => reason in WORDS.en.refused

export type SendPageProps = {
  hub: string
  slug: string
  siteName: string
  example: string
  lang: PageLang
  refusal?: SendRefusal | undefined
}

export const SendPage: FC<SendPageProps> = ({ hub, slug, siteName, example, lang, refusal }) => {
  const w = WORDS[lang]
  const other = lang === 'ja' ? 'en' : 'ja'
  const site = encodeURIComponent(slug)
  const reason: Refused | null = refusal ? (isRefused(refusal.reason) ? refusal.reason : 'other') : null
  const field = reason ? FIELD_OF[reason] : undefined
  const invalid = (name: 'source' | 'target') =>
    field === name ? { 'aria-invalid': 'true', 'aria-describedby': 'refusal' } : {}
  return (
    <PageShell lang={lang} title={`${w.title} — ${siteName}`} style={PAGE_STYLE}>
      <main>
        <p class="shop">
          {siteName} ·{' '}
          <a href={`${hub}/webmention/${site}?lang=${other}`} lang={other}>
            {w.other}
          </a>
        </p>
        <h1>{w.title}</h1>
        <p>{w.intro}</p>
        <h2>{w.addresses}</h2>
        <dl>
          <dt>{w.webmention}</dt>
          <dd>
            <code>{`${hub}/webmention/${site}`}</code>
          </dd>
          <dt>{w.pingback}</dt>
          <dd>
            <code>{`${hub}/pingback/${site}`}</code>
          </dd>
          <dt>{w.trackback}</dt>
          <dd>{w.trackbackHow}</dd>
        </dl>
        <h2 id="send">{w.byHand}</h2>
        <form method="post" action={`${hub}/webmention/${site}?lang=${lang}`}>
          <p>{w.byHandHelp}</p>
          {reason && (
            <p id="refusal" role="alert" class="refusal">
              {w.notSent}
              {w.refused[reason]}
            </p>
          )}
          {(['source', 'target'] as const).map((name) => (
            <>
              <label for={name}>{w[name]}</label>
              <input
                id={name}
                name={name}
                type="url"
                required
                placeholder={name === 'source' ? 'https://blog.example/2026/12/post' : example}
                value={refusal?.[name] ?? ''}
                {...invalid(name)}
              />
            </>
          ))}
          <button type="submit">{w.send}</button>
        </form>
        <p>
          {w.after} <a href={`${hub}/feeds/${site}/ledger.json`}>{w.ledger}</a>
          {w.ledgerIsData}
        </p>
      </main>
    </PageShell>
  )
}

/** The page, as an element a route answers with. */
export const sendPage = (props: SendPageProps) => <SendPage {...props} />
