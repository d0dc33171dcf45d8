import type { EntityManager, Knex } from '@mikro-orm/knex';
import { entityLoader, groupedLoader, NestedConnectionLoader, type NestedListSpec } from '../common/loaders';
import type { OrderTerm } from '../common/pagination';
import { mapRow } from '../common/row-mapper';
import { Category, CATEGORY_ORDER } from '../category/category.entity';
import { CRITERION_ORDER, EligibilityCriterion } from '../eligibility/criterion.entity';
import { Service } from './service.entity';
import { ServiceLocation } from './service-location.entity';
import { Schedule } from './schedule.entity';
import { isVisible, restrictToVisible } from './service.visibility';
import type { CursorCodec } from '../common/cursor';
import type { Viewer } from '../account/auth';

export const SERVICE_ORDER: OrderTerm[] = [
  { column: 's.name', key: 'name' },
  { column: 's.id', key: 'id' },
];

/**
 * Services linked to a parent through a table with a `service_id` column,
 * e.g. `servicesVia('Hub.services', 'service_location', 'hub_id')`.
 */
export function servicesVia(name: string, linkTable: string, parentIdColumn: string): NestedListSpec<Service> {
  return {
    name,
    entity: Service,
    order: SERVICE_ORDER,
    parentColumn: `l.${parentIdColumn}`,
    query: (knex: Knex, parentIds, viewer) =>
      restrictToVisible(
        knex
          .from('service as s')
          .join(`${linkTable} as l`, 'l.service_id', 's.id')
          .select('s.*', `l.${parentIdColumn} as __parent`)
          .whereIn(`l.${parentIdColumn}`, parentIds as number[]),
        's',
        viewer,
      ),
  };
}

const locationsOfService: NestedListSpec<ServiceLocation> = {
  name: 'Service.locations',
  entity: ServiceLocation,
  order: [{ column: 'sl.id', key: 'id' }],
  parentColumn: 'sl.service_id',
  query: (knex, serviceIds) =>
    knex
      .from('service_location as sl')
      .select('sl.*', 'sl.service_id as __parent')
      .whereIn('sl.service_id', serviceIds as number[]),
};

const criteriaOfService: NestedListSpec<EligibilityCriterion> = {
  name: 'Service.eligibility',
  entity: EligibilityCriterion,
  order: CRITERION_ORDER,
  parentColumn: 'l.service_id',
  query: (knex, serviceIds) =>
    knex
      .from('eligibility_criterion as c')
      .join('service_criterion as l', 'l.criterion_id', 'c.id')
      .select('c.*', 'l.service_id as __parent')
      .whereIn('l.service_id', serviceIds as number[]),
};

const categoriesOfService: NestedListSpec<Category> = {
  name: 'Service.categories',
  entity: Category,
  order: CATEGORY_ORDER,
  parentColumn: 'l.service_id',
  query: (knex, serviceIds) =>
    knex
      .from('category as c')
      .join('service_category as l', 'l.category_id', 'c.id')
      .select('c.*', 'l.service_id as __parent')
      .whereIn('l.service_id', serviceIds as number[]),
};

export function createServiceLoaders(em: EntityManager, viewer: Viewer, cursors: CursorCodec) {
  return {
    byId: entityLoader(em, Service, (service) => isVisible(service, viewer)),
    locationById: entityLoader(em, ServiceLocation),
    scheduleById: entityLoader(em, Schedule),
    locations: new NestedConnectionLoader(em, viewer, cursors, locationsOfService),
    eligibility: new NestedConnectionLoader(em, viewer, cursors, criteriaOfService),
    categories: new NestedConnectionLoader(em, viewer, cursors, categoriesOfService),
    /** A location's schedules are a short plain list: every rule, in the order entered. */
    schedules: groupedLoader<Schedule>(async (locationIds) => {
      const rows: Array<Record<string, unknown>> = await em
        .getKnex()
        .from('schedule')
        .select('*')
        .whereIn('service_location_id', locationIds as number[])
        .orderBy('id');
      return rows.map((row) => ({ parent: Number(row.service_location_id), item: mapRow(em, Schedule, row) }));
    }),
  };
}
