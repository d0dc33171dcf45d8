import { BadUserInputError } from '../../errors';
import { ANONYMOUS } from '../common/viewer';
import { MAX_RADIUS_KM, type Circle } from '../place/geo';
import { normalisePostcode, type Geocoder } from '../place/postcode';
import type { SearchCriteria } from '../service/search-criteria';
import { readTextQuery } from '../search/text-query';
import { DeliveryMode, ReferralRoute, ServiceStatus, Weekday } from '../service/service.enums';
import type { FeedRepositories } from './oruk.feed';
import { ENUM_TERM_BY_ID, TAXONOMY } from './oruk.ids';

/** Query parameters as Express gives them: a repeated parameter is an array. */
export type Query = Record<string, unknown>;

export const DEFAULT_PER_PAGE = 50;
export const MAX_PER_PAGE = 100;
/** `postcode` without `proximity` searches within this many metres. */
export const DEFAULT_PROXIMITY_METRES = 10_000;

export interface PageParams {
  /** From 1. */
  page: number;
  perPage: number;
}

/** One value of a parameter, or undefined; a parameter given twice is refused. */
function single(query: Query, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new BadUserInputError(name, 'give it once, as a single value.');
  return value;
}

function wholeNumber(query: Query, name: string, min: number, max: number): number | undefined {
  const value = single(query, name);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim()) || Number(value) < min || Number(value) > max) throw new BadUserInputError(name, `must be a whole number from ${min} to ${max} (got ${JSON.stringify(value)}).`);
  return Number(value);
}

export function readPage(query: Query): PageParams {
  return {
    page: wholeNumber(query, 'page', 1, 1_000_000) ?? 1,
    perPage: wholeNumber(query, 'per_page', 1, MAX_PER_PAGE) ?? DEFAULT_PER_PAGE,
  };
}

function time(query: Query, name: string): string | undefined {
  const value = single(query, name);
  if (value === undefined) return undefined;
  const match = /^([01]\d|2[0-3]):([0-5]\d)(:[0-5]\d)?$/.exec(value.trim());
  if (!match) throw new BadUserInputError(name, `must be a time of day written HH:MM, e.g. 09:30 (got ${JSON.stringify(value)}).`);
  return `${match[1]}:${match[2]}`;
}

const DAYS: Record<string, Weekday> = Object.fromEntries(
  Object.entries(Weekday).flatMap(([name, code]) => [
    [code, code],
    [name, code],
  ]),
);

/**
 * The filters of /services and /service_at_locations as search criteria,
 * combined with AND: the same criteria and SQL as GraphQL's `services`.
 * Public data only: the anonymous viewer never sees drafts or archived
 * services; every status is listed (a feed says when a service closed).
 */
export async function readServiceFilters(query: Query, repos: FeedRepositories, geocoder: Geocoder, { near }: { near: boolean }): Promise<SearchCriteria> {
  const c: SearchCriteria = { viewer: ANONYMOUS, statuses: Object.values(ServiceStatus) };
  const search = single(query, 'search');
  if (search !== undefined) c.text = readTextQuery(search, 'search', await repos.service.lexicon());
  const termId = single(query, 'taxonomy_term_id');
  if (termId !== undefined) await readTerm(c, termId.trim(), repos);
  const taxonomyId = single(query, 'taxonomy_id');
  if (taxonomyId !== undefined) await readTaxonomy(c, taxonomyId.trim(), repos);
  const minimumAge = wholeNumber(query, 'minimum_age', 0, 130);
  const maximumAge = wholeNumber(query, 'maximum_age', 0, 130);
  if (minimumAge !== undefined || maximumAge !== undefined) c.serviceAges = { minimumAtLeast: minimumAge, maximumAtMost: maximumAge };
  const day = single(query, 'day');
  const opensAtOrAfter = time(query, 'start_time');
  const closesAtOrBefore = time(query, 'end_time');
  if (day !== undefined && DAYS[day.trim().toUpperCase()] === undefined) throw new BadUserInputError('day', `must be a day such as MO or MONDAY (got ${JSON.stringify(day)}).`);
  if (day !== undefined || opensAtOrAfter || closesAtOrBefore) c.session = { day: day === undefined ? undefined : DAYS[day.trim().toUpperCase()], opensAtOrAfter, closesAtOrBefore };
  const modifiedAfter = single(query, 'modified_after');
  if (modifiedAfter !== undefined) {
    const at = new Date(modifiedAfter);
    if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(modifiedAfter.trim()) || Number.isNaN(at.getTime())) {
      throw new BadUserInputError('modified_after', `must be a date-time such as 2026-11-01T09:00:00Z (got ${JSON.stringify(modifiedAfter)}).`);
    }
    c.modifiedAfter = at;
  }
  if (near) {
    const circle = await readProximity(query, geocoder);
    if (circle) c.near = circle;
  } else {
    for (const name of ['postcode', 'proximity']) if (query[name] !== undefined) throw new BadUserInputError(name, 'is a parameter of /service_at_locations only.');
  }
  return c;
}

