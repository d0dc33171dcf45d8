import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { PageArgs, type Connection } from '../common/connection';
import { scopeOf } from '../common/cursor';
import { parseTypedId } from '../common/global-id';
import { loadConnection } from '../common/loaders';
import { readPageRequest, type OrderTerm } from '../common/pagination';
import { ServiceConnection, type Service } from '../service/service.entity';
import { Hub, HubConnection } from './hub.entity';
import { HubKind, Region } from './hub.enums';

@InputType({ description: 'Filters combine with AND; the values listed inside one filter combine with OR.' })
export class HubFilter {
  @Field(() => [Region], { nullable: true })
  regions?: Region[] | null;

  @Field(() => [HubKind], { nullable: true })
  kinds?: HubKind[] | null;
}

const HUB_ORDER: OrderTerm[] = [
  { column: 'h.name', key: 'name' },
  { column: 'h.id', key: 'id' },
];

@Resolver(() => Hub)
export class HubResolver {
  @Query(() => HubConnection, { description: 'Hubs, ordered by name.' })
  hubs(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => HubFilter, { nullable: true }) filter: HubFilter | null,
    @Ctx() { em }: Context,
  ): Promise<Connection<Hub>> {
    const criteria = { regions: filter?.regions ?? undefined, kinds: filter?.kinds ?? undefined };
    const q = em.getKnex().from('hub as h').select('h.*');
    if (criteria.regions) q.whereIn('h.region', criteria.regions);
    if (criteria.kinds) q.whereIn('h.kind', criteria.kinds);
    const request = readPageRequest(page.first, page.after, scopeOf('hubs', criteria), HUB_ORDER);
    return loadConnection(em, Hub, q, HUB_ORDER, request);
  }

  @Query(() => Hub, { nullable: true, description: 'One hub, or null if there is none with this id.' })
  hub(@Arg('id', () => ID) id: string, @Ctx() { loaders }: Context): Promise<Hub | null> {
    return loaders.hub.byId.load(parseTypedId(id, 'Hub', 'id'));
  }

  @FieldResolver(() => ServiceConnection, { description: 'Services that run at this hub, ordered by name.' })
  services(@Root() hub: Hub, @Args(() => PageArgs) page: PageArgs, @Ctx() { loaders }: Context): Promise<Connection<Service>> {
    return loaders.hub.services.load(hub.id, page);
  }
}
