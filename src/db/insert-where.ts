/**
 * `INSERT INTO t SELECT <values> WHERE <condition>`: an insert that happens only if a
 * condition holds when the batch runs — e.g. only if the write it belongs to took effect.
 *
 * drizzle's `db.run(sql)` items cannot carry parameters inside a D1 batch (its batch
 * binds them through a statement raw items do not have), so conditional inserts are built
 * as `insert().select()`, which must list every column in table order.
 */
import { getTableColumns, is, SQL, sql, type SQLChunk } from 'drizzle-orm'
import { SQLiteAsyncDialect, type SQLiteTable } from 'drizzle-orm/sqlite-core'

import type { Db } from './client'
import { chunked } from './chunks'

/** A row's values, in the same columns and order as drizzle's own INSERT column list. */
function valuesOf<T extends SQLiteTable>(
  table: T,
  row: { [K in keyof T['$inferInsert']]?: T['$inferInsert'][K] | SQL },
): SQLChunk[] {
  return Object.entries(getTableColumns(table))
    .filter(([, column]) => !(column as unknown as { shouldDisableInsert(): boolean }).shouldDisableInsert())
    .map(([key, column]) => {
      const value: unknown = (row as Record<string, unknown>)[key]
      if (is(value, SQL)) return value
      if (value !== undefined) return sql.param(value, column)
      if (column.default !== undefined)
        return is(column.default, SQL) ? column.default : sql.param(column.default, column)
      return sql`null`
    })
}

export function insertWhere<T extends SQLiteTable>(
  db: Db,
  table: T,
  row: { [K in keyof T['$inferInsert']]?: T['$inferInsert'][K] | SQL },
  condition: SQL,
) {
  return db.insert(table).select(sql`SELECT ${sql.join(valuesOf(table, row), sql`, `)} WHERE ${condition}`)
}

/** D1 binds at most 100 values per statement. */
const MAX_BOUND_VALUES = 100
const dialect = new SQLiteAsyncDialect()

/**
 * Several rows inserted only if `condition` holds when the batch runs:
 * `INSERT INTO t SELECT * FROM (VALUES (…), (…)) WHERE <condition>`, as many rows to a statement
 * as D1's 100 bound values allow with the condition's own values (bound once per statement).
 */
export function insertRowsWhere<T extends SQLiteTable>(
  db: Db,
  table: T,
  rows: readonly { [K in keyof T['$inferInsert']]?: T['$inferInsert'][K] | SQL }[],
  condition: SQL,
) {
  const [first] = rows
  if (!first) return []
  const conditionValues = dialect.sqlToQuery(condition).params.length
  const perRow = valuesOf(table, first).length
  const perStatement = Math.floor((MAX_BOUND_VALUES - conditionValues) / perRow)
  if (perStatement < 1) throw new Error('a guarded insert binds more than 100 values')
  return chunked(rows, perStatement).map((chunk) => {
    const tuples = chunk.map((row) => sql`(${sql.join(valuesOf(table, row), sql`, `)})`)
    return db.insert(table).select(sql`SELECT * FROM (VALUES ${sql.join(tuples, sql`, `)}) WHERE ${condition}`)
  })
}
