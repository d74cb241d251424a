/**
 * Checking one voice's source page: the work of one queue message. Fetch the page, judge
 * it, and write the outcome in one batch with the counters it moves (src/voices/write.ts) and
 * the end of the check's message in the outbox (./checks.ts).
 *
 * A check runs only for a voice whose state is `queued`, so a message delivered twice does
 * the work once. If the voice was written while the page was being fetched, the write is
 * refused (rev guard) and the check looks again: when a sender re-sent in the meantime the
 * page may have changed, so it is fetched anew; otherwise the same verdict is re-applied.
 */
import { and } from 'drizzle-orm'
import type { BatchItem } from 'drizzle-orm/batch'

import type { Db } from '../db/client'
import { eventDelta } from '../voices/moderation'
import { type Change, writeVoice } from '../voices/write'
import {
  findVoice,
  findVoiceBySource,
  type VoiceChanges,
  type VoiceRow,
  moderationOf,
  noVoiceAt,
} from '../voices/store'
import { findSiteById } from '../sites/store'
import { addDelta, emptyDelta, type StatsDelta } from '../stats/counters'
import { automaticTarget } from '../targets/service'
import type { Handled } from '../common/queue-consumer'
import { type Clock, systemClock } from '../common/clock'
import type { Sentiment } from '../db/schema'
import { suggestionFields, wordsOf } from '../sentiment/fields'
import { type Suggester, suggesterOf } from '../sentiment/suggester'
import { learnedFor } from '../sentiment/learning-store'
import type { VoiceEvents } from '../webhooks/events'
import { NO_OUTBOUND, type Outbound } from '../outbox/outbox'
import { findTarget, formerUrlsOf, targetIs } from '../targets/store'
import type { AddressPolicy } from '../common/address-policy'
import { FETCH_LIMITS, type FetchLimits, fetchSource } from '../common/fetch-source'
import { judgeSource, mergeContent, type Outcome, outcomeOf, type Verdict } from './verdict'
import { retryDelaySeconds } from '../common/queue-consumer'
import { CHECK_ATTEMPTS, checkDone, checkGivenUp, checkImpossible, checkLater } from './checks'

/** Recognises a partner's tracking links to a target (src/affiliates/links/links.ts, given by the queue handler). */
export type TrackingLinks = (
  db: Db,
  partnerId: string,
  targetId: string,
  hubOrigin: string | null,
) => Promise<(link: string) => boolean>

export type VerifyDeps = {
  db: Db
  policy: AddressPolicy
  /** Without it, an affiliate post must link to the target's own page. */
  trackingLinks?: TrackingLinks
  limits?: FetchLimits
  /** Prepares the webhook events of a verdict that publishes a voice or takes it out, for the verdict's batch. */
  events?: VoiceEvents
  /** Suggests a sentiment from the page's words (default: the local reader, src/sentiment/). */
  suggest?: Suggester
  /** The hub's public origin (HUB_ORIGIN), when set: tracking links must be on it. */
  hubOrigin?: string | null
}

export type CheckResult = Handled

const DONE: CheckResult = { kind: 'done' }
const FETCHES = 2
const WRITES = 3
/** Seconds before a check re-sent faster than it can fetch is looked at again. */
const AGAIN_SECONDS = 5

/**
 * Runs attempt number `attempt` (1-based, counted by the outbox) of the check of a voice's
 * source, and ends the attempt in the outbox (./checks.ts) with the batch that writes its outcome.
 */
