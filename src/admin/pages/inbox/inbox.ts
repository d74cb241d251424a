/**
 * What needs the shop's attention first: unanswered negative voices, then other unanswered
 * ones, then apologies still waiting for a resolution report — oldest first in each group,
 * each with how long it has waited against the site's response target.
 */
import { HOUR } from '../../../common/clock'
import type { Principal } from '../../../common/principal'
import type { Db } from '../../../db/client'
import { foundWaiting } from '../../../listening/store'
import { loadSite } from '../../../sites/service'
import { readSettings } from '../../../sites/settings'
import { registeredTargets } from '../../../targets/service'
import { targetsOf } from '../../../targets/store'
import { inboxQueries, type Position, type VoiceFilter } from '../../../voices/lists'
import type { VoiceRow } from '../../../voices/store'

/** Found voices waiting are counted up to this many (the inbox says "99+" beyond). */
export const FOUND_COUNTED = 100

export const INBOX_GROUPS = ['unansweredNegative', 'unansweredOther', 'awaitingResolution'] as const
export type InboxGroup = (typeof INBOX_GROUPS)[number]

/** How many voices each group shows (the oldest). */
export const INBOX_GROUP_SIZE = 50

export type InboxEntry = { voice: VoiceRow; waitedHours: number; overdue: boolean }

/** A group's voices, and where it goes on when more wait after them (null: none). */
export type InboxGroupPage = { entries: InboxEntry[]; next: Position | null }

/** `from`: one group shown from a position onwards (its "next ones" link); the others start at their oldest. */
export async function inboxOf(
  db: Db,
  p: Principal,
  slug: string,
  f: Omit<VoiceFilter, 'status' | 'unanswered'>,
  now: number,
  from: { group: InboxGroup; after: Position } | null = null,
) {
  const site = await loadSite(db, p, slug)
  const settings = readSettings(site.settings)
  const after = INBOX_GROUPS.map((g) => (from?.group === g ? from.after : null))
  const [groups, found] = await Promise.all([
    inboxQueries(db, site.id, f, INBOX_GROUP_SIZE, after),
    foundWaiting(db, site.id, FOUND_COUNTED),
  ])
  const entry =
    (since: (m: VoiceRow) => number, target: number | null) =>
    (m: VoiceRow): InboxEntry => {
      const waitedHours = Math.max(0, (now - since(m)) / HOUR)
      return { voice: m, waitedHours, overdue: target !== null && waitedHours > target }
    }
  // An unanswered voice waits since it was published, against the response target; an apology waits for its report.
  const unanswered = entry((m) => m.publishedAt ?? m.receivedAt, settings.response_target_hours)
  const unresolved = entry((m) => m.apologizedAt ?? m.receivedAt, null)
  return {
    site,
    settings,
    found,
    groups: {
      unansweredNegative: { entries: groups[0].items.map(unanswered), next: groups[0].next },
      unansweredOther: { entries: groups[1].items.map(unanswered), next: groups[1].next },
      awaitingResolution: { entries: groups[2].items.map(unresolved), next: groups[2].next },
    } satisfies Record<InboxGroup, InboxGroupPage>,
  }
}

/** A target as the inbox's filter offers it: chosen by its title. */
export type TargetChoice = { id: string; title: string }

/**
 * The targets the inbox's filter offers, by title: the registered ones (a bounded read), and the
 * one the filter names if it is not among them (a page the hub made, reached from a link).
 */
export async function targetChoices(db: Db, siteId: number, chosen: string | undefined): Promise<TargetChoice[]> {
  const registered = await registeredTargets(db, siteId)
  const named =
    chosen !== undefined && !registered.some((t) => t.id === chosen) ? await targetsOf(db, siteId, [chosen]) : []
  return [...registered, ...named]
    .map((t) => ({ id: t.id, title: t.title }))
    .sort((a, b) => a.title.localeCompare(b.title) || a.id.localeCompare(b.id))
}
