/** Search counts are kept 13 months: a year, compared with the same month of the year before. */
export const DEFAULT_RETENTION_MONTHS = 13;
/** The longest retention SEARCH_INSIGHTS_RETENTION_MONTHS accepts (and the longest range one read covers). */
export const MAX_RETENTION_MONTHS = 60;
/** How often counts held in memory are written. */
export const DEFAULT_FLUSH_INTERVAL_MS = 10_000;
