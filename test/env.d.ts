import type { D1Migration } from '@cloudflare/vitest-pool-workers'

declare global {
  namespace Cloudflare {
    interface Env {
      /** Test-only: the SQL migrations read by test/vitest.config.ts. */
      TEST_MIGRATIONS: D1Migration[]
      /** Test-only: an empty D1 database for migration tests (test/db/). */
      MIGRATION_DB: D1Database
      /** Test-only: the fixture web (test/fixtures/blogs.js), to register pages. */
      BLOGS: Fetcher
    }
  }
}
