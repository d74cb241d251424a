/** The programme's terms as the API's site patch, and the labels a refused field is named by. */
import type { Context } from 'hono'

import type { FormLabels } from '../../../common/form-errors'
import { type AdminEnv, field, type PageContext } from '../../kit/context'
import { numberedLines, numberOf } from '../../kit/forms'
import type { Words } from './words'

/**
 * The programme form as the API's site patch. Per-product rates are typed one per line as
 * "target = percent"; a line that is not is passed on as typed, for the schema to refuse in words.
 */
export function programmeFormInput(c: Context<AdminEnv>) {
  const rates: Record<string, unknown> = {}
  for (const rate of ratesOf(c)) rates[rate.target] = rate.percent
  return {
    settings: {
      affiliate_commission_percent: numberOf(field(c, 'commission_percent')?.replace('%', '')),
      affiliate_commission_by_target: rates,
      affiliate_window_days: numberOf(field(c, 'window_days')),
      currency: field(c, 'currency')?.trim().toUpperCase() ?? '',
      affiliate_click_param: field(c, 'click_param')?.trim() ?? '',
    },
  }
}

/** The rates' box: each line's target, its percentage (or the line as typed) and its number in the box. */
function ratesOf(c: Context<AdminEnv>) {
  return numberedLines(field(c, 'commission_by_target')).map(({ text, line }) => {
    const at = text.lastIndexOf('=')
    const target = at === -1 ? text : text.slice(0, at).trim()
    return { target, percent: at === -1 ? text : numberOf(text.slice(at + 1).replace('%', '')), line }
  })
}

/** The programme form's labels; a refused rate is named by its line (a target typed twice: its last line, which counts). */
export const programmeLabels = (c: Context<AdminEnv>, t: PageContext<Words>['t']): FormLabels => ({
  'settings.affiliate_commission_percent': { field: 'commission_percent', label: t.commissionPercent },
  'settings.affiliate_commission_by_target': {
    field: 'commission_by_target',
    label: t.commissionByTarget,
    lines: new Map(ratesOf(c).map((r) => [r.target, r.line])),
  },
  'settings.affiliate_window_days': { field: 'window_days', label: t.windowDays },
  'settings.currency': { field: 'currency', label: t.currency },
  'settings.affiliate_click_param': { field: 'click_param', label: t.clickParam },
})
