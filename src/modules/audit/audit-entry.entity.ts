import { Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { DateTimeResolver, JSONResolver } from 'graphql-scalars';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { toGlobalId } from '../common/global-id';
import { connectionType } from '../common/connection';

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

@ObjectType({ description: 'One field of one change: its value before and after.' })
export class AuditFieldChange {
  @Field(() => String)
  field!: string;

  @Field(() => JSONResolver, { nullable: true })
  from!: unknown;

  @Field(() => JSONResolver, { nullable: true })
  to!: unknown;
}

/**
 * Who changed what, when (HSDS keeps the same in its `metadata` table:
 * resource, field, previous and replacement value, updated_by, last_action).
 * Written in the same transaction as the change it records.
 */
@ObjectType({ description: 'A change to the directory: who made it, when, to which object, and which fields changed from what to what.' })
@Entity({ tableName: 'audit_entry' })
@Index({ properties: ['entityType', 'entityId'] })
export class AuditEntry {
  [OptionalProps]?: 'globalId' | 'objectId' | 'at' | 'changes';

  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Field(() => ID, { name: 'id' })
  get globalId(): string {
    return toGlobalId('AuditEntry', this.id);
  }

  @Field(() => DateTimeResolver)
  @Property({ type: 'Date' })
  at: Date = new Date();

  /** The account that made the change; null for changes made from the command line. */
  @Index()
  @Property({ type: 'integer', nullable: true })
  accountId?: number | null;

  @Field(() => String, { description: 'Who made the change: the account name and key prefix, or "command line".' })
  @Property({ type: 'string', length: 300 })
  actor!: string;

  /** The provider the changed object belongs to, so partners can read their own trail. */
  @Index()
  @Property({ type: 'integer', nullable: true })
  providerId?: number | null;

  @Field(() => String, { description: 'Service, Provider, Hub, Category, EligibilityCriterion, Account or ApiKey.' })
  @Property({ type: 'string', length: 40 })
  entityType!: string;

  @Property({ type: 'integer' })
  entityId!: number;

  @Field(() => String, { description: 'CREATE, UPDATE, PUBLISH, PAUSE, ARCHIVE, RESTORE, CAPACITY, DETACH, VERIFY (details confirmed), RESOLVE and DISMISS (problem reports), ISSUE_KEY, REVOKE_KEY.' })
  @Property({ type: 'string', length: 20 })
  action!: string;

  @Field(() => [AuditFieldChange])
  @Property({ type: 'json' })
  changes: FieldChange[] = [];

  @Field(() => Int, { nullable: true, description: 'The version the object has after this change.' })
  @Property({ type: 'integer', nullable: true })
  version?: number | null;

  @Field(() => ID, { description: 'Global id of the changed object.' })
  get objectId(): string {
    return toGlobalId(this.entityType as never, this.entityId);
  }
}

export const AuditEntryConnection = connectionType('AuditEntry', AuditEntry);
