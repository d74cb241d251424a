/**
 * What webmention.io gives a site's owner to take its mentions out: the jf2 feed of its API
 * (`/api/mentions.jf2`: `{"type":"feed","children":[…]}`, each child an `entry` with `wm-id`,
 * `wm-property`, `wm-source`, `wm-target`, `wm-received`, `author`, `content`…) and the older
 * JSON one (`/api/mentions`: `{"links":[…]}`, each with `source`, `target`, `verified_date`,
 * `activity.type` and the parsed post in `data`). Both read into one shape; an entry this cannot
 * use is refused with its place in the file and why.
 */
import * as v from 'valibot'

/** webmention.io's properties, and the older format's activity types that name the same thing. */
export const WM_PROPERTIES = ['in-reply-to', 'like-of', 'repost-of', 'bookmark-of', 'mention-of', 'rsvp'] as const
export type WmProperty = (typeof WM_PROPERTIES)[number]

const ACTIVITY: Record<string, WmProperty> = {
  reply: 'in-reply-to',
  like: 'like-of',
  repost: 'repost-of',
  bookmark: 'bookmark-of',
  link: 'mention-of',
  mention: 'mention-of',
  rsvp: 'rsvp',
}

export type WmMention = {
  /** webmention.io's own id: what makes a second import of the same file add nothing. */
  id: string | null
  property: WmProperty
  source: string
  target: string
  /** When the post says it was published, else when webmention.io received it (ISO 8601). */
  published: string | null
  received: string | null
  author: { name: string | null; url: string | null; photo: string | null } | null
  name: string | null
  text: string | null
  html: string | null
}

export type WmRefusal = {
  index: number
  /** `private`: webmention.io marked it private (its author shared it with the site alone); `unverified`: it never checked it. */
  reason: 'not_an_entry' | 'no_source_or_target' | 'unknown_property' | 'private' | 'unverified'
}

const Text = v.optional(v.nullable(v.string()))
const Id = v.optional(v.nullable(v.union([v.string(), v.number()])))
const Author = v.optional(v.nullable(v.looseObject({ name: Text, url: Text, photo: Text })))
const Content = v.optional(v.nullable(v.union([v.string(), v.looseObject({ text: Text, html: Text, value: Text })])))

const Jf2Entry = v.looseObject({
  'wm-id': Id,
  'wm-property': Text,
  'wm-source': Text,
  'wm-target': Text,
  'wm-received': Text,
  url: Text,
  published: Text,
  name: Text,
  author: Author,
  content: Content,
  'wm-private': v.optional(v.nullable(v.boolean())),
})

const OldLink = v.looseObject({
  id: Id,
  source: Text,
  target: Text,
  verified_date: Text,
  verified: v.optional(v.nullable(v.boolean())),
  private: v.optional(v.nullable(v.boolean())),
  activity: v.optional(v.nullable(v.looseObject({ type: Text }))),
  data: v.optional(
    v.nullable(v.looseObject({ url: Text, name: Text, published: Text, author: Author, content: Text })),
  ),
})

const Jf2File = v.looseObject({ children: v.array(v.unknown()) })
const OldFile = v.looseObject({ links: v.array(v.unknown()) })

const orNull = (value: string | null | undefined) =>
  value === undefined || value === null || value === '' ? null : value
const idOf = (value: string | number | null | undefined) =>
  value === undefined || value === null ? null : String(value)

function authorOf(author: v.InferOutput<typeof Author>): WmMention['author'] {
  if (!author) return null
  const out = { name: orNull(author.name), url: orNull(author.url), photo: orNull(author.photo) }
  return out.name || out.url || out.photo ? out : null
}

function fromJf2(entry: v.InferOutput<typeof Jf2Entry>): WmMention | WmRefusal['reason'] {
  if (entry['wm-private'] === true) return 'private'
  const source = orNull(entry['wm-source']) ?? orNull(entry.url)
  const target = orNull(entry['wm-target'])
  if (!source || !target) return 'no_source_or_target'
  const property = (WM_PROPERTIES as readonly string[]).includes(entry['wm-property'] ?? '')
    ? (entry['wm-property'] as WmProperty)
    : entry['wm-property'] == null
      ? 'mention-of'
      : null
  if (!property) return 'unknown_property'
  const content = entry.content
  return {
    id: idOf(entry['wm-id']),
    property,
    source,
    target,
    published: orNull(entry.published) ?? orNull(entry['wm-received']),
    received: orNull(entry['wm-received']),
    author: authorOf(entry.author),
    name: orNull(entry.name),
    text: typeof content === 'string' ? orNull(content) : orNull(content?.text ?? content?.value),
    html: typeof content === 'string' ? null : orNull(content?.html),
  }
}

function fromOldLink(link: v.InferOutput<typeof OldLink>): WmMention | WmRefusal['reason'] {
  if (link.private === true) return 'private'
  if (link.verified === false) return 'unverified'
  const source = orNull(link.source)
  const target = orNull(link.target)
  if (!source || !target) return 'no_source_or_target'
  const type = link.activity?.type
  const property = type == null ? 'mention-of' : ACTIVITY[type]
  if (!property) return 'unknown_property'
  return {
    id: idOf(link.id),
    property,
    source,
    target,
    published: orNull(link.data?.published) ?? orNull(link.verified_date),
    received: orNull(link.verified_date),
    author: authorOf(link.data?.author),
    name: orNull(link.data?.name),
    // The older format's content is the post's HTML.
    text: null,
    html: orNull(link.data?.content),
  }
}

/** The file's entries, and whether they are in the older format. */
function entriesOf(json: unknown): { items: unknown[]; old: boolean } | null {
  if (Array.isArray(json)) return { items: json, old: false }
  const jf2 = v.safeParse(Jf2File, json)
  if (jf2.success) return { items: jf2.output.children, old: false }
  const old = v.safeParse(OldFile, json)
  return old.success ? { items: old.output.links, old: true } : null
}

function readOne(item: unknown, old: boolean): WmMention | WmRefusal['reason'] {
  if (old) {
    const link = v.safeParse(OldLink, item)
    return link.success ? fromOldLink(link.output) : 'not_an_entry'
  }
  const entry = v.safeParse(Jf2Entry, item)
  return entry.success ? fromJf2(entry.output) : 'not_an_entry'
}

/** The file's mentions and refusals; null when it is neither of webmention.io's formats. */
export function readWebmentionIo(json: unknown): { mentions: WmMention[]; refused: WmRefusal[] } | null {
  const file = entriesOf(json)
  if (!file) return null
  const mentions: WmMention[] = []
  const refused: WmRefusal[] = []
  file.items.forEach((item, index) => {
    const read = readOne(item, file.old)
    if (typeof read === 'string') refused.push({ index, reason: read })
    else mentions.push(read)
  })
  return { mentions, refused }
}
