/** A corrected answer as the API shows it (the shape of a published one). */
import type { Out } from '../common/outputs'
import { responsePageUrl } from '../common/hub-urls'
import { responseJson } from '../voices/present'
import type { ResponseRow } from '../voices/store'
import type { CorrectedOut } from './outputs'

export const correctedJson = (r: ResponseRow, hubOrigin: string): Out<typeof CorrectedOut> => ({
  ...responseJson({
    id: r.id,
    stage: r.stage,
    body: r.withdrawnAt === null ? r.body : '',
    author_name: r.authorName,
    author_role: r.authorRole,
    created_at: r.createdAt,
    version: r.version,
    edited_at: r.editedAt,
    withdrawn_at: r.withdrawnAt,
    withdrawn_reason: r.withdrawnReason,
  }),
  url: responsePageUrl(hubOrigin, r.id),
  webmention: r.webmentionState,
})
