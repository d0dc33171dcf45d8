import { Entity, Enum, Property, Unique } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../common/base.entity';
import { Node } from '../common/node';
import { connectionType } from '../common/connection';
import { orderOf, type OrderTerm } from '../common/pagination';
import { toGlobalId } from '../common/global-id';

export enum CriterionKind {
  AGE_GROUP = 'AGE_GROUP',
  HEALTH_CONDITION = 'HEALTH_CONDITION',
  CIRCUMSTANCE = 'CIRCUMSTANCE',
  NEED = 'NEED',
  AREA = 'AREA',
  OTHER = 'OTHER',
}

registerEnumType(CriterionKind, {
  name: 'CriterionKind',
  description:
    'Groups eligibility criteria. A person meets a service\'s criteria when, for every kind the service lists, they meet at least one of its criteria of that kind.',
});

/**
 * Who a service is for ("lonely or isolated", "veteran or armed forces
 * family"). HSDS 3 keeps these as eligibility text plus taxonomy attributes;
 * we keep them as coded terms so that people can be matched against them.
 *
 * The matching rule (used by search): a person meets a service's criteria
 * when, for every kind present on the service, they meet at least one of the
 * service's criteria of that kind. A service with no criteria is open to all.
 */
@ObjectType({ implements: Node, description: 'Who a service is for, e.g. "Lonely or isolated". See CriterionKind for the matching rule.' })
@Entity({ tableName: 'eligibility_criterion' })
export class EligibilityCriterion extends BaseEntity<'description'> {
  @Field(() => ID, { name: 'id' })
  get globalId(): string {
    return toGlobalId('EligibilityCriterion', this.id);
  }

  @Field(() => String, { description: 'Stable machine code, e.g. "lonely-or-isolated".' })
  @Unique()
  @Property({ type: 'string', length: 80 })
  code!: string;

  @Field(() => String)
  @Property({ type: 'string', length: 200 })
  label!: string;

  @Field(() => CriterionKind)
  @Enum({ items: () => CriterionKind })
  kind!: CriterionKind;

  @Field(() => String)
  @Property({ type: 'text', default: '' })
  description: string = '';
}

export const EligibilityCriterionConnection = connectionType('EligibilityCriterion', EligibilityCriterion);

/** Lists of criteria (as `c`) are ordered by label. */
export const CRITERION_ORDER: OrderTerm[] = orderOf('c', 'label');
