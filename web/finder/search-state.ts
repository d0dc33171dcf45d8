/**
 * A search as the finder holds it, and its two other forms: the address bar
 * (so a search can be shared and restored) and the GraphQL variables.
 */
export interface SearchState {
  /** A postcode or postcode district ("LS7 4SA", "LS7"), or a town ("Leeds"). */
  place: string;
  /** What matters to the person, in their words. */
  what: string;
  radiusKm: number;
  categoryIds: string[];
  age: number | null;
  openNow: boolean;
  takingReferrals: boolean;
  /** Eligibility criteria the person meets, by stable code ("lonely-or-isolated", "carer"). */
  criterionCodes: string[];
  /** A day and a time the person can go (Europe/London), instead of "open now": sent as the next such instant. */
  openDay: Weekday | null;
  /** "HH:MM", 24-hour; read only with `openDay`. */
  openTime: string;
  /** Hub accessibility features the person needs: services at a hub offering every one. */
  access: AccessibilityFeature[];
  /** An ISO 639 code ("ur"; "bfi" is British Sign Language). */
  language: string | null;
}

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** The schema's AccessibilityFeature enum, in the order a person reads them (what gets them in first). */
export const ACCESSIBILITY_FEATURES = [
  'STEP_FREE_ACCESS',
  'WHEELCHAIR_ACCESSIBLE_TOILET',
  'CHANGING_PLACES_TOILET',
  'LIFT',
  'HEARING_LOOP',
  'QUIET_SPACE',
  'DEMENTIA_FRIENDLY',
  'LARGE_PRINT_OR_EASY_READ',
  'ASSISTANCE_DOGS_WELCOME',
  'ACCESSIBLE_PARKING',
  'PARKING',
  'NEAR_PUBLIC_TRANSPORT',
  'BABY_CHANGING',
] as const;
export type AccessibilityFeature = (typeof ACCESSIBILITY_FEATURES)[number];

export const RADII_KM = [2, 5, 10, 25, 50, 100] as const;
export const DEFAULT_RADIUS_KM = 5;
export const PAGE_SIZE = 30;
/** The most categories, or circumstances, an address may choose. */
const MAX_CHOSEN = 20;
export const DEFAULT_OPEN_TIME = '10:00';

export const EMPTY_SEARCH: SearchState = {
  place: '',
  what: '',
  radiusKm: DEFAULT_RADIUS_KM,
  categoryIds: [],
  age: null,
  openNow: false,
  takingReferrals: false,
  criterionCodes: [],
  openDay: null,
  openTime: DEFAULT_OPEN_TIME,
  access: [],
  language: null,
};

const POSTCODE = /^[A-Z]{1,2}\d[A-Z\d]?(\s*\d[A-Z]{2})?$/i;
const CODE = /^[a-z0-9][a-z0-9-]{0,59}$/;
const LANGUAGE = /^[a-z]{2,3}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** A full postcode or a district is a place to measure from; anything else is read as a town. */
export function isPostcode(place: string): boolean {
  return POSTCODE.test(place.trim());
}

/** Whether the address names a search at all (the landing page has none). */
export function hasSearch(params: URLSearchParams): boolean {
  return ['place', 'q', 'cat', 'age', 'open', 'referrals', 'meets', 'day', 'access', 'lang'].some((key) => params.has(key));
}

/** The filters folded under "More filters": it opens by itself when the search has any of them. */
export function moreFiltersCount(search: SearchState): number {
  return search.criterionCodes.length + (search.openDay ? 1 : 0) + search.access.length + (search.language ? 1 : 0);
}

export function readSearch(params: URLSearchParams): SearchState {
  const radius = Number(params.get('radius'));
  const age = params.get('age');
  const ageNumber = age !== null && /^\d{1,3}$/.test(age) ? Number(age) : null;
  const day = params.get('day')?.toLowerCase();
  const openDay = (WEEKDAYS as readonly string[]).includes(day ?? '') ? (day as Weekday) : null;
  const time = params.get('time') ?? '';
  const language = params.get('lang')?.trim().toLowerCase() ?? '';
  const access = params.getAll('access').map((code) => code.toUpperCase());
  return {
    place: params.get('place') ?? '',
    what: params.get('q') ?? '',
    radiusKm: (RADII_KM as readonly number[]).includes(radius) ? radius : DEFAULT_RADIUS_KM,
    // At most as many as a person would tick: a crafted address with hundreds gets a search, not an error.
    categoryIds: unique(params.getAll('cat').filter((id) => id.length > 0 && id.length < 100)).slice(0, MAX_CHOSEN),
    age: ageNumber !== null && ageNumber <= 130 ? ageNumber : null,
    // A chosen day and time says when; "open now" beside it would contradict it.
    openNow: params.get('open') === '1' && !openDay,
    takingReferrals: params.get('referrals') === '1',
    criterionCodes: unique(params.getAll('meets').filter((code) => CODE.test(code))).slice(0, MAX_CHOSEN),
    openDay,
    openTime: TIME.test(time) ? time : DEFAULT_OPEN_TIME,
    access: ACCESSIBILITY_FEATURES.filter((feature) => access.includes(feature)),
    language: LANGUAGE.test(language) ? language : null,
  };
}

