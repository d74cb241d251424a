/**
 * /admin — the operator's web UI, composed of its pages (`pages/<page>/routes.tsx`, each beside its
 * page and its words). Each page's routes are thin: they read a form or a query, call the same
 * domain functions as the JSON API (so the same rules and the same site checks apply), and render.
 * Sign-in opens a session; every other page needs one, and every form that changes something must
 * carry the session's CSRF token and come from this origin.
 */
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { csrf } from 'hono/csrf'

import { consoleBodyLimit, importsRoutes } from './pages/imports/routes'
import { inboxRoutes } from './pages/inbox/routes'
import { overviewRoutes } from './pages/overview/routes'
import { partnersRoutes } from './pages/partners/routes'
import { platformRoutes } from './pages/platform/routes'
import { reviewsRoutes } from './pages/reviews/routes'
import { settingsRoutes } from './pages/settings/routes'
import { signInRoutes } from './pages/sign-in/routes'
import { shopRoutes } from './pages/shop/routes'
import { sitesRoutes } from './pages/sites/routes'
import { targetsRoutes } from './pages/targets/routes'
import { voiceRoutes } from './pages/voice/routes'
import { watchesRoutes } from './pages/watches/routes'
import { webhooksRoutes } from './pages/webhooks/routes'
import type { AdminEnv } from './kit/context'
import { errorPage, noStore, readForm, requireSession } from './kit/middleware'

export const adminRoutes = new Hono<AdminEnv>()
  .use(noStore, consoleBodyLimit(bodyLimit({ maxSize: 64 * 1024 })))
  // Forms must come from this origin (Origin header), besides carrying the CSRF token.
  .use(csrf())
  .use(readForm)
  .route('/', signInRoutes)
  .use(requireSession)
  .route('/', sitesRoutes)
  // Before the inbox: /sites/new is not a shop's page.
  .route('/', shopRoutes)
  .route('/', inboxRoutes)
  .route('/', voiceRoutes)
  .route('/', overviewRoutes)
  .route('/', settingsRoutes)
  .route('/', targetsRoutes)
  .route('/', reviewsRoutes)
  .route('/', watchesRoutes)
  .route('/', webhooksRoutes)
  .route('/', platformRoutes)
  .route('/', partnersRoutes)
  .route('/', importsRoutes)
  .onError(errorPage)
