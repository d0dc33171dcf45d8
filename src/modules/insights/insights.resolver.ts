import { Arg, Authorized, Ctx, Int, Query, Resolver } from 'type-graphql';
import { LocalDateResolver } from 'graphql-scalars';
import type { Context } from '../../context';
import { AccountRole } from '../common/viewer';
import { SearchInsightsReport } from './insights.types';
import { DEFAULT_INSIGHTS_LIMIT, MAX_INSIGHTS_LIMIT, readInsightsRange } from './insights-range';
import type { SearchInsights } from './insights.repository';

@Resolver()
export class SearchInsightsResolver {
  @Authorized(AccountRole.ADMIN)
  @Query(() => SearchInsightsReport, {
    nullable: true,
    description:
      'Admins: what people searched for, week by week (counted without personal data; see the README, "What people search for"). Counts reach the database every 10 seconds or so.',
  })
  searchInsights(
    @Arg('from', () => LocalDateResolver, { description: 'The first day: its whole week (from its Monday) is read.' }) from: string,
    @Arg('to', () => LocalDateResolver, { description: 'The last day (inclusive); at most five years after `from`.' }) to: string,
    @Arg('limit', () => Int, { defaultValue: DEFAULT_INSIGHTS_LIMIT, description: `How many of each list (top searches, districts...), 1 to ${MAX_INSIGHTS_LIMIT}.` }) limit: number,
    @Ctx() { repos }: Context,
  ): Promise<SearchInsights> {
    return repos.insights.insights(readInsightsRange(from, to, limit));
  }
}
