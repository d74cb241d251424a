/**
 * Imported voices: each record of a file that can become a voice (an old blog's TrackBack or
 * Pingback, a webmention.io mention, a review from another service, an old comment) is turned
 * into a voice row and the statements that store it in the step's batch — counted and numbered
 * when published at once, its source's check recorded in the outbox when it must be verified
 * first — with the report line that says whether the batch added it or found it already there.
 */
import type { BatchItem } from 'drizzle-orm/batch'

import { hubHostOf, onHosts, policyOf, refusalFor } from '../common/address-policy'
import { cleanField } from '../common/plain-text'
import { canonicalUrl, fetchableUrl, isUnderOrigins, originOf } from '../common/url'
import type { Db } from '../db/client'
import type { VoiceKind, VoiceType } from '../db/schema'
import { sentimentOfRating, suggestedFields } from '../sentiment/fields'
import { bumpDataVersion, type SiteRow } from '../sites/store'
import { deltaBetween } from '../stats/counters'
import { statsUpdate, voiceHasRev } from '../stats/store'
import { checkMessage, recordCheck } from '../verification/checks'
import { type NewVoice, newVoiceRow } from '../voices/ingest'
import { insertVoiceIfNew, type VoiceRow } from '../voices/store'
import type { OutboxMessage } from '../outbox/outbox'
import { type ImportRow, insertLine, voiceAtPair, voiceLine, voiceWithKey } from './store'
import type { OtherShops, TargetFinder } from './targets'

/** What a file says about one voice, whatever its format. */
export type VoiceRecord = {
  /** Where it is in the file, for the report. */
  place: string
  kind: VoiceKind
  /** The page that linked (null for a voice without one: a review, a comment). */
  source: string | null
  /** What the voice is about, in order of preference (./targets.ts). */
  about: readonly (string | null)[]
  /** Its original date (null: unknown, then the import's time). */
  at: number | null
  /** For a voice without a source page: what identifies it in the shop, so a second import adds nothing. */
  key?: string
  /** A reason shown on the line when the voice is added all the same (a photo left out, a date not read). */
  note?: string
  fields?: Partial<
    Pick<
      VoiceRow,
      | 'title'
      | 'excerpt'
      | 'authorName'
      | 'authorUrl'
      | 'authorPhoto'
      | 'blogName'
      | 'rating'
      | 'verifiedPurchase'
      | 'sourcePublished'
      | 'photos'
    > & { voiceType: VoiceType | null }
  >
}

/** A record the step does not turn into a voice, and why. */
export type LineRecord = { place: string; subject: string | null; outcome: 'skipped' | 'refused'; reason: string }

export type StepRecord = VoiceRecord | LineRecord

export const isVoiceRecord = (r: StepRecord): r is VoiceRecord => 'kind' in r

/** The longest excerpt kept of an imported voice. */
const EXCERPT_CHARS = 2000

export type PlanDeps = {
  db: Db
  site: SiteRow
  row: ImportRow
  findTarget: TargetFinder
  /** The hub's own hosts: a source there is refused. */
  hubHosts: readonly string[]
  now: number
  /** Which origins are another shop's storefront (asked once per step). */
  otherShops: OtherShops
}

export type PlannedStep = {
  statements: BatchItem<'sqlite'>[]
  /** Where each record's statements begin: a step is written in several batches, each record's whole in one. */
  starts: number[]
  /** Checks to send once the batch has run, each with where its voice's insert is in `statements`: sent only if it inserted. */
  checks: { at: number; message: OutboxMessage }[]
  lines: number
}

/** Why a source page is refused, or null when it may be a voice's source. */
function sourceRefusal(source: string, hubHosts: readonly string[]): string | null {
  const url = fetchableUrl(source)
  const canonical = url ? canonicalUrl(url) : null
  if (!url || !canonical) return 'bad_source_url'
  if (onHosts(url, hubHosts) || onHosts(canonical, hubHosts)) return 'hub_source'
  return refusalFor(new URL(url), { allowLoopback: false })
}

/**
 * A source on another shop's storefront (of this hub): refused, so that no file makes voices that
 * speak from another shop's pages. Each origin is asked once per step.
 */
async function otherShopSource(deps: PlanDeps, source: string): Promise<string | null> {
  const origin = originOf(source)
  if (!origin || isUnderOrigins(source, deps.site.origins)) return null
  return (await deps.otherShops.has(origin)) ? 'other_shop' : null
}

