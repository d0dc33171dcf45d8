import type { EntityManager } from '@mikro-orm/knex';
import type { CursorCodec } from '../common/cursor';
import type { Viewer } from '../account/auth';
import { entityLoader, NestedConnectionLoader } from '../common/loaders';
import { servicesVia } from '../service/service.loaders';
import { Hub } from './hub.entity';

export function createHubLoaders(em: EntityManager, viewer: Viewer, cursors: CursorCodec) {
  return {
    byId: entityLoader(em, Hub),
    services: new NestedConnectionLoader(em, viewer, cursors, servicesVia('Hub.services', 'service_location', 'hub_id')),
  };
}
