import type { EntityManager } from '@mikro-orm/knex';
import type { Viewer } from './modules/account/auth';
import type { CursorCodec } from './modules/common/cursor';
import { createProviderLoaders } from './modules/provider/provider.loaders';
import { createHubLoaders } from './modules/hub/hub.loaders';
import { createServiceLoaders } from './modules/service/service.loaders';
import { createCategoryLoaders } from './modules/category/category.loaders';
import { createCriterionLoaders } from './modules/eligibility/criterion.loaders';
import { createAccountLoaders } from './modules/account/account.loaders';

/** Every DataLoader of one request, so batches and caches never outlive it. */
export function createLoaders(em: EntityManager, viewer: Viewer, cursors: CursorCodec) {
  return {
    provider: createProviderLoaders(em, viewer, cursors),
    hub: createHubLoaders(em, viewer, cursors),
    service: createServiceLoaders(em, viewer, cursors),
    category: createCategoryLoaders(em, viewer, cursors),
    criterion: createCriterionLoaders(em, viewer, cursors),
    account: createAccountLoaders(em, viewer),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
