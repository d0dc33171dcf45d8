import { ForbiddenError } from '../../errors';
import type { Connection, PageArgs } from '../common/connection';
import type { GlobalId } from '../common/global-id';
import { paginate, type Reader } from '../common/loaders';
import type { OrderTerm } from '../common/pagination';
import { partnerProvider, type Viewer } from '../common/viewer';
import { AuditEntry } from './audit-entry.entity';

/** What `auditTrail(filter:)` asks for, its ids decoded (audit.resolver.ts). */
export interface AuditCriteria {
  providerId?: number;
  object?: GlobalId;
  accountId?: number;
}

/** Newest first: the order is on the negated id. */
const NEWEST_FIRST: OrderTerm[] = [{ column: 'r.__newest', key: '__newest' }];

/** The audit trail, as the viewer may read it: admins everything, a partner the changes to its own provider's things. */
export class AuditRepository {
  constructor(
    private readonly reader: Reader,
    private readonly viewer: Viewer,
  ) {}

  trail(criteria: AuditCriteria, page: PageArgs): Promise<Connection<AuditEntry>> {
    const own = partnerProvider(this.viewer);
    let providerId = criteria.providerId;
    if (own !== undefined) {
      if (providerId !== undefined && providerId !== own) throw new ForbiddenError("Partners may read only their own provider's audit trail.");
      providerId = own;
    }
    const knex = this.reader.em.getKnex();
    const inner = knex.from('audit_entry as e').select('e.*', knex.raw('-e.id as __newest'));
    if (providerId !== undefined) inner.where('e.provider_id', providerId);
    // Accounts and keys are the directory team's business, even those tied to the partner's provider.
    if (own !== undefined) inner.whereNotIn('e.entity_type', ['Account', 'ApiKey']);
    if (criteria.object) inner.where({ 'e.entity_type': criteria.object.type, 'e.entity_id': criteria.object.id });
    if (criteria.accountId !== undefined) inner.where('e.account_id', criteria.accountId);
    const scope: [string, ...unknown[]] = ['auditTrail', providerId, criteria.object, criteria.accountId];
    return paginate(this.reader, { entity: AuditEntry, query: knex.select('*').from(inner.as('r')), order: NEWEST_FIRST, scope }, page);
  }
}
