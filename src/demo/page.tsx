/**
 * A tiny storefront product page, as a shop would build it: its own product block, and the
 * two lines that show what customers say — the `<glasshouse-voices>` element and the widget's
 * script. Nothing anyone outside wrote is in this HTML: the widget renders it as text.
 */
import type { FC } from 'hono/jsx'

import { PageShell } from '../common/page-shell'

const STYLE = `
body{font:16px/1.5 system-ui,sans-serif;max-width:760px;margin:2rem auto;padding:0 1rem;color:#1f2328}
.product{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;border-bottom:1px solid #d1d9e0;padding-bottom:1rem;margin-bottom:1.5rem}
.swatch{width:96px;height:96px;border-radius:8px;background:#1d3557}
.product p{margin:.25rem 0}
@media (prefers-color-scheme:dark){body{background:#0d1117;color:#e6edf3}.product{border-color:#3d444d}}
`

export type DemoProduct = { site: string; siteName: string; target: string; title: string; feedUrl: string }

export const DemoPage: FC<DemoProduct> = ({ site, siteName, target, title, feedUrl }) => (
  <PageShell
    lang="en"
    title={`${title} — ${siteName} (Glasshouse demo)`}
    style={STYLE}
    head={<script type="module" src="/embed.js" async></script>}
  >
    <main>
      <div class="product">
        <div class="swatch" aria-hidden="true"></div>
        <div>
          <h1>{title}</h1>
          <p>{siteName} · a demo storefront page; what customers say below comes from the Glasshouse hub.</p>
        </div>
      </div>
      <glasshouse-voices site={site} target={target} jsonld></glasshouse-voices>
      <noscript>
        <p>
          What customers say needs JavaScript here; the same voices are in <a href={feedUrl}>the feed</a>.
        </p>
      </noscript>
    </main>
  </PageShell>
)

/** What `/` shows on a deployed hub: what this is and where its documentation lives (no D1 read). */
export const HubHomePage: FC = () => (
  <PageShell lang="en" title="Glasshouse hub" style={STYLE}>
    <h1>Glasshouse hub</h1>
    <p>
      This hub gathers what people say about its shops elsewhere on the web and serves it, criticism included, next to
      the shops' answers.
    </p>
    <ul>
      <li>
        <a href="/docs">API reference</a> (<a href="/openapi.json">OpenAPI 3.1</a>)
      </li>
      <li>
        <a href="/admin">Operator sign-in</a>
      </li>
    </ul>
    <p lang="ja">
      このハブは、ショップについてウェブ上で語られていること（批判も含めて）を集め、ショップの回答と並べて表示します。
    </p>
  </PageShell>
)

export const NoDemoPage: FC = () => (
  <PageShell lang="en" title="Glasshouse" style={STYLE}>
    <h1>Glasshouse</h1>
    <p>
      No demo data here. Run <code>npm run dev</code>, which seeds the demo site.
    </p>
  </PageShell>
)
