import type { ResponseStage } from '../db/schema'

/** How each response stage is named on public pages. */
export const STAGE_LABEL: Record<ResponseStage, string> = { reply: 'Reply', apology: 'Apology', resolution: 'What we fixed' }
