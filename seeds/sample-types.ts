/**
 * Shape of the hand-written sample directory (seeds/sample-directory.ts).
 * Plain data with string-literal enums, so the file reads like a fixture and
 * can be reviewed by people who do not write TypeScript.
 */
export type SampleHubKind =
  | 'HEALTH_CENTRE'
  | 'GP_SURGERY'
  | 'GREEN_SPACE'
  | 'COMMUNITY_HUB'
  | 'LIBRARY'
  | 'HOSPITAL'
  | 'PHARMACY'
  | 'ONLINE'
  | 'OTHER';

export type SampleRegion =
  | 'NORTH_EAST'
  | 'NORTH_WEST'
  | 'YORKSHIRE_AND_THE_HUMBER'
  | 'EAST_MIDLANDS'
  | 'WEST_MIDLANDS'
  | 'EAST_OF_ENGLAND'
  | 'LONDON'
  | 'SOUTH_EAST'
  | 'SOUTH_WEST';

export type SampleServiceStatus = 'ACTIVE' | 'INACTIVE' | 'TEMPORARILY_CLOSED' | 'DEFUNCT';
export type SampleReferralRoute =
  | 'GP'
  | 'LINK_WORKER'
  | 'PHARMACY'
  | 'HOSPITAL_DISCHARGE'
  | 'OTHER_PROFESSIONAL'
  | 'SELF_REFERRAL';
export type SampleDeliveryMode = 'IN_PERSON' | 'ONLINE' | 'PHONE';
export type SampleCriterionKind = 'AGE_GROUP' | 'HEALTH_CONDITION' | 'CIRCUMSTANCE' | 'NEED' | 'AREA' | 'OTHER';
/** HSDS schedule byday codes. */
export type SampleWeekday = 'MO' | 'TU' | 'WE' | 'TH' | 'FR' | 'SA' | 'SU';

export interface SampleProvider {
  /** Stable key used by services below; not stored. */
  key: string;
  name: string;
  description: string;
  charityNumber?: string;
  website?: string;
  email?: string;
  phone?: string;
  logoUrl?: string;
}

export interface SampleHub {
  key: string;
  name: string;
  kind: SampleHubKind;
  description: string;
  /** One or two street address lines. */
  addressLines: string[];
  town: string;
  /** A UK postcode in its normal spaced form, e.g. "LS7 4SA". */
  postcode: string;
  region: SampleRegion;
  latitude: number;
  longitude: number;
  accessibility?: string;
  /** Who runs the building or space, e.g. "NHS Property Services". */
  operator: string;
}

export interface SampleCategory {
  code: string;
  name: string;
  description?: string;
  /** Code of the parent category; absent for a top-level category. */
  parent?: string;
}

export interface SampleCriterion {
  code: string;
  label: string;
  kind: SampleCriterionKind;
  description: string;
}

export interface SampleSchedule {
  days: SampleWeekday[];
  /** Local (Europe/London) wall-clock time, "HH:MM". */
  opensAt: string;
  /** "HH:MM"; earlier than opensAt means the session runs past midnight. */
  closesAt: string;
  /** ISO dates "YYYY-MM-DD". */
  validFrom?: string;
  validTo?: string;
  notes?: string;
}

export interface SampleLocation {
  hub: string;
  schedules: SampleSchedule[];
}

/** An area a service serves: postcode districts, areas and ranges ("LS", "WF1-WF17"), and/or a GeoJSON extent. */
export interface SampleArea {
  name: string;
  gssCode?: string;
  postcodes?: string[];
  extent?: Record<string, unknown>;
}

export interface SampleService {
  name: string;
  description: string;
  provider: string;
  status: SampleServiceStatus;
  categories: string[];
  criteria: string[];
  minAge?: number;
  maxAge?: number;
  referralRoutes: SampleReferralRoute[];
  deliveryModes: SampleDeliveryMode[];
  cost: { free: boolean; description?: string };
  contact: { phone?: string; email?: string; url?: string };
  /** ISO 639-1 codes, e.g. ["en", "ur"]. */
  languages: string[];
  locations: SampleLocation[];
}

export interface SampleDirectory {
  providers: SampleProvider[];
  hubs: SampleHub[];
  categories: SampleCategory[];
  criteria: SampleCriterion[];
  services: SampleService[];
}
