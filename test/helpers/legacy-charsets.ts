/**
 * Text to bytes in the legacy Japanese charsets (TextEncoder writes UTF-8 only). The table is
 * built from the runtime's own TextDecoder, so the bytes are what it decodes back.
 */
type Legacy = 'shift_jis' | 'euc-jp'

const tables = new Map<Legacy, Map<string, number[]>>()

function tableOf(charset: Legacy): Map<string, number[]> {
  const known = tables.get(charset)
  if (known) return known
  const table = new Map<string, number[]>()
  const decoder = new TextDecoder(charset, { fatal: true, ignoreBOM: true })
  const leads = charset === 'shift_jis' ? [...range(0x81, 0x9f), ...range(0xe0, 0xfc)] : range(0xa1, 0xfe)
  const trails = charset === 'shift_jis' ? range(0x40, 0xfc) : range(0xa1, 0xfe)
  for (const lead of leads)
    for (const trail of trails) {
      try {
        const char = decoder.decode(new Uint8Array([lead, trail]))
        if (char.length === 1 && !table.has(char)) table.set(char, [lead, trail])
      } catch {
        // Not a character in this charset.
      }
    }
  if (charset === 'shift_jis')
    for (const byte of range(0xa1, 0xdf)) table.set(decoder.decode(new Uint8Array([byte])), [byte])
  else for (const byte of range(0xa1, 0xdf)) table.set(String.fromCharCode(0xff61 + byte - 0xa1), [0x8e, byte])
  tables.set(charset, table)
  return table
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i)
}

/** `text` in `charset`; ASCII as itself. Throws on a character the charset lacks. */
export function encodeLegacy(text: string, charset: Legacy): Uint8Array {
  const table = tableOf(charset)
  const bytes: number[] = []
  for (const char of text) {
    const code = char.charCodeAt(0)
    if (code < 0x80) {
      bytes.push(code)
      continue
    }
    const encoded = table.get(char)
    if (!encoded) throw new Error(`${char} is not in ${charset}`)
    bytes.push(...encoded)
  }
  return new Uint8Array(bytes)
}
