/** What the Webmention endpoint answers when it accepts a request (the API description shows it). */
import * as v from 'valibot'

export const WebmentionQueued = v.strictObject({
  status: v.literal('queued'),
  summary: v.string(),
  location: v.pipe(v.string(), v.description('The status URL (also in Location).')),
  source: v.string(),
  target: v.string(),
})
