/**
 * The D1 schema. drizzle-kit generates the SQL migrations in `migrations/` from this file
 * (`npm run db:generate -- --name verb_noun`); `wrangler d1 migrations apply` applies them.
 * Migrations are append-only: change this file, generate a new migration, never edit an old one.
 *
 * Times are integer milliseconds since the epoch (UTC).
 */
import { sql } from 'drizzle-orm'
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

import { FETCH_REFUSALS, type FetchRefusal } from '../common/address-policy'

export const VOICE_KINDS = [
  'trackback',
  'pingback',
  'webmention',
  'review',
  'affiliate',
  'discovered',
  'comment',
] as const
export type VoiceKind = (typeof VOICE_KINDS)[number]

/**
 * pending: waiting for its link back to be verified; published: in the feed; spam, removed:
 * hidden by an operator (logged, reversible); gone: its author took it down (the source answers
 * 410 or no longer links); rejected: never verified (no link back, or the source failed for
 * good) — it was never public, so it is not in the public ledger.
 */
export const VOICE_STATUSES = ['pending', 'published', 'spam', 'removed', 'gone', 'rejected'] as const
export type VoiceStatus = (typeof VOICE_STATUSES)[number]

export const SENTIMENTS = ['positive', 'neutral', 'negative'] as const
export type Sentiment = (typeof SENTIMENTS)[number]

/** Where a linked voice's source page stands (src/verification/). */
export const SENTIMENT_SOURCES = ['operator', 'suggested', 'rating'] as const
export type SentimentSource = (typeof SENTIMENT_SOURCES)[number]

export const VERIFY_STATES = ['queued', 'verified', 'rejected', 'deleted'] as const
export type VerifyState = (typeof VERIFY_STATES)[number]

export { FETCH_REFUSALS, type FetchRefusal }

/** Buckets of the stored response-time histogram (their bounds and the median: src/stats/response-time.ts). */
export const RESPONSE_TIME_BUCKETS = 25
export const EMPTY_HISTOGRAM = JSON.stringify(new Array<number>(RESPONSE_TIME_BUCKETS).fill(0))

/** Why a check of a source ended as it did (explained in src/reasons/check.ts). */
export const VERIFY_REASONS = [
  'no_link',
  'no_link_in_first_mb',
  'source_gone',
  'source_not_found',
  'source_forbidden',
  'source_error',
  'source_timeout',
  'source_unreachable',
  'unsupported_content',
  'unregistered_target',
  'duplicate',
  ...FETCH_REFUSALS,
] as const
export type VerifyReason = (typeof VERIFY_REASONS)[number]

/** What a Webmention source does to the target, in Post Type Discovery terms. */
export const VOICE_TYPES = ['repost', 'like', 'bookmark', 'reply', 'mention'] as const
export type VoiceType = (typeof VOICE_TYPES)[number]

export const TARGET_KINDS = ['product', 'post', 'page'] as const
export type TargetKind = (typeof TARGET_KINDS)[number]

export const RESPONSE_STAGES = ['reply', 'apology', 'resolution'] as const
export type ResponseStage = (typeof RESPONSE_STAGES)[number]

/** Where the Webmention announcing a response to the voice's blog stands. */
export const RESPONSE_WEBMENTION_STATES = ['queued', 'sent', 'failed', 'no_endpoint', 'skipped'] as const
export type ResponseWebmentionState = (typeof RESPONSE_WEBMENTION_STATES)[number]

/** What the last attempt to announce a response to the voice's blog met (explained in src/reasons/announcement.ts). */
export const ANNOUNCE_REASONS = [
  'accepted',
  'no_endpoint',
  'voice_not_public',
  'queue_unavailable',
  'post_refused',
  'post_error',
  'post_timeout',
  'post_unreachable',
  'endpoint_refused',
  'endpoint_error',
  'endpoint_timeout',
  'endpoint_unreachable',
] as const
export type AnnounceReason = (typeof ANNOUNCE_REASONS)[number]

/** What a reviewer says of the shop's answer to their review. */
export const AUTHOR_VERDICTS = ['resolved', 'unresolved'] as const
export type AuthorVerdict = (typeof AUTHOR_VERDICTS)[number]

export type ReviewPhoto = { key: string; type: string }

/** The steps staff take on a voice itself (the moderation API's actions). */
export const VOICE_MODERATION_ACTIONS = ['remove', 'spam', 'restore'] as const
export type VoiceModerationAction = (typeof VOICE_MODERATION_ACTIONS)[number]
/**
 * Every entry of the public ledger: a voice's moderation step, the shop withdrawing one of its
 * answers, or the shop choosing to publish an import's voices without checking their sources.
 */
export const MODERATION_ACTIONS = [...VOICE_MODERATION_ACTIONS, 'withdraw_answer', 'trust_import'] as const
export type ModerationAction = (typeof MODERATION_ACTIONS)[number]
/** Why a voice may be removed (spam has its own action; the rules: src/voices/moderation.ts). */
export const REMOVAL_CATEGORIES = ['illegal', 'personal_data', 'author_request', 'duplicate', 'off_topic'] as const
export type RemovalCategory = (typeof REMOVAL_CATEGORIES)[number]
/** What a ledger entry is filed under: a removal's category, `spam`, `restore`, or `answer` (an answer withdrawn). */
export const MODERATION_CATEGORIES = [...REMOVAL_CATEGORIES, 'spam', 'restore', 'answer', 'import'] as const
export type ModerationCategory = (typeof MODERATION_CATEGORIES)[number]

export const sites = sqliteTable(
  'sites',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    slug: text('slug').notNull().unique(),
    name: text('name').notNull(),
    /** JSON array of storefront origins, e.g. ["https://shop.example"]. */
    origins: text('origins', { mode: 'json' }).$type<string[]>().notNull(),
    /** JSON array of origins allowed to fetch the feed from a browser (CORS). */
    embedOrigins: text('embed_origins', { mode: 'json' }).$type<string[]>().notNull(),
    /** JSON object of per-site settings; see src/sites/settings.ts. */
    settings: text('settings', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    /**
     * Bumped in the same batch as every change to the site's public data. Part of every
     * public cache key and ETag, so caches are invalidated by key, never by delete.
     */
    dataVersion: integer('data_version').notNull().default(0),
    /** Hash of the newest entry of the public moderation ledger (null: none chained yet). */
    ledgerHead: text('ledger_head'),
    /**
     * The secret that signs the storefront's events to the hub (orders; Standard Webhooks),
     * sealed like outbound webhook secrets (src/common/secrets.ts). Null: none issued yet.
     */
    inboundSecretSealed: text('inbound_secret_sealed'),
    /** The secret before the last rotation, still accepted until `inbound_previous_until`. */
    inboundPreviousSealed: text('inbound_previous_sealed'),
    inboundPreviousUntil: integer('inbound_previous_until'),
    createdAt: integer('created_at').notNull(),
    /**
     * When the site's next weekly digest is due (src/digest/): the Monday 00:00, in the shop's time
     * zone, that ends the first week it has not had a digest of (0: at once). The cron's index of
     * the sites due, so it never reads the sites already done or not yet due.
     */
    digestDue: integer('digest_due').notNull().default(0),
    /**
     * Unused since digest_due: the weekly digest's last week in UTC. Kept so that the Worker of the
     * release before can still read sites between `db:migrate:remote` and `deploy`; a later
     * release drops it.
     */
    digestWeek: integer('digest_week').notNull().default(0),
    /**
     * When an operator deleted the shop (src/sites/lifecycle.ts); null while it is live. For 30 days
     * it can be restored and its public documents and ingest answer 410; then the cron purges its
     * rows in bounded batches (src/sites/purge.ts) and last of all this row, which keeps the slug
     * reserved until then.
     */
    deletedAt: integer('deleted_at'),
    /** The purge's next step (an index into its list of tables) and the rows it has deleted so far. */
    purgeStep: integer('purge_step').notNull().default(0),
    purgeRows: integer('purge_rows').notNull().default(0),
  },
  (t) => [
    index('sites_digest_due').on(t.digestDue, t.id),
    index('sites_deleted')
      .on(t.deletedAt, t.id)
      .where(sql`deleted_at IS NOT NULL`),
  ],
)

