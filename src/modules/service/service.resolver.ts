import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { PageArgs, type Connection } from '../common/connection';
import { parseTypedId } from '../common/global-id';
import { Provider } from '../provider/provider.entity';
import { CategoryConnection, type Category } from '../category/category.entity';
import { EligibilityCriterionConnection, type EligibilityCriterion } from '../eligibility/criterion.entity';
import { Hub } from '../hub/hub.entity';
import { Service, ServiceConnection } from './service.entity';
import { ServiceLocation, ServiceLocationConnection } from './service-location.entity';
import { Schedule } from './schedule.entity';
import { ServiceFilter } from './service.inputs';
import { readServiceFilter, ServiceRepository } from './service.repository';

@Resolver(() => Service)
export class ServiceResolver {
  @Query(() => ServiceConnection, { description: 'Services, ordered by name.' })
  services(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => ServiceFilter, { nullable: true }) filter: ServiceFilter | null,
    @Ctx() { em }: Context,
  ): Promise<Connection<Service>> {
    return new ServiceRepository(em).list(readServiceFilter(filter), page);
  }

  @Query(() => Service, { nullable: true, description: 'One service, or null if there is none with this id.' })
  service(@Arg('id', () => ID) id: string, @Ctx() { loaders }: Context): Promise<Service | null> {
    return loaders.service.byId.load(parseTypedId(id, 'Service', 'id'));
  }

  @FieldResolver(() => Provider, { description: 'Who delivers the service (HSDS organization).' })
  async provider(@Root() service: Service, @Ctx() { loaders }: Context): Promise<Provider> {
    return (await loaders.provider.byId.load(service.provider.id))!;
  }

  @FieldResolver(() => ServiceLocationConnection, { description: 'The hubs where the service runs, each with its schedule.' })
  locations(@Root() service: Service, @Args(() => PageArgs) page: PageArgs, @Ctx() { loaders }: Context): Promise<Connection<ServiceLocation>> {
    return loaders.service.locations.load(service.id, page);
  }

  @FieldResolver(() => EligibilityCriterionConnection, { description: 'Who the service is for. Empty means open to all.' })
  eligibility(@Root() service: Service, @Args(() => PageArgs) page: PageArgs, @Ctx() { loaders }: Context): Promise<Connection<EligibilityCriterion>> {
    return loaders.service.eligibility.load(service.id, page);
  }

  @FieldResolver(() => CategoryConnection)
  categories(@Root() service: Service, @Args(() => PageArgs) page: PageArgs, @Ctx() { loaders }: Context): Promise<Connection<Category>> {
    return loaders.service.categories.load(service.id, page);
  }
}

@Resolver(() => ServiceLocation)
export class ServiceLocationResolver {
  @FieldResolver(() => Hub)
  async hub(@Root() location: ServiceLocation, @Ctx() { loaders }: Context): Promise<Hub> {
    return (await loaders.hub.byId.load(location.hub.id))!;
  }

  @FieldResolver(() => Service)
  async service(@Root() location: ServiceLocation, @Ctx() { loaders }: Context): Promise<Service> {
    return (await loaders.service.byId.load(location.service.id))!;
  }

  @FieldResolver(() => [Schedule], { description: 'Weekly opening rules at this hub, in the order entered.' })
  schedules(@Root() location: ServiceLocation, @Ctx() { loaders }: Context): Promise<Schedule[]> {
    return loaders.service.schedules.load(location.id);
  }
}
