/**
 * The time the shell works at. Every "now" that ends up in a row or decides what is due
 * (updatedAt, transition times, retry and inquiry times, outbox delivery times, the acquirers'
 * request times) comes from this one clock, so that a test, or a host replaying a day, sets it
 * in one place. Measuring how long something took (lock waits, shutdown) stays on the process
 * timer: that is a duration, not a point in the order's life.
 */
export interface Clock {
  now(): Date;
}

/** The clock CaptureModule provides; a host or a test replaces it with `overrideProvider(CLOCK)`. */
export const CLOCK = Symbol('CAPTURE_CLOCK');

export const SYSTEM_CLOCK: Clock = { now: () => new Date() };
