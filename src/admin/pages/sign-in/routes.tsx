/** Signing in (a site key or the operator token opens a session) and out. */
import { principalForToken } from '../../../auth/middleware'
import { getDb } from '../../../db/client'
import { consoleRouter, field, pageContext } from '../../kit/context'
import { requireSession } from '../../kit/middleware'
import { forgetResponder } from '../../kit/responses'
import { closeSession, openSession } from '../../kit/sessions'
import { LoginPage, signInRefusal } from './page'
import { WORDS } from './words'

export const signInRoutes = consoleRouter()
  .get('/login', (c) => c.html(<LoginPage ctx={pageContext(c, WORDS)} />))
  .post('/login', async (c) => {
    const token = field(c, 'token')?.trim() ?? ''
    const principal = token.length > 0 && token.length <= 200 ? await principalForToken(c.env, token) : null
    if (!principal) {
      const t = pageContext(c, WORDS).t
      const refusal = signInRefusal(c.env)
      // Said at the field too: the token is what was refused.
      c.set('refused', [{ field: 'token', label: t.tokenLabel, message: t[refusal] }])
      return c.html(<LoginPage ctx={pageContext(c, WORDS)} error={refusal} />, 401)
    }
    await openSession(c, getDb(c.env.DB), principal, c.var.now())
    return c.redirect('/admin', 303)
  })
  .post('/logout', requireSession, async (c) => {
    await closeSession(c, getDb(c.env.DB), c.get('session'))
    forgetResponder(c)
    return c.redirect('/admin/login', 303)
  })
