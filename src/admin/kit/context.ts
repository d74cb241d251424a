/**
 * What every console route has in hand: its environment (the session and the form it carried),
 * a field of that form, and the page context — language (remembered when chosen), the words of
 * the page in that language, the session's CSRF token, the site's time zone.
 */
import { Hono, type Context } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'

import { SESSION_COOKIE_OPTIONS } from '../../common/cookies'
import type { FieldError } from '../../common/form-errors'
import { type FormFields, formField } from '../../common/utf8-form'
import type { AppEnv } from '../../env'
import { CODE_WORDS, type CodeWords } from './code-words'
import type { Session } from './sessions'
import { type Lang, LANG_COOKIE, pickLang, SHARED_WORDS, type SharedWords } from './words'

export type AdminEnv = AppEnv & {
  /** `refused`: the fields of a refused form (./forms.ts), said again at each field. */
  Variables: { session: Session; form: FormFields; refused: readonly FieldError[] }
}

/** A page's routes, mounted by the console's router (src/admin/routes.tsx). */
export const consoleRouter = () => new Hono<AdminEnv>()

/**
 * A page's language, its words `t` (the shared ones and the page's own `W`), the words for stored
 * codes `w`, the CSRF token, the time zone dates are shown in, and the page's own path (its
 * language link goes there).
 */
export type PageContext<W extends object = object> = {
  lang: Lang
  t: SharedWords & W
  w: CodeWords
  csrf: string | null
  timeZone: string
  path: string
  /** The refused fields of the form this request carried: each field's id → what is wrong with it. */
  refused: ReadonlyMap<string, string>
}

/** A page's words in both languages. */
export type PageWords<W extends object> = Readonly<Record<Lang, W>>

const merged = new WeakMap<object, Record<Lang, object>>()

/** The shared words and the page's, in one object per language (made once per page). */
function wordsOf<W extends object>(words: PageWords<W>, lang: Lang): SharedWords & W {
  let both = merged.get(words)
  if (!both) {
    both = { en: { ...SHARED_WORDS.en, ...words.en }, ja: { ...SHARED_WORDS.ja, ...words.ja } }
    merged.set(words, both)
  }
  return both[lang] as SharedWords & W
}

const NO_WORDS: PageWords<object> = { en: {}, ja: {} }

/** The page context: language (remembered when chosen), the page's words, the session's CSRF token, the site's time zone. */
export function pageContext<W extends object = object>(
  c: Context<AdminEnv>,
  words: PageWords<W> = NO_WORDS as PageWords<W>,
  timeZone = 'UTC',
): PageContext<W> {
  const chosen = c.req.query('lang')
  const lang = pickLang(chosen, getCookie(c, LANG_COOKIE), c.req.header('Accept-Language'))
  if (chosen === lang)
    setCookie(c, LANG_COOKIE, lang, { ...SESSION_COOKIE_OPTIONS, httpOnly: false, maxAge: 365 * 86400 })
  const session = c.get('session') as Session | undefined
  const refused = new Map(
    ((c.get('refused') as readonly FieldError[] | undefined) ?? []).map((f) => [f.field, f.message]),
  )
  const path = new URL(c.req.url).pathname
  return { lang, t: wordsOf(words, lang), w: CODE_WORDS[lang], csrf: session?.csrf ?? null, timeZone, path, refused }
}

/** A field of the form this request carried. */
export const field = formField<AdminEnv>
