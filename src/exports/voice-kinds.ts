/**
 * Voices and reviews in an export: every voice of the shop with its official answers (and a
 * review's earlier versions), and the reviews alone with their photos' URLs — each also as a CSV
 * file for spreadsheets.
 */
import { photoUrl } from '../common/hub-urls'
import type { Db } from '../db/client'
import type { voices } from '../db/schema'
import { type ExportKind, cursors, iso, type KindBatch } from './kind'
import { answersOfVoices, versionsOfAnswers, versionsOfVoices, voicesAfter } from './store'

type VoiceRow = typeof voices.$inferSelect

/** Rows by a key (a voice's or an answer's id), in their order. */
const groupBy = <T>(rows: readonly T[], key: (row: T) => string) => {
  const by = new Map<string, T[]>()
  for (const row of rows) {
    const list = by.get(key(row))
    if (list) list.push(row)
    else by.set(key(row), [row])
  }
  return by
}

/**
 * What belongs to a batch of voices, read for the batch at once: their official answers, and
 * the earlier versions of reviews. The one place to add what a voice gains (an answer's own
 * earlier versions, once answers can be edited).
 */
async function extrasOf(db: Db, ids: readonly string[]) {
  const [answerRows, versionRows] = await Promise.all([answersOfVoices(db, ids), versionsOfVoices(db, ids)])
  const answers = groupBy(answerRows, (a) => a.voiceId)
  const versions = groupBy(versionRows, (r) => r.voiceId)
  // Only a corrected answer (past its first version) has earlier versions to read.
  const answerVersionRows = await versionsOfAnswers(
    db,
    answerRows.filter((a) => a.version > 1).map((a) => a.id),
  )
  const answerVersions = groupBy(answerVersionRows, (r) => r.responseId)
  return {
    answers: (id: string) =>
      (answers.get(id) ?? []).map((a) => ({
        id: a.id,
        stage: a.stage,
        body: a.body,
        author_name: a.authorName,
        author_role: a.authorRole,
        created_at: iso(a.createdAt),
        version: a.version,
        edited_at: iso(a.editedAt),
        withdrawn_at: iso(a.withdrawnAt),
        withdrawn_reason: a.withdrawnReason,
        earlier_versions: (answerVersions.get(a.id) ?? []).map((r) => ({
          version: r.version,
          stage: r.stage,
          body: r.body,
          author_name: r.authorName,
          author_role: r.authorRole,
          written_at: iso(r.writtenAt),
          replaced_at: iso(r.replacedAt),
        })),
        announcement: a.webmentionState,
      })),
    versions: (id: string) =>
      (versions.get(id) ?? []).map((r) => ({
        rating: r.rating,
        title: r.title,
        body: r.body,
        written_at: iso(r.writtenAt),
        replaced_at: iso(r.replacedAt),
      })),
  }
}

const photoUrls = (hubOrigin: string, voice: VoiceRow) => voice.photos.map((_, n) => photoUrl(hubOrigin, voice.id, n))

type Extras = Awaited<ReturnType<typeof extrasOf>>
type Answer = ReturnType<Extras['answers']>[number]
/** The answers that stand (a withdrawn one no longer counts), and the newest one's words: the CSV's two columns. */
const standing = (answers: readonly Answer[]) => answers.filter((a) => a.withdrawn_at === null)
const lastAnswer = (answers: readonly Answer[]) => standing(answers).at(-1)?.body ?? null

async function voiceBatch(
  db: Db,
  siteId: number,
  cursor: string | null,
  limit: number,
  reviews: boolean,
  line: (voice: VoiceRow, extras: Extras) => { json: unknown; csv: (string | number | boolean | null)[] },
): Promise<KindBatch> {
  const rows = await voicesAfter(db, siteId, cursors.position.read(cursor), limit, reviews ? 'review' : undefined)
  const extras = await extrasOf(
    db,
    rows.map((r) => r.id),
  )
  const made = rows.map((r) => line(r, extras))
  const last = rows.at(-1)
  return {
    lines: made.map((m) => m.json),
    csv: made.map((m) => m.csv),
    cursor: cursors.position.after(last && { time: last.receivedAt, id: last.id }),
  }
}

const ANSWER_FIELDS =
  'its official answers, oldest first: id, stage (reply, apology, resolution), body, author_name, author_role, created_at, version (1 until staff correct it), edited_at, withdrawn_at and withdrawn_reason (null unless withdrawn; a withdrawn answer keeps its words here, for the shop), earlier_versions (each corrected version, oldest first: version, stage, body, author_name, author_role, written_at, replaced_at), announcement (the Webmention to its blog: queued, sent, failed, no_endpoint, skipped, or null)'
const VERSION_FIELDS = 'a review’s earlier versions, oldest first (rating, title, body, written_at, replaced_at)'

