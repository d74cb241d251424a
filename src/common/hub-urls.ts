/** The hub's public addresses that other modules link to (their routes: the folders named). */

/** The hub's public origin for links given to people outside: HUB_ORIGIN when set, else the one this request came to. */
export const publicHubOrigin = (env: Pick<Env, 'HUB_ORIGIN'>, requestUrl: string) =>
  env.HUB_ORIGIN || new URL(requestUrl).origin

/** The public page of an official response (src/responses/routes.tsx). */
export const responsePageUrl = (hubOrigin: string, responseId: string) =>
  `${hubOrigin}/responses/${encodeURIComponent(responseId)}`

/** Where a linkback's sender follows its check (src/linkbacks/routes.tsx). */
export const statusUrl = (hubOrigin: string, siteSlug: string, voiceId: string) =>
  `${hubOrigin}/status/${encodeURIComponent(siteSlug)}/${encodeURIComponent(voiceId)}`

/** A review's n-th photo, served while the review is published (src/reviews/photos/routes.ts). */
export const photoUrl = (hubOrigin: string, voiceId: string, n: number) => `${hubOrigin}/photos/${voiceId}/${n}`
