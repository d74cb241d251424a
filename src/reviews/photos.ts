/**
 * Review photos: at most three per product, 5 MB each, JPEG/PNG/WebP by their bytes, with
 * identifying metadata removed (./image-metadata.ts), stored in R2 (the PHOTOS binding) and
 * served by `/photos/{review}/{n}` only while the review is published.
 */
import type { ReviewPhoto } from '../db/schema'
import { type ImageType, imageTypeOf, stripMetadata } from './image-metadata'

export const MAX_PHOTOS = 3
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024

export type PhotoUpload = { file: File; label: string }
export type CleanPhoto = { bytes: Uint8Array; type: ImageType }

export type PhotosRead = { ok: true; photos: CleanPhoto[][] } | { ok: false; message: string }

/** Checks and cleans each product's photos; the first problem is the answer. */
export async function readPhotos(perEntry: readonly PhotoUpload[][]): Promise<PhotosRead> {
  const out: CleanPhoto[][] = []
  for (const uploads of perEntry) {
    if (uploads.length > MAX_PHOTOS) return { ok: false, message: `${uploads[0]?.label}: at most ${MAX_PHOTOS} photos` }
    const clean: CleanPhoto[] = []
    for (const { file, label } of uploads) {
      const name = file.name.slice(0, 80)
      if (file.size > MAX_PHOTO_BYTES) return { ok: false, message: `${label}: ${name} is larger than 5 MB` }
      const bytes = new Uint8Array(await file.arrayBuffer())
      const type = imageTypeOf(bytes)
      if (!type) return { ok: false, message: `${label}: ${name} is not a JPEG, PNG or WebP image` }
      const stripped = stripMetadata(bytes, type)
      if (!stripped) return { ok: false, message: `${label}: ${name} is not a well-formed image` }
      clean.push({ bytes: stripped, type })
    }
    out.push(clean)
  }
  return { ok: true, photos: out }
}

export type PhotoStore = {
  put(key: string, photo: CleanPhoto): Promise<void>
  get(key: string): Promise<{ body: ReadableStream; type: string } | null>
  delete(keys: string[]): Promise<void>
}

/** R2 behind the PHOTOS binding; null when the Worker has none (photos are then refused). */
export function photoStore(env: object): PhotoStore | null {
  const bucket = (env as { PHOTOS?: R2Bucket }).PHOTOS
  if (!bucket) return null
  return {
    put: async (key, photo) => {
      await bucket.put(key, photo.bytes, { httpMetadata: { contentType: photo.type } })
    },
    get: async (key) => {
      const object = await bucket.get(key)
      return object ? { body: object.body, type: object.httpMetadata?.contentType ?? 'application/octet-stream' } : null
    },
    delete: async (keys) => {
      if (keys.length > 0) await bucket.delete(keys)
    },
  }
}

/** The R2 key of a review's n-th photo. */
export const photoKey = (mentionId: string, n: number) => `reviews/${mentionId}/${n}`

/** Stores a review's photos; their descriptors for the review row. */
export async function storePhotos(store: PhotoStore, mentionId: string, photos: readonly CleanPhoto[]): Promise<ReviewPhoto[]> {
  const stored: ReviewPhoto[] = []
  for (const [n, photo] of photos.entries()) {
    await store.put(photoKey(mentionId, n), photo)
    stored.push({ key: photoKey(mentionId, n), type: photo.type })
  }
  return stored
}
