/**
 * Counts D1 queries and `rows_read` for one request, in development and tests only: the public
 * routes' read budget ("bounded by the page size, whatever the table holds"; "no query at all
 * when warm") is checked by tests and `npm run bench` through the `X-D1-Queries` and
 * `X-D1-Rows-Read` response headers. Sessions (`withSession`) are counted like the database.
 *
 * drizzle reads through `raw()`, which drops D1's `meta`; the meter answers `raw()` from
 * `all()` (same rows, plus meta) instead. Queries that select two columns of one name
 * would collide there — the metered code paths select distinct names.
 */
export type Meter = { rowsRead: number; queries: number }

const RAW = Symbol('raw statement')

type Client = Pick<D1Database, 'prepare' | 'batch'>

function meteredClient<C extends Client>(client: C, meter: Meter): C {
  const count = <T extends D1Result>(result: T): T => {
    meter.rowsRead += result.meta.rows_read
    return result
  }
  const wrap = (stmt: D1PreparedStatement): D1PreparedStatement =>
    new Proxy(stmt, {
      get(target, prop, receiver) {
        if (prop === RAW) return target
        if (prop === 'bind') return (...values: unknown[]) => wrap(target.bind(...values))
        if (prop === 'all' || prop === 'run') {
          return async () => {
            meter.queries++
            return count(await target.all())
          }
        }
        if (prop === 'first') {
          return async (column?: string) => {
            meter.queries++
            const { results } = count(await target.all())
            const row = results[0]
            return row === undefined ? null : column === undefined ? row : row[column]
          }
        }
        if (prop === 'raw') {
          return async (options?: { columnNames?: boolean }) => {
            meter.queries++
            const { results } = count(await target.all())
            const rows = results.map((r) => Object.values(r))
            return options?.columnNames ? [Object.keys(results[0] ?? {}), ...rows] : rows
          }
        }
        const value: unknown = Reflect.get(target, prop, receiver)
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value
      },
    })
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'prepare') return (query: string) => wrap(target.prepare(query))
      if (prop === 'batch') {
        return async (stmts: D1PreparedStatement[]) => {
          meter.queries++
          const results = await target.batch(stmts.map(unwrap))
          results.forEach(count)
          return results
        }
      }
      if (prop === 'withSession') {
        return (...args: unknown[]) =>
          meteredClient((target as unknown as D1Database).withSession(...(args as [D1SessionConstraint?])), meter)
      }
      const value: unknown = Reflect.get(target, prop, receiver)
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value
    },
  })
}

export const meteredD1 = (db: D1Database, meter: Meter): D1Database => meteredClient(db, meter)

/** Batches need the runtime's own statements, not proxies. */
function unwrap(stmt: D1PreparedStatement): D1PreparedStatement {
  return (stmt as D1PreparedStatement & { [RAW]?: D1PreparedStatement })[RAW] ?? stmt
}
