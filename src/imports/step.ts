/**
 * What every format's reader does in one step of an import: read the next window of the file
 * from where the last step stopped (`row.cursor`, the reader's own JSON position), and say what
 * each record in it is — a voice or an invitation to add, or a line skipped or refused and why — and where the next
 * step starts (null: the file is read to its end). A file that is not what its format says stops
 * the import with the reason.
 */
import type { AddressPolicy } from '../common/address-policy'
import type { Db } from '../db/client'
import type { SiteRow } from '../sites/store'
import type { InvitationRecord } from './invitations'
import type { FileFailure } from './reasons'
import type { ImportRow } from './store'
import type { TargetFinder } from './targets'
import type { StepRecord } from './voices'

/** A record of a file: a voice, an order's invitation (orders), or a line skipped or refused. */
export type ReadRecord = StepRecord | InvitationRecord

export type StepContext = {
  db: Db
  bucket: R2Bucket
  site: SiteRow
  row: ImportRow
  /** The file's key in the bucket. */
  key: string
  now: number
  /** Records a step reads at most (a test makes steps small). */
  records: number
  /** What the hub may fetch (a review's photos named by URL). */
  policy: AddressPolicy
  /** The step's target finder (the one its records are placed with), for a reader that must know before it fetches. */
  findTarget: TargetFinder
}

export type StepRead =
  | { ok: true; records: ReadRecord[]; cursor: string | null; origin?: string | null }
  | { ok: false; reason: FileFailure }

export type FormatReader = (ctx: StepContext) => Promise<StepRead>

/** A reader's position, read back from the row (null at the start, or when it is not the reader's). */
export function positionOf<T>(cursor: string | null, check: (value: unknown) => value is T): T | null {
  if (cursor === null) return null
  try {
    const value: unknown = JSON.parse(cursor)
    return check(value) ? value : null
  } catch {
    return null
  }
}
