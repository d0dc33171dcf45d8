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
  @Query(() => EligibilityCriterionConnection, { nullable: true, description: 'Eligibility criteria, ordered by label.' })
  eligibilityCriteria(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => EligibilityCriterionFilter, { nullable: true }) filter: EligibilityCriterionFilter | null,
    @Ctx() { repos }: Context,
  ): Promise<Connection<EligibilityCriterion>> {
    return repos.criterion.list({ kinds: filter?.kinds ?? undefined }, page);
  }

  @Query(() => EligibilityCriterion, { nullable: true, description: 'One eligibility criterion by its stable code ("lonely-or-isolated"), or null if there is none with it.' })
  eligibilityCriterion(@Arg('code', () => String) code: string, @Ctx() { repos }: Context): Promise<EligibilityCriterion | null> {
    return repos.criterion.byCode.load(code);
  }

  @FieldResolver(() => ServiceConnection, { description: 'Services that list this criterion, ordered by name.' })
  services(@Root() criterion: EligibilityCriterion, @Args(() => PageArgs) page: PageArgs, @Ctx() { repos }: Context): Promise<Connection<Service>> {
    return repos.service.withCriterion.load(criterion.id, page);
  }
}
