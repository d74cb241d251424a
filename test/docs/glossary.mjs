/**
 * The Japanese glossary (docs/ja/glossary.md) against the console's words, which are the source of
 * truth: each row's Japanese and English terms are a pair the console says (one of its words has
 * the English term in English and the Japanese term in Japanese), and no word the glossary's last
 * table sets aside appears in the console's Japanese words, the widget's, the review form's, the
 * partner pages', or a Japanese page.
 */
import { readdirSync, readFileSync } from 'node:fs'

import { build } from 'esbuild'

const GLOSSARY = 'docs/ja/glossary.md'
const AVOIDED_HEADING = 'words-not-used'

/** Every console sentence as an [English, Japanese] pair: the shared words, each page's, and the codes'. */
async function consoleWords() {
  const pages = readdirSync('src/admin/pages').sort()
  const entry = [
    "import { SHARED_WORDS } from './src/admin/kit/words'",
    "import { CODE_WORDS } from './src/admin/kit/code-words'",
    ...pages.map((p, i) => `import { WORDS as W${i} } from './src/admin/pages/${p}/words'`),
    // The words of the pages people outside see, for the words set aside.
    "import { WORDS as WIDGET } from './src/embed/client/words'",
    "import { REVIEW_WORDS } from './src/reviews/form/words'",
    "import { PARTNER_WORDS } from './src/affiliates/partners/words'",
    `export default { code: CODE_WORDS, pages: [SHARED_WORDS, ${pages.map((_, i) => `W${i}`).join(', ')}],`,
    '  outside: { widget: WIDGET.ja, review: REVIEW_WORDS.ja, partner: PARTNER_WORDS.ja } }',
  ].join('\n')
  const out = await build({
    stdin: { contents: entry, resolveDir: process.cwd(), loader: 'ts' },
    absWorkingDir: process.cwd(),
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    write: false,
    logLevel: 'error',
  })
  const url = `data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`
  const { code, pages: words, outside } = (await import(url)).default
  const pairs = words.flatMap((w) => Object.keys(w.en).map((k) => [w.en[k], w.ja[k]]))
  for (const group of Object.keys(code.en))
    for (const k of Object.keys(code.en[group])) pairs.push([code.en[group][k], code.ja[group][k]])
  // A sentence with blanks is a function: its source holds its words.
  const textsOf = (value) =>
    typeof value === 'object' && value !== null ? Object.values(value).flatMap(textsOf) : [String(value)]
  const others = Object.entries(outside).flatMap(([where, w]) =>
    textsOf(w).map((text) => [`the ${where}'s words`, text]),
  )
  return { pairs, others }
}

/** The rows of the tables under each `## ` heading, by the heading's anchor (each table's header left out). */
function tablesOf(text) {
  const sections = new Map()
  let current = ''
  let inTable = false
  for (const line of text.split('\n')) {
    const heading = /^## .*<a id="([^"]+)"><\/a>/.exec(line)
    if (heading) current = heading[1]
    const cells = /^\|(.+)\|\s*$/
      .exec(line)?.[1]
      .split('|')
      .map((c) => c.trim())
    const header = cells !== undefined && !inTable
    inTable = cells !== undefined
    if (!cells || header || cells.every((c) => /^:?-+:?$/.test(c))) continue
    sections.set(current, [...(sections.get(current) ?? []), cells])
  }
  return sections
}

/**
 * The console says `ja` for `en` when the shortest of its Japanese words holding `ja` (a label is
 * shorter than a help text that mentions it) holds `en` in English: 受信箱 is "Inbox", and a
 * help text naming both 受信箱 and "ledger" does not make 受信箱 the ledger.
 */
function says(pairs, ja, en) {
  const holding = pairs.filter(([, j]) => j.includes(ja))
  const shortest = Math.min(...holding.map(([, j]) => j.length))
  return holding.some(([e, j]) => j.length === shortest && e.toLowerCase().includes(en.toLowerCase()))
}

export async function checkGlossary(problems) {
  const { pairs, others } = await consoleWords()
  const tables = tablesOf(readFileSync(GLOSSARY, 'utf8'))
  for (const [section, rows] of tables) {
    if (section === AVOIDED_HEADING) continue
    for (const [ja, en] of rows) {
      if (!says(pairs, ja, en))
        problems.push(`${GLOSSARY}: the console has no word saying "${en}" in English and "${ja}" in Japanese`)
    }
  }
  const avoided = (tables.get(AVOIDED_HEADING) ?? []).map(([word]) => word)
  if (avoided.length === 0) problems.push(`${GLOSSARY}: the table of words not used is gone`)
  const pages = [
    'README.ja.md',
    ...readdirSync('docs/ja')
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/ja/${f}`),
  ]
  const texts = [
    ...pages.map((page) => {
      const text = readFileSync(page, 'utf8')
      // The glossary names the words it sets aside; its table of them is not a use.
      if (page !== GLOSSARY) return [page, text]
      const [before, after] = text.split(`<a id="${AVOIDED_HEADING}">`)
      return [page, `${before}${after.replace(/^\|.*$/gm, '')}`]
    }),
    ...pairs.map(([en, ja]) => [`the console's words ("${en}")`, ja]),
    ...others,
  ]
  for (const word of avoided)
    for (const [where, text] of texts)
      if (text.includes(word))
        problems.push(
          `${where} says "${word}": the glossary says "${tables.get(AVOIDED_HEADING).find((r) => r[0] === word)[1]}"`,
        )
}
