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
}

export const RADII_KM = [2, 5, 10, 25] as const;
export const DEFAULT_RADIUS_KM = 5;
export const PAGE_SIZE = 30;

export const EMPTY_SEARCH: SearchState = { place: '', what: '', radiusKm: DEFAULT_RADIUS_KM, categoryIds: [], age: null, openNow: false, takingReferrals: false };

const POSTCODE = /^[A-Z]{1,2}\d[A-Z\d]?(\s*\d[A-Z]{2})?$/i;

/** A full postcode or a district is a place to measure from; anything else is read as a town. */
export function isPostcode(place: string): boolean {
  return POSTCODE.test(place.trim());
}

/** Whether the address names a search at all (the landing page has none). */
export function hasSearch(params: URLSearchParams): boolean {
  return ['place', 'q', 'cat', 'age', 'open', 'referrals'].some((key) => params.has(key));
}

export function readSearch(params: URLSearchParams): SearchState {
  const radius = Number(params.get('radius'));
  const age = params.get('age');
  const ageNumber = age !== null && /^\d{1,3}$/.test(age) ? Number(age) : null;
  return {
    place: params.get('place') ?? '',
    what: params.get('q') ?? '',
    radiusKm: (RADII_KM as readonly number[]).includes(radius) ? radius : DEFAULT_RADIUS_KM,
    categoryIds: params.getAll('cat').filter((id) => id.length > 0 && id.length < 100),
    age: ageNumber !== null && ageNumber <= 130 ? ageNumber : null,
    openNow: params.get('open') === '1',
    takingReferrals: params.get('referrals') === '1',
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
  if (search.openNow) params.set('open', '1');
  if (search.takingReferrals) params.set('referrals', '1');
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
 */
export function toVariables(search: SearchState): SearchVariables {
  const place = search.place.trim();
  const near = place && isPostcode(place) ? { postcode: place, radiusKm: search.radiusKm } : null;
  const text = [search.what.trim(), near ? '' : place].filter(Boolean).join(' ');
  const filter: Record<string, unknown> = {};
  if (text) filter.text = text;
  if (search.categoryIds.length) filter.categoryIds = search.categoryIds;
  if (search.age !== null) filter.person = { age: search.age };
  if (search.openNow) filter.openNow = true;
  if (search.takingReferrals) filter.capacity = ['TAKING_REFERRALS', 'WAITING_LIST'];
  return { first: PAGE_SIZE, near, filter };
}
