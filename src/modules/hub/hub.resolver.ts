import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { PageArgs, type Connection } from '../common/connection';
import { parseTypedId } from '../common/global-id';
import { BoundsInput, NearInput } from '../place/place.inputs';
import { ServiceConnection, type Service } from '../service/service.entity';
import { ServiceFilter } from '../service/service.inputs';
import { readHubCriteria } from './hub-criteria';
import { Hub } from './hub.entity';
import { HubFilter, HubOrder, HubSearchConnection } from './hub.inputs';

@Resolver(() => Hub)
export class HubResolver {
  @Query(() => HubSearchConnection, {
    nullable: true,
    description:
      'Hubs, for lists and maps: by region and kind, inside a map viewport (`within`) or a circle (`near`), each with how many services match `serviceFilter`. With `serviceFilter`, only hubs with at least one matching service.',
  })
  async hubs(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => HubFilter, { nullable: true }) filter: HubFilter | null,
    @Arg('within', () => BoundsInput, { nullable: true }) within: BoundsInput | null,
    @Arg('near', () => NearInput, { nullable: true }) near: NearInput | null,
    @Arg('serviceFilter', () => ServiceFilter, { nullable: true }) serviceFilter: ServiceFilter | null,
    @Arg('orderBy', () => HubOrder, { nullable: true }) orderBy: HubOrder | null,
    @Ctx() context: Context,
  ): Promise<Connection<Hub>> {
    return context.repos.hub.search(await readHubCriteria(context, { filter, within, near, serviceFilter, orderBy }), page);
  }

  @Query(() => Hub, { nullable: true, description: 'One hub, or null if there is none with this id.' })
  hub(@Arg('id', () => ID) id: string, @Ctx() { repos }: Context): Promise<Hub | null> {
    return repos.hub.byId.load(parseTypedId(id, 'Hub', 'id'));
  }

  @FieldResolver(() => ServiceConnection, { description: 'Services that run at this hub, ordered by name (every status).' })
  services(@Root() hub: Hub, @Args(() => PageArgs) page: PageArgs, @Ctx() { repos }: Context): Promise<Connection<Service>> {
    return repos.service.atHub.load(hub.id, page);
  }
}
