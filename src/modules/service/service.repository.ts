import type { EntityManager, Knex } from '@mikro-orm/knex';
import type { Connection, PageArgs } from '../common/connection';
import { scopeOf } from '../common/cursor';
import { parseTypedIds } from '../common/global-id';
import { loadConnection } from '../common/loaders';
import { readPageRequest } from '../common/pagination';
import { Service } from './service.entity';
import { SERVICE_ORDER } from './service.loaders';
import type { ServiceFilter } from './service.inputs';
import type { ServiceStatus } from './service.enums';

/** A ServiceFilter with its global ids decoded. */
export interface ServiceCriteria {
  providerIds?: number[];
  hubIds?: number[];
  categoryIds?: number[];
  criterionIds?: number[];
  statuses?: ServiceStatus[];
}

export function readServiceFilter(filter: ServiceFilter | null | undefined, argument = 'filter'): ServiceCriteria {
  if (!filter) return {};
  return {
    providerIds: filter.providerIds ? parseTypedIds(filter.providerIds, 'Provider', `${argument}.providerIds`) : undefined,
    hubIds: filter.hubIds ? parseTypedIds(filter.hubIds, 'Hub', `${argument}.hubIds`) : undefined,
    categoryIds: filter.categoryIds ? parseTypedIds(filter.categoryIds, 'Category', `${argument}.categoryIds`) : undefined,
    criterionIds: filter.criterionIds ? parseTypedIds(filter.criterionIds, 'EligibilityCriterion', `${argument}.criterionIds`) : undefined,
    statuses: filter.statuses ?? undefined,
  };
}

export class ServiceRepository {
  constructor(private readonly em: EntityManager) {}

  list(criteria: ServiceCriteria, page: PageArgs): Promise<Connection<Service>> {
    const request = readPageRequest(page.first, page.after, scopeOf('services', criteria), SERVICE_ORDER);
    return loadConnection(this.em, Service, this.query(criteria), SERVICE_ORDER, request);
  }

  /** Services matching the criteria, as `s`; link tables are tested with IN (subquery) so rows never repeat. */
  private query(criteria: ServiceCriteria): Knex.QueryBuilder {
    const knex = this.em.getKnex();
    const q = knex.from('service as s').select('s.*');
    if (criteria.providerIds) q.whereIn('s.provider_id', criteria.providerIds);
    if (criteria.statuses) q.whereIn('s.status', criteria.statuses);
    if (criteria.hubIds) q.whereIn('s.id', knex.from('service_location').select('service_id').whereIn('hub_id', criteria.hubIds));
    if (criteria.categoryIds) {
      q.whereIn('s.id', knex.from('service_category').select('service_id').whereIn('category_id', criteria.categoryIds));
    }
    if (criteria.criterionIds) {
      q.whereIn('s.id', knex.from('service_criterion').select('service_id').whereIn('criterion_id', criteria.criterionIds));
    }
    return q;
  }
}
