import { describe, expect, it } from 'vitest'

import { call } from './helpers/http'

describe('the Worker', () => {
  it('answers unknown routes with a JSON 404 that carries the request id', async () => {
    const res = await call('/nope')
    expect(res.status).toBe(404)
    const id = res.headers.get('X-Request-Id')
    expect(id).toMatch(/^[0-9a-f-]{36}$/)
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'No such route', request_id: id } })
  })

  it('uses Cloudflare’s Ray ID as the request id when there is one, on every answer', async () => {
    const res = await call('/feeds/nosuch.json', { headers: { 'cf-ray': '8f1e2d3c4b5a6978-NRT' } })
    expect(res.headers.get('X-Request-Id')).toBe('8f1e2d3c4b5a6978-NRT')
    expect((await res.json<{ error: { request_id: string } }>()).error.request_id).toBe('8f1e2d3c4b5a6978-NRT')
    const ok = await call('/embed.js')
    expect(ok.headers.get('X-Request-Id')).toBeTruthy()
  })
})
