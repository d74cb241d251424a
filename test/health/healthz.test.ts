import { describe, expect, it } from 'vitest'

import { call, callAt } from '../helpers/http'

/** A deployed hub with every setting in place. */
const DEPLOYED = {
  ENVIRONMENT: 'production',
  ADMIN_TOKEN: 'a3f9c1d27be84e06a5c3d9f1e2b7c4a8d6e0f1a2b3c4d5e6',
  WEBHOOK_SECRETS_KEY: 'cHJvZHVjdGlvbi1saWtlLXNlY3JldHMta2V5LTMyYiE=',
  HUB_ORIGIN: 'https://hub.example.com',
  ALLOW_LOOPBACK_SOURCES: 'false',
}

type Health = { status: string; settings?: { name: string; problem: string; expected: string }[] }

const healthOf = async (bindings: Partial<Env>) => {
  const res = await callAt(Date.now(), bindings)('/healthz')
  const text = await res.text()
  return { status: res.status, cacheControl: res.headers.get('Cache-Control'), text, body: JSON.parse(text) as Health }
}

describe('GET /healthz', () => {
  it('answers 200 ok on the local hub, which may leave HUB_ORIGIN empty', async () => {
    const res = await call('/healthz')
    expect(res.status).toBe(200)
    expect(res.headers.get('Cache-Control')).toBe('no-store')
    expect(await res.json()).toEqual({ status: 'ok' })
  })

  it('answers 200 ok on a deployed hub with every setting in place', async () => {
    const health = await healthOf(DEPLOYED)
    expect(health.status).toBe(200)
    expect(health.body).toEqual({ status: 'ok' })
  })

  it('answers 503 naming each missing secret and variable of a deployed hub', async () => {
    const health = await healthOf({ ...DEPLOYED, ADMIN_TOKEN: undefined, WEBHOOK_SECRETS_KEY: '', HUB_ORIGIN: '' })
    expect(health.status).toBe(503)
    expect(health.cacheControl).toBe('no-store')
    expect(health.body.status).toBe('misconfigured')
    expect(health.body.settings?.map(({ name, problem }) => [name, problem])).toEqual([
      ['ADMIN_TOKEN', 'missing'],
      ['WEBHOOK_SECRETS_KEY', 'missing'],
      ['HUB_ORIGIN', 'missing'],
    ])
    expect(health.body.settings?.every((s) => s.expected.length > 0)).toBe(true)
  })

  it.each([
    ['ADMIN_TOKEN', 'short-operator-token'],
    ['ADMIN_TOKEN', `${DEPLOYED.ADMIN_TOKEN}\n`],
    ['WEBHOOK_SECRETS_KEY', 'not base64 at all!'],
    ['WEBHOOK_SECRETS_KEY', 'c2l4dGVlbi1ieXRlcy1rZXk='],
    ['HUB_ORIGIN', 'http://reviews.shop.example'],
    ['HUB_ORIGIN', 'https://reviews.shop.example/'],
    ['HUB_ORIGIN', 'https://reviews.shop.example/glasshouse'],
    ['HUB_ORIGIN', 'reviews.shop.example'],
    ['ALLOW_LOOPBACK_SOURCES', 'true'],
  ] as const)('answers 503 naming %s as invalid when it is %j, never showing the value', async (name, value) => {
    const health = await healthOf({ ...DEPLOYED, [name]: value })
    expect(health.status).toBe(503)
    expect(health.body.settings).toEqual([{ name, problem: 'invalid', expected: expect.any(String) as string }])
    expect(health.text).not.toContain(value.trim())
  })

  it('holds the local hub to the rules that matter there: a usable token, a real key, an origin if one is set', async () => {
    const local = { ENVIRONMENT: 'development', HUB_ORIGIN: 'http://127.0.0.1:8787' }
    expect((await healthOf({ ...local, ADMIN_TOKEN: 'short' })).status).toBe(200)
    const broken = await healthOf({
      ...local,
      ADMIN_TOKEN: 'two words',
      WEBHOOK_SECRETS_KEY: 'ZGV2',
      HUB_ORIGIN: 'http://127.0.0.1:8787/',
    })
    expect(broken.status).toBe(503)
    expect(broken.body.settings?.map((s) => s.name)).toEqual(['ADMIN_TOKEN', 'WEBHOOK_SECRETS_KEY', 'HUB_ORIGIN'])
  })
})
