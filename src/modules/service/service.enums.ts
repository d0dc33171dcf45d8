import { registerEnumType } from 'type-graphql';

/** HSDS service.status. */
export enum ServiceStatus {
  ACTIVE = 'ACTIVE',
  INACTIVE = 'INACTIVE',
  TEMPORARILY_CLOSED = 'TEMPORARILY_CLOSED',
  DEFUNCT = 'DEFUNCT',
}

/** Who can refer someone to a service. */
export enum ReferralRoute {
  GP = 'GP',
  LINK_WORKER = 'LINK_WORKER',
  PHARMACY = 'PHARMACY',
  HOSPITAL_DISCHARGE = 'HOSPITAL_DISCHARGE',
  OTHER_PROFESSIONAL = 'OTHER_PROFESSIONAL',
  SELF_REFERRAL = 'SELF_REFERRAL',
}

/** HSDS attendance modes. */
export enum DeliveryMode {
  IN_PERSON = 'IN_PERSON',
  ONLINE = 'ONLINE',
  PHONE = 'PHONE',
}

/** Whether a service can take someone now (HL7's capacity codes; Connected Kingston's wait time). */
export enum CapacityStatus {
  TAKING_REFERRALS = 'TAKING_REFERRALS',
  WAITING_LIST = 'WAITING_LIST',
  NOT_TAKING_REFERRALS = 'NOT_TAKING_REFERRALS',
  /** Never said, or said longer ago than the directory trusts (CAPACITY_STALE_DAYS). Read only. */
  UNKNOWN = 'UNKNOWN',
}

/** A service offered to everyone in a country, wherever they live (a helpline, an online group). */
export enum NationalScope {
  ENGLAND = 'ENGLAND',
  UK = 'UK',
}

/** How a service found by a place search reaches the person (see the README's reach rules). */
export enum ServiceReach {
  /** At a hub inside the circle (the edge's distanceKm says how far). */
  AT_HUB = 'AT_HUB',
  /** Through one of the service's areas that covers the person's postcode or point. */
  AREA = 'AREA',
  /** National: offered to everyone in England or the UK. */
  NATIONAL = 'NATIONAL',
}

/** Days of the week; stored as HSDS schedule byday codes (MO, TU, ...). */
export enum Weekday {
  MONDAY = 'MO',
  TUESDAY = 'TU',
  WEDNESDAY = 'WE',
  THURSDAY = 'TH',
  FRIDAY = 'FR',
  SATURDAY = 'SA',
  SUNDAY = 'SU',
}

registerEnumType(ServiceStatus, { name: 'ServiceStatus', description: 'HSDS service status.' });
registerEnumType(ReferralRoute, { name: 'ReferralRoute', description: 'Who can refer someone to the service.' });
registerEnumType(DeliveryMode, { name: 'DeliveryMode', description: 'How the service is delivered.' });
registerEnumType(Weekday, { name: 'Weekday' });
registerEnumType(CapacityStatus, {
  name: 'CapacityStatus',
  description: 'Whether the service is taking referrals, as its provider last said. UNKNOWN: never said, or longer ago than the directory trusts.',
  valuesConfig: {
    TAKING_REFERRALS: { description: 'Taking new referrals now.' },
    WAITING_LIST: { description: 'Taking referrals onto a waiting list (see waitDays).' },
    NOT_TAKING_REFERRALS: { description: 'Full or paused: not taking referrals.' },
    UNKNOWN: { description: 'Not said, or said too long ago to rely on.' },
  },
});
registerEnumType(NationalScope, {
  name: 'NationalScope',
  description: 'A service offered to everyone in a country, wherever they live. This directory geocodes English postcodes, so both reach every place it can search from.',
  valuesConfig: { ENGLAND: { description: 'Everyone in England.' }, UK: { description: 'Everyone in the United Kingdom.' } },
});
registerEnumType(ServiceReach, {
  name: 'ServiceReach',
  description: 'How a service found by a place search reaches the person: in order of DISTANCE, hubs by distance, then areas, then national services.',
  valuesConfig: {
    AT_HUB: { description: 'In person at a hub inside the circle (see distanceKm).' },
    AREA: { description: "One of the service's areas covers the person's postcode district (or point)." },
    NATIONAL: { description: 'Offered to everyone in England or the UK (a helpline, an online group).' },
  },
});

/** Who last said a service's details are correct (HSDS assured_date's assurer, in kind). */
export enum Verifier {
  /** A partner account of the service's own provider. */
  PROVIDER = 'PROVIDER',
  /** An admin account: the directory team. */
  DIRECTORY_TEAM = 'DIRECTORY_TEAM',
  /** The Open Referral UK feed it was imported from (its assured_date). */
  SOURCE_FEED = 'SOURCE_FEED',
}

registerEnumType(Verifier, {
  name: 'Verifier',
  description: "Who last said a service's details are correct.",
  valuesConfig: {
    PROVIDER: { description: 'A partner account of the service\'s own provider (any edit, or confirmServiceDetails).' },
    DIRECTORY_TEAM: { description: 'An admin account (any edit, or confirmServiceDetails).' },
    SOURCE_FEED: { description: 'The feed it was imported from, as of its assured_date (or the import).' },
  },
});

/** Where a service is in the review cycle (review-policy.ts). */
export enum ReviewState {
  CURRENT = 'CURRENT',
  DUE = 'DUE',
  OVERDUE = 'OVERDUE',
}

registerEnumType(ReviewState, {
  name: 'ReviewState',
  description: 'Where a service is in the review cycle.',
  valuesConfig: {
    CURRENT: { description: 'Verified within the review interval (REVIEW_INTERVAL_DAYS), and no problem report on it is open.' },
    DUE: { description: 'Past its review date, or a problem report on it is open; not yet stale.' },
    OVERDUE: { description: 'Past its review date by more than the grace period (REVIEW_GRACE_DAYS): stale. It ranks below verified services, and may be hidden (HIDE_STALE_SERVICES).' },
  },
});
