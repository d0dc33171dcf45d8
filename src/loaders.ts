import type { EntityManager } from '@mikro-orm/knex';
import type { Viewer } from './modules/account/auth';
import { createProviderLoaders } from './modules/provider/provider.loaders';
import { createHubLoaders } from './modules/hub/hub.loaders';
import { createServiceLoaders } from './modules/service/service.loaders';
import { createCategoryLoaders } from './modules/category/category.loaders';
import { createCriterionLoaders } from './modules/eligibility/criterion.loaders';
import { createAccountLoaders } from './modules/account/account.loaders';

/** Every DataLoader of one request, so batches and caches never outlive it. */
export function createLoaders(em: EntityManager, viewer: Viewer) {
  return {
    provider: createProviderLoaders(em, viewer),
    hub: createHubLoaders(em, viewer),
    service: createServiceLoaders(em, viewer),
    category: createCategoryLoaders(em, viewer),
    criterion: createCriterionLoaders(em, viewer),
    account: createAccountLoaders(em, viewer),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
