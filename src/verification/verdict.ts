/**
 * From a fetched source to a verdict, and from a verdict to the change of a voice. Pure
 * rules, kept apart from fetching and storage so that each line of the table is tested.
 *
 * | verdict  | never published (pending, rejected) | published                 | gone         |
 * |----------|-------------------------------------|---------------------------|--------------|
 * | linked   | published                           | updated in place          | published    |
 * | no link  | rejected                            | gone (its author took it) | gone         |
 * | no link in the first MB | rejected             | stays, reason recorded    | stays        |
 * | 410 Gone | rejected                            | gone                      | gone         |
 * | failure  | rejected                            | stays, reason recorded    | stays        |
 * | transient| retried by the queue, then as a failure (after the last attempt)               |
 *
 * Spam and removed voices keep the status an operator gave them; only their text and
 * verification record change. Timeouts, 5xx, 401 and 403 never delete a voice
 * (a known receiver deleted voices on any error; a server's bad day must never erase one).
 */
import type { VoiceKind, VoiceStatus, VoiceType, VerifyState } from '../db/schema'
import { cleanField } from '../common/plain-text'
import type { FetchedSource } from '../common/fetch-source'
import type { VerifyReason } from '../reasons/check'
import { EXCERPT_MAX, readEntry } from './h-entry'
import { decodePage, type PageFacts, readHtml, readTextLike } from '../common/source-page'

export type SourceContent = {
  title: string | null
  excerpt: string | null
  authorName: string | null
  authorUrl: string | null
  authorPhoto: string | null
  blogName: string | null
  voiceType: VoiceType | null
  sourcePublished: string | null
}

/** A reason (src/reasons/check.ts), with the source's HTTP status when it is part of the story. */
type Why<R extends VerifyReason = VerifyReason> = { reason: R; status?: number }

export type Verdict =
  | { kind: 'linked'; content: SourceContent }
  | ({ kind: 'no_link' } & Why<'no_link' | 'no_link_in_first_mb'>)
  | ({ kind: 'gone' } & Why<'source_gone'>)
  /** Worth another try later (the post may not be live yet, the server may recover). */
  | ({ kind: 'transient' } & Why)
  /** Trying again will not help. */
  | ({ kind: 'failed' } & Why)

/**
 * `alsoLinked` accepts other links as a link to the target (an affiliate post may link through
 * its partner's tracking link instead).
 */
export async function judgeSource(
  fetched: FetchedSource,
  targetUrl: string,
  alsoLinked?: (link: string) => boolean,
): Promise<Verdict> {
  switch (fetched.kind) {
    case 'refused':
      return { kind: 'failed', reason: fetched.reason }
    case 'unreachable':
      return { kind: 'transient', reason: fetched.reason === 'timeout' ? 'source_timeout' : 'source_unreachable' }
    case 'answered':
      break
  }
  const { status } = fetched
  if (status === 410) return { kind: 'gone', reason: 'source_gone', status }
  if (status === 404) return { kind: 'transient', reason: 'source_not_found', status }
  if (status === 401 || status === 403) return { kind: 'transient', reason: 'source_forbidden', status }
  if (status === 408 || status === 425 || status === 429 || status >= 500)
    return { kind: 'transient', reason: 'source_error', status }
  if (status < 200 || status >= 300) return { kind: 'failed', reason: 'source_error', status }
  // A source page is HTML, JSON or text; the fetcher reads XML only for the feed reader, images only for imported photos.
  if (fetched.mediaType === null || fetched.mediaType === 'xml' || fetched.mediaType === 'image')
    return { kind: 'failed', reason: 'unsupported_content' }

  const text = decodePage(fetched.body, fetched.contentType, fetched.mediaType)
  const page: PageFacts =
    fetched.mediaType === 'html'
      ? await readHtml(text, fetched.finalUrl)
      : readTextLike(text, fetched.mediaType, fetched.finalUrl)
  if (page.metaStatus === 410) return { kind: 'gone', reason: 'source_gone' }
  if (!page.links.has(targetUrl) && !(alsoLinked && [...page.links].some(alsoLinked))) {
    return { kind: 'no_link', reason: fetched.truncated ? 'no_link_in_first_mb' : 'no_link' }
  }
  return { kind: 'linked', content: contentOf(page, fetched.mediaType === 'html' ? fetched.finalUrl : null, targetUrl) }
}

