/**
 * The documentation's pages and what is checked of them before any example runs: every page is
 * listed (so its examples run), every Japanese page has each section of its English page, and
 * every relative link and picture leads somewhere — a file that exists and, with `#…`, a heading
 * or `<a id>` of it — and every picture in an `images/` folder is shown by some page; and the
 * Japanese glossary agrees with the console (glossary.mjs).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, normalize } from 'node:path'

import { checkGlossary } from './glossary.mjs'

/** README first, then docs/ in reading order, then the Japanese pages. Every docs page must be listed. */
export const DOCS = [
  'README.md',
  'README.ja.md',
  'docs/embedding.md',
  'docs/linkbacks.md',
  'docs/protocols.md',
  'docs/reviews.md',
  'docs/affiliates.md',
  'docs/platforms.md',
  'docs/listening.md',
  'docs/webhooks.md',
  'docs/operator-api.md',
  'docs/sentiment.md',
  'docs/moving.md',
  'docs/importing-reviews.md',
  'docs/importing-orders.md',
  'docs/deploy.md',
  'docs/operations.md',
  'docs/scaling.md',
  'docs/architecture.md',
  'docs/data.md',
  'docs/ja/README.md',
  'docs/ja/console.md',
  'docs/ja/embedding.md',
  'docs/ja/deploy.md',
  'docs/ja/platforms.md',
  'docs/ja/glossary.md',
]

/** Folders whose pages must all be in DOCS. */
const FOLDERS = ['docs', 'docs/ja']

/** Pages and their Japanese pages: each `## ` section of the English page has its Japanese one. */
const TRANSLATIONS = [
  ['README.md', 'README.ja.md'],
  ['docs/embedding.md', 'docs/ja/embedding.md'],
  ['docs/deploy.md', 'docs/ja/deploy.md'],
  ['docs/platforms.md', 'docs/ja/platforms.md'],
]

/** GitHub's anchor of a heading: lower case, punctuation dropped (letters, marks, digits, _ and - kept), spaces as hyphens. */
export const anchorOf = (heading) =>
  heading
    .replace(/<a id="[^"]*"><\/a>/g, '')
    .trimEnd()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\s-]/gu, '')
    .replace(/\s/g, '-')

/** A page's text without its fenced code (where a `## ` or a link is an example, not a heading or a link). */
const withoutCode = (text) => text.replace(/^(```|~~~)[\s\S]*?^\1/gm, '')

/** The anchors a page offers: its headings' (a repeated one gets -1, -2 …) and its `<a id>`s. */
function anchorsOf(text) {
  const anchors = new Set()
  const seen = new Map()
  for (const m of withoutCode(text).matchAll(/^#{1,6} (.+)$/gm)) {
    const base = anchorOf(m[1])
    const n = seen.get(base) ?? 0
    seen.set(base, n + 1)
    anchors.add(n === 0 ? base : `${base}-${n}`)
  }
  for (const m of text.matchAll(/<a id="([^"]+)"><\/a>/g)) anchors.add(m[1])
  return anchors
}

function checkLists(problems) {
  const listed = new Set(DOCS)
  for (const page of DOCS.filter((p) => !existsSync(p))) problems.push(`DOCS lists ${page}, which does not exist`)
  for (const folder of FOLDERS) {
    for (const f of readdirSync(folder).filter((f) => f.endsWith('.md'))) {
      if (!listed.has(`${folder}/${f}`))
        problems.push(`Add ${folder}/${f} to DOCS in test/docs/pages.mjs (in reading order).`)
    }
  }
}

/**
 * A Japanese page says which English section each of its sections is, by an anchor named as the
 * English heading's (`## コマンド <a id="commands"></a>`); a section added in English and not in
 * Japanese fails here, naming it.
 */
function checkTranslations(problems) {
  for (const [english, japanese] of TRANSLATIONS) {
    if (!existsSync(japanese)) {
      problems.push(`${japanese}: the Japanese page of ${english} is missing`)
      continue
    }
    const sections = [...withoutCode(readFileSync(english, 'utf8')).matchAll(/^## (.+)$/gm)].map((m) => anchorOf(m[1]))
    const ja = withoutCode(readFileSync(japanese, 'utf8'))
    const anchors = new Set([...ja.matchAll(/^## .*<a id="([^"]+)"><\/a>\s*$/gm)].map((m) => m[1]))
    for (const section of sections.filter((a) => !anchors.has(a)))
      problems.push(`${japanese} lacks the section of ${english}#${section} (a "## … <a id="${section}"></a>" heading)`)
    for (const extra of [...anchors].filter((a) => !sections.includes(a)))
      problems.push(`${japanese} names a section ${english} does not have: #${extra}`)
  }
}

/** Relative links and pictures lead to a file that exists, and to one of its anchors when they name one. */
function checkLinks(problems) {
  const shown = new Set()
  for (const page of DOCS.filter((p) => existsSync(p))) {
    const text = withoutCode(readFileSync(page, 'utf8')).replace(/`[^`\n]*`/g, '')
    for (const m of text.matchAll(/(!?)\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const [, bang, href] = m
      if (/^[a-z]+:/i.test(href) || href.startsWith('//')) continue
      const [path, anchor] = href.split('#')
      let file
      try {
        file = path === '' ? page : normalize(join(dirname(page), decodeURI(path)))
      } catch {
        problems.push(`${page} links to ${href}: not a valid address`)
        continue
      }
      if (!existsSync(file)) {
        problems.push(`${page} links to ${href}: there is no ${file}`)
        continue
      }
      if (bang) shown.add(file)
      if (anchor && file.endsWith('.md') && !anchorsOf(readFileSync(file, 'utf8')).has(anchor))
        problems.push(`${page} links to ${href}: ${file} has no heading or <a id> "${anchor}"`)
    }
  }
  for (const folder of FOLDERS.map((f) => `${f}/images`).filter((f) => existsSync(f))) {
    for (const picture of readdirSync(folder).map((f) => `${folder}/${f}`))
      if (!shown.has(picture)) problems.push(`${picture} is not shown by any page (remove it, or show it)`)
  }
}

/** What every check above and the glossary's find, for the pages under the current directory. */
export async function pageProblems() {
  const problems = []
  checkLists(problems)
  checkTranslations(problems)
  checkLinks(problems)
  await checkGlossary(problems)
  return problems
}

/** Stops the run naming each problem the checks find. */
export async function checkPages() {
  const problems = await pageProblems()
  if (problems.length === 0) return
  for (const p of problems) console.error(p)
  process.exit(1)
}
