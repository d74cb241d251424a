import * as v from 'valibot'

/** Per-site settings, stored as JSON on the site; unknown keys are refused. */
export const SiteSettingsInput = v.strictObject({
  /** Accept linked voices only after the hub found a link back (used from the Webmention issue on). */
  verify_links: v.optional(v.boolean('must be true or false')),
  /** The response target shown against each voice's waiting time, in hours. */
  response_target_hours: v.optional(
    v.pipe(v.number('must be a number'), v.integer('must be whole hours'), v.minValue(1), v.maxValue(720))
  ),
  /** IANA time zone for dates shown to staff. */
  time_zone: v.optional(
    v.pipe(
      v.string(),
      v.check((tz) => {
        try {
          new Intl.DateTimeFormat('en', { timeZone: tz })
          return true
        } catch {
          return false
        }
      }, 'must be an IANA time zone such as Asia/Tokyo')
    )
  ),
})

export type SiteSettings = {
  verify_links: boolean
  response_target_hours: number
  time_zone: string
}

export const DEFAULT_SETTINGS: SiteSettings = {
  verify_links: true,
  response_target_hours: 24,
  time_zone: 'UTC',
}

export function readSettings(stored: Record<string, unknown>): SiteSettings {
  const parsed = v.safeParse(v.partial(SiteSettingsInput), stored)
  return { ...DEFAULT_SETTINGS, ...(parsed.success ? stripUndefined(parsed.output) : {}) }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, value]) => value !== undefined)) as Partial<T>
}
