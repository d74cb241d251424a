/**
 * Review photos: at most three per product, 5 MB each, JPEG/PNG/WebP by their bytes, with
 * identifying metadata removed (./image-metadata.ts), stored in R2 (the PHOTOS binding) and
 * served by `/photos/{review}/{n}` only while the review is published.
 */
import type { ReviewPhoto } from '../../db/schema'
import type { FieldError } from '../../common/form-errors'
import type { PageLang } from '../../common/page-shell'
import { type ImageType, imageTypeOf, stripMetadata } from './image-metadata'

export const MAX_PHOTOS = 3
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024

/** One uploaded file, with the form field it came in and the label of that field on the page. */
export type PhotoUpload = { file: File; field: string; label: string }
export type CleanPhoto = { bytes: Uint8Array; type: ImageType }

export type PhotosRead = { ok: true; photos: CleanPhoto[][] } | { ok: false; errors: FieldError[] }

const WORDS = {
  en: {
    tooMany: `at most ${MAX_PHOTOS} photos`,
    tooLarge: (name: string) => `${name} is larger than 5 MB`,
    notImage: (name: string) => `${name} is not a JPEG, PNG or WebP image`,
    malformed: (name: string) => `${name} is not a well-formed image`,
  },
  ja: {
    tooMany: `写真は${MAX_PHOTOS}枚までです`,
    tooLarge: (name: string) => `${name} は5MBを超えています`,
    notImage: (name: string) => `${name} はJPEG・PNG・WebPの画像ではありません`,
    malformed: (name: string) => `${name} は画像として読み取れません`,
  },
} as const

/** Checks and cleans each product's photos; every refused photo is named, in the page's language. */
export async function readPhotos(perEntry: readonly PhotoUpload[][], lang: PageLang = 'en'): Promise<PhotosRead> {
  const w = WORDS[lang]
  const out: CleanPhoto[][] = []
  const errors: FieldError[] = []
  for (const uploads of perEntry) {
    const first = uploads[0]
    if (first && uploads.length > MAX_PHOTOS) {
      errors.push({ field: first.field, label: first.label, message: w.tooMany })
      continue
    }
    const clean: CleanPhoto[] = []
    for (const { file, field, label } of uploads) {
      const name = file.name.slice(0, 80)
      const refuse = (message: string) => errors.push({ field, label, message })
      if (file.size > MAX_PHOTO_BYTES) {
        refuse(w.tooLarge(name))
        continue
      }
      const bytes = new Uint8Array(await file.arrayBuffer())
      const type = imageTypeOf(bytes)
      if (!type) {
        refuse(w.notImage(name))
        continue
      }
      const stripped = stripMetadata(bytes, type)
      if (!stripped) {
        refuse(w.malformed(name))
        continue
      }
      clean.push({ bytes: stripped, type })
    }
    out.push(clean)
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, photos: out }
}

export type PhotoStore = {
  put(key: string, photo: CleanPhoto): Promise<void>
  get(key: string): Promise<{ body: ReadableStream; type: string } | null>
  delete(keys: string[]): Promise<void>
}

/** R2 behind the PHOTOS binding; null when the Worker has none (photos are then refused). */
export function photoStore(env: Partial<Pick<Env, 'PHOTOS'>>): PhotoStore | null {
  const bucket = env.PHOTOS
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
export const photoKey = (voiceId: string, n: number) => `reviews/${voiceId}/${n}`

/** Stores a review's photos; their descriptors for the review row. */
export async function storePhotos(
  store: PhotoStore,
  voiceId: string,
  photos: readonly CleanPhoto[],
): Promise<ReviewPhoto[]> {
  const stored: ReviewPhoto[] = []
  for (const [n, photo] of photos.entries()) {
    await store.put(photoKey(voiceId, n), photo)
    stored.push({ key: photoKey(voiceId, n), type: photo.type })
  }
  return stored
}
