/**
 * How many new voices a sender and a blog may bring, and how a refusal says which limit it
 * met. A blog is what src/common/blog.ts says it is (one Ameba writer, not all of ameblo.jp).
 *
 * - per client address: 20 a minute (the PING_CLIENT_LIMITER binding), a flood guard;
 * - per blog: 10 a minute (PING_SOURCE_LIMITER), and Movable Type's defaults for every
 *   protocol: 10 new voices an hour and 50 a day, counted in D1.
 *
 * Updates of a voice the hub already has are never refused by the blog limits.
 */
export const BLOG_LIMITS = [
  { limit: 'blog_hour', windowMs: 60 * 60 * 1000, max: 10 },
  { limit: 'blog_day', windowMs: 24 * 60 * 60 * 1000, max: 50 },
] as const

export type Throttle = {
  limit: 'client' | 'blog_minute' | 'blog_hour' | 'blog_day' | 'busy'
  /** The blog the refused post belongs to. */
  blog: string
}

/** A refusal's sentence for a sender: which limit, for which blog, and when to come back. `things` is what was sent ("TrackBack pings"). */
export function throttleText(t: Throttle, things: string): string {
  switch (t.limit) {
    case 'client':
      return `Too many ${things} from this address: at most 20 a minute. Please try again in a minute.`
    case 'blog_minute':
      return `Too many ${things} from the blog ${t.blog}: at most 10 a minute. Please try again in a minute.`
    case 'blog_hour':
      return `The blog ${t.blog} has brought 10 new voices to this shop in the last hour, the most it takes in an hour. Please try again later.`
    case 'blog_day':
      return `The blog ${t.blog} has brought 50 new voices to this shop in the last day, the most it takes in a day. Please try again tomorrow.`
    case 'busy':
      return 'The hub is busy with this shop right now. Please try again in a minute.'
  }
}