export async function checkVoice(
  deps: VerifyDeps,
  voiceId: string,
  attempt: number,
  now: Clock = systemClock,
): Promise<CheckResult> {
  const { db } = deps
  for (let fetchRound = 0; fetchRound < FETCHES; fetchRound++) {
    const voice = await findVoice(db, voiceId)
    if (!voice || voice.verifyState !== 'queued') return ended(db, voiceId, now)
    const page = voice.sourceUrlSent ?? voice.sourceUrl
    // A voice about a page nobody registered names it by URL until it is published.
    const target = !page
      ? undefined
      : voice.targetPending
        ? { id: voice.targetId, url: voice.targetId }
        : await findTarget(db, voice.siteId, voice.targetId)
    if (!page || !target) {
      await checkImpossible(db, voiceId, now(), page ? 'unknown_target' : 'no_source')
      return DONE
    }

    // A link to one of the target's former addresses (it moved, or was merged) is a link to it; so is a partner's tracking link.
    const former = new Set(voice.targetPending ? [] : await formerUrlsOf(db, voice.siteId, target.id))
    const viaTrackingLink =
      voice.kind === 'affiliate' && voice.partnerId && deps.trackingLinks
        ? await deps.trackingLinks(db, voice.partnerId, target.id, deps.hubOrigin ?? null)
        : undefined
    // An imported linkback's source linked to the page it was sent to (an old blog's post).
    const imported = new Set(voice.importId !== null ? (voice.importAbout ?? []) : [])
    const alsoLinked = (link: string) => former.has(link) || imported.has(link) || (viaTrackingLink?.(link) ?? false)
    const verdict = await judgeSource(
      await fetchSource(page, deps.policy, deps.limits ?? FETCH_LIMITS),
      target.url,
      alsoLinked,
    )
    if (verdict.kind === 'transient' && attempt >= CHECK_ATTEMPTS) {
      // The last attempt: its failure is final, as the dead-letter queue would record it.
      const failed: Verdict = { ...verdict, kind: 'failed' }
      const written = await applyVerdict(deps, voice, failed, attempt, now, null, (t) =>
        checkGivenUp(db, voiceId, t, verdict.reason),
      )
      if (written !== 'refetch') return written === 'skipped' ? ended(db, voiceId, now) : DONE
      continue
    }
    if (verdict.kind === 'transient') {
      // Record why, for the status URL; a lost race here only loses the note. The outbox expects the retry.
      const t = now()
      const delaySeconds = retryDelaySeconds(attempt)
      await writeVoice(db, voice, {
        changes: { verifyReason: verdict.reason, verifyHttpStatus: verdict.status ?? null, verifyAttempts: attempt },
        extra: () => [checkLater(db, voiceId, t + delaySeconds * 1000, attempt, verdict.reason, t)],
      })
      return { kind: 'retry', delaySeconds }
    }
    const words = verdict.kind === 'linked' ? mergeContent(voice, verdict.content) : null
    // The words' suggestion, read with what the shop's staff taught (one small read).
    const suggested = words
      ? await (deps.suggest ?? suggesterOf({}))(wordsOf(words.title, words.excerpt), await learnedFor(db, voice.siteId))
      : null
    const written = await applyVerdict(deps, voice, verdict, attempt, now, suggested, (t) => checkDone(db, voiceId, t))
    if (written === 'skipped') return ended(db, voiceId, now)
    if (written !== 'refetch') return DONE
  }
  // Re-sent faster than we can fetch: let the queue bring the message back in a moment.
  const t = now()
  await checkLater(db, voiceId, t + AGAIN_SECONDS * 1000, attempt, 'busy', t)
  return { kind: 'retry', delaySeconds: AGAIN_SECONDS }
}

/** The voice no longer waits for this check (someone else made it, or it was deleted): its message is done. */
async function ended(db: Db, voiceId: string, now: Clock): Promise<CheckResult> {
  await checkDone(db, voiceId, now())
  return DONE
}

/** The queue gave up on a voice after its retries (dead-letter queue): the last failure is final. */
export async function giveUp(deps: VerifyDeps, voiceId: string, now: Clock = systemClock): Promise<void> {
  const voice = await findVoice(deps.db, voiceId)
  if (!voice || voice.verifyState !== 'queued') {
    await ended(deps.db, voiceId, now)
    return
  }
  // The last transient reason stands; its attempts say that the hub gave up.
  const reason = voice.verifyReason ?? 'source_unreachable'
  const verdict: Verdict = {
    kind: 'failed',
    reason,
    ...(voice.verifyHttpStatus !== null ? { status: voice.verifyHttpStatus } : {}),
  }
  await applyVerdict(deps, voice, verdict, voice.verifyAttempts, now, null, (t) =>
    checkGivenUp(deps.db, voiceId, t, reason),
  )
}

/**
 * Writes a verdict's change, with `end` (the check's message in the outbox, guarded by the voice
 * no longer waiting) and the webhook event of a voice the verdict publishes or takes out of the
 * feed in the same batch: a crash after it loses neither.
 */
