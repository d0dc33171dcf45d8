import { OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { DateTimeResolver, UUIDResolver } from 'graphql-scalars';
import { randomUUID } from 'node:crypto';

/** Columns every directory record has; `updatedAt` is HSDS's last_modified. */
/**
 * `Optional` lists the properties that `em.create()` may leave out: computed
 * getters and columns with defaults.
 */
@ObjectType({ description: 'Not part of the public schema: it only gives every entity its timestamps.' })
export abstract class BaseEntity<Optional extends string = never> {
  [OptionalProps]?: 'globalId' | 'uuid' | 'source' | 'createdAt' | 'updatedAt' | Optional;

  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Field(() => UUIDResolver, { description: 'Stable UUID of the record: its id in the Open Referral UK feed (/oruk), the same across restarts, exports and imports.' })
  @Property({ type: 'uuid', unique: true })
  uuid: string = randomUUID();

  @Field(() => String, { nullable: true, name: 'importedFrom', description: 'The Open Referral UK feed (its URL) or file this record was imported from; null for records made in this directory.' })
  @Property({ type: 'text', nullable: true })
  source?: string | null;

  @Field(() => DateTimeResolver, { description: 'When the record was created.' })
  @Property({ type: 'Date', defaultRaw: 'current_timestamp' })
  createdAt: Date = new Date();

  @Field(() => DateTimeResolver, { description: 'When the record last changed (HSDS last_modified).' })
  @Property({ type: 'Date', defaultRaw: 'current_timestamp', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
