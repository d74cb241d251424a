/**
 * An export's files in R2 (the PHOTOS bucket, under `exports/`): each batch writes its own part
 * of each file (`exports/{site id}/{export id}/{file}/{n}`), so no invocation holds more than one
 * batch; a download streams a file's parts in order, so the Worker never holds a whole file.
 */

/** The bucket an export writes to: the hub's R2 bucket; null when the Worker has none. */
export const exportBucket = (env: Partial<Pick<Env, 'PHOTOS'>>): R2Bucket | null => env.PHOTOS ?? null

/** Everything of a shop's exports, and of one export. */
export const shopPrefix = (siteId: number) => `exports/${siteId}/`
export const exportPrefix = (siteId: number, exportId: string) => `${shopPrefix(siteId)}${exportId}/`
export const partKey = (siteId: number, exportId: string, file: string, n: number) =>
  `${exportPrefix(siteId, exportId)}${file}/${n}`

/** Writes one part of a file; its size in bytes. */
export async function writePart(bucket: R2Bucket, key: string, text: string): Promise<number> {
  const bytes = new TextEncoder().encode(text)
  await bucket.put(key, bytes)
  return bytes.byteLength
}

/**
 * A file as one stream: its `parts` objects read one after the other, each only when the reader
 * wants more (a missing part ends the stream with an error rather than a silently short file).
 */
export function partsStream(bucket: R2Bucket, keyOf: (n: number) => string, parts: number): ReadableStream<Uint8Array> {
  let n = 0
  let reader: ReadableStreamDefaultReader<Uint8Array> | null = null
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        if (!reader) {
          if (n >= parts) {
            controller.close()
            return
          }
          const object = await bucket.get(keyOf(n++))
          if (!object) {
            controller.error(new Error(`export part missing: ${keyOf(n - 1)}`))
            return
          }
          reader = (object.body as ReadableStream<Uint8Array>).getReader()
        }
        const { done, value } = await reader.read()
        if (!done) {
          controller.enqueue(value)
          return
        }
        reader = null
      }
    },
    cancel: (reason) => reader?.cancel(reason),
  })
}

/** Objects one call deletes at most (one R2 list page). */
const DELETE_PAGE = 1000

/** Deletes up to a page of objects under `prefix`: how many, and whether any are left. */
export async function deleteUnder(bucket: R2Bucket, prefix: string): Promise<{ deleted: number; more: boolean }> {
  const listed = await bucket.list({ prefix, limit: DELETE_PAGE })
  const keys = listed.objects.map((o) => o.key)
  if (keys.length > 0) await bucket.delete(keys)
  return { deleted: keys.length, more: listed.truncated }
}
