/**
 * An imported review's photos, named by URL in its file: each fetched through the guarded fetcher
 * (every hop checked against the address policy; at most 5 MB, 10 s), kept only when its bytes
 * are a JPEG, PNG or WebP image, cleaned of identifying metadata as a buyer's upload is, and
 * stored in R2 under a key made from the shop and the review's import key: a second run writes
 * the same objects, never new ones beside them. A photo that cannot be had is left out, and the
 * first such problem is the review's note in the report.
 */
import { type AddressPolicy, refusalFor } from '../common/address-policy'
import { sha256Hex } from '../common/crypto'
import { fetchSource } from '../common/fetch-source'
import type { ReviewPhoto } from '../db/schema'
import { imageTypeOf, stripMetadata } from '../reviews/photos/image-metadata'
import { type CleanPhoto, MAX_PHOTO_BYTES, MAX_PHOTOS, type PhotoStore } from '../reviews/photos/photos'

export type PhotoProblem = 'photo_refused' | 'photo_not_fetched' | 'photo_not_image' | 'too_many_photos'

const LIMITS = { maxRedirects: 5, maxBytes: MAX_PHOTO_BYTES, timeoutMs: 10_000 }

/** The R2 key of an imported review's n-th photo: the same for the same review of the same shop, whatever run stores it. */
export const importedPhotoKey = async (siteId: number, importKey: string, n: number) =>
  `reviews/imported/${siteId}/${(await sha256Hex(importKey)).slice(0, 32)}/${n}`

/** One photo, or why it was left out. An address the policy refuses is never requested. */
async function fetchPhoto(url: string, policy: AddressPolicy): Promise<CleanPhoto | PhotoProblem> {
  const parsed = URL.parse(url)
  if (!parsed || refusalFor(parsed, policy) !== null) return 'photo_refused'
  const answer = await fetchSource(url, policy, LIMITS, {
    accept: 'image/jpeg, image/png, image/webp, image/*;q=0.8',
    read: ['image'],
  })
  // Refused here: a redirect to an address the hub does not fetch.
  if (answer.kind === 'refused') return 'photo_refused'
  if (answer.kind !== 'answered' || answer.status < 200 || answer.status > 299) return 'photo_not_fetched'
  if (answer.mediaType !== 'image' || answer.truncated) return 'photo_not_image'
  const type = imageTypeOf(answer.body)
  const bytes = type ? stripMetadata(answer.body, type) : null
  return type && bytes ? { bytes, type } : 'photo_not_image'
}

/** Fetches and stores up to MAX_PHOTOS of a review's photos, in the file's order. */
export async function storeImportedPhotos(
  store: PhotoStore,
  policy: AddressPolicy,
  siteId: number,
  importKey: string,
  urls: readonly string[],
): Promise<{ photos: ReviewPhoto[]; problem: PhotoProblem | null }> {
  const fetched = await Promise.all(urls.slice(0, MAX_PHOTOS).map((url) => fetchPhoto(url, policy)))
  const photos: ReviewPhoto[] = []
  let problem: PhotoProblem | null = null
  for (const photo of fetched) {
    if (typeof photo === 'string') {
      problem ??= photo
      continue
    }
    const key = await importedPhotoKey(siteId, importKey, photos.length)
    await store.put(key, photo)
    photos.push({ key, type: photo.type })
  }
  if (urls.length > MAX_PHOTOS) problem ??= 'too_many_photos'
  return { photos, problem }
}