export const targets = sqliteTable(
  'targets',
  {
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id),
    id: text('id').notNull(),
    /** Canonical URL (src/common/url.ts). */
    url: text('url').notNull(),
    title: text('title').notNull(),
    kind: text('kind', { enum: TARGET_KINDS }).notNull(),
    /**
     * Created by the hub, not named by the operator: the page of a published voice nobody
     * registered, or a product URL in an order. Partners see only registered targets.
     */
    automatic: integer('automatic', { mode: 'boolean' }).notNull().default(false),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.siteId, t.id] }),
    uniqueIndex('targets_site_url').on(t.siteId, t.url),
    // Registered (or automatic) targets only, by id: the partner page and ?automatic= read a page, not every page the hub made.
    index('targets_site_automatic').on(t.siteId, t.automatic, t.id),
  ],
)

/**
 * Former addresses of targets: a page's old URL after an operator moved the target, or the URL
 * of an automatic target merged into it. A voice about a former address is a voice about the
 * target, and a post that links to it links to the target.
 */
export const targetUrls = sqliteTable(
  'target_urls',
  {
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id),
    /** Canonical URL (src/common/url.ts); never also a target's current URL. */
    url: text('url').notNull(),
    targetId: text('target_id').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.url] }), index('target_urls_target').on(t.siteId, t.targetId)],
)

export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id),
    /** SHA-256 of the whole key, hex. The key itself is shown once and never stored. */
    keyHash: text('key_hash').notNull(),
    /** The first characters of the key, so operators can tell keys apart. */
    prefix: text('prefix').notNull(),
    label: text('label').notNull(),
    createdAt: integer('created_at').notNull(),
    revokedAt: integer('revoked_at'),
  },
  (t) => [uniqueIndex('api_keys_hash').on(t.keyHash), index('api_keys_site').on(t.siteId, t.createdAt, t.id)],
)

/** Partial-index predicate: public reads only ever see published voices. */
const published = sql`status = 'published'`

export const voices = sqliteTable(
  'mentions',
  {
    id: text('id').primaryKey(),
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id),
    /** The target's id; while `target_pending`, the target page's canonical URL instead. */
    targetId: text('target_id').notNull(),
    /**
     * True while the voice names a page nobody registered and is not published: no target is
     * made for it until the voice is published (src/targets/service.ts), so pings cannot make targets.
     */
    targetPending: integer('target_pending', { mode: 'boolean' }).notNull().default(false),
    kind: text('kind', { enum: VOICE_KINDS }).notNull(),
    status: text('status', { enum: VOICE_STATUSES }).notNull(),
    /** Canonical source URL; null for voices without a page (hosted reviews). */
    sourceUrl: text('source_url'),
    /**
     * The source URL as its sender gave it (fragment dropped): the page the hub fetches.
     * `source_url` is its canonical form, which identifies the voice.
     */
    sourceUrlSent: text('source_url_sent'),
    /** Host of the source URL. */
    sourceHost: text('source_host'),
    /** The blog the source belongs to (src/common/blog.ts): its host, or host/{id} on shared platforms. Per-blog limits count by it. */
    sourceBlog: text('source_blog'),
    title: text('title'),
    excerpt: text('excerpt'),
    authorName: text('author_name'),
    authorUrl: text('author_url'),
    authorPhoto: text('author_photo'),
    blogName: text('blog_name'),
    rating: integer('rating'),
    sentiment: text('sentiment', { enum: SENTIMENTS }),
    /** Who set the sentiment: the operator, the stars, or the words' suggestion (src/sentiment/), which the operator may override. */
    sentimentBy: text('sentiment_by', { enum: SENTIMENT_SOURCES }),
    disclosure: text('disclosure'),
    verifiedPurchase: integer('verified_purchase', { mode: 'boolean' }).notNull().default(false),
    receivedAt: integer('received_at').notNull(),
    verifiedAt: integer('verified_at'),
    updatedAt: integer('updated_at').notNull(),
    /** Feed order key: set when the voice is first published. */
    publishedAt: integer('published_at'),
    /**
     * The voice's publication number in its site: one more than any the site gave before, set in
     * the statement that first publishes it (`nextPubSeq`, src/voices/numbering.ts) and never changed
     * or reused — a voice taken down and restored keeps its number. Numbered jf2 pages are windows
     * of these numbers (src/feeds/jf2-store.ts). Null until the voice is first published.
     */
    pubSeq: integer('pub_seq'),
    /** When the first official response was published (null: unanswered). */
    firstResponseAt: integer('first_response_at'),
    /** When the first apology was published (null: none). */
    apologizedAt: integer('apologized_at'),
    /** When the first resolution report ("what we fixed") was published (null: none). */
    resolvedAt: integer('resolved_at'),
    /**
     * The voice's responses as a JSON array, rebuilt from `responses` in the same batch as
     * every response write, so a feed page needs no second query (src/voices/store.ts).
     */
    responsesJson: text('responses_json').notNull().default('[]'),
    /**
     * A fresh random token on every write that changes what the voice counts for. Counter
     * updates in the same batch apply only `WHERE rev = <this write's token>`, so a write
     * that lost a race (or an insert that met a duplicate) cannot move the counters.
     */
    rev: text('rev').notNull(),
    /** Link-back verification of the source page; null for voices without one (reviews). */
    verifyState: text('verify_state', { enum: VERIFY_STATES }),
    /** Why the last check failed or what it is waiting for: a code, explained in src/reasons/check.ts. */
    verifyReason: text('verify_reason', { enum: VERIFY_REASONS }),
    /** The source's HTTP status when the reason depends on it (source_error, source_forbidden …). */
    verifyHttpStatus: integer('verify_http_status'),
    /**
     * When a check was last asked for. A sender's re-send during a running check moves it,
     * which tells the running check that its copy of the page may be stale.
     */
    verifyRequestedAt: integer('verify_requested_at'),
    /** Fetch attempts made for the current check. */
    verifyAttempts: integer('verify_attempts').notNull().default(0),
    /** Post type of a Webmention source (reply, like, …); null when not known. */
    voiceType: text('mention_type', { enum: VOICE_TYPES }),
    /** The source's own publication date, as written there (offset kept, never invented). */
    sourcePublished: text('source_published'),
    /** The review invitation that brought this review (src/reviews/); null for other voices. */
    invitationId: text('invitation_id'),
    /** The reviewer's word on the shop's answer: did it resolve the problem? Null: not said. */
    authorVerdict: text('author_verdict', { enum: AUTHOR_VERDICTS }),
    authorVerdictAt: integer('author_verdict_at'),
    /** When the reviewer last edited the review (earlier versions are in review_revisions). */
    editedAt: integer('edited_at'),
    /** The affiliate partner who wrote the post (kind `affiliate`); null for other voices. */
    partnerId: text('partner_id'),
    /** JSON array of the review's photos: [{ key, type }] (R2 keys; served by /photos/). */
    photos: text('photos', { mode: 'json' }).$type<ReviewPhoto[]>().notNull().default([]),
    /** The import that brought the voice from the shop's history (src/imports/); null for a voice the hub received. */
    importId: text('import_id'),
    /**
     * What identifies an imported voice without a source page (a review from another service, an
     * old blog's comment) in its shop: a second import of the same line adds nothing.
     */
    importKey: text('import_key'),
    /**
     * The addresses an imported linkback was about in its file (an old blog post's, the storefront
     * pages it linked to), canonical: its source's link to any of them is a link back when it is checked.
     */
    importAbout: text('import_about', { mode: 'json' }).$type<string[]>(),
  },
  (t) => [
    // One voice per (target, source page): a repeated ping updates instead of duplicating.
    uniqueIndex('mentions_target_source').on(t.siteId, t.targetId, t.sourceUrl),
    uniqueIndex('mentions_import_key')
      .on(t.siteId, t.importKey)
      .where(sql`import_key IS NOT NULL`),
    index('mentions_source_blog').on(t.siteId, t.sourceBlog, t.receivedAt),
    // Operator lists, newest received first: one index per filter, so a page reads about its size
    // (src/voices/lists.ts picks the index; other filters are checked inside a bounded window).
    index('mentions_site_status').on(t.siteId, t.status, t.receivedAt, t.id),
    index('list_site').on(t.siteId, t.receivedAt, t.id),
    index('list_target').on(t.siteId, t.targetId, t.receivedAt, t.id),
    index('list_kind').on(t.siteId, t.kind, t.receivedAt, t.id),
    index('list_sentiment').on(t.siteId, t.sentiment, t.receivedAt, t.id),
    index('list_unanswered')
      .on(t.siteId, t.sentiment, t.receivedAt, t.id)
      .where(sql`first_response_at IS NULL`),
    // Checks still waiting, oldest first: the cron finds those an older release queued without an outbox message.
    index('mentions_check_queued')
      .on(t.verifyRequestedAt)
      .where(sql`verify_state = 'queued'`),
    // Public feed pages: one partial index per filter combination, each ending in the
    // feed order, so a page reads about `limit` rows whatever the table holds.
    index('feed_site').on(t.siteId, t.publishedAt, t.id).where(published),
    index('feed_target').on(t.siteId, t.targetId, t.publishedAt, t.id).where(published),
    index('feed_kind').on(t.siteId, t.kind, t.publishedAt, t.id).where(published),
    index('feed_sentiment').on(t.siteId, t.sentiment, t.publishedAt, t.id).where(published),
    index('feed_target_kind').on(t.siteId, t.targetId, t.kind, t.publishedAt, t.id).where(published),
    index('feed_target_sentiment').on(t.siteId, t.targetId, t.sentiment, t.publishedAt, t.id).where(published),
    index('feed_kind_sentiment').on(t.siteId, t.kind, t.sentiment, t.publishedAt, t.id).where(published),
    index('feed_target_kind_sentiment')
      .on(t.siteId, t.targetId, t.kind, t.sentiment, t.publishedAt, t.id)
      .where(published),
    // Numbered jf2 pages: a site's (or one target's) published voices by publication number.
    index('feed_pub_seq').on(t.siteId, t.pubSeq).where(published),
    index('feed_target_pub_seq').on(t.siteId, t.targetId, t.pubSeq).where(published),
    // The numbers of voices taken down since: with feed_pub_seq, every number the site gave, so its
    // highest and lowest are one entry of each (src/voices/numbering.ts). Apart, so a page of
    // published voices never walks the taken-down ones.
    index('mentions_pub_seq_hidden')
      .on(t.siteId, t.pubSeq)
      .where(sql`pub_seq IS NOT NULL AND status <> 'published'`),
    // Voices published without a number (by the release before this column, while migrations
    // apply or after a rollback): numbered by the scheduled run. Almost always empty.
    index('mentions_unnumbered')
      .on(t.publishedAt, t.id)
      .where(sql`pub_seq IS NULL AND published_at IS NOT NULL`),
    // The operator's inbox (src/admin/): unanswered voices by sentiment, oldest first; apologies awaiting a report.
    index('inbox_unanswered')
      .on(t.siteId, t.sentiment, t.publishedAt, t.id)
      .where(sql`status = 'published' AND first_response_at IS NULL`),
    index('inbox_unanswered_other')
      .on(t.siteId, t.publishedAt, t.id)
      .where(sql`status = 'published' AND first_response_at IS NULL AND sentiment IS NOT 'negative'`),
    index('inbox_target')
      .on(t.siteId, t.targetId, t.publishedAt, t.id)
      .where(sql`status = 'published' AND first_response_at IS NULL`),
    index('mentions_invitation')
      .on(t.invitationId)
      .where(sql`invitation_id IS NOT NULL`),
    index('inbox_unresolved')
      .on(t.siteId, t.apologizedAt, t.id)
      .where(sql`status = 'published' AND apologized_at IS NOT NULL AND resolved_at IS NULL`),
    // Listening (src/listening/): a feed entry already a voice of the site, whatever its target or kind, is not added again.
    index('mentions_site_source').on(t.siteId, t.sourceUrl),
    // The scheduled re-check of published linked voices, least recently checked first.
    index('mentions_recheck')
      .on(t.verifyRequestedAt, t.id)
      .where(sql`status = 'published' AND verify_state = 'verified'`),
  ],
)

