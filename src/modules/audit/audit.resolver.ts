import { Arg, Args, Authorized, Ctx, Field, ID, InputType, Query, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import { PageArgs, type Connection } from '../common/connection';
import { parseGlobalId, parseTypedId } from '../common/global-id';
import { AuditEntry, AuditEntryConnection } from './audit-entry.entity';
import type { AuditCriteria } from './audit.repository';

@InputType()
export class AuditFilter {
  @Field(() => ID, { nullable: true, description: 'Changes to this object.' })
  objectId?: string | null;

  @Field(() => ID, { nullable: true, description: "Changes to this provider's things. Partners: always their own." })
  providerId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Changes made by this account.' })
  accountId?: string | null;
}

@Resolver()
export class AuditResolver {
  @Authorized()
  @Query(() => AuditEntryConnection, { nullable: true, description: 'Who changed what, newest first. Admins see everything; partners the changes to their own provider.' })
  auditTrail(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => AuditFilter, { nullable: true }) filter: AuditFilter | null,
    @Ctx() { repos }: Context,
  ): Promise<Connection<AuditEntry>> {
    const criteria: AuditCriteria = {
      providerId: filter?.providerId ? parseTypedId(filter.providerId, 'Provider', 'filter.providerId') : undefined,
      object: filter?.objectId ? parseGlobalId(filter.objectId, 'filter.objectId') : undefined,
      accountId: filter?.accountId ? parseTypedId(filter.accountId, 'Account', 'filter.accountId') : undefined,
    };
    return repos.audit.trail(criteria, page);
  }
}
