import type { EntityManager } from '@mikro-orm/knex';
import { BadUserInputError, NotFoundError } from '../../errors';
import { recordChange } from '../audit/audit';
import { createAudited } from '../audit/audited-write';
import { Provider } from '../provider/provider.entity';
import { Account } from './account.entity';
import { AccountRole } from '../common/viewer';
import { ApiKey } from './api-key.entity';
import { generateApiKey } from './auth';
import { type Viewer } from '../common/viewer';
import { writeTransaction } from '../common/write-lock';

/**
 * Account and key operations shared by the admin mutations and the
 * `npm run accounts` command line, each one transaction with its audit entry.
 */
export interface NewAccount {
  name: string;
  email?: string | null;
  role: AccountRole;
  providerId?: number | null;
}

export function createAccount(em: EntityManager, actor: Viewer | 'command line', input: NewAccount): Promise<Account> {
  return createAudited(em, actor, {
    type: 'Account',
    build: async (tx) => {
      let provider: Provider | null = null;
      if (input.role === AccountRole.PARTNER) {
        if (input.providerId === undefined || input.providerId === null) {
          throw new BadUserInputError('input.providerId', 'a partner account must belong to a provider.');
        }
        provider = await tx.findOne(Provider, input.providerId);
        if (!provider) throw new BadUserInputError('input.providerId', 'there is no provider with this id.');
      } else if (input.providerId !== undefined && input.providerId !== null) {
        throw new BadUserInputError('input.providerId', 'an admin account does not belong to a provider.');
      }
      return tx.create(Account, { name: input.name.trim(), email: input.email ?? null, role: input.role, provider });
    },
    snapshot: (a) => ({ name: a.name, email: a.email ?? null, role: a.role, provider: a.provider?.id ?? null }),
    providerIdOf: (a) => a.provider?.id ?? null,
  });
}

export interface IssuedKey {
  /** The whole key: shown once, never stored. */
  key: string;
  apiKey: ApiKey;
}

export function issueApiKey(em: EntityManager, actor: Viewer | 'command line', accountId: number, label: string): Promise<IssuedKey> {
  return writeTransaction(em, async (tx) => {
    const account = await tx.findOne(Account, accountId);
    if (!account) throw new BadUserInputError('input.accountId', 'there is no account with this id.');
    const generated = generateApiKey();
    const apiKey = tx.create(ApiKey, { account, prefix: generated.prefix, secretHash: generated.secretHash, label: label.trim() });
    await tx.flush();
    recordChange(tx, actor, {
      entityType: 'ApiKey',
      entityId: apiKey.id,
      providerId: account.provider?.id ?? null,
      action: 'ISSUE_KEY',
      changes: [{ field: 'prefix', from: null, to: apiKey.prefix }, { field: 'account', from: null, to: account.name }],
    });
    return { key: generated.key, apiKey };
  });
}

/** Revokes a key; `allowed` says whether this actor may (admins any key, an account its own). */
export function revokeApiKey(em: EntityManager, actor: Viewer | 'command line', find: { id: number } | { prefix: string }, allowed: (key: ApiKey) => boolean = () => true): Promise<ApiKey> {
  return writeTransaction(em, async (tx) => {
    const apiKey = await tx.findOne(ApiKey, find, { populate: ['account'] });
    if (!apiKey || !allowed(apiKey)) throw new NotFoundError('There is no API key with this id.');
    if (!apiKey.revokedAt) {
      apiKey.revokedAt = new Date();
      recordChange(tx, actor, {
        entityType: 'ApiKey',
        entityId: apiKey.id,
        providerId: apiKey.account.provider?.id ?? null,
        action: 'REVOKE_KEY',
        changes: [{ field: 'revokedAt', from: null, to: apiKey.revokedAt.toISOString() }],
      });
    }
    return apiKey;
  });
}