export const responses = sqliteTable(
  'responses',
  {
    id: text('id').primaryKey(),
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id),
    voiceId: text('mention_id')
      .notNull()
      .references(() => voices.id),
    stage: text('stage', { enum: RESPONSE_STAGES }).notNull(),
    body: text('body').notNull(),
    authorName: text('author_name').notNull(),
    authorRole: text('author_role'),
    createdAt: integer('created_at').notNull(),
    /**
     * The Webmention that tells the voice's blog about this response (src/responses/):
     * null when none is due (the voice did not come by Webmention or Pingback).
     */
    webmentionState: text('webmention_state', { enum: RESPONSE_WEBMENTION_STATES }),
    /** What the last attempt met: a code; the address refusal and the HTTP status when they are part of it. */
    webmentionReason: text('webmention_reason', { enum: ANNOUNCE_REASONS }),
    webmentionRefusal: text('webmention_refusal', { enum: FETCH_REFUSALS }),
    webmentionHttpStatus: integer('webmention_http_status'),
    webmentionAttempts: integer('webmention_attempts').notNull().default(0),
    webmentionAt: integer('webmention_at'),
    /** 1 when published; each edit adds one (earlier versions are in response_revisions). */
    version: integer('version').notNull().default(1),
    /** When the answer was last edited; null if never. `created_at` stays the first answer's time. */
    editedAt: integer('edited_at'),
    /** When the shop withdrew the answer, and why (public: the answer's tombstone and the ledger say it). */
    withdrawnAt: integer('withdrawn_at'),
    withdrawnReason: text('withdrawn_reason'),
    /**
     * When the answer took its stage, if an edit changed it (null: when it was written). The
     * voice's apology and resolution times count from here, so a reply corrected into a
     * resolution report later is not counted as resolved when the reply was written.
     */
    stageAt: integer('stage_at'),
  },
  (t) => [index('responses_mention').on(t.voiceId, t.createdAt), index('responses_site').on(t.siteId)],
)

/** An official answer's earlier versions: every edit keeps what it replaced, publicly readable. */
export const responseRevisions = sqliteTable(
  'response_revisions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    responseId: text('response_id')
      .notNull()
      .references(() => responses.id),
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id),
    /** The version this row was (1 for the answer as first published). */
    version: integer('version').notNull(),
    stage: text('stage', { enum: RESPONSE_STAGES }).notNull(),
    body: text('body').notNull(),
    authorName: text('author_name').notNull(),
    authorRole: text('author_role'),
    /** When this version was written (published, or the edit before), and when an edit replaced it. */
    writtenAt: integer('written_at').notNull(),
    replacedAt: integer('replaced_at').notNull(),
  },
  (t) => [
    uniqueIndex('response_revisions_version').on(t.responseId, t.version),
    index('response_revisions_site').on(t.siteId),
  ],
)

