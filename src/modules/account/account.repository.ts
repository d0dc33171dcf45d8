import type { Connection, PageArgs } from '../common/connection';
import { entityLoader, paginate, type Reader } from '../common/loaders';
import { orderOf, type OrderTerm } from '../common/pagination';
import { isAdmin, type Viewer } from '../common/viewer';
import { Account } from './account.entity';
import { ApiKey } from './api-key.entity';

const ACCOUNT_ORDER: OrderTerm[] = orderOf('a', 'name');

/** Accounts and keys are seen by admins, and each account sees only itself and its own keys. */
export class AccountRepository {
  readonly byId;
  readonly keyById;

  constructor(
    private readonly reader: Reader,
    private readonly viewer: Viewer,
  ) {
    const isSelf = (accountId: number) => viewer.kind === 'account' && viewer.accountId === accountId;
    this.byId = entityLoader(reader, Account, (account) => isAdmin(viewer) || isSelf(account.id));
    this.keyById = entityLoader(reader, ApiKey, (key) => isAdmin(viewer) || isSelf(key.account.id));
  }

  /** Every account, by name: for admins (the resolver requires the role). */
  list(page: PageArgs): Promise<Connection<Account>> {
    const query = this.reader.em.getKnex().from('account as a').select('a.*');
    return paginate(this.reader, { entity: Account, query, order: ACCOUNT_ORDER, scope: ['accounts'] }, page);
  }

  /** An account's keys, newest first (their hashes are never exposed); only for accounts the viewer may see. */
  async keysOf(account: Account): Promise<ApiKey[]> {
    if (!isAdmin(this.viewer) && !(this.viewer.kind === 'account' && this.viewer.accountId === account.id)) return [];
    return this.reader.em.find(ApiKey, { account: account.id }, { orderBy: { id: 'desc' } });
  }
}
