/**
 * Post/Redirect/Get: a console form that changed something answers 303 with the page to show, and
 * what it has to tell that page — a notice, a key, secret or sign-in link shown once, what was
 * typed when the form was done only in part — travels in a flash. The flash is sealed (AES-GCM)
 * under a fresh key that only the browser holds, in a cookie of its own (named by the flash's
 * random id, so two forms sent close together each keep theirs), and kept in D1 for five minutes,
 * for this session and for the page it lands on. Only that page reads it: it deletes the row as
 * it reads it and clears that cookie; any other console page leaves both as they are (several
 * flashes for one page are read one a visit, the oldest first). A reload finds neither, so
 * nothing is done or shown twice, and the row alone reveals nothing. A flash never read lapses
 * after five minutes: its cookie expires, and the next flash written clears its row.
 */
import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { FC } from 'hono/jsx'
import * as v from 'valibot'

import { SESSION_COOKIE_OPTIONS } from '../../common/cookies'
import { randomToken } from '../../common/crypto'
import { newSealingKey, seal, unseal } from '../../common/secrets'
import { getDb } from '../../db/client'
import { type AdminEnv, type PageContext, pageContext, type PageWords } from './context'
import { putFlash, takeFlashRow } from './flash-store'
import type { FormValues, Notice } from './layout'
import { formatDateTime } from './dates'
import { phrase, type SharedWords } from './words'

/** A flash's cookie is this followed by the flash's id; its value is the key the flash is sealed under. */
const COOKIE_PREFIX = '__Host-glasshouse_flash_'
const LIFETIME_MS = 5 * 60 * 1000
/** The flash cookies of one request looked at, at most (each lasts five minutes). */
const MOST_HELD = 10

const ShownOnceSchema = v.variant('kind', [
  v.object({ kind: v.literal('key'), value: v.string() }),
  v.object({ kind: v.literal('webhook-secret'), value: v.string() }),
  /** `until`: when the secret it replaced stops working. */
  v.object({ kind: v.literal('inbound-secret'), value: v.string(), until: v.nullable(v.number()) }),
  /** `until`: when the link expires. */
  v.object({ kind: v.literal('sign-in-link'), value: v.string(), until: v.number() }),
])

/** A credential made just now, shown this once. */
export type ShownOnce = v.InferOutput<typeof ShownOnceSchema>

/** A sentence's values: a number, a text, or a text said in both languages (the page picks its own). */
const Values = v.record(v.string(), v.union([v.string(), v.number(), v.object({ en: v.string(), ja: v.string() })]))

const FlashBody = v.object({
  notice: v.optional(
    v.object({
      kind: v.picklist(['ok', 'error']),
      sentences: v.array(v.object({ say: v.string(), values: v.optional(Values) })),
    }),
  ),
  once: v.optional(ShownOnceSchema),
  typed: v.optional(v.record(v.string(), v.string())),
})

type Key<W extends object> = Extract<keyof (SharedWords & W), string>

/**
 * What a form tells the page it lands on: a sentence of the page's words with its values (and
 * more sentences, `also`), what is shown once, and what was typed, to show it again.
 */
export type Flash<W extends object> = {
  say?: Key<W>
  values?: v.InferOutput<typeof Values>
  also?: readonly { say: Key<W>; values?: v.InferOutput<typeof Values> }[]
  /** A notice of something that did not happen as asked (the page shows it as an error). */
  failed?: boolean
  once?: ShownOnce
  /** The form's fields as typed (a form done only in part: what is left to do starts from them). */
  typed?: Readonly<Record<string, string>>
}

/**
 * Answers a form with a redirect to `path` (303), carrying `flash` to that page and no other. `W`
 * is the page's words, which its sentences are named in (`redirectWith<Words>(…)`; the shared
 * words need no `W`).
 */