/** The address of a search: every field that differs from the empty search, in a fixed order. */
export function writeSearch(search: SearchState): URLSearchParams {
  const params = new URLSearchParams();
  params.set('place', search.place.trim());
  params.set('q', search.what.trim());
  if (search.radiusKm !== DEFAULT_RADIUS_KM) params.set('radius', String(search.radiusKm));
  for (const id of search.categoryIds) params.append('cat', id);
  if (search.age !== null) params.set('age', String(search.age));
  if (search.openNow && !search.openDay) params.set('open', '1');
  if (search.takingReferrals) params.set('referrals', '1');
  for (const code of search.criterionCodes) params.append('meets', code);
  if (search.openDay) {
    params.set('day', search.openDay);
    params.set('time', TIME.test(search.openTime) ? search.openTime : DEFAULT_OPEN_TIME);
  }
  for (const feature of search.access) params.append('access', feature);
  if (search.language) params.set('lang', search.language);
  return params;
}

export interface SearchVariables {
  first: number;
  near: { postcode: string; radiusKm: number } | null;
  filter: Record<string, unknown>;
}

/**
 * A postcode becomes `near` (distance, reach); a town joins the text, which the
 * directory's search rules read as a place (services at hubs in that town).
 * `now` fixes what "next Monday" means (the variables of one search stay the same).
 */
export function toVariables(search: SearchState, now: Date = new Date()): SearchVariables {
  const place = search.place.trim();
  const near = place && isPostcode(place) ? { postcode: place, radiusKm: search.radiusKm } : null;
  const text = [search.what.trim(), near ? '' : place].filter(Boolean).join(' ');
  const filter: Record<string, unknown> = {};
  if (text) filter.text = text;
  if (search.categoryIds.length) filter.categoryIds = search.categoryIds;
  const person: Record<string, unknown> = {};
  if (search.age !== null) person.age = search.age;
  if (search.criterionCodes.length) person.criterionCodes = search.criterionCodes;
  if (Object.keys(person).length) filter.person = person;
  if (search.openDay) filter.openAt = nextOccurrence(search.openDay, TIME.test(search.openTime) ? search.openTime : DEFAULT_OPEN_TIME, now);
  else if (search.openNow) filter.openNow = true;
  if (search.takingReferrals) filter.capacity = ['TAKING_REFERRALS', 'WAITING_LIST'];
  if (search.access.length) filter.accessibility = search.access;
  if (search.language) filter.languages = [search.language];
  return { first: PAGE_SIZE, near, filter };
}

const LONDON_PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  weekday: 'long',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
  hourCycle: 'h23',
});

/** The wall clock in London at an instant. */
function londonClock(instant: number): { year: number; month: number; day: number; weekday: Weekday; minutes: number; asUtc: number } {
  const parts = Object.fromEntries(LONDON_PARTS.formatToParts(new Date(instant)).map((part) => [part.type, part.value]));
  const [year, month, day, hour, minute, second] = ['year', 'month', 'day', 'hour', 'minute', 'second'].map((type) => Number(parts[type]));
  return {
    year,
    month,
    day,
    weekday: parts.weekday.toLowerCase() as Weekday,
    minutes: hour * 60 + minute,
    asUtc: Date.UTC(year, month - 1, day, hour, minute, second),
  };
}

/**
 * The next instant (from `now`, or now itself) when it is `day` at `time` in London, as the schedules
 * are: "Monday at 10:30" asked on a Monday afternoon is next week's. Across the clocks changing, the
 * offset is read at the answer itself.
 */
export function nextOccurrence(day: Weekday, time: string, now: Date = new Date()): string {
  const today = londonClock(now.getTime());
  const [hours, minutes] = time.split(':').map(Number);
  let ahead = (WEEKDAYS.indexOf(day) - WEEKDAYS.indexOf(today.weekday) + 7) % 7;
  if (ahead === 0 && hours * 60 + minutes < today.minutes) ahead = 7;
  const wall = Date.UTC(today.year, today.month - 1, today.day + ahead, hours, minutes);
  const offsetAt = (instant: number) => londonClock(instant).asUtc - Math.floor(instant / 1000) * 1000;
  let instant = wall - offsetAt(wall);
  instant = wall - offsetAt(instant);
  return new Date(instant).toISOString().replace('.000Z', 'Z');
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
