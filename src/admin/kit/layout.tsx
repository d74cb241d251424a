/**
 * What every page of the web UI shares: the layout and its style, a site page's heading, notices
 * and the CSRF field. hono/jsx escapes every text value: voices are written by strangers.
 */
import type { Child, FC } from 'hono/jsx'

import { type FieldError, FormErrors } from '../../common/form-errors'
import { PageShell } from '../../common/page-shell'
import type { SiteRow } from '../../sites/store'
import type { PageContext } from './context'
import { Refusals } from './fields'

export const STYLE = `
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#222;overflow-wrap:break-word}
code,a,h1,h2,td,dd,q,blockquote,.voice{overflow-wrap:anywhere}th{overflow-wrap:normal}
header{display:flex;flex-wrap:wrap;gap:.4rem 1rem;align-items:center;padding:.6rem 1rem;background:#1f3a4d;color:#fff}
header a{color:#fff} header form{margin-left:auto}
main{max-width:60rem;margin:1rem auto;padding:0 1rem}
.voice{border:1px solid #ddd;border-radius:6px;padding:.6rem .8rem;margin:.5rem 0;list-style:none}ul:has(>.voice){padding:0}
.voice.negative{border-left:4px solid #b3261e}.voice.positive{border-left:4px solid #2e7d32}
.meta{color:#555;font-size:.9em}.overdue{color:#b3261e;font-weight:bold}
.error{background:#fdecea;padding:.5rem;border-radius:4px}.ok{background:#e8f5e9;padding:.5rem;border-radius:4px}
.field-error{color:#b3261e;font-weight:bold;margin:.1rem 0 .3rem}[aria-invalid=true]{border:2px solid #b3261e}
label{display:block;margin:.4rem 0 .1rem}textarea{width:100%;min-height:6rem}
input,select,textarea{box-sizing:border-box;max-width:100%}
input:not([type=checkbox]):not([type=radio]):not([type=hidden]){width:30rem}
fieldset{border:1px solid #ddd;border-radius:6px;margin:1rem 0;min-width:0}
table{max-width:100%;border-collapse:collapse}th,td{padding:.1rem .4rem;text-align:left;vertical-align:top}
.actions{margin:.4rem 0}.actions form,details.confirm{display:inline-block;vertical-align:top;margin:0 .3rem .3rem 0}
details.confirm>summary{list-style:none;cursor:pointer;padding:1px 6px;border:1px solid #767676;border-radius:3px;background:#efefef}
details.confirm>summary::-webkit-details-marker{display:none}details.confirm[open]{display:block;border:1px solid #b3261e;border-radius:6px;padding:.5rem}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.numbers{display:grid;grid-template-columns:max-content auto;gap:.1rem 1rem;margin:.4rem 0}.numbers dd{margin:0}
`

export const Layout: FC<{ ctx: PageContext; title: string; children?: Child }> = ({ ctx, title, children }) => (
  <PageShell lang={ctx.lang} title={`${title} — ${ctx.t.title}`} style={STYLE} noindex>
    <header>
      <a href="/admin">{ctx.t.title}</a>
      <a href={`${ctx.path}?lang=${ctx.lang === 'ja' ? 'en' : 'ja'}`} lang={ctx.lang === 'ja' ? 'en' : 'ja'}>
        {ctx.t.language}
      </a>
      {ctx.csrf && (
        <form method="post" action="/admin/logout">
          <input type="hidden" name="_csrf" value={ctx.csrf} />
          <button type="submit">{ctx.t.signOut}</button>
        </form>
      )}
    </header>
    <main>
      <Refusals.Provider value={ctx.refused}>{children}</Refusals.Provider>
    </main>
  </PageShell>
)

/** A site page's top: the way back (to the inbox unless told) and its heading, "{title}: {site}". */
export const SiteHeading: FC<{
  ctx: PageContext
  site: Pick<SiteRow, 'slug' | 'name'>
  title: string
  back?: { href: string; label: string }
}> = ({ ctx, site, title, back }) => (
  <>
    <p>
      <a href={back?.href ?? `/admin/sites/${encodeURIComponent(site.slug)}`}>← {back?.label ?? ctx.t.back}</a>
    </p>
    <h1>
      {title}
      {ctx.t.colon}
      {site.name}
    </h1>
  </>
)

export type Notice = { kind: 'ok' | 'error'; text: string; errors?: FieldError[] }

/** A notice above a page's forms; a refused form lists each field's problem. */
export const NoticeLine: FC<{ ctx: PageContext; notice: Notice | null }> = ({ ctx, notice }) =>
  notice === null ? null : notice.errors ? (
    <FormErrors lang={ctx.lang} errors={notice.errors} text={notice.text} />
  ) : (
    <p class={notice.kind} role={notice.kind === 'error' ? 'alert' : 'status'}>
      {notice.text}
    </p>
  )

/** What the person typed into a refused form, to show it again. */
export type FormValues = ReadonlyMap<string, string> | undefined

export const Csrf: FC<{ ctx: PageContext }> = ({ ctx }) => <input type="hidden" name="_csrf" value={ctx.csrf ?? ''} />
