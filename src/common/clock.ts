/**
 * The hub's one clock: what time it is, in milliseconds since the epoch. Routes read it from
 * `c.var.now()` (the app sets it, see `createApp`); the queue and cron handlers take one as a
 * parameter; services take the time as a `now` number (or, where they need it more than once,
 * a `Clock`). Production runs on the system clock; tests inject their own and move it.
 */
export type Clock = () => number

/** The real time. */
export const systemClock: Clock = () => Date.now()

/** Spans of time in milliseconds, written once. */
export const HOUR = 60 * 60 * 1000
export const DAY = 24 * HOUR
export const WEEK = 7 * DAY
