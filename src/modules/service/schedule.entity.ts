import { Entity, ManyToOne, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { LocalDateResolver, LocalTimeResolver } from 'graphql-scalars';
import { BaseEntity } from '../common/base.entity';
import { EnumSetType } from '../common/enum-set.type';
import { Node } from '../common/node';
import { toGlobalId } from '../common/global-id';
import { Weekday } from './service.enums';
import { ServiceLocation } from './service-location.entity';

/**
 * One weekly opening rule (HSDS schedule with freq=WEEKLY): the listed days,
 * from `opensAt` to `closesAt`, Europe/London wall-clock time. A session
 * whose `closesAt` is earlier than its `opensAt` runs past midnight into the
 * next day (22:00-02:00 on FR means Friday 22:00 to Saturday 02:00). A split
 * session (10:00-12:00 and 14:00-16:00) is two rows.
 */
@ObjectType({
  implements: Node,
  description:
    'A weekly opening rule (HSDS schedule, freq WEEKLY), in Europe/London time. closesAt earlier than opensAt means the session runs past midnight. Split sessions are two rules.',
})
@Entity({ tableName: 'schedule' })
export class Schedule extends BaseEntity<'runsPastMidnight'> {
  @Field(() => ID, { name: 'id' })
  get globalId(): string {
    return toGlobalId('Schedule', this.id);
  }

  // SQLite gets an index on every foreign key column from the ORM.
  @ManyToOne(() => ServiceLocation, { deleteRule: 'cascade', fieldName: 'service_location_id' })
  location!: ServiceLocation;

  @Field(() => [Weekday], { description: 'Days the session starts on (HSDS byday).' })
  @Property({ type: EnumSetType })
  days!: Weekday[];

  @Field(() => LocalTimeResolver, { description: 'Local time the session opens, HH:mm.' })
  @Property({ type: 'string', length: 5 })
  opensAt!: string;

  @Field(() => LocalTimeResolver, { description: 'Local time the session closes, HH:mm.' })
  @Property({ type: 'string', length: 5 })
  closesAt!: string;

  @Field(() => LocalDateResolver, { nullable: true, description: 'First date the rule applies (HSDS valid_from).' })
  @Property({ type: 'string', length: 10, nullable: true })
  validFrom?: string | null;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Last date the rule applies (HSDS valid_to).' })
  @Property({ type: 'string', length: 10, nullable: true })
  validTo?: string | null;

  @Field(() => String, { nullable: true, description: 'Free text, e.g. "First Tuesday of the month" (HSDS description).' })
  @Property({ type: 'text', nullable: true })
  notes?: string | null;

  @Field(() => Boolean, { description: 'True when the session closes after midnight, on the next day.' })
  get runsPastMidnight(): boolean {
    return this.closesAt < this.opensAt;
  }
}

/** The fields of a weekly rule as clients write them and the audit trail records them. */
export interface ScheduleFields {
  days: Weekday[];
  opensAt: string;
  closesAt: string;
  validFrom?: string | null;
  validTo?: string | null;
  notes?: string | null;
}

/** The same fields with absent optional ones as null. */
export function scheduleFields(rule: ScheduleFields): Required<ScheduleFields> {
  return {
    days: rule.days,
    opensAt: rule.opensAt,
    closesAt: rule.closesAt,
    validFrom: rule.validFrom ?? null,
    validTo: rule.validTo ?? null,
    notes: rule.notes ?? null,
  };
}
