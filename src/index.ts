/**
 * Glasshouse — gathers what people say about a shop elsewhere on the web and serves it,
 * criticism included, next to the shop's official answers. See README.md and docs/.
 */
import { createApp } from './app'
import { handleQueue } from './queues'
import { handleScheduled } from './scheduled'

const app = createApp()

export default {
  fetch: app.fetch,
  queue: handleQueue,
  scheduled: handleScheduled,
} satisfies ExportedHandler<Env>
