/**
 * Post/Redirect/Get: a console form that changed something answers 303 with the page to show, and
 * what it has to tell that page — a notice, and a key, secret or sign-in link shown once — travels
 * in a flash. The flash is sealed (AES-GCM) under a fresh key that only the browser's cookie holds
 * and kept in D1 for five minutes under a random id, for this session only; the page it lands on
 * deletes it as it reads it and clears the cookie. A reload finds neither, so nothing is done or
 * shown twice; the row alone reveals nothing, and one never read is cleared by a later flash.
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
import type { Notice } from './layout'
import { formatDateTime } from './dates'
import { phrase, type SharedWords } from './words'

const COOKIE = '__Host-glasshouse_flash'
const LIFETIME_MS = 5 * 60 * 1000

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

const Values = v.record(v.string(), v.union([v.string(), v.number()]))

const FlashBody = v.object({
  notice: v.optional(
    v.object({
      kind: v.picklist(['ok', 'error']),
      sentences: v.array(v.object({ say: v.string(), values: v.optional(Values) })),
    }),
  ),
  once: v.optional(ShownOnceSchema),
})

type Key<W extends object> = Extract<keyof (SharedWords & W), string>

/**
 * What a form tells the page it lands on: a sentence of the page's words with its values (and
 * more sentences, `also`), and what is shown once.
 */
export type Flash<W extends object> = {
  say?: Key<W>
  values?: v.InferOutput<typeof Values>
  also?: readonly { say: Key<W>; values?: v.InferOutput<typeof Values> }[]
  /** A notice of something that did not happen as asked (the page shows it as an error). */
  failed?: boolean
  once?: ShownOnce
}

/** Answers a form with a redirect to `path` (303), carrying `flash` to that page (whose `words` name its sentences). */
export async function redirectWith<W extends object>(
  c: Context<AdminEnv>,
  _words: PageWords<W>,
  path: string,
  flash: Flash<W>,
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
  }
  const row = {
    id,
    sessionId: c.get('session').id,
    sealed: await seal(JSON.stringify(body), key),
    expiresAt: now + LIFETIME_MS,
  }
  await putFlash(getDb(c.env.DB), row, now)
  setCookie(c, COOKIE, `${id}.${key}`, { ...SESSION_COOKIE_OPTIONS, maxAge: LIFETIME_MS / 1000 })
  return c.redirect(path, 303)
}

/** What the last form told this page (read once): its notice in the page's words, and what is shown once. */
export async function takeFlash<W extends object>(
  c: Context<AdminEnv>,
  words: PageWords<W>,
): Promise<{ notice: Notice | null; once: ShownOnce | null }> {
  const none = { notice: null, once: null }
  const cookie = getCookie(c, COOKIE)
  if (cookie === undefined) return none
  deleteCookie(c, COOKIE, SESSION_COOKIE_OPTIONS)
  const [id, key] = cookie.split('.')
  if (!id || !key || cookie.length > 200) return none
  const row = await takeFlashRow(getDb(c.env.DB), id, c.get('session').id, c.var.now())
  if (!row) return none
  let parsed: unknown
  try {
    parsed = JSON.parse(await unseal(row.sealed, key))
  } catch {
    return none
  }
  const body = v.safeParse(FlashBody, parsed)
  if (!body.success) return none
  const { notice, once } = body.output
  const ctx = pageContext(c, words)
  const t: Partial<Record<string, unknown>> = ctx.t
  const sentences = (notice?.sentences ?? []).flatMap(({ say, values }) => {
    const word = t[say]
    return typeof word === 'string' ? [phrase(ctx.lang, word, values ?? {})] : []
  })
  // Japanese sentences follow one another without a space.
  const text = sentences.join(ctx.lang === 'ja' ? '' : ' ')
  return { notice: notice && text !== '' ? { kind: notice.kind, text } : null, once: once ?? null }
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
