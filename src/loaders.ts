import type { EntityManager } from '@mikro-orm/knex';
import { createProviderLoaders } from './modules/provider/provider.loaders';
import { createHubLoaders } from './modules/hub/hub.loaders';
import { createServiceLoaders } from './modules/service/service.loaders';
import { createCategoryLoaders } from './modules/category/category.loaders';
import { createCriterionLoaders } from './modules/eligibility/criterion.loaders';

/** Every DataLoader of one request, so batches and caches never outlive it. */
export function createLoaders(em: EntityManager) {
  return {
    provider: createProviderLoaders(em),
    hub: createHubLoaders(em),
    service: createServiceLoaders(em),
    category: createCategoryLoaders(em),
    criterion: createCriterionLoaders(em),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
