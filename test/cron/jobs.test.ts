/** The cron handler runs every job even when one fails, and still reports the failure. */
import { describe, expect, it, vi } from 'vitest'

import { runJobs } from '../../src/scheduled'

describe('runJobs', () => {
  it('runs the jobs after a failing one, logs which failed, and ends in an error naming it', async () => {
    const ran: string[] = []
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    const run = runJobs([
      { name: 'first', run: () => Promise.resolve(void ran.push('first')) },
      { name: 'broken', run: async () => Promise.reject(new Error('D1 is unavailable')) },
      { name: 'last', run: () => Promise.resolve(void ran.push('last')) },
    ])
    await expect(run).rejects.toThrow('cron jobs failed: broken')
    expect(ran).toEqual(['first', 'last'])
    expect(log.mock.calls.map((c) => JSON.parse(String(c[0])))).toEqual([
      { msg: 'cron job failed', job: 'broken', error: 'Error: D1 is unavailable' },
    ])
    log.mockRestore()
  })

  it('ends quietly when every job succeeds', async () => {
    await expect(runJobs([{ name: 'only', run: () => Promise.resolve(1) }])).resolves.toBeUndefined()
  })
})
