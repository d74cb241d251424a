/**
 * `INSERT INTO t SELECT <values> WHERE <condition>`: an insert that happens only if a
 * condition holds when the batch runs — e.g. only if the write it belongs to took effect.
 *
 * drizzle's `db.run(sql)` items cannot carry parameters inside a D1 batch (its batch
 * binds them through a statement raw items do not have), so conditional inserts are built
 * as `insert().select()`, which must list every column in table order.
 */
import { getTableColumns, is, SQL, sql } from 'drizzle-orm'
import type { SQLiteTable } from 'drizzle-orm/sqlite-core'

import type { Db } from './client'

export function insertWhere<T extends SQLiteTable>(
  db: Db,
  table: T,
  row: { [K in keyof T['$inferInsert']]?: T['$inferInsert'][K] | SQL },
  condition: SQL,
) {
  const values = Object.entries(getTableColumns(table))
    // The same columns, in the same order, as drizzle's own INSERT column list.
    .filter(([, column]) => !(column as unknown as { shouldDisableInsert(): boolean }).shouldDisableInsert())
    .map(([key, column]) => {
      const value: unknown = (row as Record<string, unknown>)[key]
      if (is(value, SQL)) return value
      if (value !== undefined) return sql.param(value, column)
      if (column.default !== undefined)
        return is(column.default, SQL) ? column.default : sql.param(column.default, column)
      return sql`null`
    })
  return db.insert(table).select(sql`SELECT ${sql.join(values, sql`, `)} WHERE ${condition}`)
}
