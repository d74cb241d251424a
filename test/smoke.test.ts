import { describe, expect, it } from 'vitest'

import { call } from './helpers/http'

describe('the Worker', () => {
  it('answers unknown routes with a JSON 404', async () => {
    const res = await call('/nope')
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'No such route' } })
  })
})
