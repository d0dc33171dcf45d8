import type { EntityManager } from '@mikro-orm/knex';
import { entityLoader, NestedConnectionLoader } from '../common/loaders';
import { SERVICE_ORDER } from '../service/service.loaders';
import { Service } from '../service/service.entity';
import { Provider } from './provider.entity';

export function createProviderLoaders(em: EntityManager) {
  return {
    byId: entityLoader(em, Provider),
    services: new NestedConnectionLoader(em, {
      name: 'Provider.services',
      entity: Service,
      order: SERVICE_ORDER,
      parentColumn: 's.provider_id',
      query: (knex, providerIds) =>
        knex.from('service as s').select('s.*', 's.provider_id as __parent').whereIn('s.provider_id', providerIds as number[]),
    }),
  };
}