/** Append-only: every removal and restoration, who did it and why. */
export const moderationEvents = sqliteTable(
  'moderation_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id),
    /** The voice the entry is about; null for an entry about an import (`import_id`). */
    voiceId: text('mention_id').references(() => voices.id),
    /** The import an entry about an import's voices is about (src/imports/); null otherwise. */
    importId: text('import_id'),
    action: text('action', { enum: MODERATION_ACTIONS }).notNull(),
    category: text('category', { enum: MODERATION_CATEGORIES }).notNull(),
    reason: text('reason').notNull(),
    /** Who acted: "operator" or the id of the site key. */
    actor: text('actor').notNull(),
    fromStatus: text('from_status', { enum: VOICE_STATUSES }).notNull(),
    toStatus: text('to_status', { enum: VOICE_STATUSES }).notNull(),
    createdAt: integer('created_at').notNull(),
    /** The voice's sentiment and rating when it was moderated: public, unlike its content. */
    sentiment: text('sentiment', { enum: SENTIMENTS }),
    rating: integer('rating'),
    /**
     * Public ledger chain (src/ledger/): SHA-256 over the previous entry's hash and this
     * entry's public fields. Null for entries written before the ledger was chained.
     */
    prevHash: text('prev_hash'),
    hash: text('hash'),
  },
  (t) => [index('moderation_site').on(t.siteId, t.id), index('moderation_mention').on(t.voiceId, t.id)],
)

/**
 * Feed statistics kept on write (src/stats/): one row for the whole site (`target_id` = '')
 * and one per target. Every change to a published voice updates these rows in the same
 * `db.batch()`, so a public request reads one row instead of counting mentions.
 */
export const stats = sqliteTable(
  'stats',
  {
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id),
    targetId: text('target_id').notNull(),
    published: integer('published').notNull().default(0),
    positive: integer('positive').notNull().default(0),
    neutral: integer('neutral').notNull().default(0),
    negative: integer('negative').notNull().default(0),
    unclassified: integer('unclassified').notNull().default(0),
    /** Published voices with at least one official response. */
    responded: integer('responded').notNull().default(0),
    /** Published negative voices with at least one official response. */
    negativeResponded: integer('negative_responded').notNull().default(0),
    /** Published voices with an apology, and those of them with a resolution report too. */
    apologized: integer('apologized').notNull().default(0),
    resolved: integer('resolved').notNull().default(0),
    /** Ledger events that took a published negative voice out of the feed (spam or removal). */
    hiddenNegative: integer('hidden_negative').notNull().default(0),
    /** JSON array: counts of first-response delays per bucket (src/stats/response-time.ts). */
    responseTimeHistogram: text('response_time_histogram').notNull().default(EMPTY_HISTOGRAM),
    removed: integer('removed').notNull().default(0),
    spam: integer('spam').notNull().default(0),
    restored: integer('restored').notNull().default(0),
    gone: integer('gone').notNull().default(0),
    /** Published reviews by rating (1–5 stars): the rating summary's histogram. */
    rating1: integer('rating_1').notNull().default(0),
    rating2: integer('rating_2').notNull().default(0),
    rating3: integer('rating_3').notNull().default(0),
    rating4: integer('rating_4').notNull().default(0),
    rating5: integer('rating_5').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.targetId] })],
)

/**
 * Signed-in sessions of the web UI (/admin). The cookie carries a random value; only its
 * SHA-256 is stored. A session of a site key ends when the key is revoked.
 */
export const adminSessions = sqliteTable('admin_sessions', {
  /** SHA-256 (hex) of the cookie's value. */
  id: text('id').primaryKey(),
  /** The site key the session was opened with; null for the operator token. */
  keyId: text('key_id'),
  siteId: integer('site_id'),
  /** Per-session token every form must carry back (CSRF). */
  csrf: text('csrf').notNull(),
  createdAt: integer('created_at').notNull(),
  expiresAt: integer('expires_at').notNull(),
})

/**
 * What a console form's answer tells the page it redirects to (a notice, a key or secret shown
 * once), kept for a few minutes and read once, by that page. Sealed with AES-GCM under a key that
 * only the browser's flash cookie holds: the row alone reveals nothing, and once read it is gone.
 */
export const adminFlashes = sqliteTable(
  'admin_flashes',
  {
    /** A random id, also in the flash cookie's name. */
    id: text('id').primaryKey(),
    /** The session it was made in (admin_sessions.id): only that session reads it. */
    sessionId: text('session_id').notNull(),
    /**
     * The path of the page it lands on (no query): only a visit to that page reads it. '' for a
     * flash written by the release before, which no page reads.
     */
    path: text('path').notNull().default(''),
    sealed: text('sealed').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('admin_flashes_expires').on(t.expiresAt)],
)

/** What an endpoint receives: Standard Webhooks JSON, or a readable Slack-compatible message. */
export const WEBHOOK_MODES = ['standard', 'slack'] as const
export type WebhookMode = (typeof WEBHOOK_MODES)[number]

/** The events a site's endpoints may subscribe to (src/webhooks/events.ts). */
export const WEBHOOK_EVENTS = [
  'mention.received',
  'mention.published',
  'mention.removed',
  'response.published',
  'response.updated',
  'response.withdrawn',
  'review.invitation.due',
  'review.coupon.issued',
  'affiliate.partner.applied',
  'affiliate.conversion',
  'affiliate.click',
  'digest.weekly',
] as const
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number]

/** Outbound webhook endpoints of a site (src/webhooks/). */
export const webhookEndpoints = sqliteTable(
  'webhook_endpoints',
  {
    id: text('id').primaryKey(),
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id),
    url: text('url').notNull(),
    /** JSON array of event types; empty: every event. */
    events: text('events', { mode: 'json' }).$type<WebhookEvent[]>().notNull(),
    mode: text('mode', { enum: WEBHOOK_MODES }).notNull(),
    /**
     * The signing secret (`whsec_…`), encrypted with the WEBHOOK_SECRETS_KEY secret (AES-GCM):
     * it must be usable to sign, so it cannot be hashed like API keys.
     */
    secretSealed: text('secret_sealed').notNull(),
    /** The secret before the last rotation, still signing (second signature) until `previous_until`. */
    previousSealed: text('previous_sealed'),
    previousUntil: integer('previous_until'),
    /** Since when every delivery has failed (null: the last one succeeded). */
    failingSince: integer('failing_since'),
    disabledAt: integer('disabled_at'),
    disabledReason: text('disabled_reason'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('webhook_endpoints_site').on(t.siteId)],
)

/** One event for one endpoint: its payload, its attempts so far and where it stands. `id` is the stable `webhook-id`. */
/** One attempt to deliver a webhook, as its delivery's log keeps it. */
export type DeliveryAttempt = { at: number; status: number | null; error: string | null; body: string | null }

/** Where a webhook delivery stands: still being tried, delivered, or given up. */
export const DELIVERY_STATES = ['pending', 'delivered', 'failed'] as const

