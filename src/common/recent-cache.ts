/**
 * A small in-memory cache for one Worker isolate: entries live at most `ttlMs`, and the
 * oldest are dropped beyond `max`. For rows that rarely change and whose every use is
 * re-checked where it matters (a guarded write), so a stale entry costs a retry, not a
 * wrong answer. Isolates are many and short-lived: never the only copy of anything.
 */
export class RecentCache<K, V> {
  readonly #entries = new Map<K, { value: V; expires: number }>()

  constructor(
    private readonly ttlMs: number,
    private readonly max: number,
  ) {}

  // The system clock, not the app's: an entry ages with the isolate's memory, whatever time a request is told.
  get(key: K, now = Date.now()): V | undefined {
    const entry = this.#entries.get(key)
    if (!entry) return undefined
    if (entry.expires <= now) {
      this.#entries.delete(key)
      return undefined
    }
    return entry.value
  }

  set(key: K, value: V, now = Date.now()): void {
    // Re-inserting moves the key to the end, so Map order stays oldest-first.
    this.#entries.delete(key)
    this.#entries.set(key, { value, expires: now + this.ttlMs })
    while (this.#entries.size > this.max) {
      const oldest = this.#entries.keys().next().value as K
      this.#entries.delete(oldest)
    }
  }

  delete(key: K): void {
    this.#entries.delete(key)
  }
}
