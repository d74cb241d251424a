/**
 * The shop's Webmention endpoint opened in a browser: for a blogger who wrote about the shop, how
 * their post reaches it — the three addresses blog software sends to, what happens next — and a
 * form to send a post by hand (a Webmention, answered with its status page). In their language.
 */
import type { FC } from 'hono/jsx'

import type { PageLang } from '../common/lang'
import { PageShell } from '../common/page-shell'
import { STOREFRONT_STYLE } from '../common/storefront-style'

const WORDS = {
  en: {
    title: 'Tell this shop about your post',
    intro:
      'Wrote about one of this shop’s products and linked to its page? Blog software tells the shop by itself, by Webmention, Pingback or TrackBack. The hub checks that your post links to the product page, then shows it there — criticism included — with the shop’s official answer beside it.',
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
      'You then see a status page: waiting for the check, published, or why it was not accepted. Every removal the shop makes is in its public ledger, with its reason:',
    ledger: 'the public ledger',
    other: '日本語',
  },
  ja: {
    title: 'このショップに記事を知らせる',
    intro:
      'このショップの商品について書き、商品ページにリンクしましたか？ ブログのソフトウェアが、Webmention・ピンバック・トラックバックで自動的にショップへ知らせます。ハブは記事に商品ページへのリンクがあることを確かめてから、批判も含めてそのまま、ショップの公式回答と並べて商品ページに表示します。',
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
      '送ると受け付け状況のページが開き、確認待ち・公開・受け付けられなかった理由がわかります。ショップが声を削除したときは、その理由が公開台帳に残ります：',
    ledger: '公開台帳',
    other: 'English',
  },
} as const

const PAGE_STYLE = `${STOREFRONT_STYLE}
dd code{overflow-wrap:anywhere}
form label{display:block;margin-top:.8rem}
form input{box-sizing:border-box;width:100%;font:inherit;padding:.3rem}
form button{margin-top:1rem;font:inherit;padding:.3rem 1rem}
`

export const SendPage: FC<{ hub: string; slug: string; siteName: string; example: string; lang: PageLang }> = ({
  hub,
  slug,
  siteName,
  example,
  lang,
}) => {
  const w = WORDS[lang]
  const other = lang === 'ja' ? 'en' : 'ja'
  const site = encodeURIComponent(slug)
  return (
    <PageShell lang={lang} title={`${w.title} — ${siteName}`} style={PAGE_STYLE}>
      <main>
        <p class="shop">
          {siteName} ·{' '}
          <a href={`?lang=${other}`} lang={other}>
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
        <h2>{w.byHand}</h2>
        <form method="post" action={`${hub}/webmention/${site}?lang=${lang}`}>
          <p>{w.byHandHelp}</p>
          <label for="source">{w.source}</label>
          <input id="source" name="source" type="url" required placeholder="https://blog.example/2026/12/post" />
          <label for="target">{w.target}</label>
          <input id="target" name="target" type="url" required placeholder={example} />
          <button type="submit">{w.send}</button>
        </form>
        <p>
          {w.after} <a href={`${hub}/feeds/${site}/ledger.json`}>{w.ledger}</a>
        </p>
      </main>
    </PageShell>
  )
}

/** The page for a live site, or the site's refusal (not_found, gone) from `liveSite`. */
export const sendPage = (props: Parameters<typeof SendPage>[0]) => <SendPage {...props} />
