// drizzle-kit only generates SQL here; `wrangler d1 migrations apply` applies it.
import { defineConfig } from 'drizzle-kit'

export default defineConfig({
  dialect: 'sqlite',
  schema: './src/db/schema.ts',
  out: './migrations',
})
