/** Signing in with a site key or the operator token. */
import type { FC } from 'hono/jsx'

import type { PageContext } from '../../shared/context'
import { InputField } from '../../shared/fields'
import { Layout } from '../../shared/layout'
import type { Words } from './words'

export const LoginPage: FC<{ ctx: PageContext<Words>; error?: boolean }> = ({ ctx, error }) => (
  <Layout ctx={ctx} title={ctx.t.signIn}>
    <h1>{ctx.t.signIn}</h1>
    {error && <p class="error">{ctx.t.badToken}</p>}
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
