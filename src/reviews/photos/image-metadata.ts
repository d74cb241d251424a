/**
 * Photo checks by content, not by name: the type comes from the file's first bytes (JPEG,
 * PNG, WebP), and metadata that can identify or locate the buyer — Exif (GPS, camera serial,
 * time), XMP, comments, text chunks — is cut out before the photo is stored. The image data
 * itself is copied byte for byte. Pure: bytes in, bytes out (null: not a well-formed image).
 */
export type ImageType = 'image/jpeg' | 'image/png' | 'image/webp'

const startsWith = (b: Uint8Array, sig: readonly number[], at = 0) => sig.every((x, i) => b[at + i] === x)
const ascii = (b: Uint8Array, at: number, n: number) => String.fromCharCode(...b.subarray(at, at + n))

export function imageTypeOf(b: Uint8Array): ImageType | null {
  if (startsWith(b, [0xff, 0xd8, 0xff])) return 'image/jpeg'
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png'
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return 'image/webp'
  return null
}

export function stripMetadata(b: Uint8Array, type: ImageType): Uint8Array | null {
  if (type === 'image/jpeg') return stripJpeg(b)
  if (type === 'image/png') return stripPng(b)
  return stripWebp(b)
}

const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

/** JPEG: keep JFIF (APP0), an ICC colour profile (APP2) and Adobe's colour flag (APP14); drop other APPn and comments. */
function stripJpeg(b: Uint8Array): Uint8Array | null {
  const parts: Uint8Array[] = [b.subarray(0, 2)]
  let i = 2
  while (i < b.length) {
    if (b[i] !== 0xff) return null
    while (b[i] === 0xff && b[i + 1] === 0xff) i++ // fill bytes
    const marker = b[i + 1]
    if (marker === undefined) return null
    if (marker === 0xda) {
      // Start of scan: the compressed image follows to the end; copied as it is.
      parts.push(b.subarray(i))
      return concat(parts)
    }
    if (marker === 0xd9) return null // end of image before any scan
    if (i + 3 >= b.length) return null
    const length = new DataView(b.buffer, b.byteOffset, b.byteLength).getUint16(i + 2)
    if (length < 2 || i + 2 + length > b.length) return null
    const segment = b.subarray(i, i + 2 + length)
    const isApp = marker >= 0xe0 && marker <= 0xef
    const keep =
      !isApp && marker !== 0xfe
        ? true
        : marker === 0xe0 || marker === 0xee || (marker === 0xe2 && ascii(b, i + 4, 11) === 'ICC_PROFILE')
    if (keep) parts.push(segment)
    i += 2 + length
  }
  return null
}

const PNG_DROPPED = new Set(['tEXt', 'zTXt', 'iTXt', 'eXIf', 'tIME'])

function stripPng(b: Uint8Array): Uint8Array | null {
  const parts: Uint8Array[] = [b.subarray(0, 8)]
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength)
  let i = 8
  while (i + 12 <= b.length) {
    const length = view.getUint32(i)
    const type = ascii(b, i + 4, 4)
    const end = i + 12 + length
    if (end > b.length) return null
    if (i === 8 && type !== 'IHDR') return null
    if (!PNG_DROPPED.has(type)) parts.push(b.subarray(i, end))
    i = end
    if (type === 'IEND') return concat(parts)
  }
  return null
}

function stripWebp(b: Uint8Array): Uint8Array | null {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength)
  const chunks: Uint8Array[] = []
  let i = 12
  const end = Math.min(b.length, 8 + view.getUint32(4, true))
  while (i + 8 <= end) {
    const fourcc = ascii(b, i, 4)
    const size = view.getUint32(i + 4, true)
    const next = i + 8 + size + (size % 2)
    if (i + 8 + size > end) return null
    if (fourcc !== 'EXIF' && fourcc !== 'XMP ') {
      const chunk = b.slice(i, Math.min(next, end))
      // VP8X says which extra chunks follow: clear the Exif (0x08) and XMP (0x04) flags we removed.
      if (fourcc === 'VP8X' && chunk.length > 8) chunk[8] = (chunk[8] ?? 0) & ~0x0c
      chunks.push(chunk)
    }
    i = next
  }
  if (chunks.length === 0) return null
  const body = concat(chunks)
  const header = new Uint8Array(12)
  header.set(b.subarray(0, 4), 0)
  new DataView(header.buffer).setUint32(4, body.length + 4, true)
  header.set(b.subarray(8, 12), 8)
  return concat([header, body])
}
