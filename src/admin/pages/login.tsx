/** Signing in, and the page with one message (an error no form can show). */
import type { FC } from 'hono/jsx'

import { Layout, type PageContext } from './layout'

export const LoginPage: FC<{ ctx: PageContext; error?: boolean }> = ({ ctx, error }) => (
  <Layout ctx={ctx} title={ctx.t.signIn}>
    <h1>{ctx.t.signIn}</h1>
    {error && <p class="error">{ctx.t.badToken}</p>}
    <form method="post" action="/admin/login">
      <label for="token">{ctx.t.tokenLabel}</label>
      <input id="token" name="token" type="password" autocomplete="off" required maxlength={200} size={48} />
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
