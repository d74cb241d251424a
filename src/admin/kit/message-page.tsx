/** A page with one message: an error no form can show (a stale form, another site's id, a form too large). */
import type { FC } from 'hono/jsx'

import type { PageContext } from './context'
import { Layout } from './layout'

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
