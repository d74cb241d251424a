/**
 * Money is counted in integers of minor units (yen, cents), never in floats. An amount is at
 * most MAX_AMOUNT; every total the hub keeps (a partner's, a link's) stays at most
 * MAX_TOTAL, the largest integer a JSON reader and JavaScript hold exactly, so no total in
 * the API, the partner page or the CSV can lose a unit. Commissions are worked out with
 * BigInt, rounding half up once, at the end.
 */

/** The largest amount one sale or refund may have: 10^12 minor units (¥1,000,000,000,000; $10,000,000,000.00). */
export const MAX_AMOUNT = 1_000_000_000_000

/** The largest total kept: 2^53 − 1, the largest integer JSON readers and JavaScript hold exactly. */
export const MAX_TOTAL = Number.MAX_SAFE_INTEGER

/**
 * An amount as the storefront sends it: a JSON integer, or a string of digits. Null for
 * anything else — fractions ("19.80" is 1980 cents), exponents, signs, zero, or more than
 * MAX_AMOUNT (JSON numbers beyond 2^53 are already rounded when parsed, so they are refused by size).
 */
export function minorUnits(value: unknown): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 1 && value <= MAX_AMOUNT ? value : null
  if (typeof value !== 'string' || !/^[0-9]{1,13}$/.test(value)) return null
  const n = Number(value)
  return n >= 1 && n <= MAX_AMOUNT ? n : null
}

/** Percentages are kept to 4 decimal places: 12.3456 % is 123456 parts per million. */
const PARTS = 1_000_000n

const roundedDivision = (numerator: bigint, denominator: bigint) => (numerator * 2n + denominator) / (denominator * 2n)

/** `percent` % of `amount`, rounded half up to a whole minor unit. */
export function percentOf(amount: number, percent: number): number {
  const parts = BigInt(Math.round(percent * 10_000))
  return Number(roundedDivision(BigInt(amount) * parts, PARTS))
}

/** `part` of `whole`'s `value`, rounded half up (a refund's share of a sale's commission). */
export function shareOf(value: number, part: number, whole: number): number {
  if (whole <= 0) return 0
  return Number(roundedDivision(BigInt(value) * BigInt(Math.min(part, whole)), BigInt(whole)))
}
