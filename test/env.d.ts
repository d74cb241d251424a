import type { D1Migration } from '@cloudflare/vitest-pool-workers'

declare global {
  namespace Cloudflare {
    interface Env {
      /** Test-only: the SQL migrations read by test/vitest.config.ts. */
      TEST_MIGRATIONS: D1Migration[]
      /** Test-only: the fixture web (test/fixtures/blogs.js), to register pages. */
      BLOGS: Fetcher
    }
  }
}
