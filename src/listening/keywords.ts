/**
 * Keyword matching for watched feeds. People write a shop's name and its products in many
 * forms: full-width or half-width letters and digits (ＴＡＮＡＫＡ, TANAKA), half-width katakana
 * (ﾀﾅｶ), katakana or hiragana (タナカ, たなか), upper or lower case. Both the keywords and the
 * text are brought to one form before they are compared.
 */

const KATAKANA = /[\u30a1-\u30f6]/g
/** Katakana to hiragana: the two blocks sit 0x60 apart. */
const toHiragana = (text: string) => text.replace(KATAKANA, (k) => String.fromCharCode(k.charCodeAt(0) - 0x60))

/**
 * One form for matching: NFKC (full-width ASCII → ASCII, half-width katakana → katakana, ㈱ → (株)),
 * lower case, katakana as hiragana, runs of white space as one space.
 */
export function matchingForm(text: string): string {
  return toHiragana(text.normalize('NFKC').toLowerCase()).replace(/\s+/g, ' ').trim()
}

const WORD = /[a-z0-9]/

/**
 * Whether `needle` stands in `haystack` (both in matching form). Where the keyword begins or ends
 * with a Latin letter or digit, the text must not go on with one ("ace" is not in "place");
 * Japanese has no spaces between words, so elsewhere any occurrence counts.
 */
function occurs(haystack: string, needle: string): boolean {
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) {
    const before = haystack[at - 1] ?? ' '
    const after = haystack[at + needle.length] ?? ' '
    const startsWord = WORD.test(needle[0] ?? '')
    const endsWord = WORD.test(needle[needle.length - 1] ?? '')
    if ((!startsWord || !WORD.test(before)) && (!endsWord || !WORD.test(after))) return true
  }
  return false
}

/** The keywords (as given) that occur in the text, in whatever width, kana or case either is written. */
export function matchedKeywords(text: string, keywords: readonly string[]): string[] {
  const haystack = matchingForm(text)
  return keywords.filter((k) => {
    const needle = matchingForm(k)
    return needle !== '' && occurs(haystack, needle)
  })
}
