import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { PageArgs, type Connection } from '../common/connection';
import { scopeOf } from '../common/cursor';
import { parseTypedId } from '../common/global-id';
import { loadConnection } from '../common/loaders';
import { readPageRequest, type OrderTerm } from '../common/pagination';
import { ServiceConnection, type Service } from '../service/service.entity';
import { Provider, ProviderConnection } from './provider.entity';

const PROVIDER_ORDER: OrderTerm[] = [
  { column: 'p.name', key: 'name' },
  { column: 'p.id', key: 'id' },
];

@Resolver(() => Provider)
export class ProviderResolver {
  @Query(() => ProviderConnection, { description: 'Providers, ordered by name.' })
  providers(@Args(() => PageArgs) page: PageArgs, @Ctx() { em, cursors }: Context): Promise<Connection<Provider>> {
    const request = readPageRequest(page.first, page.after, scopeOf('providers'), PROVIDER_ORDER, cursors);
    return loadConnection(em, Provider, em.getKnex().from('provider as p').select('p.*'), PROVIDER_ORDER, request);
  }

  @Query(() => Provider, { nullable: true, description: 'One provider, or null if there is none with this id.' })
  provider(@Arg('id', () => ID) id: string, @Ctx() { loaders }: Context): Promise<Provider | null> {
    return loaders.provider.byId.load(parseTypedId(id, 'Provider', 'id'));
  }

  @FieldResolver(() => ServiceConnection, { description: "The provider's services, ordered by name." })
  services(@Root() provider: Provider, @Args(() => PageArgs) page: PageArgs, @Ctx() { loaders }: Context): Promise<Connection<Service>> {
    return loaders.provider.services.load(provider.id, page);
  }
}
