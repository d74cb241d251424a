/**
 * The documentation's own checks (test/docs/pages.mjs, glossary.mjs) catch what they are for, on a
 * copy of the repository's pages and console words (node:test): a section added to an English page
 * and not to its Japanese page, a link to nothing, a picture no page shows, a glossary term the
 * console does not say, and a word the glossary sets aside.
 */
import assert from 'node:assert/strict'
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, beforeEach, describe, it } from 'node:test'

import { pageProblems } from '../docs/pages.mjs'

const REPO = new URL('../..', import.meta.url).pathname
const COPIED = ['README.md', 'README.ja.md', 'docs', 'src']
const home = process.cwd()
let dir

/** A fresh copy of the pages and the console's words, as the current directory. */
function freshCopy() {
  if (dir) rmSync(dir, { recursive: true, force: true })
  dir = mkdtempSync(join(tmpdir(), 'docs-pages-'))
  for (const part of COPIED) cpSync(join(REPO, part), join(dir, part), { recursive: true })
  process.chdir(dir)
}

const edit = (file, change) => writeFileSync(file, change(readFileSync(file, 'utf8')))

describe('the docs checks', () => {
  beforeEach(freshCopy)
  after(() => {
    process.chdir(home)
    rmSync(dir, { recursive: true, force: true })
  })

  it('find nothing wrong with the pages as they are', async () => {
    assert.deepEqual(await pageProblems(), [])
  })

  it('fail when an English page gains a section its Japanese page lacks, naming it', async () => {
    appendFileSync('docs/deploy.md', '\n## Backups and restores\n\nA new section.\n')
    assert.deepEqual(await pageProblems(), [
      'docs/ja/deploy.md lacks the section of docs/deploy.md#backups-and-restores (a "## … <a id="backups-and-restores"></a>" heading)',
    ])
  })

  it('fail on a link to a missing page or anchor, and on a picture no page shows', async () => {
    edit('docs/ja/console.md', (t) =>
      t
        .replace('[用語集](glossary.md)', '[用語集](glosary.md)')
        .replace('(embedding.md)', '(embedding.md#no-such-part)'),
    )
    edit('docs/ja/console.md', (t) => t.replace('![受信箱。', '[受信箱。'))
    const problems = await pageProblems()
    assert.ok(problems.includes('docs/ja/console.md links to glosary.md: there is no docs/ja/glosary.md'), problems)
    assert.ok(
      problems.some((p) => p.includes('has no heading or <a id> "no-such-part"')),
      problems,
    )
    assert.ok(problems.includes('docs/ja/images/inbox.png is not shown by any page (remove it, or show it)'), problems)
  })

  it('fail when the glossary names a term the console does not say, or a page uses a word set aside', async () => {
    edit('docs/ja/glossary.md', (t) =>
      t
        .replace('| 受信箱 | Inbox |', '| 受信箱 | Mailbox |')
        .replace('| ログイン | Sign in |', '| ログイン | operator token |'),
    )
    appendFileSync('docs/ja/console.md', '\nネガティブな声にも答えます。\n')
    edit('src/admin/pages/overview/words.ts', (t) => t.replace('（評価別）', '（感情別）'))
    const problems = await pageProblems()
    assert.ok(
      problems.includes(
        'docs/ja/glossary.md: the console has no word saying "Mailbox" in English and "受信箱" in Japanese',
      ),
      problems,
    )
    // A help text that names both does not make the sign-in the operator token.
    assert.ok(
      problems.includes(
        'docs/ja/glossary.md: the console has no word saying "operator token" in English and "ログイン" in Japanese',
      ),
      problems,
    )
    assert.ok(problems.includes('docs/ja/console.md says "ネガティブ": the glossary says "否定的"'), problems)
    assert.ok(
      problems.some((p) => p.startsWith(`the console's words ("Voices published per week, by sentiment") says "感情"`)),
      problems,
    )
  })
})
