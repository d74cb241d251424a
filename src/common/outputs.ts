/**
 * The shapes the JSON API answers in, as valibot schemas. Each feature writes the schemas of
 * its answers (its `outputs.ts`) from these pieces; its handlers' answers are typed by them
 * (`Out<typeof X>`), and its routes name them in their `apiDoc`, so the API description
 * (src/openapi/) shows what a handler really returns and the two cannot drift. Objects are
 * strict: a field the schema does not list is a field the description does not promise.
 * Nothing here parses input.
 */
import * as v from 'valibot'

/** What a schema describes: the type a handler's answer must have. */
export type Out<S extends v.GenericSchema> = v.InferOutput<S>

/** A time as the API writes it: ISO 8601 in UTC (`toISOString()`). */
export const Timestamp = v.pipe(v.string(), v.isoTimestamp())
export const MaybeTimestamp = v.nullable(Timestamp)

/** A time in milliseconds (or null) as the API writes it. */
export function isoTime(ms: number): string
export function isoTime(ms: number | null): string | null
export function isoTime(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString()
}

/** A whole number, and one that cannot be negative (counts). */
export const Int = v.pipe(v.number(), v.integer())
export const Count = v.pipe(v.number(), v.integer(), v.minValue(0))

/** A text the hub says in both of its languages. */
export const Words = v.strictObject({ en: v.string(), ja: v.string() })

/** A list with nothing more: `{ items }`. */
export const ListOf = <S extends v.GenericSchema>(item: S) => v.strictObject({ items: v.array(item) })

/** One page of a list: `{ items, next_cursor }` (null on the last page). */
export const PageOf = <S extends v.GenericSchema>(item: S) =>
  v.strictObject({ items: v.array(item), next_cursor: v.nullable(v.string()) })
