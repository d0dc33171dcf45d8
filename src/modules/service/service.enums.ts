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
