/**
 * D1 binds at most 100 values per statement, so long `IN (…)` lists and multi-row inserts are
 * split: ids go 90 to a statement, rows as many as their columns allow.
 */
export const VALUES_PER_LIST = 90

/** `items` in slices of at most `size`, in order. */
export const chunked = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size))
