import { BadUserInputError } from '../../errors';
import type { InsightsRange } from './insights.repository';
import { dayNumberOf, mondayOf } from './weeks';

export const DEFAULT_INSIGHTS_LIMIT = 20;
export const MAX_INSIGHTS_LIMIT = 100;
/** The longest range one read may cover: five years, the longest retention (SEARCH_INSIGHTS_RETENTION_MONTHS). */
export const MAX_INSIGHTS_DAYS = 5 * 366;

/** The arguments of `searchInsights` checked (dates are "YYYY-MM-DD", the LocalDate scalar's): the weeks from the one holding `from` to the one holding `to`. */
export function readInsightsRange(from: string, to: string, limit: number): InsightsRange {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_INSIGHTS_LIMIT) throw new BadUserInputError('limit', `must be a whole number from 1 to ${MAX_INSIGHTS_LIMIT} (got ${limit}).`);
  if (from > to) throw new BadUserInputError('from', `must be on or before "to" (got from ${from}, to ${to}).`);
  if (dayNumberOf(to) - dayNumberOf(from) > MAX_INSIGHTS_DAYS) {
    throw new BadUserInputError('to', `the range may cover at most five years (${MAX_INSIGHTS_DAYS} days); from ${from} to ${to} is ${dayNumberOf(to) - dayNumberOf(from)} days. Ask for it in parts.`);
  }
  return { fromWeek: mondayOf(from), to, limit };
}
