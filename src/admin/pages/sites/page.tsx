/** The sites the signed-in principal may see. */
import type { FC } from 'hono/jsx'

import { idCursor } from '../../../common/cursor'
import type { SiteRow } from '../../../sites/store'
import type { PageContext } from '../../kit/context'
import { Layout } from '../../kit/layout'
import type { Words } from './words'

export const SitesPage: FC<{ ctx: PageContext<Words>; sites: SiteRow[]; next: number | null }> = ({
  ctx,
  sites,
  next,
}) => (
  <Layout ctx={ctx} title={ctx.t.sites}>
    <h1>{ctx.t.sites}</h1>
    <ul>
      {sites.map((s) => (
        <li>
          <a href={`/admin/sites/${encodeURIComponent(s.slug)}`}>{s.name}</a> <span class="meta">({s.slug})</span>
        </li>
      ))}
    </ul>
    {next !== null && (
      <p>
        <a href={`/admin?cursor=${idCursor(next)}`}>{ctx.t.moreSites}</a>
      </p>
    )}
  </Layout>
)
