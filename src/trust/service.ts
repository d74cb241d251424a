/**
 * The public trust documents: `trust.json` (the figures, for the site or one target) and
 * `ledger.json` (the moderation ledger, newest first, with its hash chain). Both answer
 * `doc: null` when the caller already holds the site's current version (see feeds/http-cache).
 */
import type { Db } from '../db/client'
import { holdsVersion, type KnownVersion } from '../sites/versions'
import { AppError } from '../common/errors'
import { readSettings } from '../sites/settings'
import { ledgerSummary, ratingSummary, trustFigures } from './figures'
import { ledgerReads, trustReads } from './store'
import { isoTime as iso, type Out } from '../common/outputs'
import type { LedgerDocOut, TrustDocOut } from './outputs'
import { liveSite } from '../sites/deleted'

export async function readTrust(db: Db, slug: string, targetId: string | null, known: readonly KnownVersion[]) {
  const [[found], [target], [counters]] = await trustReads(db, slug, targetId, known)
  const site = liveSite(found)
  if (holdsVersion(known, site)) return { site, doc: null }
  if (targetId !== null && !target) throw new AppError('not_found', 'target: no such target')
  const settings = readSettings(site.settings)
  return {
    site,
    doc: {
      site: { slug: site.slug, name: site.name },
      target: target ? { id: target.id, url: target.url, title: target.title } : null,
      ...trustFigures(counters, settings.response_target_hours),
      rating: ratingSummary(counters),
      moderation: ledgerSummary(counters, site.ledgerHead),
    } satisfies Out<typeof TrustDocOut>,
  }
}

/** How to recompute a hash (src/ledger/chain.ts), stated in every ledger document so anyone can check it. */
const ALGORITHM =
  'hash = hex(SHA-256(JSON.stringify([prev_hash ?? "", date, voice, action, category, reason, from_status, to_status, sentiment, rating]))), ' +
  'fields exactly as in the entry; prev_hash is the hash of the entry before (seq order)'

export async function readLedger(
  db: Db,
  slug: string,
  beforeSeq: number | null,
  limit: number,
  pageUrl: URL,
  known: readonly KnownVersion[],
) {
  const [[found], [counters], rows] = await ledgerReads(db, slug, beforeSeq, limit + 1, known)
  const site = liveSite(found)
  if (holdsVersion(known, site)) return { site, doc: null }
  const entries = rows.slice(0, limit)
  const last = entries[entries.length - 1]
  let nextUrl: string | undefined
  if (rows.length > limit && last) {
    const next = new URL(pageUrl)
    next.searchParams.set('before', String(last.id))
    nextUrl = next.toString()
  }
  return {
    site,
    doc: {
      site: { slug: site.slug, name: site.name },
      head: site.ledgerHead,
      algorithm: ALGORITHM,
      summary: ledgerSummary(counters, site.ledgerHead),
      entries: entries.map((e) => ({
        seq: e.id,
        date: iso(e.createdAt),
        // An entry about an import names the import where the others name a voice: the same place in the hash.
        voice: e.voiceId ?? e.importId ?? '',
        action: e.action,
        category: e.category,
        reason: e.reason,
        from_status: e.fromStatus,
        to_status: e.toStatus,
        sentiment: e.sentiment,
        rating: e.rating,
        prev_hash: e.prevHash,
        hash: e.hash,
      })),
      next_url: nextUrl,
    } satisfies Out<typeof LedgerDocOut>,
  }
}
