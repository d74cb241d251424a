/** What the operator API answers about targets (the API description shows them). */
import * as v from 'valibot'

import { TARGET_KINDS } from '../db/schema'
import { Count, PageOf, Timestamp } from '../common/outputs'

export const TargetOut = v.strictObject({
  id: v.string(),
  url: v.string(),
  title: v.string(),
  kind: v.picklist(TARGET_KINDS),
  automatic: v.pipe(
    v.boolean(),
    v.description('Made by the hub for a published voice (or an order) about a page nobody registered.'),
  ),
  created_at: Timestamp,
  feed_url: v.pipe(v.string(), v.description("The public feed of this target's voices.")),
  discovery: v.pipe(
    v.strictObject({
      webmention_url: v.string(),
      webmention_link_header: v.string(),
      webmention_link: v.string(),
      pingback_url: v.string(),
      pingback_header: v.string(),
      pingback_link: v.string(),
      trackback_url: v.string(),
      trackback_rdf: v.string(),
    }),
    v.description("What the target's page puts in its head and headers so that blogs find the hub."),
  ),
})

export const TargetPage = PageOf(TargetOut)

export const TargetMerged = v.strictObject({
  into: TargetOut,
  moved: v.pipe(Count, v.description('Voices moved.')),
  left: v.pipe(
    v.array(v.string()),
    v.description('Voices left behind: the same page already had a voice on `into` (at most 100 ids).'),
  ),
  deleted: v.pipe(v.boolean(), v.description('The merged target is gone (nothing refers to it any more).')),
})
