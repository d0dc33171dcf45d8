import type { EntityManager } from '@mikro-orm/knex';
import { entityLoader } from '../common/loaders';
import { Account } from './account.entity';
import { ApiKey } from './api-key.entity';
import { isAdmin, type Viewer } from './auth';

/** Accounts and keys are seen by admins, and each account sees only itself and its own keys. */
export function createAccountLoaders(em: EntityManager, viewer: Viewer) {
  const isSelf = (accountId: number) => viewer.kind === 'account' && viewer.accountId === accountId;
  return {
    byId: entityLoader(em, Account, (account) => isAdmin(viewer) || isSelf(account.id)),
    keyById: entityLoader(em, ApiKey, (key) => isAdmin(viewer) || isSelf(key.account.id)),
  };
}
