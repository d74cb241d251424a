import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers'
import { defineConfig } from 'vitest/config'

export default defineConfig(async () => ({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: './wrangler.toml' },
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: await readD1Migrations('./migrations'),
          ADMIN_TOKEN: 'test-operator-token',
          WEBHOOK_SECRETS_KEY: 'dGVzdC1vbmx5LXdlYmhvb2sta2V5LTMyLWJ5dGVzISE=',
          // Turns on D1 metering (X-D1-Rows-Read) so tests can hold public routes to their read budget.
          ENVIRONMENT: 'development',
          // Check sources at once: tests wait for the queue, not for the production delay.
          VERIFY_FIRST_DELAY_SECONDS: '0',
          // As in production (a developer's .dev.vars may turn it on for \`npm run dev\`).
          ALLOW_LOOPBACK_SOURCES: 'false',
          // The real send_email binding (below) is exercised by test/reviews/blog.test.ts.
          REVIEW_MAIL_FROM: 'reviews@shop.example',
        },
        email: { send_email: [{ name: 'EMAIL' }] },
        // A second, empty database for tests that apply the migrations one by one to rows of an older release.
        d1Databases: { MIGRATION_DB: 'migration-test-db' },
        // The outside web: every fetch() the Worker makes goes to this fixture worker, and
        // tests register the pages it serves through the BLOGS binding.
        outboundService: 'blogs',
        serviceBindings: { BLOGS: 'blogs' },
        workers: [
          { name: 'blogs', modules: true, scriptPath: './test/fixtures/blogs.js', compatibilityDate: '2026-04-26' },
        ],
      },
    }),
  ],
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['./test/setup/apply-migrations.ts'],
    // Linkback tests wait for the queue to deliver (about a second per check).
    testTimeout: 20_000,
    // Every core runs test files (each in its own runner and storage); vitest's default leaves one
    // idle, which on a two-core machine runs the files one at a time.
    maxWorkers: '100%',
  },
}))
