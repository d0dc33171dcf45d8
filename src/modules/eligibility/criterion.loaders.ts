import type { EntityManager } from '@mikro-orm/knex';
import type { CursorCodec } from '../common/cursor';
import type { Viewer } from '../account/auth';
import { entityLoader, NestedConnectionLoader } from '../common/loaders';
import { servicesVia } from '../service/service.loaders';
import { EligibilityCriterion } from './criterion.entity';

export function createCriterionLoaders(em: EntityManager, viewer: Viewer, cursors: CursorCodec) {
  return {
    byId: entityLoader(em, EligibilityCriterion),
    services: new NestedConnectionLoader(em, viewer, cursors, servicesVia('EligibilityCriterion.services', 'service_criterion', 'criterion_id')),
  };
}