function contentOf(page: PageFacts, htmlUrl: string | null, targetUrl: string): SourceContent {
  const entry = htmlUrl === null ? null : readEntry(page.text, htmlUrl, targetUrl)
  const blogName = cleanField(page.siteName, 200)
  if (entry) {
    return {
      title: entry.title,
      excerpt: entry.excerpt,
      authorName: entry.authorName,
      authorUrl: entry.authorUrl,
      authorPhoto: entry.authorPhoto,
      blogName,
      voiceType: entry.type,
      sourcePublished: entry.published,
    }
  }
  return {
    title: cleanField(page.title, 200),
    excerpt: cleanField(page.description, EXCERPT_MAX),
    authorName: null,
    authorUrl: null,
    authorPhoto: null,
    blogName,
    voiceType: 'mention',
    sourcePublished: null,
  }
}

export type VoiceState = {
  kind: VoiceKind
  status: VoiceStatus
  publishedAt: number | null
  /** An imported voice (src/imports/) takes its place in the feed at its original date (`receivedAt`). */
  importId?: string | null
  receivedAt?: number
} & Pick<SourceContent, 'title' | 'excerpt' | 'blogName' | 'authorName'>

export type Outcome = {
  status: VoiceStatus
  verifyState: VerifyState
  verifyReason: VerifyReason | null
  verifyHttpStatus: number | null
  publishedAt: number | null
  verifiedAt?: number
  content?: SourceContent
}

const NEVER_PUBLISHED: readonly VoiceStatus[] = ['pending', 'rejected']

/** When a voice first published now takes its place in the feed: now, or an imported one's original date. */
const firstPublication = (voice: VoiceState, now: number) =>
  voice.importId && voice.receivedAt !== undefined ? Math.min(voice.receivedAt, now) : now

/** What a final verdict (not a transient one) does to a voice. */
export function outcomeOf(voice: VoiceState, verdict: Exclude<Verdict, { kind: 'transient' }>, now: number): Outcome {
  const keep = { status: voice.status, publishedAt: voice.publishedAt }
  switch (verdict.kind) {
    case 'linked': {
      const publish = NEVER_PUBLISHED.includes(voice.status) || voice.status === 'gone'
      return {
        status: publish ? 'published' : voice.status,
        publishedAt: publish ? (voice.publishedAt ?? firstPublication(voice, now)) : voice.publishedAt,
        verifyState: 'verified',
        verifyReason: null,
        verifyHttpStatus: null,
        verifiedAt: now,
        content: mergeContent(voice, verdict.content),
      }
    }
    case 'no_link':
    case 'gone': {
      const why = whyOf(verdict)
      if (NEVER_PUBLISHED.includes(voice.status))
        return { status: 'rejected', publishedAt: null, verifyState: 'rejected', ...why }
      // A page that grew past what the hub reads may still link further down: not proof the author took it out.
      if (verdict.reason === 'no_link_in_first_mb') return outcomeOf(voice, { ...verdict, kind: 'failed' }, now)
      const status = voice.status === 'published' ? 'gone' : voice.status
      return { ...keep, status, verifyState: 'deleted', ...why }
    }
    case 'failed': {
      const why = whyOf(verdict)
      if (NEVER_PUBLISHED.includes(voice.status))
        return { status: 'rejected', publishedAt: null, verifyState: 'rejected', ...why }
      // The voice stays as it was last verified (state verified, with the reason this check failed).
      const state: VerifyState = voice.status === 'gone' ? 'deleted' : 'verified'
      return { ...keep, verifyState: state, ...why }
    }
  }
}

const whyOf = (v: Why) => ({ verifyReason: v.reason, verifyHttpStatus: v.status ?? null })

/**
 * A TrackBack ping brings its own title, excerpt and blog name, which the page only fills
 * in where missing; Webmention and Pingback carry nothing, so the page is the content.
 */
export function mergeContent(voice: VoiceState, page: SourceContent): SourceContent {
  // A blog review's form names its writer: the name they gave stands. An affiliate post's page
  // names its writer, else the partner's name stands.
  if (voice.kind === 'review') return { ...page, authorName: voice.authorName ?? page.authorName }
  if (voice.kind === 'affiliate') return { ...page, authorName: page.authorName ?? voice.authorName }
  if (voice.kind !== 'trackback') return page
  return {
    ...page,
    title: voice.title ?? page.title,
    excerpt: voice.excerpt ?? page.excerpt,
    blogName: voice.blogName ?? page.blogName,
  }
}
