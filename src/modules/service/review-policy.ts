import { Field, ObjectType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { Verifier } from '../service/service.enums';
import { DAY_MS } from '../common/time';


/**
 * The review cycle: a listing someone has said is correct stays trusted for
 * `intervalDays` (default 183, six months, as Connected Kingston prompts);
 * then it is due for review and its partners are reminded. Past due by
 * `graceDays` more (default 91, three months) it is stale: it ranks below
 * verified services in search and says so, and with `hideStale` (off by
 * default) the public does not see it at all until someone confirms it.
 */
export interface ReviewPolicy {
  intervalDays: number;
  graceDays: number;
  hideStale: boolean;
}

export const DEFAULT_REVIEW_POLICY: ReviewPolicy = { intervalDays: 183, graceDays: 91, hideStale: false };

/** When a listing verified at `verifiedAt` is due for review. */
export function reviewDueAt(verifiedAt: Date, policy: ReviewPolicy): Date {
  return new Date(verifiedAt.getTime() + policy.intervalDays * DAY_MS);
}

/** A listing verified before this instant is due for review now. */
export function dueBefore(now: Date, policy: ReviewPolicy): Date {
  return new Date(now.getTime() - policy.intervalDays * DAY_MS);
}

/** A listing verified before this instant is stale now: past due by the grace period. */
export function staleBefore(now: Date, policy: ReviewPolicy): Date {
  return new Date(now.getTime() - (policy.intervalDays + policy.graceDays) * DAY_MS);
}

@ObjectType({ simpleResolvers: true, description: "Whether anyone has checked the listing lately: when its details were last said to be correct, by whom, and when they are next due for review." })
export class ServiceReview {
  @Field(() => DateTimeResolver, { description: 'When someone last said these details are correct (an edit, confirmServiceDetails, a reminder link, or the source feed). Exported as ORUK assured_date.' })
  lastVerifiedAt!: Date;

  @Field(() => Verifier, { nullable: true, description: 'Who said so, in kind; null for records older than the review cycle.' })
  verifiedBy!: Verifier | null;

  @Field(() => String, { nullable: true, description: 'The account that said so: for its provider and admins only (null for others).' })
  verifiedByName!: string | null;

  @Field(() => DateTimeResolver, { description: 'When the details are next due for review (REVIEW_INTERVAL_DAYS after lastVerifiedAt).' })
  reviewDueAt!: Date;

  @Field(() => Boolean, { description: 'The review is due (reviewDueAt has passed).' })
  isDue!: boolean;

  @Field(() => Boolean, { description: 'Past due by more than the grace period (REVIEW_GRACE_DAYS): the listing ranks below verified ones in search, and may be hidden (HIDE_STALE_SERVICES).' })
  isStale!: boolean;
}

/** The review picture of one service, now; `verifiedByName` only when `canSeeWho`. */
export function reviewOf(
  service: { verifiedAt: Date; verifiedBy?: Verifier | null; verifiedByName?: string | null },
  now: Date,
  policy: ReviewPolicy,
  canSeeWho: boolean,
): ServiceReview {
  const due = reviewDueAt(service.verifiedAt, policy);
  return {
    lastVerifiedAt: service.verifiedAt,
    verifiedBy: service.verifiedBy ?? null,
    verifiedByName: canSeeWho ? (service.verifiedByName ?? null) : null,
    reviewDueAt: due,
    isDue: due <= now,
    isStale: service.verifiedAt < staleBefore(now, policy),
  };
}
