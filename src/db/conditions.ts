import { and, type SQL } from 'drizzle-orm'

/**
 * Every condition at once. drizzle's `and` answers `undefined` when it is given nothing; with a
 * first condition that cannot happen, and this says so in the type.
 */
export const allOf = (first: SQL, ...rest: (SQL | undefined)[]): SQL => and(first, ...rest) ?? first
