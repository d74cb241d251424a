/** The settings form as the API's site patch, and the labels a refused field is named by. */
import type { Context } from 'hono'

import type { FormLabels } from '../../../common/form-errors'
import { type AdminEnv, field, type PageContext } from '../../kit/context'
import { filledIn, lineNumbers, linesOf, numberOf } from '../../kit/forms'
import type { Words } from './words'

/** The settings form as the API's site patch (an unticked box is false; no embed origins means the storefront's). */
export function siteFormInput(c: Context<AdminEnv>) {
  const origins = linesOf(field(c, 'origins'))
  const embed = linesOf(field(c, 'embed_origins'))
  return {
    name: field(c, 'name') ?? '',
    origins,
    embed_origins: embed.length > 0 ? embed : origins,
    settings: {
      response_target_hours: numberOf(field(c, 'response_target_hours')),
      time_zone: field(c, 'time_zone')?.trim() ?? '',
      cache_seconds: numberOf(field(c, 'cache_seconds')),
      lang: field(c, 'lang') ?? '',
      // Left empty: no digest by e-mail (null clears an address saved before).
      digest_email: filledIn(c, 'digest_email') ?? null,
      verify_links: field(c, 'verify_links') === 'on',
      auto_targets: field(c, 'auto_targets') === 'on',
    },
  }
}

/** The settings form's labels, so a refused field (and a refused line of a box) is named as the page names it. */
export function siteLabels(c: Context<AdminEnv>, t: PageContext<Words>['t']): FormLabels {
  const label = (name: string, text: string) => ({ field: name, label: text })
  const origins = { ...label('origins', t.origins), lines: lineNumbers(field(c, 'origins')) }
  // Left empty, the widget's origins are the storefront's: a refusal of one is said at the storefront's box.
  const embedded = linesOf(field(c, 'embed_origins')).length > 0
  return {
    name: label('name', t.siteName),
    origins,
    embed_origins: embedded
      ? { ...label('embed_origins', t.embedOrigins), lines: lineNumbers(field(c, 'embed_origins')) }
      : origins,
    'settings.response_target_hours': label('response_target_hours', t.responseTarget),
    'settings.time_zone': label('time_zone', t.timeZone),
    'settings.cache_seconds': label('cache_seconds', t.cacheSeconds),
    'settings.lang': label('lang', t.shopLang),
    'settings.digest_email': label('digest_email', t.digestEmail),
    'settings.verify_links': label('verify_links', t.verifyLinks),
    'settings.auto_targets': label('auto_targets', t.autoTargets),
  }
}
