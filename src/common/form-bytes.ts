/**
 * application/x-www-form-urlencoded, parsed to *bytes*.
 *
 * `URLSearchParams`, `Request.formData()` and Hono's `parseBody()` decode values as
 * UTF-8 and irreversibly turn Shift_JIS or EUC-JP into U+FFFD. Here values stay bytes
 * until the caller has chosen the charset (see ./charset.ts).
 */

const PLUS = 0x2b
const PERCENT = 0x25
const AMP = 0x26
const EQUALS = 0x3d
const SPACE = 0x20

const hexValue = (b: number | undefined): number => {
  if (b === undefined) return -1
  if (b >= 0x30 && b <= 0x39) return b - 0x30
  if (b >= 0x41 && b <= 0x46) return b - 0x37
  if (b >= 0x61 && b <= 0x66) return b - 0x57
  return -1
}

/** Percent-decodes one name or value: `+` is a space, `%XX` a byte; a stray `%` stays. */
export function percentDecodeBytes(raw: Uint8Array): Uint8Array {
  const out = new Uint8Array(raw.length)
  let n = 0
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i] ?? 0
    if (b === PLUS) {
      out[n++] = SPACE
    } else if (b === PERCENT) {
      const hi = hexValue(raw[i + 1])
      const lo = hexValue(raw[i + 2])
      if (hi >= 0 && lo >= 0) {
        out[n++] = hi * 16 + lo
        i += 2
      } else {
        out[n++] = b
      }
    } else {
      out[n++] = b
    }
  }
  return out.slice(0, n)
}

const isAscii = (bytes: Uint8Array) => bytes.every((b) => b < 0x80)

export type FormPair = { name: string; value: Uint8Array }

/**
 * Splits a form body into (name, raw value bytes). Names are ASCII in every protocol we
 * read, so a name with other bytes is skipped rather than guessed at.
 */
export function parseFormBytes(body: Uint8Array): FormPair[] {
  const pairs: FormPair[] = []
  let start = 0
  for (let i = 0; i <= body.length; i++) {
    if (i < body.length && body[i] !== AMP) continue
    const part = body.subarray(start, i)
    start = i + 1
    if (part.length === 0) continue
    const eq = part.indexOf(EQUALS)
    const nameBytes = percentDecodeBytes(eq === -1 ? part : part.subarray(0, eq))
    const value = eq === -1 ? new Uint8Array(0) : percentDecodeBytes(part.subarray(eq + 1))
    if (!isAscii(nameBytes)) continue
    pairs.push({ name: String.fromCharCode(...nameBytes), value })
  }
  return pairs
}
