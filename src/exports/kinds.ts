/**
 * Every kind an export takes out, in the order it takes them (the export row's `step` is an
 * index into this list: append, never reorder, so an export running through an upgrade goes
 * on). Secrets never leave: no webhook signing secrets, no key hashes, no buyers' sealed
 * addresses.
 */
import { type ExportKind, cursors, iso } from './kind'
import {
  commissionsAfter,
  formerUrlsOf,
  ledgerAfter,
  partnersAfter,
  targetsAfter,
  watchesAfter,
  webhooksAfter,
} from './store'
import { REVIEWS, VOICES } from './voice-kinds'

const TARGETS: ExportKind = {
  name: 'targets',
  about: 'The shop’s products and pages that voices are about, by id.',
  fields: {
    id: 'the target’s id',
    url: 'its page',
    title: 'its title',
    kind: 'product, post or page',
    automatic: 'made by the hub (a published voice’s page nobody registered, a product of an order)',
    created_at: 'when it was made',
    former_urls: 'its earlier addresses: a voice about one of them is about it',
  },
  batch: async (db, siteId, cursor, limit) => {
    const rows = await targetsAfter(db, siteId, cursors.textId.read(cursor), limit)
    const former = await formerUrlsOf(
      db,
      siteId,
      rows.map((t) => t.id),
    )
    return {
      lines: rows.map((t) => ({
        id: t.id,
        url: t.url,
        title: t.title,
        kind: t.kind,
        automatic: t.automatic,
        created_at: iso(t.createdAt),
        former_urls: former.filter((f) => f.targetId === t.id).map((f) => f.url),
      })),
      csv: [],
      cursor: cursors.textId.after(rows.at(-1)?.id),
    }
  },
}

const PARTNERS: ExportKind = {
  name: 'partners',
  about: 'Affiliate partners and applicants, by application (never their keys).',
  fields: {
    id: 'the partner’s id',
    name: 'their name',
    email: 'where the shop reaches them',
    blog_url: 'their blog',
    lang: 'the language they applied in',
    state: 'applied, approved, rejected or suspended',
    applied_at: 'when they applied',
    decided_at: 'when the shop decided',
    decided_by: '"operator" or the site key’s id',
    note: 'the shop’s note on the decision',
    clicks: 'human clicks on their links',
    unique_clicks: 'of those, one per visitor per link per hour',
    conversions: 'sales attributed to them (refunds subtract)',
    revenue: 'their revenue, in minor units of the shop’s currency',
    commission_pending: 'commission earned, within the refund period (minor units)',
    commission_approved: 'commission approved, not yet paid',
    commission_paid: 'commission paid',
  },
  batch: async (db, siteId, cursor, limit) => {
    const rows = await partnersAfter(db, siteId, cursors.position.read(cursor), limit)
    const last = rows.at(-1)
    return {
      lines: rows.map((p) => ({
        id: p.id,
        name: p.name,
        email: p.email,
        blog_url: p.blogUrl,
        lang: p.lang,
        state: p.state,
        applied_at: iso(p.appliedAt),
        decided_at: iso(p.decidedAt),
        decided_by: p.decidedBy,
        note: p.note,
        clicks: p.clicks,
        unique_clicks: p.uniqueClicks,
        conversions: p.conversions,
        revenue: p.revenue,
        commission_pending: p.commissionPending,
        commission_approved: p.commissionApproved,
        commission_paid: p.commissionPaid,
      })),
      csv: [],
      cursor: cursors.position.after(last && { time: last.appliedAt, id: last.id }),
    }
  },
}

const COMMISSIONS: ExportKind = {
  name: 'commissions',
  about: 'The commission ledger: every sale and refund the storefront reported, in the order they happened.',
  fields: {
    id: 'the entry’s id',
    order_id: 'the storefront’s order',
    event: 'sale or refund',
    amount: 'in minor units of `currency` (a refund is negative)',
    currency: 'ISO 4217',
    click_id: 'the tracking link’s click it was attributed by',
    partner_id: 'the partner it was attributed to',
    link_code: 'the tracking link',
    commission: 'the partner’s commission, minor units',
    state: 'pending, approved, paid or unattributed',
    occurred_at: 'when it happened',
    received_at: 'when the hub was told',
    approved_at: 'when the commission was approved',
    paid_at: 'when it was paid',
  },
  batch: async (db, siteId, cursor, limit) => {
    const rows = await commissionsAfter(db, siteId, cursors.position.read(cursor), limit)
    const last = rows.at(-1)
    return {
      lines: rows.map((c) => ({
        id: c.id,
        order_id: c.orderId,
        event: c.event,
        amount: c.amount,
        currency: c.currency,
        click_id: c.clickId,
        partner_id: c.partnerId,
        link_code: c.linkCode,
        commission: c.commission,
        state: c.state,
        occurred_at: iso(c.occurredAt),
        received_at: iso(c.receivedAt),
        approved_at: iso(c.approvedAt),
        paid_at: iso(c.paidAt),
      })),
      csv: [],
      cursor: cursors.position.after(last && { time: last.occurredAt, id: last.id }),
    }
  },
}

