import { Entity, Index, Property } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { EmailAddressResolver } from 'graphql-scalars';
import { WebAddress } from '../common/web-address.scalar';
import { BaseEntity } from '../common/base.entity';
import { Node } from '../common/node';
import { connectionType } from '../common/connection';
import { toGlobalId } from '../common/global-id';

/** A charity or organisation that delivers services (HSDS organization). */
@ObjectType({ implements: Node, description: 'A charity or organisation that delivers services (HSDS organization).' })
@Entity({ tableName: 'provider' })
export class Provider extends BaseEntity<'description' | 'version'> {
  @Field(() => ID, { name: 'id' })
  get globalId(): string {
    return toGlobalId('Provider', this.id);
  }

  @Field(() => Int, { description: 'Goes up by one with every change; send it back with an update so that two edits never silently overwrite each other.' })
  @Property({ type: 'integer', default: 1 })
  version: number = 1;

  @Field(() => String)
  @Index()
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Field(() => String)
  @Property({ type: 'text', default: '' })
  description: string = '';

  @Field(() => String, { nullable: true, description: 'Registered charity number (England and Wales), if any.' })
  @Property({ type: 'string', length: 20, nullable: true })
  charityNumber?: string | null;

  @Field(() => WebAddress, { nullable: true })
  @Property({ type: 'string', length: 500, nullable: true })
  website?: string | null;

  @Field(() => EmailAddressResolver, { nullable: true })
  @Property({ type: 'string', length: 254, nullable: true })
  email?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 40, nullable: true })
  phone?: string | null;

  @Field(() => WebAddress, { nullable: true })
  @Property({ type: 'string', length: 500, nullable: true })
  logoUrl?: string | null;
}

export const ProviderConnection = connectionType('Provider', Provider);