/** The statements of one step: its records, in file order, each with its report line. */
export async function planStep(deps: PlanDeps, records: readonly StepRecord[]): Promise<PlannedStep> {
  const { db, site, row, now } = deps
  const statements: BatchItem<'sqlite'>[] = []
  const checks: PlannedStep['checks'] = []
  let line = row.lines
  let published = false
  const starts: number[] = []
  for (const record of records) {
    starts.push(statements.length)
    line++
    if (!isVoiceRecord(record)) {
      statements.push(insertLine(db, row, line, { ...record, ref: null }))
      continue
    }
    const subject = record.source ?? record.fields?.authorName ?? null
    const refuse = (reason: string) => statements.push(insertLine(db, row, line, refusedLine(record, subject, reason)))
    const refusal =
      record.source === null
        ? null
        : (sourceRefusal(record.source, deps.hubHosts) ?? (await otherShopSource(deps, record.source)))
    if (refusal) {
      refuse(refusal)
      continue
    }
    const target = await deps.findTarget(record.about)
    if ('refused' in target) {
      refuse(target.refused)
      continue
    }
    const voice = voiceOf(deps, record, target.id)
    const planned = {
      place: record.place,
      subject,
      outcome: 'added' as const,
      reason: record.note ?? null,
      ref: voice.id,
    }
    const stored = voiceHasRev(voice.id, voice.rev)
    const at = statements.push(insertVoiceIfNew(db, voice)) - 1
    if (voice.status === 'published') {
      published = true
      const counters = statsUpdate(db, site.id, voice.targetId, deltaBetween(null, voice), stored)
      if (counters) statements.push(counters)
    } else if (voice.verifyState === 'queued') {
      const check = checkMessage(voice, null)
      statements.push(...recordCheck(db, check, voice.rev, now))
      checks.push({ at, message: check })
    }
    const existing =
      voice.sourceUrl !== null
        ? voiceAtPair(site.id, voice.targetId, voice.sourceUrl)
        : voiceWithKey(site.id, voice.importKey ?? '')
    statements.push(voiceLine(db, row, line, planned, stored, existing))
  }
  if (published) {
    starts.push(statements.length)
    statements.push(bumpDataVersion(db, site.id))
  }
  return { statements, starts, checks, lines: line - row.lines }
}

const refusedLine = (record: VoiceRecord, subject: string | null, reason: string) => ({
  place: record.place,
  subject,
  outcome: 'refused' as const,
  reason,
  ref: null,
})

/**
 * The voice a record becomes: published at once when the shop trusts its imported history (or
 * the voice has no source to check), else waiting for the same check a new one gets.
 */
function voiceOf(deps: PlanDeps, record: VoiceRecord, targetId: string): VoiceRow {
  const { row, site, now } = deps
  const f = record.fields ?? {}
  const at = record.at !== null && record.at <= now ? record.at : now
  const verify = record.source !== null && !row.options.trust
  const source = record.source ? fetchableUrl(record.source) : null
  const title = cleanField(f.title, 300)
  const excerpt = cleanField(f.excerpt, EXCERPT_CHARS)
  const voice: NewVoice = {
    siteId: site.id,
    targetId,
    kind: record.kind,
    status: verify ? 'pending' : 'published',
    sourceUrl: source ? canonicalUrl(source) : null,
    sourceUrlSent: source,
    verifyState: verify ? 'queued' : null,
    verifyRequestedAt: verify ? now : null,
    title,
    excerpt,
    authorName: cleanField(f.authorName, 200),
    authorUrl: f.authorUrl ? fetchableUrl(f.authorUrl) : null,
    authorPhoto: f.authorPhoto ? fetchableUrl(f.authorPhoto) : null,
    blogName: cleanField(f.blogName, 200),
    rating: f.rating ?? null,
    verifiedPurchase: f.verifiedPurchase ?? false,
    sourcePublished: f.sourcePublished ?? null,
    voiceType: f.voiceType ?? null,
    receivedAt: at,
    publishedAt: verify ? null : at,
    importId: row.id,
    importKey: record.key ?? null,
    // What the source may link to instead of the storefront page: the old post it was sent to.
    importAbout: verify ? aboutUrls(record.about) : null,
    photos: f.photos ?? [],
    // A review's stars decide its sentiment, as for one written today; other voices get the words' suggestion.
    ...(f.rating != null
      ? { sentiment: sentimentOfRating(f.rating), sentimentBy: 'rating' as const }
      : suggestedFields({ sentimentBy: null }, title, excerpt)),
  }
  return newVoiceRow(voice, now)
}

/** A record's addresses that are URLs, canonical, a few at most. */
const aboutUrls = (about: readonly (string | null)[]) =>
  [...new Set(about.flatMap((a) => (a ? (canonicalUrl(a) ?? []) : [])))].slice(0, 10)

/** The hub's own hosts, from its bindings: an imported source there is refused. */
export const hubHostsOf = (env: Env, hubOrigin: string | null) =>
  policyOf(env, [hubHostOf(hubOrigin)]).forbiddenHosts ?? []
