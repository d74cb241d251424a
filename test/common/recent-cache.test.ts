import { describe, expect, it } from 'vitest'

import { RecentCache } from '../../src/common/recent-cache'

describe('RecentCache', () => {
  it('forgets an entry once its time is up', () => {
    const cache = new RecentCache<string, number>(1000, 10)
    cache.set('a', 1, 0)
    expect(cache.get('a', 999)).toBe(1)
    expect(cache.get('a', 1000)).toBeUndefined()
  })

  it('drops the oldest entries beyond its size, counting a refreshed entry as new', () => {
    const cache = new RecentCache<string, number>(60_000, 2)
    cache.set('a', 1, 0)
    cache.set('b', 2, 0)
    cache.set('a', 3, 1)
    cache.set('c', 4, 2)
    expect(cache.get('b', 3)).toBeUndefined()
    expect(cache.get('a', 3)).toBe(3)
    expect(cache.get('c', 3)).toBe(4)
  })

  it('forgets on request', () => {
    const cache = new RecentCache<string, number>(60_000, 2)
    cache.set('a', 1)
    cache.delete('a')
    expect(cache.get('a')).toBeUndefined()
  })
})
