import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { PageArgs, type Connection } from '../common/connection';
import { parseTypedId } from '../common/global-id';
import { ServiceConnection, type Service } from '../service/service.entity';
import { Provider, ProviderConnection } from './provider.entity';

@Resolver(() => Provider)
export class ProviderResolver {
  @Query(() => ProviderConnection, { nullable: true, description: 'Providers, ordered by name.' })
  providers(@Args(() => PageArgs) page: PageArgs, @Ctx() { repos }: Context): Promise<Connection<Provider>> {
    return repos.provider.list(page);
  }

  @Query(() => Provider, { nullable: true, description: 'One provider, or null if there is none with this id.' })
  provider(@Arg('id', () => ID) id: string, @Ctx() { repos }: Context): Promise<Provider | null> {
    return repos.provider.byId.load(parseTypedId(id, 'Provider', 'id'));
  }

  @FieldResolver(() => ServiceConnection, { description: "The provider's services, ordered by name." })
  services(@Root() provider: Provider, @Args(() => PageArgs) page: PageArgs, @Ctx() { repos }: Context): Promise<Connection<Service>> {
    return repos.service.ofProvider.load(provider.id, page);
  }
}