export const webhookDeliveries = sqliteTable(
  'webhook_deliveries',
  {
    id: text('id').primaryKey(),
    siteId: integer('site_id').notNull(),
    endpointId: text('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id),
    event: text('event', { enum: WEBHOOK_EVENTS }).notNull(),
    /** The JSON body sent (the same bytes on every attempt). */
    payload: text('payload').notNull(),
    state: text('state', { enum: DELIVERY_STATES }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    /** The last answer's HTTP status (null: none), or why there was none. */
    lastStatus: integer('last_status'),
    lastError: text('last_error'),
    lastAttemptAt: integer('last_attempt_at'),
    /** The newest attempts (at most 10): when, the answer's status, what went wrong, the start of the answer's body. */
    attemptLog: text('attempt_log', { mode: 'json' })
      .$type<DeliveryAttempt[]>()
      .notNull()
      .default(sql`'[]'`),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    index('webhook_deliveries_endpoint').on(t.endpointId, t.createdAt),
    index('webhook_deliveries_site').on(t.siteId),
    index('webhook_deliveries_failed').on(t.endpointId, t.state, t.createdAt),
  ],
)

/**
 * scheduled: waiting for its send time; sent: the buyer has the link; used: reviews were
 * submitted with it (the link now edits them); expired: never used in time.
 */
export const INVITATION_STATES = ['scheduled', 'sent', 'used', 'expired'] as const
export type InvitationState = (typeof INVITATION_STATES)[number]

/**
 * Review invitations (src/reviews/): one per order, sent at the same delay after delivery to
 * every buyer. The buyer's address is kept only sealed, for sending, and only until the
 * invitation is used or expires; its keyed hash stays so an erasure request can find it.
 */
export const invitations = sqliteTable(
  'invitations',
  {
    id: text('id').primaryKey(),
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id),
    /** The storefront's order id. */
    orderId: text('order_id').notNull(),
    /** JSON array of the ordered products' target ids, in the order's order. */
    items: text('items', { mode: 'json' }).$type<string[]>().notNull(),
    customerName: text('customer_name'),
    /** The buyer's address, sealed (AES-GCM); null once used, expired or erased. */
    emailSealed: text('email_sealed'),
    /** HMAC of the site and the normalised address: finds a buyer's invitations for erasure. */
    emailHash: text('email_hash'),
    lang: text('lang', { enum: ['en', 'ja'] }).notNull(),
    /** The site offered a coupon for any review when the order came (disclosed on its reviews). */
    couponOffered: integer('coupon_offered', { mode: 'boolean' }).notNull(),
    deliveredAt: integer('delivered_at').notNull(),
    dueAt: integer('due_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    state: text('state', { enum: INVITATION_STATES }).notNull(),
    sentAt: integer('sent_at'),
    usedAt: integer('used_at'),
    /** When the buyer first opened the link while it was open (shown to staff: invited, opened, used). */
    openedAt: integer('opened_at'),
    /** Until when the reviewer may edit what they wrote. */
    editUntil: integer('edit_until'),
    /** A random value set by the write that used the invitation: its reviews are inserted only under it. */
    claim: text('claim'),
    couponCode: text('coupon_code'),
    erasedAt: integer('erased_at'),
    /** The hub's origin as the storefront reached it, for the review link (HUB_ORIGIN wins when set). */
    hubOrigin: text('hub_origin').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('invitations_order').on(t.siteId, t.orderId),
    index('invitations_due')
      .on(t.dueAt)
      .where(sql`state = 'scheduled'`),
    index('invitations_open')
      .on(t.expiresAt)
      .where(sql`state IN ('scheduled', 'sent')`),
    index('invitations_email').on(t.siteId, t.emailHash),
    // The console's list of a site's invitations, newest due first, all or of one state.
    index('invitations_site_due').on(t.siteId, t.dueAt, t.id),
    index('invitations_site_state').on(t.siteId, t.state, t.dueAt, t.id),
  ],
)

/**
 * Buyers' erasure requests, kept as a record that each was carried out: who asked the hub to
 * erase, when, by order id or by address, and what was erased. The address itself is never
 * stored (only that one was given).
 */
export const erasureRequests = sqliteTable(
  'erasure_requests',
  {
    id: text('id').primaryKey(),
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id),
    byEmail: integer('by_email', { mode: 'boolean' }).notNull(),
    orderId: text('order_id'),
    removeReviews: integer('remove_reviews', { mode: 'boolean' }).notNull(),
    invitations: integer('invitations').notNull(),
    reviews: integer('reviews').notNull(),
    /** The staff member, site key or operator who made the request. */
    actor: text('actor').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('erasure_requests_site').on(t.siteId, t.createdAt, t.id)],
)

/** `webhook-id`s of signed storefront events already taken: a replay is refused, not stored twice. */
export const inboundReceipts = sqliteTable(
  'inbound_receipts',
  {
    siteId: integer('site_id').notNull(),
    messageId: text('message_id').notNull(),
    receivedAt: integer('received_at').notNull(),
    /** Random per request: what the event's own rows are written under (same batch), so a replay racing it writes nothing. */
    nonce: text('nonce').notNull(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.messageId] }), index('inbound_receipts_time').on(t.receivedAt)],
)

/** A site's uploaded coupon codes; each is given to one used invitation, whatever its rating. */
export const couponCodes = sqliteTable(
  'coupon_codes',
  {
    siteId: integer('site_id').notNull(),
    code: text('code').notNull(),
    invitationId: text('invitation_id'),
    issuedAt: integer('issued_at'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.siteId, t.code] }),
    index('coupon_codes_free')
      .on(t.siteId, t.createdAt)
      .where(sql`invitation_id IS NULL`),
    index('coupon_codes_invitation')
      .on(t.invitationId)
      .where(sql`invitation_id IS NOT NULL`),
  ],
)

/** A review's earlier versions: every edit by its author keeps what it replaced. */
export const reviewRevisions = sqliteTable(
  'review_revisions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    voiceId: text('mention_id')
      .notNull()
      .references(() => voices.id),
    rating: integer('rating'),
    title: text('title'),
    body: text('body'),
    /** When this version was written (received, or the edit before). */
    writtenAt: integer('written_at').notNull(),
    replacedAt: integer('replaced_at').notNull(),
  },
  (t) => [index('review_revisions_mention').on(t.voiceId, t.id)],
)

/** applied: waiting for the operator; approved: may make links and earn; rejected; suspended: links stop, nothing new is earned. */
export const PARTNER_STATES = ['applied', 'approved', 'rejected', 'suspended'] as const
export type PartnerState = (typeof PARTNER_STATES)[number]

/** Affiliate partners of a site (src/affiliates/): bloggers who applied, and the operator's decision. */
export const partners = sqliteTable(
  'partners',
  {
    id: text('id').primaryKey(),
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id),
    name: text('name').notNull(),
    /** Where the shop reaches its partner (payments, questions); shown to the site's staff only. */
    email: text('email').notNull(),
    blogUrl: text('blog_url').notNull(),
    /** The language the partner applied in: their sign-in e-mails and pages use it. */
    lang: text('lang', { enum: ['en', 'ja'] })
      .notNull()
      .default('en'),
    state: text('state', { enum: PARTNER_STATES }).notNull(),
    /** SHA-256 of the partner key (`ghp_…`), shown once on approval; null until approved. */
    keyHash: text('key_hash'),
    keyPrefix: text('key_prefix'),
    appliedAt: integer('applied_at').notNull(),
    decidedAt: integer('decided_at'),
    /** Who decided: "operator" or a site key's id. */
    decidedBy: text('decided_by'),
    /** The operator's note on the decision (shown to the partner). */
    note: text('note'),
    /** Clicks on all the partner's links (human ones; unique: one per visitor per link per hour), kept by the click consumer. */
    clicks: integer('clicks').notNull().default(0),
    uniqueClicks: integer('unique_clicks').notNull().default(0),
    /** Counters kept with every conversion and every step of the commission ledger (minor units of the site's currency). */
    conversions: integer('conversions').notNull().default(0),
    revenue: integer('revenue').notNull().default(0),
    commissionPending: integer('commission_pending').notNull().default(0),
    commissionApproved: integer('commission_approved').notNull().default(0),
    commissionPaid: integer('commission_paid').notNull().default(0),
  },
  (t) => [
    // Newest applications first, of one state or of all.
    index('partners_site').on(t.siteId, t.state, t.appliedAt, t.id),
    index('partners_site_applied').on(t.siteId, t.appliedAt, t.id),
    uniqueIndex('partners_key').on(t.keyHash),
    uniqueIndex('partners_site_email').on(t.siteId, t.email),
  ],
)

