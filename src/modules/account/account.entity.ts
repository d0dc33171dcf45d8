import { Entity, Enum, ManyToOne, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { BaseEntity } from '../common/base.entity';
import { connectionType } from '../common/connection';
import { toGlobalId } from '../common/global-id';
import { Node } from '../common/node';
import { Provider } from '../provider/provider.entity';
import { AccountRole } from '../common/viewer';

export { AccountRole };

/** Someone who may change the directory: a partner charity (tied to one provider) or the directory team. */
@ObjectType({ implements: Node, description: 'A partner charity (tied to one provider) or a directory admin. Visible to admins, and to the account itself.' })
@Entity({ tableName: 'account' })
export class Account extends BaseEntity<'disabled'> {
  @Field(() => ID, { name: 'id' })
  get globalId(): string {
    return toGlobalId('Account', this.id);
  }

  @Field(() => String)
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 254, nullable: true })
  email?: string | null;

  @Field(() => AccountRole)
  @Enum({ items: () => AccountRole })
  role!: AccountRole;

  /** Required for a partner, absent for an admin. */
  @ManyToOne(() => Provider, { nullable: true, deleteRule: 'restrict' })
  provider?: Provider | null;

  @Field(() => Boolean, { description: 'A disabled account cannot use any of its keys.' })
  @Property({ type: 'boolean', default: false })
  disabled: boolean = false;
}

export const AccountConnection = connectionType('Account', Account);
