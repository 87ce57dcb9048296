/** Durations in milliseconds, and a moment `ms` after another: the clock arithmetic of tests. */
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const plus = (base: Date, ms: number) => new Date(base.getTime() + ms);
