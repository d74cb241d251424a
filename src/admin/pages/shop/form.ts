/** The new-shop form as the API's site (POST /api/sites: the same schema), and the labels a refused field is named by. */
import type { Context } from 'hono'

import type { FormLabels } from '../../../common/form-errors'
import { type AdminEnv, field, type PageContext } from '../../kit/context'
import { filledIn, lineNumbers, linesOf } from '../../kit/forms'
import type { Words } from './words'

/** What a new shop's language proposes: Japanese brings Asia/Tokyo and JPY; English proposes nothing (the operator chooses). */
export const proposedFor = (lang: string) =>
  lang === 'ja' ? { time_zone: 'Asia/Tokyo', currency: 'JPY' } : { time_zone: '', currency: '' }

export function newShopInput(c: Context<AdminEnv>) {
  const zone = filledIn(c, 'time_zone')
  const currency = filledIn(c, 'currency')?.toUpperCase()
  return {
    slug: field(c, 'slug')?.trim() ?? '',
    name: field(c, 'name') ?? '',
    origins: linesOf(field(c, 'origins')),
    settings: {
      lang: field(c, 'lang') ?? '',
      ...(zone === undefined ? {} : { time_zone: zone }),
      ...(currency === undefined ? {} : { currency }),
    },
  }
}

export function newShopLabels(c: Context<AdminEnv>, t: PageContext<Words>['t']): FormLabels {
  const label = (name: string, text: string) => ({ field: name, label: text })
  return {
    slug: label('slug', t.slug),
    name: label('name', t.siteName),
    origins: { ...label('origins', t.origins), lines: lineNumbers(field(c, 'origins')) },
    'settings.lang': label('lang', t.shopLang),
    'settings.time_zone': label('time_zone', t.timeZone),
    'settings.currency': label('currency', t.currency),
  }
}
