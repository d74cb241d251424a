/**
 * `GET /healthz`: whether the hub's own settings are complete — 200 `{"status":"ok"}`, or 503
 * naming each missing or invalid setting (never a value). For uptime monitors and
 * `npm run smoke`; no D1, no token, never cached.
 */
import { apiDoc } from '../common/api-docs'
import type { Out } from '../common/outputs'
import { newRouter } from '../env'
import { HealthOk, HealthProblems } from './outputs'
import { settingProblems } from './settings'

export const healthRoutes = newRouter().get(
  '/healthz',
  apiDoc({
    tag: 'Meta',
    summary: 'Whether the hub’s settings are complete',
    description:
      'Checks the hub’s secrets and variables (ADMIN_TOKEN, WEBHOOK_SECRETS_KEY, HUB_ORIGIN, ALLOW_LOOPBACK_SOURCES). ' +
      'Names each missing or invalid one and what it should be; never shows a value.',
    responses: {
      200: { description: 'Every setting is in place.', schema: HealthOk },
      503: {
        description: 'Some settings are missing or invalid, each named with what it should be.',
        schema: HealthProblems,
      },
    },
  }),
  (c) => {
    c.header('Cache-Control', 'no-store')
    const settings = settingProblems(c.env)
    if (settings.length === 0) return c.json({ status: 'ok' } satisfies Out<typeof HealthOk>, 200)
    return c.json({ status: 'misconfigured', settings } satisfies Out<typeof HealthProblems>, 503)
  },
)
