/** What the storefront's signing secret answers (the API description shows it). */
import * as v from 'valibot'

import { MaybeTimestamp } from '../common/outputs'

/** The storefront's new signing secret (shown once), and until when the one before still verifies. */
export const InboundSecretOut = v.strictObject({ secret: v.string(), previous_valid_until: MaybeTimestamp })
