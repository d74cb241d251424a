/**
 * The thank-you coupon's pool: codes the shop uploads, each given to one used invitation
 * whatever its rating (form/service.ts). Counts are bounded reads, however large the pool.
 */
import * as v from 'valibot'
import type { Out } from '../common/outputs'
import type { CouponStock } from './outputs'

import { batchAll, type Db } from '../db/client'
import type { Principal } from '../common/principal'
import { say } from '../common/validation'
import { loadSite } from '../sites/service'
import { codeCount, insertCodes } from './store'

/** An upload of codes (JSON from the API, one per line from the console). */
export const Codes = v.strictObject({
  codes: v.pipe(
    v.array(
      v.pipe(
        v.string(say('must be coupon codes', 'クーポンコードを入力してください')),
        v.trim(),
        v.regex(
          /^[A-Za-z0-9_-]{1,64}$/,
          say('each code: 1–64 letters, digits, - or _', 'コードは1〜64文字の英数字・「-」・「_」で入力してください'),
        ),
      ),
      say('must be a list of codes', 'コードの一覧を入力してください'),
    ),
    v.minLength(1, say('at least one code', 'コードを1つ以上入力してください')),
    v.maxLength(1000, say('at most 1000 codes per upload', '一度に登録できるのは1000件までです')),
  ),
})

/** Counted up to this many; `at_least` then says there may be more. */
const COUNTED = 10_000

/** D1 allows 100 bound values per statement: codes go in chunks of 30 rows (3 values each). */
const CHUNK = 30

/** Codes left in the pool and codes given out, each counted up to 10,000 (`…at_least`: there may be more). */
export async function couponStock(db: Db, siteId: number): Promise<Out<typeof CouponStock>> {
  const [free, given] = await Promise.all([codeCount(db, siteId, false, COUNTED), codeCount(db, siteId, true, COUNTED)])
  const available = free?.n ?? 0
  const issued = given?.n ?? 0
  return {
    available,
    ...(available >= COUNTED ? { at_least: true } : {}),
    issued,
    ...(issued >= COUNTED ? { issued_at_least: true } : {}),
  }
}

/** Adds codes to the site's pool; codes it already has are skipped. */
export async function addCouponCodes(db: Db, p: Principal, slug: string, codes: readonly string[], now: number) {
  const site = await loadSite(db, p, slug)
  const unique = [...new Set(codes)]
  const statements = []
  for (let i = 0; i < unique.length; i += CHUNK)
    statements.push(insertCodes(db, site.id, unique.slice(i, i + CHUNK), now))
  const results = await batchAll(db, statements)
  const added = results.reduce((n, r) => n + r.meta.changes, 0)
  return { site, added, duplicates: unique.length - added }
}
