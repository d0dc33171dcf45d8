import { Field, ID, InputType } from 'type-graphql';
import { ServiceStatus } from './service.enums';

/** Simple filters; filters combine with AND, the values inside one filter with OR. */
@InputType({ description: 'Filters combine with AND; the values listed inside one filter combine with OR.' })
export class ServiceFilter {
  @Field(() => [ID], { nullable: true, description: 'Services of any of these providers.' })
  providerIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Services that run at any of these hubs.' })
  hubIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Services tagged with any of these categories.' })
  categoryIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Services tagged with any of these eligibility criteria.' })
  criterionIds?: string[] | null;

  @Field(() => [ServiceStatus], { nullable: true, description: 'Services with any of these statuses (all statuses when absent).' })
  statuses?: ServiceStatus[] | null;
}
