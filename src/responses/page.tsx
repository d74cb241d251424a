/**
 * The public page of one official response: an h-entry `in-reply-to` the voice's post, so
 * the blog that receives our Webmention can show the shop's answer under the post. Rendered
 * with hono/jsx, which escapes every text value; only http(s) URLs become links.
 */
import type { FC } from 'hono/jsx'

import type { MentionRow, ResponseRow } from '../mentions/store'
import type { SiteRow } from '../sites/store'
import { safeHref } from '../shared/safe-href'
import { STAGE_LABEL } from './stage-labels'



export const ResponsePage: FC<{ response: ResponseRow; voice: MentionRow; site: SiteRow; pageUrl: string }> = ({ response, voice, site, pageUrl }) => {
  const post = safeHref(voice.sourceUrlSent ?? voice.sourceUrl)
  const published = new Date(response.createdAt).toISOString()
  const label = STAGE_LABEL[response.stage]
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${label} from ${site.name}`}</title>
        <link rel="canonical" href={pageUrl} />
        <style>{'body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}.meta{color:#555}'}</style>
      </head>
      <body>
        <article class="h-entry">
          <p class="meta">
            {label} by{' '}
            <span class="p-author h-card">
              <span class="p-name">{response.authorName}</span>
              {response.authorRole && <> (<span class="p-role">{response.authorRole}</span>)</>},{' '}
              <a class="p-org u-url" href={safeHref(site.origins[0])}>
                {site.name}
              </a>
            </span>
          </p>
          <p class="meta">
            In reply to{' '}
            <a class="u-in-reply-to" href={post}>
              {voice.title ?? post ?? 'a post'}
            </a>
          </p>
          <div class="e-content p-name">
            {response.body.split(/\n{2,}/).map((para) => (
              <p>{para}</p>
            ))}
          </div>
          <p class="meta">
            <a class="u-url" href={pageUrl}>
              <time class="dt-published" datetime={published}>
                {published.slice(0, 10)}
              </time>
            </a>
          </p>
        </article>
      </body>
    </html>
  )
}