async function applyVerdict(
  { db, events }: Pick<VerifyDeps, 'db' | 'events'>,
  first: VoiceRow,
  verdict: Exclude<Verdict, { kind: 'transient' }>,
  attempt: number,
  now: Clock,
  suggested: Sentiment | null,
  end: (now: number) => BatchItem<'sqlite'>,
): Promise<VoiceRow | 'refetch' | 'skipped'> {
  let voice: VoiceRow | undefined = first
  for (let round = 0; round < WRITES && voice; round++) {
    if (voice.verifyState !== 'queued') return 'skipped'
    if (voice.verifyRequestedAt !== first.verifyRequestedAt) return 'refetch'
    const t = now()
    const change = await changeOf(db, voice, verdict, attempt, t, suggested)
    const outbound = events ? await verdictEvent(events, voice, { ...voice, ...change.changes }) : NO_OUTBOUND
    const written = await writeVoice(db, voice, { ...change, extra: () => [end(t)], outbound })
    if (written) return written
    voice = await findVoice(db, first.id)
  }
  // Lost every race (busy operators): start over with a fresh read.
  return voice ? 'refetch' : 'skipped'
}

/** A voice the verdict publishes is news for the site's webhooks; so is one whose author took the post down (or the link out). */
function verdictEvent(events: VoiceEvents, before: VoiceRow, after: VoiceRow): Promise<Outbound> {
  if (before.status !== 'published' && after.status === 'published')
    return events(after.siteId, 'mention.published', after)
  if (before.status === 'published' && after.status === 'gone') return events(after.siteId, 'mention.removed', after)
  return Promise.resolve(NO_OUTBOUND)
}

/**
 * The change a verdict makes. A voice about a page nobody registered gets its target when it
 * is published: the automatic target made for the page (if the site makes them, else the voice
 * is refused), unless the same post is already a voice of that target.
 */
async function changeOf(
  db: Db,
  voice: VoiceRow,
  verdict: Exclude<Verdict, { kind: 'transient' }>,
  attempt: number,
  now: number,
  suggested: Sentiment | null,
): Promise<Change> {
  const outcome = outcomeOf(voice, verdict, now)
  if (!voice.targetPending || outcome.status !== 'published')
    return { changes: changesOf(voice, outcome, attempt, now, suggested) }
  const home = await homeOf(db, voice, now)
  if (!home.ok)
    return {
      changes: changesOf(voice, outcomeOf(voice, { kind: 'failed', reason: home.reason }, now), attempt, now, null),
    }
  return {
    changes: { ...changesOf(voice, outcome, attempt, now, suggested), targetId: home.id, targetPending: false },
    carried: home.carried,
    // The target must still be there (an operator may delete or merge it), and the same post must not have become a voice of it meanwhile.
    guard: and(
      targetIs(voice.siteId, home.id, home.url),
      voice.sourceUrl === null ? undefined : noVoiceAt(voice.siteId, home.id, voice.sourceUrl),
    ),
  }
}

/** The target a voice about an unregistered page gets when it is published, and what its history counts for. */
async function homeOf(
  db: Db,
  voice: VoiceRow,
  now: number,
): Promise<
  | { ok: true; id: string; url: string; carried: StatsDelta }
  | { ok: false; reason: 'unregistered_target' | 'duplicate' }
> {
  const site = await findSiteById(db, voice.siteId)
  const target = site ? await automaticTarget(db, site, voice.targetId, now, { publishing: voice.id }) : null
  if (!target) return { ok: false, reason: 'unregistered_target' }
  const twin =
    voice.sourceUrl === null ? undefined : await findVoiceBySource(db, voice.siteId, target.id, voice.sourceUrl)
  if (twin && twin.id !== voice.id) return { ok: false, reason: 'duplicate' }
  const steps = await moderationOf(db, voice.id)
  const carried = steps.reduce((sum, e) => addDelta(sum, eventDelta(e.action, e.fromStatus, e.sentiment)), emptyDelta())
  return { ok: true, id: target.id, url: target.url, carried }
}

function changesOf(
  voice: VoiceRow,
  o: Outcome,
  attempt: number,
  now: number,
  suggested: Sentiment | null,
): VoiceChanges {
  return {
    status: o.status,
    publishedAt: o.publishedAt,
    verifyState: o.verifyState,
    verifyReason: o.verifyReason,
    verifyHttpStatus: o.verifyHttpStatus,
    verifyAttempts: attempt,
    updatedAt: now,
    ...(o.verifiedAt !== undefined ? { verifiedAt: o.verifiedAt } : {}),
    ...(o.content ?? {}),
    // What the page says suggests a sentiment, unless the operator chose one.
    ...(o.content ? suggestionFields(voice, suggested) : {}),
  }
}
