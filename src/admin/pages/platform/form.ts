/** The platform page's forms as the API's inputs (the connection, the site's settings), and the labels a refused field is named by. */
import type { Context } from 'hono'

import type { FormLabels } from '../../../common/form-errors'
import { type AdminEnv, field, type PageContext } from '../../kit/context'
import { filledIn } from '../../kit/forms'
import type { Words } from './words'

type T = PageContext<Words>['t']

/** The connect form as PUT /api/sites/{site}/shop's body. */
export const connectInput = (c: Context<AdminEnv>) => ({
  platform: field(c, 'platform') ?? '',
  shop_address: field(c, 'shop_address') ?? '',
  secret: field(c, 'secret') ?? '',
})

export const connectLabels = (t: T): FormLabels => ({
  platform: { field: 'platform', label: t.platformField },
  shop_address: { field: 'shop_address', label: t.shopAddress },
  secret: { field: 'secret', label: t.secret },
})

/** The settings form as the API's site patch (no tag: every product becomes a target). */
export const mappingInput = (c: Context<AdminEnv>) => ({
  settings: {
    shop_invite_on: field(c, 'shop_invite_on') ?? '',
    shop_target_tag: filledIn(c, 'shop_target_tag') ?? null,
  },
})

export const mappingLabels = (t: T): FormLabels => ({
  'settings.shop_invite_on': { field: 'shop_invite_on', label: t.inviteOn },
  'settings.shop_target_tag': { field: 'shop_target_tag', label: t.targetTag },
})
