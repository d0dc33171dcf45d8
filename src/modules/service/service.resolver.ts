import { Arg, Args, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from 'type-graphql';
import type { FieldNode, GraphQLResolveInfo } from 'graphql';
import { nodeFieldsOf, objectFieldsOf, selectsAnyOf } from '../common/selection';
import { DateTimeResolver } from 'graphql-scalars';
import { currentSessionEnd, isOpenAt, nextOpening } from './opening-hours';
import type { Context } from '../../context';
import { PageArgs, type Connection } from '../common/connection';
import { whenKnown, type Loaded } from '../common/loaders';
import { parseTypedId } from '../common/global-id';
import { Provider } from '../provider/provider.entity';
import { CategoryConnection, type Category } from '../category/category.entity';
import { EligibilityCriterionConnection, type EligibilityCriterion } from '../eligibility/criterion.entity';
import { Hub } from '../hub/hub.entity';
import { Service } from './service.entity';
import { ServiceLocation, ServiceLocationConnection } from './service-location.entity';
import { Schedule } from './schedule.entity';
import { Capacity, capacityOf } from './capacity';
import { reviewOf, ServiceReview } from './review-policy';
import { canEditProvider } from '../common/viewer';
import { ServiceArea } from './service-area.entity';
import { NearInput } from '../place/place.inputs';
import { ServiceFilter, ServiceOrder } from './service.inputs';
import { readSearchCriteria } from './search-criteria';
import type { ServiceChild, ServiceSearchResult } from './service.repository';
import { CategoryFacet, CriterionFacet, ServiceFacets, ServiceSearchConnection } from './service-search.types';
import { countSearch } from '../insights/count-search';

@Resolver(() => Service)
export class ServiceResolver {
  @Query(() => ServiceSearchConnection, {
    nullable: true,
    description: 'Find services: filters, a place with a radius, a person to match, a time they can go; with facets. Active services only unless `filter.statuses` says otherwise.',
  })
  async services(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => ServiceFilter, { nullable: true }) filter: ServiceFilter | null,
    @Arg('near', () => NearInput, { nullable: true }) near: NearInput | null,
    @Arg('orderBy', () => ServiceOrder, { nullable: true }) orderBy: ServiceOrder | null,
    @Ctx() context: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ServiceSearchResult> {
    // Asked together, the page, the total and the facets come from one statement.
    const withSummary = selectsAnyOf(info, ['totalCount', 'facets']);
    const criteria = await readSearchCriteria(context, filter, near);
    const result = await context.repos.service.search(criteria, orderBy, page, { withSummary, include: serviceChildren(nodeFieldsOf(info)) });
    // Counted in memory without personal data (insights/count-search.ts): the first page only, never failing the search.
    await countSearch(context.searchCounter, { text: filter?.text, postcode: near?.postcode, categoryIds: criteria.categoryIds, page, at: context.now }, result);
    return result;
  }

  @Query(() => Service, { nullable: true, description: 'One service, or null if there is none with this id.' })
  service(@Arg('id', () => ID) id: string, @Ctx() { repos }: Context, @Info() info: GraphQLResolveInfo): Promise<Service | null> {
    return repos.service.one(parseTypedId(id, 'Service', 'id'), serviceChildren(objectFieldsOf(info)));
  }

  @FieldResolver(() => Provider, { description: 'Who delivers the service (HSDS organization).' })
  provider(@Root() service: Service, @Ctx() { repos }: Context): Loaded<Provider | null> {
    return repos.provider.byId.get(service.provider.id);
  }

  @FieldResolver(() => ServiceLocationConnection, { description: 'The hubs where the service runs, each with its schedule.' })
  locations(@Root() service: Service, @Args(() => PageArgs) page: PageArgs, @Ctx() { repos }: Context, @Info() info: GraphQLResolveInfo): Loaded<Connection<ServiceLocation>> {
    return repos.service.locations.get(service.id, page, locationChildren(info));
  }

  @FieldResolver(() => EligibilityCriterionConnection, { description: 'Who the service is for. Empty means open to all.' })
  eligibility(@Root() service: Service, @Args(() => PageArgs) page: PageArgs, @Ctx() { repos }: Context): Loaded<Connection<EligibilityCriterion>> {
    return repos.service.eligibility.get(service.id, page);
  }

  @FieldResolver(() => Capacity, { description: 'Whether it is taking referrals, as its provider last said: UNKNOWN when that was longer ago than the directory trusts.' })
  capacity(@Root() service: Service, @Ctx() { now, capacityStaleDays }: Context): Capacity {
    return capacityOf(service, now, capacityStaleDays);
  }

  @FieldResolver(() => ServiceReview, { description: 'When its details were last said to be correct, by whom, and when they are next due for review; isStale when long overdue.' })
  review(@Root() service: Service, @Ctx() { now, review, viewer }: Context): ServiceReview {
    return reviewOf(service, now, review, canEditProvider(viewer, service.provider.id));
  }

  @FieldResolver(() => [ServiceArea], { description: 'The areas it serves (HSDS service_area): when there are any, only people living in one can use it. Empty: no limit.' })
  areas(@Root() service: Service, @Ctx() { repos }: Context): Promise<ServiceArea[]> {
    return repos.service.areasOf.load(service.id);
  }

  @FieldResolver(() => CategoryConnection)
  categories(@Root() service: Service, @Args(() => PageArgs) page: PageArgs, @Ctx() { repos }: Context): Loaded<Connection<Category>> {
    return repos.service.categories.get(service.id, page);
  }
}

@Resolver(() => ServiceLocation)
export class ServiceLocationResolver {
  @FieldResolver(() => Hub)
  hub(@Root() location: ServiceLocation, @Ctx() { repos }: Context): Loaded<Hub | null> {
    return repos.hub.byId.get(location.hub.id);
  }

  @FieldResolver(() => Service)
  async service(@Root() location: ServiceLocation, @Ctx() { repos }: Context): Promise<Service> {
    return (await repos.service.byId.load(location.service.id))!;
  }

  @FieldResolver(() => [Schedule], { description: 'Weekly opening rules at this hub, in the order entered.' })
  schedules(@Root() location: ServiceLocation, @Ctx() { repos }: Context): Loaded<Schedule[]> {
    return repos.service.schedulesOf.get(location.id);
  }

  @FieldResolver(() => Boolean, { description: 'Whether a session is on here at the time of the request (Europe/London schedules).' })
  openNow(@Root() location: ServiceLocation, @Ctx() { repos, now }: Context): Loaded<boolean> {
    return whenKnown(repos.service.schedulesOf.get(location.id), (schedules) => isOpenAt(schedules, now));
  }

  @FieldResolver(() => DateTimeResolver, { nullable: true, description: 'When the current session ends, if one is on now.' })
  openUntil(@Root() location: ServiceLocation, @Ctx() { repos, now }: Context): Loaded<Date | null> {
    return whenKnown(repos.service.schedulesOf.get(location.id), (schedules) => currentSessionEnd(schedules, now));
  }

  @FieldResolver(() => DateTimeResolver, { nullable: true, description: 'When the next session here starts (within 14 days); null if none is scheduled.' })
  nextOpen(@Root() location: ServiceLocation, @Ctx() { repos, now }: Context): Loaded<Date | null> {
    return whenKnown(repos.service.schedulesOf.get(location.id), (schedules) => nextOpening(schedules, now));
  }
}

/**
 * Facets come from the same one-statement summary as totalCount, computed
 * when first asked for. A facet's category or criterion is loaded (all of
 * them in one batch) only if the query asks for it, not for its count alone.
 */
@Resolver(() => ServiceSearchConnection)
export class ServiceSearchResolver {
  @FieldResolver(() => ServiceFacets)
  async facets(@Root() result: ServiceSearchResult, @Ctx() { repos }: Context): Promise<ServiceFacets> {
    const summary = await result.summary();
    return {
      categories: summary.categories.map(({ value, count }) => lazyFacet('category', () => repos.category.byId.load(value), count)) as unknown as CategoryFacet[],
      criteria: summary.criteria.map(({ value, count }) => lazyFacet('criterion', () => repos.criterion.byId.load(value), count)) as unknown as CriterionFacet[],
      referralRoutes: summary.referralRoutes.map(({ value, count }) => ({ referralRoute: value, count })),
      deliveryModes: summary.deliveryModes.map(({ value, count }) => ({ deliveryMode: value, count })),
      reaches: summary.reaches.map(({ value, count }) => ({ reach: value, count })),
    };
  }
}

/** What a service asked for brings along in its own statement (a page's, or its own): its provider, the first page of its criteria and categories. */
function serviceChildren(fields: Map<string, FieldNode[]>): ServiceChild[] {
  const include: ServiceChild[] = [];
  if (fields.has('provider')) include.push('provider');
  // Only a first page of the default size comes along; a list asked with its own first or after is loaded as before.
  for (const child of ['eligibility', 'categories'] as const) if (fields.get(child)?.every((field) => (field.arguments ?? []).length === 0)) include.push(child);
  return include;
}

/** What each location asked for brings along in the locations' own statement: its hub, its schedules (which openNow, openUntil and nextOpen read). */
function locationChildren(info: GraphQLResolveInfo): string[] {
  const fields = nodeFieldsOf(info);
  const include: string[] = [];
  if (fields.has('hub')) include.push('hub');
  if (['schedules', 'openNow', 'openUntil', 'nextOpen'].some((field) => fields.has(field))) include.push('schedules');
  return include;
}

/** A facet's count, and its object (`key`) loaded only when a query reads it. */
function lazyFacet(key: string, load: () => Promise<unknown>, count: number): { count: number } {
  return Object.defineProperty({ count }, key, { get: load, enumerable: true });
}
