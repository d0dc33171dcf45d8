import { Arg, Args, Ctx, Field, FieldResolver, InputType, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { PageArgs, type Connection } from '../common/connection';
import { ServiceConnection, type Service } from '../service/service.entity';
import { CriterionKind, EligibilityCriterion, EligibilityCriterionConnection } from './criterion.entity';

@InputType()
export class EligibilityCriterionFilter {
  @Field(() => [CriterionKind], { nullable: true })
  kinds?: CriterionKind[] | null;
}

@Resolver(() => EligibilityCriterion)
export class CriterionResolver {
  @Query(() => EligibilityCriterionConnection, { description: 'Eligibility criteria, ordered by label.' })
  eligibilityCriteria(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => EligibilityCriterionFilter, { nullable: true }) filter: EligibilityCriterionFilter | null,
    @Ctx() { repos }: Context,
  ): Promise<Connection<EligibilityCriterion>> {
    return repos.criterion.list({ kinds: filter?.kinds ?? undefined }, page);
  }

  @FieldResolver(() => ServiceConnection, { description: 'Services that list this criterion, ordered by name.' })
  services(@Root() criterion: EligibilityCriterion, @Args(() => PageArgs) page: PageArgs, @Ctx() { repos }: Context): Promise<Connection<Service>> {
    return repos.service.withCriterion.load(criterion.id, page);
  }
}
