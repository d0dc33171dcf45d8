import type { EntityManager } from '@mikro-orm/knex';
import type { CursorCodec } from '../common/cursor';
import type { Viewer } from '../account/auth';
import { entityLoader, NestedConnectionLoader } from '../common/loaders';
import { SERVICE_ORDER } from '../service/service.loaders';
import { Service } from '../service/service.entity';
import { restrictToVisible } from '../service/service.visibility';
import { Provider } from './provider.entity';

export function createProviderLoaders(em: EntityManager, viewer: Viewer, cursors: CursorCodec) {
  return {
    byId: entityLoader(em, Provider),
    services: new NestedConnectionLoader(em, viewer, cursors, {
      name: 'Provider.services',
      entity: Service,
      order: SERVICE_ORDER,
      parentColumn: 's.provider_id',
      query: (knex, providerIds, viewer) =>
        restrictToVisible(knex.from('service as s').select('s.*', 's.provider_id as __parent').whereIn('s.provider_id', providerIds as number[]), 's', viewer),
    }),
  };
}
