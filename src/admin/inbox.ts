/**
 * What needs the shop's attention first: unanswered negative voices, then other unanswered
 * ones, then apologies still waiting for a resolution report — oldest first in each group,
 * each with how long it has waited against the site's response target.
 */
import type { Principal } from '../auth/principal'
import type { Db } from '../db/client'
import { inboxQueries, type MentionFilter, type MentionRow } from '../mentions/store'
import { loadSite } from '../sites/service'
import { readSettings } from '../sites/settings'

export const INBOX_GROUPS = ['unansweredNegative', 'unansweredOther', 'awaitingResolution'] as const
export type InboxGroup = (typeof INBOX_GROUPS)[number]

/** How many voices each group shows (the oldest). */
export const INBOX_GROUP_SIZE = 50

export type InboxEntry = { mention: MentionRow; waitedHours: number; overdue: boolean }

const HOUR = 3_600_000

export async function inboxOf(db: Db, p: Principal, slug: string, f: Omit<MentionFilter, 'status' | 'unanswered'>, now: number) {
  const site = await loadSite(db, p, slug)
  const settings = readSettings(site.settings)
  const groups = await inboxQueries(db, site.id, f, INBOX_GROUP_SIZE)
  const entry = (since: (m: MentionRow) => number, target: number | null) => (m: MentionRow): InboxEntry => {
    const waitedHours = Math.max(0, (now - since(m)) / HOUR)
    return { mention: m, waitedHours, overdue: target !== null && waitedHours > target }
  }
  // An unanswered voice waits since it was published, against the response target; an apology waits for its report.
  const unanswered = entry((m) => m.publishedAt ?? m.receivedAt, settings.response_target_hours)
  const unresolved = entry((m) => m.apologizedAt ?? m.receivedAt, null)
  return {
    site,
    settings,
    groups: {
      unansweredNegative: groups[0].map(unanswered),
      unansweredOther: groups[1].map(unanswered),
      awaitingResolution: groups[2].map(unresolved),
    } satisfies Record<InboxGroup, InboxEntry[]>,
  }
}