const LEDGER: ExportKind = {
  name: 'ledger',
  about: 'The moderation ledger: every removal and restoration of a voice, in order, with its hash chain.',
  fields: {
    id: 'the entry’s number',
    voice_id:
      'the voice moderated (for an entry about an import, `trust_import`, the import’s id: the same place in the hash)',
    action: 'remove, spam or restore',
    category: 'illegal, personal_data, author_request, duplicate, off_topic, spam or restore',
    reason: 'the reason given',
    actor: '"operator" or the site key’s id',
    from_status: 'the voice’s status before',
    to_status: 'and after',
    sentiment: 'the voice’s sentiment then',
    rating: 'its rating then',
    created_at: 'when',
    prev_hash: 'the hash of the entry before (the public ledger’s chain)',
    hash: 'SHA-256 over prev_hash and this entry’s public fields',
  },
  batch: async (db, siteId, cursor, limit) => {
    const rows = await ledgerAfter(db, siteId, cursors.numberId.read(cursor), limit)
    return {
      lines: rows.map((e) => ({
        id: e.id,
        voice_id: e.voiceId ?? e.importId,
        action: e.action,
        category: e.category,
        reason: e.reason,
        actor: e.actor,
        from_status: e.fromStatus,
        to_status: e.toStatus,
        sentiment: e.sentiment,
        rating: e.rating,
        created_at: iso(e.createdAt),
        prev_hash: e.prevHash,
        hash: e.hash,
      })),
      csv: [],
      cursor: cursors.numberId.after(rows.at(-1)?.id),
    }
  },
}

const WEBHOOKS: ExportKind = {
  name: 'webhooks',
  about: 'The shop’s webhook endpoints, without their signing secrets (a new hub issues new ones).',
  fields: {
    id: 'the endpoint’s id',
    url: 'where events are sent',
    events: 'the events it receives (empty: all)',
    mode: 'standard (Standard Webhooks JSON) or slack',
    failing_since: 'since when every delivery has failed',
    disabled_at: 'when it was turned off',
    disabled_reason: 'why',
    created_at: 'when it was added',
  },
  batch: async (db, siteId, cursor, limit) => {
    const rows = await webhooksAfter(db, siteId, cursors.textId.read(cursor), limit)
    return {
      lines: rows.map((w) => ({
        id: w.id,
        url: w.url,
        events: w.events,
        mode: w.mode,
        failing_since: iso(w.failingSince),
        disabled_at: iso(w.disabledAt),
        disabled_reason: w.disabledReason,
        created_at: iso(w.createdAt),
      })),
      csv: [],
      cursor: cursors.textId.after(rows.at(-1)?.id),
    }
  },
}

const WATCHES: ExportKind = {
  name: 'watches',
  about: 'The feeds the shop listens to, and the keywords that make an entry a voice.',
  fields: {
    id: 'the watch’s id',
    feed_url: 'the feed',
    keywords: 'the shop’s name and products, as typed',
    created_at: 'when it was added',
    last_fetched_at: 'when it was last read',
    failures: 'failed readings in a row',
    last_error: 'the last failure',
  },
  batch: async (db, siteId, cursor, limit) => {
    const rows = await watchesAfter(db, siteId, cursors.position.read(cursor), limit)
    const last = rows.at(-1)
    return {
      lines: rows.map((w) => ({
        id: w.id,
        feed_url: w.feedUrl,
        keywords: w.keywords,
        created_at: iso(w.createdAt),
        last_fetched_at: iso(w.lastFetchedAt),
        failures: w.failures,
        last_error: w.lastError,
      })),
      csv: [],
      cursor: cursors.position.after(last && { time: last.createdAt, id: last.id }),
    }
  },
}

/** The kinds in the order an export takes them. */
export const EXPORT_KINDS: readonly ExportKind[] = [
  TARGETS,
  VOICES,
  REVIEWS,
  PARTNERS,
  COMMISSIONS,
  LEDGER,
  WEBHOOKS,
  WATCHES,
]
