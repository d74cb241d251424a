/** What `GET /healthz` answers (src/common/outputs.ts says how answers are typed). */
import * as v from 'valibot'

import { CHECKED_SETTINGS } from './settings'

export const HealthOk = v.strictObject({ status: v.literal('ok') })

export const HealthProblems = v.strictObject({
  status: v.literal('misconfigured'),
  settings: v.array(
    v.strictObject({
      name: v.picklist(CHECKED_SETTINGS),
      problem: v.picklist(['missing', 'invalid']),
      expected: v.string(),
    }),
  ),
})
