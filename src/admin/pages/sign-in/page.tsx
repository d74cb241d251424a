/** Signing in with a site key or the operator token. */
import type { FC } from 'hono/jsx'

import type { PageContext } from '../../kit/context'
import { InputField } from '../../kit/fields'
import { Layout } from '../../kit/layout'
import { operatorTokenConfigured } from '../../../health/settings'
import type { Words } from './words'

/**
 * Why a sign-in was refused: the key or token is not valid, or — when the hub's ADMIN_TOKEN is
 * missing or malformed — the operator token is not configured at all.
 */
export type SignInRefusal = 'badToken' | 'operatorTokenNotConfigured'

/** The refusal for a key or token that opened no session, given the hub's settings. */
export const signInRefusal = (env: Pick<Env, 'ADMIN_TOKEN' | 'ENVIRONMENT'>): SignInRefusal =>
  operatorTokenConfigured(env) ? 'badToken' : 'operatorTokenNotConfigured'

export const LoginPage: FC<{ ctx: PageContext<Words>; error?: SignInRefusal }> = ({ ctx, error }) => (
  <Layout ctx={ctx} title={ctx.t.signIn}>
    <h1>{ctx.t.signIn}</h1>
    {error && <p class="error">{ctx.t[error]}</p>}
    <form method="post" action="/admin/login">
      <InputField
        name="token"
        label={ctx.t.tokenLabel}
        help={ctx.t.signInHelp}
        type="password"
        autocomplete="off"
        required
        maxlength={200}
        value=""
      />
      <button type="submit">{ctx.t.signIn}</button>
    </form>
  </Layout>
)
