import type { ResponseStage } from '../db/schema'
import type { PageLang } from '../common/page-shell'

/** How each response stage is named on public pages, in the shop's language. */
export const STAGE_LABELS: Record<PageLang, Record<ResponseStage, string>> = {
  en: { reply: 'Reply', apology: 'Apology', resolution: 'What we fixed' },
  ja: { reply: 'お返事', apology: 'お詫び', resolution: '改善のご報告' },
}
