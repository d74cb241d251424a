import type { Db } from '../db/client'
import { newId } from '../common/crypto'
import { AppError } from '../common/errors'
import { loadSite } from './service'
import { assertOperator, type Principal } from '../common/principal'
import { generateSiteKey } from '../auth/keys'
import { insertKey, listKeys, revokeKey } from '../auth/store'
import type { Out } from '../common/outputs'
import type { SiteKeyCreated, SiteKeyOut } from './outputs'

/** Creates a site key. The key is returned here once; only its hash is stored. */
export async function createSiteKey(
  db: Db,
  p: Principal,
  slug: string,
  label: string,
  now: number,
): Promise<Out<typeof SiteKeyCreated>> {
  assertOperator(p)
  const site = await loadSite(db, p, slug)
  const { key, hash, prefix } = await generateSiteKey()
  const id = newId('key')
  await insertKey(db, { id, siteId: site.id, keyHash: hash, prefix, label, createdAt: now })
  return { id, key, prefix, label, created_at: new Date(now).toISOString() }
}

/** How many keys the list shows, newest first: more than a shop rotates through, and a bounded read. */
const KEYS_LISTED = 200

export async function siteKeys(db: Db, p: Principal, slug: string): Promise<Out<typeof SiteKeyOut>[]> {
  assertOperator(p)
  const site = await loadSite(db, p, slug)
  return (await listKeys(db, site.id, KEYS_LISTED)).map((k) => ({
    id: k.id,
    prefix: k.prefix,
    label: k.label,
    created_at: new Date(k.createdAt).toISOString(),
    revoked_at: k.revokedAt === null ? null : new Date(k.revokedAt).toISOString(),
  }))
}

export async function revokeSiteKey(db: Db, p: Principal, slug: string, keyId: string, now: number) {
  assertOperator(p)
  const site = await loadSite(db, p, slug)
  const result = await revokeKey(db, site.id, keyId, now)
  if (result.meta.changes === 0)
    throw new AppError('not_found', 'Key not found or already revoked', 'キーが見つからないか、すでに無効です')
}
