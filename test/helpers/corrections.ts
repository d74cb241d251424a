/**
 * Correcting and withdrawing answers in tests: a shop whose pings publish at once, negative voices
 * on it, answers, and the two API calls (a site key of that shop unless another is given).
 */
import { expect } from 'vitest'

import { createSite, createTarget, PUBLISH_PINGS_AT_ONCE, type SiteFixture } from './factories'
import { api, call } from './http'
import { pingVoice, voiceIdOf } from './voices'

/** The test file's shop and its product (`openShop` in its beforeAll). */
export const shop = { site: undefined as unknown as SiteFixture, target: '' }

export async function openShop() {
  shop.site = await createSite(PUBLISH_PINGS_AT_ONCE)
  shop.target = (await createTarget(shop.site)).id
}

/** A shop of its own, for figures no other test may move. */
export async function ownShop() {
  const s = await createSite(PUBLISH_PINGS_AT_ONCE)
  return { s, t: (await createTarget(s)).id }
}

export type Answer = {
  id: string
  stage: string
  body: string
  author: { name: string; role: string | null }
  created_at: string
  version: number
  edited_at: string | null
  withdrawn: { at: string; reason: string } | null
  url: string
  webmention: string | null
}

export async function newVoice(
  s = shop.site,
  t = shop.target,
  sentiment: 'negative' | 'positive' = 'negative',
  via = call,
) {
  const id = await voiceIdOf(await pingVoice(s, t, {}, via))
  expect((await api('PATCH', `/api/mentions/${id}`, { sentiment }, s.key)).status).toBe(200)
  return id
}

export async function answer(
  voice: string,
  stage = 'apology',
  body = 'We are sorry: a new seal is on its way.',
  s = shop.site,
) {
  const res = await api('POST', `/api/mentions/${voice}/responses`, { stage, body, author: { name: 'Aiko' } }, s.key)
  expect(res.status, await res.clone().text()).toBe(201)
  return res.json<Answer>()
}

export const edit = (id: string, body: unknown, key: string | null = shop.site.key) =>
  api('PATCH', `/api/responses/${id}`, body, key)
export const withdraw = (id: string, body: unknown, key: string | null = shop.site.key) =>
  api('POST', `/api/responses/${id}/withdraw`, body, key)

/** The shop's public trust figures. */
export const trust = async (s = shop.site) =>
  (await call(`/feeds/${s.slug}/trust.json`)).json<{
    responded: number
    response_rate: number
    apologies: number
    answered_within_target: { share: number | null }
  }>()
