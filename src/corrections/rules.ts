/**
 * The rules of correcting an answer, pure: what a voice's answer times become when an answer is
 * edited or withdrawn, and the order its stages must keep.
 */
import type { ResponseStage } from '../db/schema'
import type { ResponseRow } from '../voices/store'

export type AnswerFacts = Pick<ResponseRow, 'id' | 'stage' | 'createdAt' | 'stageAt' | 'withdrawnAt'>

/**
 * What a voice's figures read from its answers: the first answer, the first apology and the first
 * resolution report, each among the answers that stand. A withdrawn answer no longer counts as an
 * answer; an edit keeps an answer's first time (`created_at`), so it never resets them, and an edit
 * that changes a stage counts that stage from the edit (`stage_at`).
 */
export function answerTimes(answers: readonly AnswerFacts[]) {
  const standing = answers.filter((a) => a.withdrawnAt === null)
  const first = (stage?: ResponseStage) => {
    const times = standing
      .filter((a) => stage === undefined || a.stage === stage)
      // Any answer counts as an answer from when it was written; an apology or a report from when it became one.
      .map((a) => (stage === undefined ? a.createdAt : (a.stageAt ?? a.createdAt)))
    return times.length === 0 ? null : Math.min(...times)
  }
  return { firstResponseAt: first(), apologizedAt: first('apology'), resolvedAt: first('resolution') }
}

const byTime = (a: AnswerFacts, b: AnswerFacts) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1)

/**
 * The stages of a voice's answers go reply → apology → resolution: once the shop has reported
 * what it fixed, an apology given after that report would put them back out of order. An edit
 * that changes a stage must not break that order among the answers that stand
 * (`editKeepsStageOrder`); answers added out of order before it do not stop other edits.
 */
export function stageOrderHolds(answers: readonly AnswerFacts[]): boolean {
  let resolved = false
  for (const a of answers.filter((x) => x.withdrawnAt === null).sort(byTime)) {
    if (a.stage === 'resolution') resolved = true
    else if (a.stage === 'apology' && resolved) return false
  }
  return true
}

/** An answer's words as an edit may change them. */
export type AnswerWords = Pick<ResponseRow, 'stage' | 'body' | 'authorName' | 'authorRole'>

/** What an edit asks for: the version it was made on, and any of the words. */
export type ResponseEdit = {
  version: number
  stage?: ResponseStage | undefined
  body?: string | undefined
  author?: { name: string; role?: string | undefined } | undefined
}

/** The answer's words after `edit`; null when they stay as they are (no new version). */
export function editedWords(current: AnswerWords, edit: ResponseEdit): AnswerWords | null {
  const next: AnswerWords = {
    stage: edit.stage ?? current.stage,
    body: edit.body ?? current.body,
    authorName: edit.author?.name ?? current.authorName,
    authorRole: edit.author ? (edit.author.role ?? null) : current.authorRole,
  }
  const same =
    next.stage === current.stage &&
    next.body === current.body &&
    next.authorName === current.authorName &&
    next.authorRole === current.authorRole
  return same ? null : next
}

/** An edit's new answers keep the stage order, unless it was already broken before the edit. */
export const editKeepsStageOrder = (before: readonly AnswerFacts[], after: readonly AnswerFacts[]) =>
  !stageOrderHolds(before) || stageOrderHolds(after)