/** A partner's tracking link to one of the site's targets: `GET /r/{code}`. */
export const affiliateLinks = sqliteTable(
  'affiliate_links',
  {
    code: text('code').primaryKey(),
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id),
    partnerId: text('partner_id')
      .notNull()
      .references(() => partners.id),
    targetId: text('target_id').notNull(),
    createdAt: integer('created_at').notNull(),
    disabledAt: integer('disabled_at'),
    /** Counters kept by the click consumer: every click, and unique ones (one per visitor per hour). */
    clicks: integer('clicks').notNull().default(0),
    uniqueClicks: integer('unique_clicks').notNull().default(0),
    /** Clicks by known bots and prefetchers: recorded, not counted above. */
    botClicks: integer('bot_clicks').notNull().default(0),
    /** How many of the clicks above were already reported by the aggregated `affiliate.click` webhook. */
    reportedClicks: integer('reported_clicks').notNull().default(0),
    reportedUniqueClicks: integer('reported_unique_clicks').notNull().default(0),
    /** Sales attributed to the link (refunds subtract), their revenue and commission, in minor units. */
    conversions: integer('conversions').notNull().default(0),
    revenue: integer('revenue').notNull().default(0),
    commission: integer('commission').notNull().default(0),
  },
  (t) => [
    index('affiliate_links_partner').on(t.partnerId, t.createdAt),
    index('affiliate_links_site').on(t.siteId),
    // Links with clicks not yet reported (the cron's affiliate.click aggregation).
    index('affiliate_links_unreported')
      .on(t.code)
      .where(sql`clicks > reported_clicks`),
  ],
)

export const UA_CLASSES = ['desktop', 'mobile', 'tablet', 'bot', 'other'] as const
export type UaClass = (typeof UA_CLASSES)[number]

/**
 * One click on a tracking link. No IP address is kept: `visitor` is an HMAC of the address
 * and user agent under a key that changes every day, enough to count unique visitors and no
 * more. `id` is the click id handed to the storefront (`gh_click`), so a retried write is
 * the same row.
 */
export const clicks = sqliteTable(
  'clicks',
  {
    id: text('id').primaryKey(),
    siteId: integer('site_id').notNull(),
    linkCode: text('link_code').notNull(),
    partnerId: text('partner_id').notNull(),
    at: integer('at').notNull(),
    referrerHost: text('referrer_host'),
    country: text('country'),
    uaClass: text('ua_class', { enum: UA_CLASSES }).notNull(),
    bot: integer('bot', { mode: 'boolean' }).notNull(),
    visitor: text('visitor').notNull(),
    /** The first click of this visitor on this link within the hour. */
    isUnique: integer('is_unique', { mode: 'boolean' }).notNull(),
    /** Random per write: the link's counters move only under the write that stored the click (a retry counts nothing twice). */
    nonce: text('nonce').notNull(),
  },
  (t) => [index('clicks_link_visitor').on(t.linkCode, t.visitor, t.at), index('clicks_site_time').on(t.siteId, t.at)],
)

export const CONVERSION_EVENTS = ['sale', 'refund'] as const
export type ConversionEvent = (typeof CONVERSION_EVENTS)[number]

/**
 * The commission ledger: pending (earned, within the refund period) → approved → paid; a
 * refund is its own entry with a negative commission. unattributed: a sale with no valid click
 * (stored, earns nothing).
 */
export const COMMISSION_STATES = ['pending', 'approved', 'paid', 'unattributed'] as const
export type CommissionState = (typeof COMMISSION_STATES)[number]

/** Sales and refunds the storefront reports (`POST /hooks/{site}/conversions`), each attributed to the click's partner. */
export const conversions = sqliteTable(
  'conversions',
  {
    id: text('id').primaryKey(),
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id),
    orderId: text('order_id').notNull(),
    event: text('event', { enum: CONVERSION_EVENTS }).notNull(),
    /** Minor units of `currency` (yen, cents): a refund is negative. */
    amount: integer('amount').notNull(),
    currency: text('currency').notNull(),
    clickId: text('click_id'),
    partnerId: text('partner_id'),
    linkCode: text('link_code'),
    /** Minor units; negative for a refund's reversal. */
    commission: integer('commission').notNull(),
    state: text('state', { enum: COMMISSION_STATES }).notNull(),
    occurredAt: integer('occurred_at').notNull(),
    receivedAt: integer('received_at').notNull(),
    approvedAt: integer('approved_at'),
    paidAt: integer('paid_at'),
  },
  (t) => [
    uniqueIndex('conversions_order_event').on(t.siteId, t.orderId, t.event),
    index('conversions_partner').on(t.partnerId, t.state, t.occurredAt),
    // The partner's ledger, newest first; the site's export, oldest first.
    index('conversions_partner_time').on(t.partnerId, t.occurredAt, t.id),
    index('conversions_site').on(t.siteId, t.occurredAt, t.id),
  ],
)

/**
 * One-time sign-in links of approved partners (sent on approval, or asked for by e-mail): only
 * the token's SHA-256 is kept; a link works once, for 7 days.
 */
export const partnerSignInLinks = sqliteTable(
  'partner_sign_in_links',
  {
    tokenHash: text('token_hash').primaryKey(),
    partnerId: text('partner_id')
      .notNull()
      .references(() => partners.id),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    usedAt: integer('used_at'),
  },
  (t) => [index('partner_sign_in_links_partner').on(t.partnerId, t.createdAt)],
)

/** Signed-in sessions of the partner page (/partners/{site}); like admin_sessions, only the cookie's SHA-256 is kept. */
export const partnerSessions = sqliteTable('partner_sessions', {
  id: text('id').primaryKey(),
  partnerId: text('partner_id').notNull(),
  csrf: text('csrf').notNull(),
  createdAt: integer('created_at').notNull(),
  expiresAt: integer('expires_at').notNull(),
})

/**
 * Watched feeds (src/listening/): a feed the shop listens to — a blog search's feed, a review
 * site's, a partner's blog — and the keywords that make an entry a voice about the shop. The
 * scheduled run reads the ones that are due, conditionally (ETag, Last-Modified), and backs off
 * one that fails.
 */
export const watches = sqliteTable(
  'watches',
  {
    id: text('id').primaryKey(),
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id),
    feedUrl: text('feed_url').notNull(),
    /** The shop's name and its products, as typed (matched across width and kana). */
    keywords: text('keywords', { mode: 'json' }).$type<string[]>().notNull(),
    createdAt: integer('created_at').notNull(),
    /** When the scheduled run should read it next. */
    nextFetchAt: integer('next_fetch_at').notNull(),
    etag: text('etag'),
    lastModified: text('last_modified'),
    lastFetchedAt: integer('last_fetched_at'),
    /** Failures in a row (the back-off grows with them), and the last one's words. */
    failures: integer('failures').notNull().default(0),
    lastError: text('last_error'),
  },
  (t) => [
    uniqueIndex('watches_site_feed').on(t.siteId, t.feedUrl),
    index('watches_site').on(t.siteId, t.createdAt, t.id),
    // The run's cursor: due watches in (due time, id) order, read from the index without sorting.
    index('watches_due').on(t.nextFetchAt, t.id),
  ],
)

/**
 * What each scheduled listening run did for a site (src/listening/run.ts): the watches page shows
 * the newest few, so an operator sees that listening works, and what failed.
 */
export const listeningRuns = sqliteTable(
  'listening_runs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id),
    at: integer('at').notNull(),
    /** Feeds read with new content, feeds unchanged since the last reading (304), feeds that failed. */
    fetched: integer('fetched').notNull(),
    unchanged: integer('unchanged').notNull(),
    failed: integer('failed').notNull(),
    /** Entries that matched a keyword and became new voices. */
    added: integer('added').notNull(),
    /** The failures: [{ feed_url, error }]. */
    errors: text('errors', { mode: 'json' }).$type<{ feed_url: string; error: string }[]>().notNull(),
  },
  (t) => [index('listening_runs_site').on(t.siteId, t.at)],
)

/** A week's answers to the voices published in it: how many, the share answered, the median wait (hours). */
export type DigestResponse = { published: number; answered: number; rate: number | null; median_hours: number | null }

/**
 * What a weekly digest says (src/digest/), as the `digest.weekly` webhook sends it: the week
 * (Monday to Monday, UTC), its new voices by sentiment, what still waits for the shop when the
 * digest was made (exact counts, the oldest few listed), and the week's answers against the week before.
 */
