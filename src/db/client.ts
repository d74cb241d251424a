import { drizzle } from 'drizzle-orm/d1'
import type { DrizzleD1Database } from 'drizzle-orm/d1'

import * as schema from './schema'

export type Db = DrizzleD1Database<typeof schema>

export const getDb = (d1: D1Database): Db => drizzle(d1, { schema })

/**
 * For public reads: a D1 session that may be answered by a read replica near the reader (the
 * Sessions API, "first-unconstrained"); a copy a few moments old is fine there. The operator's
 * own reads and every write use `getDb`, which sees its own writes at once.
 */
export const getReplicaDb = (d1: D1Database): Db =>
  drizzle(d1.withSession('first-unconstrained') as unknown as D1Database, { schema })
