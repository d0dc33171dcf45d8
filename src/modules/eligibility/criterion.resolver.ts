import { Arg, Args, Ctx, Field, FieldResolver, InputType, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { PageArgs, type Connection } from '../common/connection';
import { scopeOf } from '../common/cursor';
import { loadConnection } from '../common/loaders';
import { readPageRequest } from '../common/pagination';
import { ServiceConnection, type Service } from '../service/service.entity';
import { CRITERION_ORDER, CriterionKind, EligibilityCriterion, EligibilityCriterionConnection } from './criterion.entity';

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
    @Ctx() { em, cursors }: Context,
  ): Promise<Connection<EligibilityCriterion>> {
    const criteria = { kinds: filter?.kinds ?? undefined };
    const q = em.getKnex().from('eligibility_criterion as c').select('c.*');
    if (criteria.kinds) q.whereIn('c.kind', criteria.kinds);
    const request = readPageRequest(page.first, page.after, scopeOf('eligibilityCriteria', criteria), CRITERION_ORDER, cursors);
    return loadConnection(em, EligibilityCriterion, q, CRITERION_ORDER, request);
  }

  @FieldResolver(() => ServiceConnection, { description: 'Services that list this criterion, ordered by name.' })
  services(@Root() criterion: EligibilityCriterion, @Args(() => PageArgs) page: PageArgs, @Ctx() { loaders }: Context): Promise<Connection<Service>> {
    return loaders.criterion.services.load(criterion.id, page);
  }
}
