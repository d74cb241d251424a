/** Content-Type headers, read one way everywhere: the media type and its parameters (RFC 9110 §8.3.1). */

/** The media type without its parameters, lowercased: `Text/XML; charset=utf-8` → `text/xml`; '' when absent. */
export const essenceOf = (contentType: string | null | undefined): string =>
  ((contentType ?? '').split(';', 1)[0] ?? '').trim().toLowerCase()

/** A parameter's value, unquoted: `charset` of `text/html; charset="Shift_JIS"` → `Shift_JIS`; null when absent. */
export function parameterOf(contentType: string | null | undefined, name: string): string | null {
  for (const part of (contentType ?? '').split(';').slice(1)) {
    const eq = part.indexOf('=')
    if (eq === -1 || part.slice(0, eq).trim().toLowerCase() !== name) continue
    const value = part
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .trim()
    return value === '' ? null : value
  }
  return null
}

/** JSON, or a JSON-based type such as `application/problem+json`. */
export const isJsonType = (essence: string) =>
  essence === 'application/json' || /^application\/[\w.+-]+\+json$/.test(essence)

/** True when the client would rather read a page than JSON (a browser opening a link or posting a form). */
export const wantsHtml = (accept: string | undefined) =>
  /text\/html/.test(accept ?? '') && !/application\/json/.test(accept ?? '')
