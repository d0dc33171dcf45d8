import { Entity, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { DateTimeResolver } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { BaseEntity } from '../common/base.entity';
import { toGlobalId } from '../common/global-id';
import { Node } from '../common/node';
import { Account } from './account.entity';

/**
 * An API key, as stored: only a SHA-256 hash of the secret part is kept (the
 * secret has 256 bits of entropy, so a slow password hash would add nothing),
 * plus a short random prefix that is shown in lists to tell keys apart and is
 * used to find the row. The full key is shown once, when it is issued.
 */
@ObjectType({ implements: Node, description: 'An API key, without its secret: the secret is shown once, when the key is issued.' })
@Entity({ tableName: 'api_key' })
export class ApiKey extends BaseEntity {
  @Field(() => ID, { name: 'id' })
  get globalId(): string {
    return toGlobalId('ApiKey', this.id);
  }

  @ManyToOne(() => Account, { deleteRule: 'cascade' })
  account!: Account;

  @Field(() => String, { description: 'The visible start of the key, e.g. "spd_3f9a2c1b", to tell keys apart.' })
  @Unique()
  @Property({ type: 'string', length: 32 })
  prefix!: string;

  @Property({ type: 'string', length: 64 })
  secretHash!: string;

  @Field(() => String, { description: 'What the key is for, e.g. "Website sync".' })
  @Property({ type: 'string', length: 100 })
  label!: string;

  @Field(() => DateTimeResolver, { nullable: true })
  @Property({ type: 'Date', nullable: true })
  lastUsedAt?: Date | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When the key was revoked; a revoked key is refused.' })
  @Property({ type: 'Date', nullable: true })
  revokedAt?: Date | null;
}
