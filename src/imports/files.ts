/**
 * An import's file in R2 (the PHOTOS bucket, under imports/): written once from the upload (or
 * the URL it was fetched from) and read back a window at a time by the steps, so a file of any
 * allowed size is never held in memory whole.
 */
import type { ImportFormat } from '../db/schema'
import { deleteUnder, shopPrefix } from '../exports/archive'

/** The largest file an import takes, by format: an old blog's export may be large; a JSON file is read whole. */
export const MAX_FILE_BYTES: Record<ImportFormat, number> = {
  wordpress: 100 * 1024 * 1024,
  movable_type: 100 * 1024 * 1024,
  webmention_io: 10 * 1024 * 1024,
  reviews_csv: 50 * 1024 * 1024,
  orders_csv: 50 * 1024 * 1024,
}

export const importBucket = (env: Partial<Pick<Env, 'PHOTOS'>>): R2Bucket | null => env.PHOTOS ?? null

export const importPrefix = (siteId: number) => `imports/${siteId}/`
export const fileKey = (siteId: number, importId: string) => `${importPrefix(siteId)}${importId}`

/** `length` bytes of the file from `offset` (fewer at its end); null when the file is gone. */
export async function readWindow(bucket: R2Bucket, key: string, offset: number, length: number) {
  const object = await bucket.get(key, { range: { offset, length } })
  if (!object) return null
  return new Uint8Array(await object.arrayBuffer())
}

/** The whole file (only for formats read whole, whose size is capped low). */
export async function readWhole(bucket: R2Bucket, key: string) {
  const object = await bucket.get(key)
  return object ? new Uint8Array(await object.arrayBuffer()) : null
}

/**
 * For the purge of a deleted shop: a page of its exports' files, then of its imports' files, per
 * call; how many were deleted and whether more are left.
 */
export async function deleteShopFiles(bucket: R2Bucket, siteId: number): Promise<{ deleted: number; more: boolean }> {
  const exported = await deleteUnder(bucket, shopPrefix(siteId))
  if (exported.more || exported.deleted > 0) return { deleted: exported.deleted, more: true }
  return deleteUnder(bucket, importPrefix(siteId))
}
