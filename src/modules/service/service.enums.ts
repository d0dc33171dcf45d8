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
