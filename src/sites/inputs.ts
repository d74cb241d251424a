/** What the operator sends to make or change a site: the same rules for the JSON API and the web UI's forms. */
import * as v from 'valibot'

import { HttpUrl, Line, say, Slug } from '../common/validation'
import { SiteSettingsInput } from './settings'

const Origins = v.pipe(
  v.array(HttpUrl, say('must be an array of URLs', 'URLを並べてください')),
  v.maxLength(20, say('at most 20 origins', '20件までにしてください')),
)
const StorefrontOrigins = v.pipe(
  Origins,
  v.minLength(1, say('at least one storefront origin', '1件以上入力してください')),
)
const EmbedOrigins = v.pipe(
  v.array(
    v.union([v.literal('*'), HttpUrl], say('must be a URL or "*"', 'URLか「*」を入力してください')),
    say('must be an array of URLs', 'URLを並べてください'),
  ),
  v.maxLength(50, say('at most 50 origins', '50件までにしてください')),
)

/** Words the console's own addresses use beside a shop's slug (/admin/sites/new): never a shop's. */
const RESERVED_SLUGS = ['new']

export const SiteCreate = v.strictObject({
  slug: v.pipe(
    Slug,
    v.check(
      (slug) => !RESERVED_SLUGS.includes(slug),
      say('is a word the hub keeps for itself: choose another', 'ハブが使う語なので、別の名前にしてください'),
    ),
  ),
  name: Line(200),
  origins: StorefrontOrigins,
  embed_origins: v.optional(EmbedOrigins),
  settings: v.optional(SiteSettingsInput),
})

export const SitePatch = v.strictObject({
  name: v.optional(Line(200)),
  origins: v.optional(StorefrontOrigins),
  embed_origins: v.optional(EmbedOrigins),
  settings: v.optional(SiteSettingsInput),
})

export const KeyCreate = v.strictObject({ label: v.optional(Line(100)) })
