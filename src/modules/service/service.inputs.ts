import { Field, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { CapacityStatus, DeliveryMode, ReferralRoute, ReviewState, ServiceReach, ServiceStatus } from './service.enums';
import { AccessibilityFeature } from '../place/accessibility';
import { MAX_TEXT_LENGTH } from '../search/text-query';


@InputType({ description: 'The person a service is being found for. Only services they can use are returned.' })
export class PersonInput {
  @Field(() => Int, { nullable: true, description: "The person's age in years (0 to 130): it must fit the service's minimum and maximum age." })
  age?: number | null;

  @Field(() => [ID], {
    nullable: true,
    description:
      'The eligibility criteria the person meets. A service with criteria is returned only if, for every kind of criterion it lists, the person meets at least one of that kind. Absent: criteria are not checked; an empty list: only services open to all.',
  })
  criteria?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'The same as `criteria`, by stable code ("lonely-or-isolated"); with both, the person meets all of them.' })
  criterionCodes?: string[] | null;
}

/** Filters combine with AND; the values inside one filter combine with OR. */
@InputType({ description: 'Filters combine with AND; the values listed inside one filter combine with OR.' })
export class ServiceFilter {
  @Field(() => String, {
    nullable: true,
    description: `Full-text search over name, description, provider, categories and criteria; stemmed, case and accent insensitive; every word must match, common words ("the", "in") are dropped, the last word matches as a prefix, synonyms and misspellings of longer words are forgiven, and a hub's town ("Leeds") also matches services there (see the README's search rules). 1 to ${MAX_TEXT_LENGTH} characters.`,
  })
  text?: string | null;

  @Field(() => [ID], { nullable: true, description: 'Services of any of these providers.' })
  providerIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Services that run at any of these hubs.' })
  hubIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Services in any of these categories or any of their subcategories.' })
  categoryIds?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'The same as `categoryIds`, by stable code ("gardening"); with both, services in any of them.' })
  categoryCodes?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Services tagged with any of these eligibility criteria.' })
  criterionIds?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'The same as `criterionIds`, by stable code ("lonely-or-isolated"); with both, services tagged with any of them.' })
  criterionCodes?: string[] | null;

  @Field(() => PersonInput, { nullable: true, description: 'Only services this person can use (age and eligibility criteria).' })
  person?: PersonInput | null;

  @Field(() => [ReferralRoute], { nullable: true, description: 'Services accepting any of these referral routes, e.g. [SELF_REFERRAL].' })
  referralRoutes?: ReferralRoute[] | null;

  @Field(() => [DeliveryMode], { nullable: true, description: 'Services delivered in any of these ways.' })
  deliveryModes?: DeliveryMode[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Only free services.' })
  freeOnly?: boolean | null;

  @Field(() => [String], {
    nullable: true,
    description: 'Services offered in any of these languages, as ISO 639 codes: "en", "cy", "pl"; "bfi" for British Sign Language.',
  })
  languages?: string[] | null;

  @Field(() => [AccessibilityFeature], {
    nullable: true,
    description:
      'Services at a hub offering every one of these (with `near`, a hub inside the circle; with `openAt`, open there then). Services reaching the person through an area or nationally come to them, so are kept.',
  })
  accessibility?: AccessibilityFeature[] | null;

  @Field(() => [CapacityStatus], {
    nullable: true,
    description: 'Services whose capacity reads as any of these, e.g. [TAKING_REFERRALS, WAITING_LIST] for those a person can be referred to now. A status older than the directory trusts reads as UNKNOWN.',
  })
  capacity?: CapacityStatus[] | null;

  @Field(() => [ReviewState], {
    nullable: true,
    description: 'Partners and admins: services in any of these review states, e.g. [DUE, OVERDUE] for the listings to check. A partner gets only its own provider\'s.',
  })
  review?: ReviewState[] | null;

  @Field(() => [ServiceReach], {
    nullable: true,
    description: 'With `near`: only services reaching the person in any of these ways (at a hub in the circle, through an area covering them, nationally). Default: all three.',
  })
  reach?: ServiceReach[] | null;

  @Field(() => [ServiceStatus], { nullable: true, description: 'Services with any of these statuses. Default: [ACTIVE].' })
  statuses?: ServiceStatus[] | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'Only services changed after this instant (for partners keeping a copy in sync).' })
  modifiedAfter?: Date | null;

  @Field(() => DateTimeResolver, {
    nullable: true,
    description: 'Only services with a session open at this instant (schedules are in Europe/London time). With `near`, at a hub within the circle.',
  })
  openAt?: Date | null;

  @Field(() => Boolean, { nullable: true, description: 'Shorthand for `openAt` = the time of the request.' })
  openNow?: boolean | null;
}

export enum ServiceOrder {
  NAME = 'NAME',
  RELEVANCE = 'RELEVANCE',
  DISTANCE = 'DISTANCE',
  UPDATED_AT = 'UPDATED_AT',
}

registerEnumType(ServiceOrder, {
  name: 'ServiceOrder',
  description: 'Result order. Default: RELEVANCE with `text`, else DISTANCE with `near`, else NAME. Ties are broken by id.',
  valuesConfig: {
    NAME: { description: 'By name, A to Z.' },
    RELEVANCE: { description: 'Best text match first (needs `filter.text`).' },
    DISTANCE: { description: 'Nearest first (needs `near`): services at hubs by distance, then those reaching the person through an area, then national ones; at equal distance, those taking referrals, then waiting lists, then the rest.' },
    UPDATED_AT: { description: 'Least recently changed first: with `modifiedAfter`, a sync feed.' },
  },
});
