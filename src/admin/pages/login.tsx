/** Signing in, and the page with one message (an error no form can show). */
import type { FC } from 'hono/jsx'

import { operatorTokenConfigured } from '../../health/settings'
import { Layout, type PageContext } from './layout'

/**
 * Why a sign-in was refused: the key or token is not valid, or — when the hub's ADMIN_TOKEN is
 * missing or malformed — the operator token is not configured at all. Shown at the field.
 */
export type SignInRefusal = 'badToken' | 'operatorTokenNotConfigured'

/** The refusal for a key or token that opened no session, given the hub's settings. */
export const signInRefusal = (env: Pick<Env, 'ADMIN_TOKEN' | 'ENVIRONMENT'>): SignInRefusal =>
  operatorTokenConfigured(env) ? 'badToken' : 'operatorTokenNotConfigured'

export const LoginPage: FC<{ ctx: PageContext; error?: SignInRefusal }> = ({ ctx, error }) => (
  <Layout ctx={ctx} title={ctx.t.signIn}>
    <h1>{ctx.t.signIn}</h1>
    {error && (
      <p class="error" id="token-error" role="alert">
        {ctx.t[error]}
      </p>
    )}
    <form method="post" action="/admin/login">
      <label for="token">{ctx.t.tokenLabel}</label>
      <input
        id="token"
        name="token"
        type="password"
        autocomplete="off"
        required
        maxlength={200}
        size={48}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? 'token-error' : undefined}
      />
      <p class="meta">{ctx.t.signInHelp}</p>
      <button type="submit">{ctx.t.signIn}</button>
    </form>
  </Layout>
)

/** A page with one message (an error no form can show). */
export const MessagePage: FC<{ ctx: PageContext; text: string }> = ({ ctx, text }) => (
  <Layout ctx={ctx} title={ctx.t.error}>
    <p class="error" role="alert">
      {text}
    </p>
    <p>
      <a href="/admin">{ctx.t.back}</a>
    </p>
  </Layout>
)