/** A term of any taxonomy: a category (with its sub-terms, as in GraphQL), a criterion, a referral route or a delivery mode. */
async function readTerm(c: SearchCriteria, id: string, repos: FeedRepositories): Promise<void> {
  const enumTerm = ENUM_TERM_BY_ID.get(id);
  if (enumTerm?.taxonomy.key === 'referralRoutes') c.referralRoutes = [enumTerm.code as ReferralRoute];
  else if (enumTerm?.taxonomy.key === 'deliveryModes') c.deliveryModes = [enumTerm.code as DeliveryMode];
  if (enumTerm) return;
  const [category, criterion] = await Promise.all([repos.category.byUuid.load(id), repos.criterion.byUuid.load(id)]);
  if (category) c.categoryIds = [category.id];
  else if (criterion) c.criterionIds = [criterion.id];
  else throw new BadUserInputError('taxonomy_term_id', `there is no taxonomy term with the id ${JSON.stringify(id)} (see /taxonomy_terms).`);
}

async function readTaxonomy(c: SearchCriteria, id: string, repos: FeedRepositories): Promise<void> {
  const taxonomy = Object.values(TAXONOMY).find((t) => t.id === id);
  if (!taxonomy) {
    const imported = /^[0-9a-f-]{36}$/i.test(id) ? await repos.category.taxonomyByUuid.load(id.toLowerCase()) : null;
    if (!imported) throw new BadUserInputError('taxonomy_id', `there is no taxonomy with the id ${JSON.stringify(id)} (see /taxonomies).`);
    c.taxonomyId = imported.id;
    return;
  }
  if (taxonomy.key === 'categories' || taxonomy.key === 'criteria') c.taxonomy = taxonomy.key;
  else if (taxonomy.key === 'referralRoutes') c.referralRoutes = Object.values(ReferralRoute);
  else c.deliveryModes = Object.values(DeliveryMode);
}

/** `postcode` (a UK postcode or district) and `proximity` in metres, as a circle. */
async function readProximity(query: Query, geocoder: Geocoder): Promise<Circle | undefined> {
  const postcode = single(query, 'postcode');
  const proximity = single(query, 'proximity');
  if (postcode === undefined) {
    if (proximity !== undefined) throw new BadUserInputError('proximity', 'needs a postcode to measure from.');
    return undefined;
  }
  const metres = proximity === undefined ? DEFAULT_PROXIMITY_METRES : Number(proximity);
  if (proximity !== undefined && (!/^\d+(\.\d+)?$/.test(proximity.trim()) || metres <= 0 || metres > MAX_RADIUS_KM * 1000)) {
    throw new BadUserInputError('proximity', `must be a distance in metres, more than 0 and at most ${MAX_RADIUS_KM * 1000} (got ${JSON.stringify(proximity)}).`);
  }
  const normalised = normalisePostcode(postcode, 'postcode');
  const found = await geocoder.locate(normalised);
  if (!found) throw new BadUserInputError('postcode', `"${normalised}" is not a postcode this directory knows.`);
  return { latitude: found.latitude, longitude: found.longitude, radiusKm: metres / 1000 };
}
