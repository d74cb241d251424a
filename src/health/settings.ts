/**
 * The hub's own settings (Worker secrets and `[vars]`), checked: which are missing or
 * malformed. `GET /healthz` reports them, the operator sign-in page says when the operator
 * token is not configured. Only names and what each should be are ever reported, never a value.
 */
import { isSecretsKey } from '../common/secrets'
import { isDevelopment } from '../common/environment'

/** The settings checked, in the order they are reported. */
export const CHECKED_SETTINGS = ['ADMIN_TOKEN', 'WEBHOOK_SECRETS_KEY', 'HUB_ORIGIN', 'ALLOW_LOOPBACK_SOURCES'] as const
export type CheckedSetting = (typeof CHECKED_SETTINGS)[number]

/** One setting that is missing or invalid, and what it should be. */
export type SettingProblem = { name: CheckedSetting; problem: 'missing' | 'invalid'; expected: string }

type Settings = Partial<Pick<Env, CheckedSetting | 'ENVIRONMENT'>>

/** The shortest operator token a deployed hub accepts as configured (`openssl rand -hex 32` gives 64). */
export const MIN_ADMIN_TOKEN_LENGTH = 32

/** Printable ASCII without spaces: anything else cannot be sent in `Authorization: Bearer …` or typed. */
const TOKEN_CHARS = /^[\x21-\x7e]+$/

/** True when `value` is an origin and nothing more: scheme, host and port, no path, query or slash. */
function isBareOrigin(value: string, schemes: readonly string[]): boolean {
  if (!URL.canParse(value)) return false
  const url = new URL(value)
  return schemes.includes(url.protocol) && url.origin === value
}

type Rule = (value: string | undefined, deployed: boolean) => Omit<SettingProblem, 'name'> | null

const RULES: Record<CheckedSetting, Rule> = {
  ADMIN_TOKEN: (value, deployed) => {
    const expected = deployed
      ? `a random string of at least ${MIN_ADMIN_TOKEN_LENGTH} characters, no spaces (openssl rand -hex 32)`
      : 'a string with no spaces'
    if (!value) return { problem: 'missing', expected }
    const valid = TOKEN_CHARS.test(value) && (!deployed || value.length >= MIN_ADMIN_TOKEN_LENGTH)
    return valid ? null : { problem: 'invalid', expected }
  },
  WEBHOOK_SECRETS_KEY: (value) => {
    const expected = '32 random bytes in base64 (openssl rand -base64 32)'
    if (!value) return { problem: 'missing', expected }
    return isSecretsKey(value) ? null : { problem: 'invalid', expected }
  },
  HUB_ORIGIN: (value, deployed) => {
    const expected = deployed
      ? 'the hub’s public https origin, e.g. https://hub.example.com (no path, no trailing slash)'
      : 'empty, or the hub’s origin, e.g. http://127.0.0.1:8787 (no path, no trailing slash)'
    if (!value) return deployed ? { problem: 'missing', expected } : null
    return isBareOrigin(value, deployed ? ['https:'] : ['https:', 'http:']) ? null : { problem: 'invalid', expected }
  },
  ALLOW_LOOPBACK_SOURCES: (value, deployed) => {
    if (deployed) return value === 'true' ? { problem: 'invalid', expected: '"false" on a deployed hub' } : null
    return value === undefined || value === 'true' || value === 'false'
      ? null
      : { problem: 'invalid', expected: '"true" or "false"' }
  },
}

/**
 * The settings that are missing or invalid, in `CHECKED_SETTINGS` order (empty: all is well).
 * A deployed hub (`ENVIRONMENT` other than "development") needs every one and a long operator
 * token; the local hub may leave `HUB_ORIGIN` empty.
 */
export function settingProblems(env: Settings): SettingProblem[] {
  const deployed = !isDevelopment({ ENVIRONMENT: env.ENVIRONMENT ?? '' })
  return CHECKED_SETTINGS.flatMap((name) => {
    const found = RULES[name](env[name], deployed)
    return found ? [{ name, ...found }] : []
  })
}

/** True when the operator token (`ADMIN_TOKEN`) is set and well-formed. */
export const operatorTokenConfigured = (env: Settings) => !settingProblems(env).some((p) => p.name === 'ADMIN_TOKEN')
