/**
 * The operator's decision on a voice found in a watched feed. Nobody sent it to the shop, so it
 * waits (`pending`) until staff publish it — on the page it is about, or another target they
 * choose — or set it aside (`rejected`). Setting aside is not a removal: the voice was never
 * shown, so the public ledger, which counts what was taken out of view, does not count it. Once
 * published, it is moderated like any other voice, every step in the ledger.
 */
import { and } from 'drizzle-orm'
import * as v from 'valibot'

import { AppError } from '../common/errors'
import type { Principal } from '../common/principal'
import { Line } from '../common/validation'
import type { Db } from '../db/client'
import { findSiteById } from '../sites/store'
import { automaticTarget } from '../targets/service'
import { findTarget, targetIs } from '../targets/store'
import { loadVoice } from '../voices/reads'
import { findVoiceBySource, noVoiceAt, type VoiceRow } from '../voices/store'
import { changeVoice, type Change, type Tell } from '../voices/write'

export const PublishInput = v.strictObject({
  /** Another target of the site to show it on (default: the page it is about). */
  target: v.optional(Line(200)),
})
export type PublishInput = v.InferOutput<typeof PublishInput>

const notDiscovered = () =>
  new AppError(
    'conflict',
    'Only a voice found in a watched feed is published or set aside this way',
    'この操作ができるのは、フィードで見つかった声だけです',
  )

/**
 * Publishes a discovered voice that is waiting (or was set aside): it joins the feed and its
 * counts. What `tell` prepares (its webhook event) is written with it.
 */
export const publishDiscovered = (db: Db, p: Principal, id: string, input: PublishInput, now: number, tell?: Tell) =>
  changeVoice(
    db,
    () => loadVoice(db, p, id),
    async (m): Promise<Change> => {
      if (m.kind !== 'discovered') throw notDiscovered()
      if (m.status !== 'pending' && m.status !== 'rejected')
        throw new AppError('conflict', `This voice is ${m.status}, not waiting`, 'この声は判断を待っていません')
      const home = await homeOf(db, m, input.target, now)
      return {
        changes: {
          status: 'published',
          publishedAt: m.publishedAt ?? now,
          targetId: home.id,
          targetPending: false,
          updatedAt: now,
        },
        // The target must still be there, and the same page must not have become a voice of it meanwhile.
        guard:
          home.id === m.targetId
            ? targetIs(m.siteId, home.id, home.url)
            : and(targetIs(m.siteId, home.id, home.url), noVoiceAt(m.siteId, home.id, m.sourceUrl ?? '')),
      }
    },
    tell,
  )

/** Sets a waiting discovered voice aside: never shown, not a removal, and published later if staff change their mind. */
export const dismissDiscovered = (db: Db, p: Principal, id: string, now: number) =>
  changeVoice(
    db,
    () => loadVoice(db, p, id),
    (m): Change => {
      if (m.kind !== 'discovered') throw notDiscovered()
      if (m.status !== 'pending')
        throw new AppError('conflict', `This voice is ${m.status}, not waiting`, 'この声は判断を待っていません')
      return { changes: { status: 'rejected', updatedAt: now } }
    },
  )

/**
 * The target a discovered voice is shown on: the one staff chose, else the page it is about —
 * made a target now if nobody registered it (staff publishing it is the decision that makes one).
 */
async function homeOf(db: Db, m: VoiceRow, chosen: string | undefined, now: number) {
  if (chosen !== undefined) {
    const target = await findTarget(db, m.siteId, chosen)
    if (!target)
      throw new AppError('invalid_input', 'target: no such target of this site', '対象ページ：このサイトにない対象です')
    await assertNotTwin(db, m, target.id)
    return target
  }
  if (!m.targetPending) {
    const target = await findTarget(db, m.siteId, m.targetId)
    if (!target)
      throw new AppError(
        'conflict',
        'Its target was deleted; choose another',
        '対象ページが削除されました。別の対象を選んでください',
      )
    return target
  }
  const site = await findSiteById(db, m.siteId)
  const target = site ? await automaticTarget(db, site, m.targetId, now, { always: true, publishing: m.id }) : null
  if (!target)
    throw new AppError(
      'conflict',
      'Its page could not become a target; choose one',
      '対象ページを作れませんでした。対象を選んでください',
    )
  await assertNotTwin(db, m, target.id)
  return target
}

/** The same page may already be a voice of that target (a blogger who pinged it later). */
async function assertNotTwin(db: Db, m: VoiceRow, targetId: string) {
  const twin = m.sourceUrl === null ? undefined : await findVoiceBySource(db, m.siteId, targetId, m.sourceUrl)
  if (twin && twin.id !== m.id)
    throw new AppError(
      'conflict',
      'This page is already a voice of that target',
      'このページはすでにその対象ページの声になっています',
    )
}
