/** Lengths of time in milliseconds, for date arithmetic (review cycles, capacity staleness, weeks, opening hours). */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