export const VOICES: ExportKind = {
  name: 'voices',
  about: 'Every voice the hub holds for the shop, whatever its state, oldest received first.',
  fields: {
    id: 'the voice’s id (m_…)',
    kind: 'trackback, pingback, webmention, review, affiliate or discovered',
    status: 'pending, published, spam, removed, gone or rejected',
    target_id: 'the product or page it is about',
    source_url: 'the page it was said on (null for a review written on the hub)',
    title: 'its title',
    excerpt: 'what it says (a review’s whole text)',
    author_name: 'who said it',
    author_url: 'the author’s page',
    blog_name: 'the blog it is on',
    rating: '1 to 5 stars (reviews), or null',
    sentiment: 'positive, neutral, negative or null',
    disclosure: 'how the author disclosed a relationship with the shop',
    verified_purchase: 'a buyer’s review through a review link',
    received_at: 'when the hub received it',
    published_at: 'when it was first published (null: never)',
    publication_number: 'its number among the shop’s published voices',
    edited_at: 'when its author last edited it',
    author_verdict: 'the reviewer’s word on the shop’s answer: resolved, unresolved or null',
    partner_id: 'the affiliate partner who wrote it',
    photos: 'the URLs of a review’s photos (served while the review is published)',
    answers: ANSWER_FIELDS,
    versions: VERSION_FIELDS,
  },
  csv: {
    file: 'voices.csv',
    columns: [
      'id',
      'kind',
      'status',
      'target_id',
      'received_at',
      'published_at',
      'sentiment',
      'rating',
      'title',
      'excerpt',
      'author_name',
      'source_url',
      'answers',
      'last_answer',
    ],
  },
  batch: (db, siteId, cursor, limit, hubOrigin) =>
    voiceBatch(db, siteId, cursor, limit, false, (v, extras) => {
      const answers = extras.answers(v.id)
      return {
        json: {
          id: v.id,
          kind: v.kind,
          status: v.status,
          target_id: v.targetId,
          source_url: v.sourceUrl,
          title: v.title,
          excerpt: v.excerpt,
          author_name: v.authorName,
          author_url: v.authorUrl,
          blog_name: v.blogName,
          rating: v.rating,
          sentiment: v.sentiment,
          disclosure: v.disclosure,
          verified_purchase: v.verifiedPurchase,
          received_at: iso(v.receivedAt),
          published_at: iso(v.publishedAt),
          publication_number: v.pubSeq,
          edited_at: iso(v.editedAt),
          author_verdict: v.authorVerdict,
          partner_id: v.partnerId,
          photos: photoUrls(hubOrigin, v),
          answers,
          versions: extras.versions(v.id),
        },
        csv: [
          v.id,
          v.kind,
          v.status,
          v.targetId,
          iso(v.receivedAt),
          iso(v.publishedAt),
          v.sentiment,
          v.rating,
          v.title,
          v.excerpt,
          v.authorName,
          v.sourceUrl,
          standing(answers).length,
          lastAnswer(answers),
        ],
      }
    }),
}

export const REVIEWS: ExportKind = {
  name: 'reviews',
  about: 'The shop’s reviews (the voices of kind review), oldest received first, with their photos’ URLs.',
  fields: {
    id: 'the review’s id (m_…)',
    status: 'pending, published, spam, removed, gone or rejected',
    target_id: 'the product it is about',
    rating: '1 to 5 stars',
    title: 'its title',
    body: 'its text',
    author_name: 'the reviewer’s name as shown',
    source_url: 'the blog post, for a review written on a blog (null on the hub’s form)',
    verified_purchase: 'written through a buyer’s review link',
    invitation_id: 'the review invitation it came through',
    received_at: 'when it was written',
    published_at: 'when it was first published',
    edited_at: 'when the reviewer last edited it',
    author_verdict: 'the reviewer’s word on the shop’s answer: resolved, unresolved or null',
    photos: 'the URLs of its photos (served while the review is published)',
    answers: ANSWER_FIELDS,
    versions: VERSION_FIELDS,
  },
  csv: {
    file: 'reviews.csv',
    columns: [
      'id',
      'status',
      'target_id',
      'received_at',
      'published_at',
      'rating',
      'title',
      'body',
      'author_name',
      'verified_purchase',
      'photos',
      'answers',
      'last_answer',
    ],
  },
  batch: (db, siteId, cursor, limit, hubOrigin) =>
    voiceBatch(db, siteId, cursor, limit, true, (v, extras) => {
      const answers = extras.answers(v.id)
      const photos = photoUrls(hubOrigin, v)
      return {
        json: {
          id: v.id,
          status: v.status,
          target_id: v.targetId,
          rating: v.rating,
          title: v.title,
          body: v.excerpt,
          author_name: v.authorName,
          source_url: v.sourceUrl,
          verified_purchase: v.verifiedPurchase,
          invitation_id: v.invitationId,
          received_at: iso(v.receivedAt),
          published_at: iso(v.publishedAt),
          edited_at: iso(v.editedAt),
          author_verdict: v.authorVerdict,
          photos,
          answers,
          versions: extras.versions(v.id),
        },
        csv: [
          v.id,
          v.status,
          v.targetId,
          iso(v.receivedAt),
          iso(v.publishedAt),
          v.rating,
          v.title,
          v.excerpt,
          v.authorName,
          v.verifiedPurchase,
          photos.join(' '),
          standing(answers).length,
          lastAnswer(answers),
        ],
      }
    }),
}