export async function redirectWith<W extends object = object>(
  c: Context<AdminEnv>,
  path: string,
  flash: Flash<NoInfer<W>>,
): Promise<Response> {
  const now = c.var.now()
  const id = randomToken(32)
  const key = newSealingKey()
  const body: v.InferInput<typeof FlashBody> = {
    ...(flash.say
      ? {
          notice: {
            kind: flash.failed ? 'error' : 'ok',
            sentences: [{ say: flash.say, values: flash.values }, ...(flash.also ?? [])],
          },
        }
      : {}),
    ...(flash.once ? { once: flash.once } : {}),
    ...(flash.typed ? { typed: flash.typed } : {}),
  }
  const row = {
    id,
    sessionId: c.get('session').id,
    path: new URL(path, c.req.url).pathname,
    sealed: await seal(JSON.stringify(body), key),
    expiresAt: now + LIFETIME_MS,
  }
  await putFlash(getDb(c.env.DB), row, now)
  setCookie(c, `${COOKIE_PREFIX}${id}`, key, { ...SESSION_COOKIE_OPTIONS, maxAge: LIFETIME_MS / 1000 })
  return c.redirect(path, 303)
}

/** What a flash tells its page: a notice in the page's words, what is shown once, what was typed. */
export type Landing = { notice: Notice | null; once: ShownOnce | null; typed: FormValues }

/** The flash cookies this request carries: each flash's id and key (at most MOST_HELD, well-formed ones only). */
function heldFlashes(c: Context<AdminEnv>) {
  return Object.entries(getCookie(c))
    .filter(([name]) => name.startsWith(COOKIE_PREFIX))
    .map(([name, key]) => ({ id: name.slice(COOKIE_PREFIX.length), key }))
    .filter(({ id, key }) => /^[a-z0-9]{32}$/.test(id) && key.length > 0 && key.length <= 64)
    .slice(0, MOST_HELD)
}

/**
 * What the last form told this page (read once): its notice in the page's words, what is shown
 * once and what was typed. A flash for another page stays for that page.
 */
export async function takeFlash<W extends object>(c: Context<AdminEnv>, words: PageWords<W>): Promise<Landing> {
  const none: Landing = { notice: null, once: null, typed: undefined }
  const held = heldFlashes(c)
  if (held.length === 0) return none
  const path = new URL(c.req.url).pathname
  const ids = held.map((h) => h.id)
  const row = await takeFlashRow(getDb(c.env.DB), ids, c.get('session').id, path, c.var.now())
  if (!row) return none
  deleteCookie(c, `${COOKIE_PREFIX}${row.id}`, SESSION_COOKIE_OPTIONS)
  const key = held.find((h) => h.id === row.id)?.key
  let parsed: unknown
  try {
    parsed = JSON.parse(await unseal(row.sealed, key))
  } catch {
    return none
  }
  const body = v.safeParse(FlashBody, parsed)
  if (!body.success) return none
  const { notice, once, typed } = body.output
  const ctx = pageContext(c, words)
  const t: Partial<Record<string, unknown>> = ctx.t
  const sentences = (notice?.sentences ?? []).flatMap(({ say, values }) => {
    const word = t[say]
    if (typeof word !== 'string') return []
    const inLang = Object.fromEntries(
      Object.entries(values ?? {}).map(([name, value]) => [name, typeof value === 'object' ? value[ctx.lang] : value]),
    )
    return [phrase(ctx.lang, word, inLang)]
  })
  // Japanese sentences follow one another without a space.
  const text = sentences.join(ctx.lang === 'ja' ? '' : ' ')
  return {
    notice: notice && text !== '' ? { kind: notice.kind, text } : null,
    once: once ?? null,
    typed: typed ? new Map(Object.entries(typed)) : undefined,
  }
}

/** A credential shown once: what it is, what to do with it now, and the credential itself. */
export const ShownOnceLine: FC<{ ctx: PageContext; once: ShownOnce | null }> = ({ ctx, once }) => {
  if (!once) return null
  const t = ctx.t
  const when = (ms: number) => formatDateTime(ms, ctx.lang, ctx.timeZone)
  const what = {
    key: t.keyOnce,
    'webhook-secret': t.endpointSecretOnce,
    'inbound-secret': t.secretOnce,
    'sign-in-link': once.kind === 'sign-in-link' ? phrase(ctx.lang, t.signInLinkOnce, { until: when(once.until) }) : '',
  }
  return (
    <p class="ok once" role="status">
      {what[once.kind]} <code>{once.value}</code>
      {once.kind === 'inbound-secret' && once.until !== null && (
        <>
          <br />
          {t.previousUntil} {when(once.until)}
        </>
      )}
    </p>
  )
}