export type DigestBody = {
  week_start: string
  week_end: string
  /** The shop's time zone: the week runs Monday 00:00 to Monday 00:00 there (absent: UTC, as digests were before). */
  time_zone?: string
  made_at: string
  new_voices: { positive: number; neutral: number; negative: number; unclassified: number; total: number }
  unanswered_negative: {
    count: number
    oldest: { id: string; title: string | null; url: string | null; published_at: string; age_days: number }[]
  }
  awaiting_resolution: {
    count: number
    oldest: { id: string; title: string | null; url: string | null; apologized_at: string; age_days: number }[]
  }
  response: { this_week: DigestResponse; week_before: DigestResponse }
}

/**
 * The weekly digests made (src/digest/): one per site and week, so the cron, which runs every
 * ten minutes, makes and sends each once; the console's overview shows a site's newest.
 */
export const digests = sqliteTable(
  'digests',
  {
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id),
    /** The Monday 00:00 UTC the week began. */
    weekStart: integer('week_start').notNull(),
    madeAt: integer('made_at').notNull(),
    body: text('body', { mode: 'json' }).$type<DigestBody>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.weekStart] })],
)

/** What an outbound message does (src/outbox/): which queue carries it and which feature consumes it. */
export const OUTBOX_KINDS = ['announce', 'webhook', 'check', 'mail', 'export', 'import', 'shop'] as const
export type OutboxKind = (typeof OUTBOX_KINDS)[number]

/** waiting: still to be sent, or sent and not yet acknowledged by its consumer; sent: delivered; gave_up: the hub stopped trying. */
export const OUTBOX_STATES = ['waiting', 'sent', 'gave_up'] as const
export type OutboxState = (typeof OUTBOX_STATES)[number]

/**
 * The outbox (src/outbox/): one row per outbound message — a voice's link check, a response's
 * announcement, a webhook delivery, an e-mail (src/mail/) — written in the same batch as the change
 * that causes it, so a message whose queue send was lost is found and sent again by the cron.
 * (kind, ref) is the message's idempotency key: `ref` is the id of what it is about (the voice, the
 * response, the delivery, the e-mail: `digest:{site}:{week start}`, `invitation:{id}`,
 * `sign-in:{link hash}`).
 */
export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind', { enum: OUTBOX_KINDS }).notNull(),
    ref: text('ref').notNull(),
    siteId: integer('site_id').notNull(),
    /** The queue message's body, as first sent (the same bytes on every send). */
    body: text('body', { mode: 'json' }).notNull(),
    state: text('state', { enum: OUTBOX_STATES }).notNull(),
    /** When it was recorded (or recorded again, by staff sending it again): what "waiting since" says. */
    waitingSince: integer('waiting_since').notNull(),
    /** When it may next be tried (a consumer working on it pushes this past its work). */
    dueAt: integer('due_at').notNull(),
    /**
     * The lease: the cron leaves the message alone until then, as a queue message for it is in flight
     * (or a retry is scheduled); never before `due_at`. Past it, the message is taken as lost and sent again.
     */
    leaseUntil: integer('lease_until').notNull(),
    /** Attempts its consumers have made (each counted when it starts). */
    attempts: integer('attempts').notNull().default(0),
    /** What the last attempt met, as its feature's code (e.g. `http_503`, `endpoint_timeout`). */
    lastFailure: text('last_failure'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('outbox_message').on(t.kind, t.ref),
    // A deleted shop's purge (src/sites/purge.ts).
    index('outbox_site').on(t.siteId),
    // The cron's sweep: waiting messages by the end of their lease.
    index('outbox_waiting')
      .on(t.leaseUntil)
      .where(sql`state = 'waiting'`),
  ],
)

/**
 * queued: its first batch is waiting; running: part-way through; done: every file written (its
 * links work until `expires_at`); failed: stopped for good (`error` says why); expired: done or
 * failed long enough ago that its files were deleted (the row stays as a record).
 */
export const EXPORT_STATES = ['queued', 'running', 'done', 'failed', 'expired'] as const
export type ExportState = (typeof EXPORT_STATES)[number]

/** What a file of an export holds so far: its rows, the part objects written in R2, their bytes. */
export type ExportFileProgress = { rows: number; parts: number; bytes: number }

/**
 * A shop's data taken out (src/exports/): one queue message per batch of rows of one kind, each
 * batch written to R2 as a part of its files (`exports/{site id}/{export id}/{file}/{n}`), the
 * position reached kept here so the next batch (or the outbox's re-send of a lost message) takes
 * up where the last stopped.
 */
export const shopExports = sqliteTable(
  'exports',
  {
    id: text('id').primaryKey(),
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id),
    state: text('state', { enum: EXPORT_STATES }).notNull(),
    /** The kind it is at: an index into the list of kinds (src/exports/kinds.ts). */
    step: integer('step').notNull().default(0),
    /** The keyset position after the last row written of that kind, as JSON; null at its start. */
    cursor: text('cursor'),
    /** Batches written so far: the guard of the next one (a second copy of a message writes nothing). */
    batches: integer('batches').notNull().default(0),
    /** Each file's progress, by file name. */
    files: text('files', { mode: 'json' }).$type<Record<string, ExportFileProgress>>().notNull(),
    /** The hub's origin when it was asked for: the photos' URLs in the files. */
    hubOrigin: text('hub_origin').notNull(),
    /** Who asked: "operator" or a site key's id. */
    requestedBy: text('requested_by').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    finishedAt: integer('finished_at'),
    /** When its files are deleted by the cron (set when it is done or failed). */
    expiresAt: integer('expires_at'),
    error: text('error'),
  },
  (t) => [
    // A shop's exports, newest first.
    index('exports_site').on(t.siteId, t.createdAt, t.id),
    // One running export per shop: a second is refused by this index.
    uniqueIndex('exports_site_running')
      .on(t.siteId)
      .where(sql`state IN ('queued', 'running')`),
    // The cron's expiry: finished exports by the time their files go.
    index('exports_expiring')
      .on(t.expiresAt)
      .where(sql`state IN ('done', 'failed')`),
  ],
)

/** What an import reads (src/imports/formats/). */
export const IMPORT_FORMATS = ['wordpress', 'movable_type', 'webmention_io', 'reviews_csv', 'orders_csv'] as const
export type ImportFormat = (typeof IMPORT_FORMATS)[number]

/**
 * waiting_file: made, its file not uploaded yet; queued: its first step is waiting; running:
 * part-way through the file; done: every line read; failed: stopped (`error` says why).
 */
export const IMPORT_STATES = ['waiting_file', 'queued', 'running', 'done', 'failed'] as const
export type ImportState = (typeof IMPORT_STATES)[number]

/** What became of one line of an imported file. */
export const IMPORT_OUTCOMES = ['added', 'duplicate', 'skipped', 'refused'] as const
export type ImportOutcome = (typeof IMPORT_OUTCOMES)[number]

/** The operator's choices for an import (src/imports/options.ts). */
export type ImportOptions = {
  /** Publish the voices without checking that their sources still link (the ledger records the choice). */
  trust: boolean
  /** WordPress: ordinary comments too, as voices of kind `comment`. */
  comments: boolean
  /** Old addresses (an old blog's posts) → the target id or storefront URL their voices belong to. */
  targets: Record<string, string>
  /** Make a target for a storefront page no target has yet. */
  autoTargets: boolean
  /** Where the hub fetches the file (instead of an upload); null for an uploaded file. */
  url: string | null
  /** Orders: only those placed from … to … (YYYY-MM-DD, in the shop's time zone). */
  from: string | null
  to: string | null
  /** Orders: the hub's origin as the import was made at, for review links when HUB_ORIGIN is unset (absent on older imports). */
  hubOrigin?: string
}

/** Counts of an import's lines by outcome. */
export type ImportCounts = Record<ImportOutcome, number>

