// Applying is idempotent (D1 records what ran in d1_migrations), so every test file may call it.
import { applyD1Migrations } from 'cloudflare:test'
import { env } from 'cloudflare:workers'

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS)
