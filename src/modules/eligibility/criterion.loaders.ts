import type { EntityManager } from '@mikro-orm/knex';
import { entityLoader, NestedConnectionLoader } from '../common/loaders';
import { servicesVia } from '../service/service.loaders';
import { EligibilityCriterion } from './criterion.entity';

export const CRITERION_ORDER = [
  { column: 'c.label', key: 'label' },
  { column: 'c.id', key: 'id' },
];

export function createCriterionLoaders(em: EntityManager) {
  return {
    byId: entityLoader(em, EligibilityCriterion),
    services: new NestedConnectionLoader(em, servicesVia('EligibilityCriterion.services', 'service_criterion', 'criterion_id')),
  };
}
