/**
 * The one HTML document every page of the hub is rendered in: `<!doctype html>` (without it
 * browsers render in quirks mode), the page's language, UTF-8, a phone-sized viewport, and
 * whatever the page adds to the head. hono/jsx escapes every text value inside.
 */
import { raw } from 'hono/html'
import type { Child, FC } from 'hono/jsx'

import type { PageLang } from './lang'

export type { PageLang } from './lang'

export type ShellProps = {
  lang: PageLang
  title: string
  /** The page's own stylesheet (a constant of the page's module, never outside text). */
  style?: string
  /** Pages that carry a credential or private data in their URL stay out of search engines. */
  noindex?: boolean
  /** Further head elements (a canonical link, a script). */
  head?: Child
  children?: Child
}

export const PageShell: FC<ShellProps> = ({ lang, title, style, noindex, head, children }) => (
  <>
    {raw('<!doctype html>')}
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {noindex && <meta name="robots" content="noindex" />}
        <title>{title}</title>
        {style && <style>{raw(style)}</style>}
        {head}
      </head>
      <body>{children}</body>
    </html>
  </>
)
