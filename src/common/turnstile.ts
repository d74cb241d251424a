/**
 * Cloudflare Turnstile on public forms, when the TURNSTILE_SECRET secret is set (with
 * TURNSTILE_SITE_KEY for the widget). Without it — local dev and tests — forms have no
 * challenge; docs/deploy.md says how. The token is checked with Siteverify on every submission.
 */
import { AppError } from './errors'

const SITEVERIFY = 'https://challenges.cloudflare.com/turnstile/v0/siteverify'

export type TurnstileConfig = { siteKey: string; secret: string } | null

export function turnstileOf({
  TURNSTILE_SECRET,
  TURNSTILE_SITE_KEY,
}: Partial<Pick<Env, 'TURNSTILE_SECRET' | 'TURNSTILE_SITE_KEY'>>): TurnstileConfig {
  return TURNSTILE_SECRET ? { secret: TURNSTILE_SECRET, siteKey: TURNSTILE_SITE_KEY ?? '' } : null
}

/** True when Turnstile is off, or the form's token passes Siteverify. */
export async function passesTurnstile(
  config: TurnstileConfig,
  token: string | undefined,
  ip: string,
): Promise<boolean> {
  if (!config) return true
  if (!token) return false
  const body = new URLSearchParams({ secret: config.secret, response: token.slice(0, 2048), remoteip: ip })
  try {
    const res = await fetch(SITEVERIFY, { method: 'POST', body, signal: AbortSignal.timeout(5000) })
    const out = await res.json<{ success?: unknown }>()
    return out.success === true
  } catch {
    return false
  }
}

/** For JSON/form endpoints: throws 403 unless Turnstile is off or the fields' token passes. */
export async function requireTurnstile(env: object, fields: Record<string, unknown>, ip: string): Promise<void> {
  const token = typeof fields['cf-turnstile-response'] === 'string' ? fields['cf-turnstile-response'] : undefined
  if (!(await passesTurnstile(turnstileOf(env), token, ip)))
    throw new AppError(
      'forbidden',
      'The Turnstile challenge was not passed',
      'ロボットでないことの確認が完了していません',
    )
}

export const TURNSTILE_SCRIPT = 'https://challenges.cloudflare.com/turnstile/v0/api.js'
