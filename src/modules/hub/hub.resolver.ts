import { Arg, Args, Ctx, Field, FieldResolver, Float, ID, InputType, Int, ObjectType, Query, registerEnumType, Resolver, Root } from 'type-graphql';
import type { Knex } from '@mikro-orm/knex';
import type { Context } from '../../context';
import { BadUserInputError } from '../../errors';
import { connectionType, edgeType, PageArgs, type Connection } from '../common/connection';
import { scopeOf } from '../common/cursor';
import { parseTypedId } from '../common/global-id';
import { loadConnection } from '../common/loaders';
import { readPageRequest, type OrderTerm } from '../common/pagination';
import { ServiceConnection, type Service } from '../service/service.entity';
import { BoundsInput, NearInput, ServiceFilter } from '../service/service.inputs';
import { matchQuery, readNear, readSearchCriteria, type SearchCriteria } from '../service/service-search';
import { openAtSql } from '../service/opening-hours';
import { boundingBox, checkBounds, distanceSql } from './geo';
import { dialectOf } from '../common/dialect';
import { Hub } from './hub.entity';
import { HubKind, Region } from './hub.enums';

@InputType({ description: 'Filters combine with AND; the values listed inside one filter combine with OR.' })
export class HubFilter {
  @Field(() => [Region], { nullable: true })
  regions?: Region[] | null;

  @Field(() => [HubKind], { nullable: true })
  kinds?: HubKind[] | null;
}

export enum HubOrder {
  NAME = 'NAME',
  DISTANCE = 'DISTANCE',
}
registerEnumType(HubOrder, { name: 'HubOrder', description: 'Default: DISTANCE with `near`, else NAME. Ties are broken by id.' });

@ObjectType('HubSearchEdge')
export class HubSearchEdge extends edgeType('HubSearchEdgeBase', Hub) {
  @Field(() => Float, { nullable: true, description: 'Great-circle distance in km from `near` (null without `near`).' })
  distanceKm!: number | null;

  @Field(() => Int, { description: 'Services at this hub matching `serviceFilter` (active services when it is absent).' })
  serviceCount!: number;
}

export const HubSearchConnection = connectionType('HubSearch', Hub, HubSearchEdge);

const ORDERS: Record<HubOrder, OrderTerm[]> = {
  NAME: [
    { column: 'r.name', key: 'name' },
    { column: 'r.id', key: 'id' },
  ],
  DISTANCE: [
    { column: 'r.__distance', key: '__distance' },
    { column: 'r.id', key: 'id' },
  ],
};

/**
 * Services at hub `h` matching the criteria; with openAt, open at this hub
 * then. Written as a join driven by the hub's locations: as `IN (matching
 * services)` SQLite walked every matching service for every hub (220 ms for a
 * map of Leeds over 50,000 services, against 19 ms this way).
 */
function servicesAtHub(knex: Knex, c: SearchCriteria): Knex.QueryBuilder {
  const q = matchQuery(knex, c).join('service_location as sl', 'sl.service_id', 's.id').whereRaw('sl.hub_id = h.id');
  if (c.openAt) {
    const open = openAtSql(c.openAt, 'sch');
    q.whereExists(knex.from('schedule as sch').select(knex.raw('1')).whereRaw('sch.service_location_id = sl.id').whereRaw(open.sql, open.bindings));
  }
  return q;
}

@Resolver(() => Hub)
export class HubResolver {
  @Query(() => HubSearchConnection, {
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
    const knex = context.em.getKnex();
    if (within) checkBounds(within, 'within');
    const circle = near ? await readNear(near, context.geocoder, 'near') : undefined;
    const services = await readSearchCriteria(context, serviceFilter, null);
    const order = orderBy ?? (circle ? HubOrder.DISTANCE : HubOrder.NAME);
    if (order === HubOrder.DISTANCE && !circle) throw new BadUserInputError('orderBy', 'DISTANCE needs a place to measure from (near).');

    const inner = knex.from('hub as h').select('h.*');
    if (filter?.regions) inner.whereIn('h.region', filter.regions);
    if (filter?.kinds) inner.whereIn('h.kind', filter.kinds);
    if (within) inner.whereBetween('h.latitude', [within.south, within.north]).whereBetween('h.longitude', [within.west, within.east]);
    if (circle) {
      const box = boundingBox(circle);
      const distance = distanceSql(dialectOf(knex), 'h.latitude', 'h.longitude', circle);
      inner
        .whereBetween('h.latitude', [box.south, box.north])
        .whereBetween('h.longitude', [box.west, box.east])
        .whereRaw(`${distance.sql} <= ?`, [...distance.bindings, circle.radiusKm])
        .select(knex.raw(`${distance.sql} as __distance`, distance.bindings));
    }
    const count = servicesAtHub(knex, services).countDistinct('sl.service_id');
    inner.select(knex.raw('(?) as __service_count', [count]));
    if (serviceFilter) inner.whereExists(servicesAtHub(knex, services).select(knex.raw('1')));

    const terms = ORDERS[order];
    const request = readPageRequest(page.first, page.after, scopeOf('hubs', filter, within, circle, services, order), terms, context.cursors);
    return loadConnection(context.em, Hub, knex.select('*').from(inner.as('r')), terms, request, {
      edgeFields: (row) => ({
        distanceKm: row.__distance === undefined ? null : Number(row.__distance),
        serviceCount: Number(row.__service_count),
      }),
    });
  }

  @Query(() => Hub, { nullable: true, description: 'One hub, or null if there is none with this id.' })
  hub(@Arg('id', () => ID) id: string, @Ctx() { loaders }: Context): Promise<Hub | null> {
    return loaders.hub.byId.load(parseTypedId(id, 'Hub', 'id'));
  }

  @FieldResolver(() => ServiceConnection, { description: 'Services that run at this hub, ordered by name (every status).' })
  services(@Root() hub: Hub, @Args(() => PageArgs) page: PageArgs, @Ctx() { loaders }: Context): Promise<Connection<Service>> {
    return loaders.hub.services.load(hub.id, page);
  }
}
