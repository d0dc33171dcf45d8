import { Arg, Args, Authorized, Ctx, Field, ID, InputType, Query, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import { ForbiddenError } from '../../errors';
import { partnerProvider } from '../account/auth';
import { PageArgs, type Connection } from '../common/connection';
import { scopeOf } from '../common/cursor';
import { parseGlobalId, parseTypedId } from '../common/global-id';
import { loadConnection } from '../common/loaders';
import { readPageRequest, type OrderTerm } from '../common/pagination';
import { AuditEntry, AuditEntryConnection } from './audit-entry.entity';

@InputType()
export class AuditFilter {
  @Field(() => ID, { nullable: true, description: 'Changes to this object.' })
  objectId?: string | null;

  @Field(() => ID, { nullable: true, description: "Changes to this provider's things. Partners: always their own." })
  providerId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Changes made by this account.' })
  accountId?: string | null;
}

/** Newest first: the order is on the negated id. */
const NEWEST_FIRST: OrderTerm[] = [{ column: 'r.__newest', key: '__newest' }];

@Resolver()
export class AuditResolver {
  @Authorized()
  @Query(() => AuditEntryConnection, { description: 'Who changed what, newest first. Admins see everything; partners the changes to their own provider.' })
  auditTrail(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => AuditFilter, { nullable: true }) filter: AuditFilter | null,
    @Ctx() { em, viewer, cursors }: Context,
  ): Promise<Connection<AuditEntry>> {
    const own = partnerProvider(viewer);
    let providerId = filter?.providerId ? parseTypedId(filter.providerId, 'Provider', 'filter.providerId') : undefined;
    if (own !== undefined) {
      if (providerId !== undefined && providerId !== own) throw new ForbiddenError("Partners may read only their own provider's audit trail.");
      providerId = own;
    }
    const object = filter?.objectId ? parseGlobalId(filter.objectId, 'filter.objectId') : undefined;
    const accountId = filter?.accountId ? parseTypedId(filter.accountId, 'Account', 'filter.accountId') : undefined;
    const inner = em.getKnex().from('audit_entry as e').select('e.*', em.getKnex().raw('-e.id as __newest'));
    if (providerId !== undefined) inner.where('e.provider_id', providerId);
    // Accounts and keys are the directory team's business, even those tied to the partner's provider.
    if (own !== undefined) inner.whereNotIn('e.entity_type', ['Account', 'ApiKey']);
    if (object) inner.where({ 'e.entity_type': object.type, 'e.entity_id': object.id });
    if (accountId !== undefined) inner.where('e.account_id', accountId);
    const request = readPageRequest(page.first, page.after, scopeOf('auditTrail', providerId, object, accountId), NEWEST_FIRST, cursors);
    return loadConnection(em, AuditEntry, em.getKnex().select('*').from(inner.as('r')), NEWEST_FIRST, request);
  }
}