/**
 * A shop's history brought in (src/imports/): the uploaded file in R2
 * (`imports/{site id}/{import id}`), read a window at a time by one queue message per step, the
 * position reached kept here so the next step (or the outbox's re-send of a lost message) takes
 * up where the last stopped. What became of every line is in `import_lines`.
 */
export const shopImports = sqliteTable(
  'imports',
  {
    id: text('id').primaryKey(),
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id),
    format: text('format', { enum: IMPORT_FORMATS }).notNull(),
    state: text('state', { enum: IMPORT_STATES }).notNull(),
    /** The name the file was uploaded under (or the URL it was fetched from). */
    fileName: text('file_name').notNull(),
    fileBytes: integer('file_bytes').notNull(),
    /** What the file says it comes from once read (an old blog's address); null until known. */
    origin: text('origin'),
    options: text('options', { mode: 'json' }).$type<ImportOptions>().notNull(),
    /** Where the next step reads, as the format's JSON position; null at the start. */
    cursor: text('cursor'),
    /** Steps done so far: the guard of the next one (a second copy of a message does nothing). */
    steps: integer('steps').notNull().default(0),
    /** Lines reported so far (the next line's number is one more). */
    lines: integer('lines').notNull().default(0),
    counts: text('counts', { mode: 'json' }).$type<ImportCounts>().notNull(),
    /** Who asked: "operator" or a site key's id. */
    requestedBy: text('requested_by').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    finishedAt: integer('finished_at'),
    error: text('error'),
  },
  (t) => [
    index('imports_site').on(t.siteId, t.createdAt, t.id),
    // One running import per shop: a second is refused by this index.
    uniqueIndex('imports_site_running')
      .on(t.siteId)
      .where(sql`state IN ('queued', 'running')`),
  ],
)

/** One line of an import's report: what a record of the file became, or why it was refused. */
export const importLines = sqliteTable(
  'import_lines',
  {
    importId: text('import_id').notNull(),
    siteId: integer('site_id').notNull(),
    line: integer('line').notNull(),
    outcome: text('outcome', { enum: IMPORT_OUTCOMES }).notNull(),
    /** Why it was skipped or refused: a code the report explains in the reader's language (src/imports/reasons.ts). */
    reason: text('reason'),
    /** Where the record is in the file, e.g. "post 12, comment 45" or "row 17". */
    place: text('place').notNull(),
    /** What the record is, in a few words: its source page, reviewer or order number. */
    subject: text('subject'),
    /** The voice (or invitation) it became, or the one it duplicates. */
    ref: text('ref'),
  },
  (t) => [
    primaryKey({ columns: [t.importId, t.line] }),
    index('import_lines_outcome').on(t.importId, t.outcome, t.line),
    index('import_lines_site').on(t.siteId),
  ],
)

/**
 * The shop's staff's sentiment corrections, kept as labelled examples (src/sentiment/learning.ts):
 * the voice's words and the sentiment staff gave it. A voice corrected again replaces its example;
 * a site keeps its newest `EXAMPLES_KEPT` (src/sentiment/learning-store.ts).
 */
export const sentimentExamples = sqliteTable(
  'sentiment_examples',
  {
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id),
    mentionId: text('mention_id').notNull(),
    sentiment: text('sentiment', { enum: SENTIMENTS }).notNull(),
    words: text('words').notNull(),
    at: integer('at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.mentionId] }), index('sentiment_examples_newest').on(t.siteId, t.at)],
)

/** A phrase learned from a shop's examples, which way it leans, and in how many examples it was seen. */
export type LearnedPhrase = { phrase: string; side: -1 | 0 | 1; seen: number }

/**
 * What a shop's examples taught (src/sentiment/learning.ts): at most 100 phrases, read in one row
 * with each suggestion for the site, and made again from the examples after each correction.
 */
export const sentimentLearning = sqliteTable('sentiment_learning', {
  siteId: integer('site_id')
    .primaryKey()
    .references(() => sites.id),
  phrases: text('phrases', { mode: 'json' }).$type<LearnedPhrase[]>().notNull(),
  examples: integer('examples').notNull(),
  updatedAt: integer('updated_at').notNull(),
})

/** The shop platforms whose webhooks the hub reads (src/connectors/). */
export const SHOP_PLATFORMS = ['shopify', 'woocommerce'] as const
export type ShopPlatform = (typeof SHOP_PLATFORMS)[number]

/**
 * A site's shop platform: where its webhooks come from (Shopify's `*.myshopify.com` domain, or
 * the WooCommerce site's origin) and the platform's signing secret, sealed. After the operator
 * pastes a new secret the previous one still verifies for a day.
 */
export const shopConnections = sqliteTable('shop_connections', {
  siteId: integer('site_id')
    .primaryKey()
    .references(() => sites.id),
  platform: text('platform', { enum: SHOP_PLATFORMS }).notNull(),
  shopAddress: text('shop_address').notNull(),
  secretSealed: text('secret_sealed').notNull(),
  previousSealed: text('previous_sealed'),
  previousUntil: integer('previous_until'),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
})

/**
 * queued: accepted, its work waits in the queue; done: worked (`reason` may say what it did not
 * do); duplicate: a delivery id already taken; ignored: a topic the hub does not use; refused:
 * not taken (signature, shop, body); failed: its work gave up after the queue's retries.
 */
export const SHOP_DELIVERY_OUTCOMES = ['queued', 'done', 'duplicate', 'ignored', 'refused', 'failed'] as const
export type ShopDeliveryOutcome = (typeof SHOP_DELIVERY_OUTCOMES)[number]

/**
 * Each platform webhook the hub was sent, newest first on the connection's page. `deliveryId`
 * (the platform's delivery id) is set only on a delivery that was taken: it is what a retry of
 * the same delivery meets, so each is worked once. Kept for 30 days.
 */
export const shopDeliveries = sqliteTable(
  'shop_deliveries',
  {
    id: text('id').primaryKey(),
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id),
    platform: text('platform', { enum: SHOP_PLATFORMS }).notNull(),
    deliveryId: text('delivery_id'),
    topic: text('topic').notNull(),
    outcome: text('outcome', { enum: SHOP_DELIVERY_OUTCOMES }).notNull(),
    /** Why (a code the console and the API explain: src/connectors/reasons.ts). */
    reason: text('reason'),
    /** What it was about, for staff: an order's number, a product's title. */
    subject: text('subject'),
    receivedAt: integer('received_at').notNull(),
    doneAt: integer('done_at'),
  },
  (t) => [
    uniqueIndex('shop_deliveries_once').on(t.siteId, t.platform, t.deliveryId),
    index('shop_deliveries_newest').on(t.siteId, t.receivedAt),
    index('shop_deliveries_time').on(t.receivedAt),
  ],
)

/** A platform's product and the target it is: kept in step by the product webhooks. */
export const shopProducts = sqliteTable(
  'shop_products',
  {
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id),
    platform: text('platform', { enum: SHOP_PLATFORMS }).notNull(),
    productId: text('product_id').notNull(),
    targetId: text('target_id').notNull(),
    /** Deleted on the platform: the target and its voices stay, orders no longer name it. */
    deletedAt: integer('deleted_at'),
    /** When the platform last changed the version applied: an older one arriving later is left (null: not said). */
    changedAt: integer('changed_at'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.platform, t.productId] })],
)

/**
 * The version of each platform order the hub worked last (the platform's own time of change): a
 * delivery of an older version, arriving out of order or sent again, changes nothing. Forgotten
 * 90 days after the order's last delivery.
 */
export const shopOrders = sqliteTable(
  'shop_orders',
  {
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id),
    platform: text('platform', { enum: SHOP_PLATFORMS }).notNull(),
    orderId: text('order_id').notNull(),
    changedAt: integer('changed_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.platform, t.orderId] }), index('shop_orders_time').on(t.updatedAt)],
)
