/**
 * What every console route has in hand: its environment (the session and the form it carried),
 * a field of that form, and the page context — language (remembered when chosen), the session's
 * CSRF token, the site's time zone.
 */
import type { Context } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'

import { SESSION_COOKIE_OPTIONS } from '../common/cookies'
import { type FormFields, formField } from '../common/utf8-form'
import type { AppEnv } from '../env'
import { CODE_WORDS } from './code-words'
import { LANG_COOKIE, MESSAGES, pickLang } from './i18n'
import type { PageContext } from './pages/layout'
import type { Session } from './sessions'

export type AdminEnv = AppEnv & { Variables: { session: Session; form: FormFields } }

/** The page context: language (remembered when chosen), the session's CSRF token, the site's time zone. */
export function pageContext(c: Context<AdminEnv>, timeZone = 'UTC'): PageContext {
  const chosen = c.req.query('lang')
  const lang = pickLang(chosen, getCookie(c, LANG_COOKIE), c.req.header('Accept-Language'))
  if (chosen === lang)
    setCookie(c, LANG_COOKIE, lang, { ...SESSION_COOKIE_OPTIONS, httpOnly: false, maxAge: 365 * 86400 })
  const session = c.get('session') as Session | undefined
  const path = new URL(c.req.url).pathname
  return { lang, t: MESSAGES[lang], w: CODE_WORDS[lang], csrf: session?.csrf ?? null, timeZone, path }
}

/** A field of the form this request carried. */
export const field = formField<AdminEnv>
