import { Field, Int, ObjectType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import type { Service } from './service.entity';
import { CapacityStatus } from './service.enums';
import { DAY_MS } from '../common/time';

export const DEFAULT_CAPACITY_STALE_DAYS = 30;

/**
 * Whether a service is taking referrals, as its provider last said: a link
 * worker should not send someone to a full service. What was said longer ago
 * than the directory trusts (CAPACITY_STALE_DAYS, default 30) reads as
 * UNKNOWN, so a status nobody keeps up cannot mislead.
 */
@ObjectType({ simpleResolvers: true, description: 'Whether the service is taking referrals, as its provider last said (and when).' })
export class Capacity {
  @Field(() => CapacityStatus, { description: 'UNKNOWN when never said, or said longer ago than the directory trusts (see isStale).' })
  status!: CapacityStatus;

  @Field(() => Int, { nullable: true, description: 'Expected wait before someone referred is seen, in days.' })
  waitDays!: number | null;

  @Field(() => String, { nullable: true, description: 'What the provider adds, e.g. "New groups start in March".' })
  note!: string | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When the provider last said.' })
  setAt!: Date | null;

  @Field(() => Boolean, { description: 'Said, but longer ago than the directory trusts: status reads UNKNOWN.' })
  isStale!: boolean;
}

/** The instant before which a status is too old to trust. */
export function staleBefore(now: Date, staleDays: number): Date {
  return new Date(now.getTime() - staleDays * DAY_MS);
}

export function capacityOf(service: Service, now: Date, staleDays: number): Capacity {
  const setAt = service.capacitySetAt ?? null;
  const stale = setAt !== null && setAt < staleBefore(now, staleDays);
  const status = service.capacityStatus && setAt && !stale ? service.capacityStatus : CapacityStatus.UNKNOWN;
  return { status, waitDays: status === CapacityStatus.UNKNOWN ? null : (service.capacityWaitDays ?? null), note: service.capacityNote ?? null, setAt, isStale: stale };
}
