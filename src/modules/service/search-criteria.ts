import { BadUserInputError, UnauthenticatedError } from '../../errors';
import { parseTypedIds, type NodeTypeName } from '../common/global-id';
import { partnerProvider, type Viewer } from '../common/viewer';
import type { CategoryRepository } from '../category/category.repository';
import type { CriterionRepository } from '../eligibility/criterion.repository';
import type { Circle } from '../place/geo';
import type { NearInput } from '../place/place.inputs';
import { districtOfNear, readNear } from '../place/place';
import type { GeoPoint } from '../place/geo';
import type { AccessibilityFeature } from '../place/accessibility';
import { readTextQuery, type TextQuery } from '../search/text-query';
import type { Lexicon } from '../search/lexicon';
import type { Geocoder } from '../place/postcode';
import { localMoment, type LocalMoment } from './opening-hours';
import { type CapacityStatus, DeliveryMode, ReferralRoute, type ReviewState, type ServiceReach, ServiceStatus, type Weekday } from './service.enums';
import { ServiceOrder, type ServiceFilter } from './service.inputs';

/**
 * The boundary of service search: the arguments of `services(filter:, near:,
 * orderBy:)` read and checked into SearchCriteria (ids decoded and known to
 * exist, the postcode geocoded), so the SQL (service.repository.ts) never
 * sees raw input.
 *
 * Terminology:
 * - *criteria*: a validated ServiceFilter + near, ids decoded, postcode
 *   geocoded, the instant turned into Europe/London wall-clock time;
 * - *location-level* filters (`near`, `openAt`, `accessibility`) must hold at the same hub:
 *   "open on Tuesday morning near LS7" means at a hub near LS7;
 * - a *facet* counts matching services per value of one filter, computed with
 *   that filter left out (as shops do), so a UI can show what choosing
 *   another value would give.
 */
export interface SearchCriteria {
  /** Whose view of the directory: drafts and archived services only for their provider and admins. */
  viewer: Viewer;
  /** `filter.text` read by the search rules (search/text-query.ts): groups of words, every group must match. */
  text?: TextQuery;
  providerIds?: number[];
  hubIds?: number[];
  categoryIds?: number[];
  criterionIds?: number[];
  person?: { age?: number; criterionIds?: number[] };
  referralRoutes?: ReferralRoute[];
  deliveryModes?: DeliveryMode[];
  freeOnly?: boolean;
  statuses: ServiceStatus[];
  modifiedAfter?: Date;
  openAt?: LocalMoment;
  near?: Circle;
  /** The service's own age bounds (the ORUK feed's minimum_age / maximum_age), not a person's age. */
  serviceAges?: { minimumAtLeast?: number; maximumAtMost?: number };
  /** A weekly session on this day (MO...SU), opening at or after and closing at or before these HH:mm times (the ORUK feed's day, start_time, end_time). */
  session?: { day?: Weekday; opensAtOrAfter?: string; closesAtOrBefore?: string };
  /** Services with any term of one of the directory's own taxonomies (the ORUK feed's taxonomy_id)... */
  taxonomy?: 'categories' | 'criteria';
  /** ... or of an imported one (its row id). */
  taxonomyId?: number;
  /** At a hub offering every one of these features (a location-level filter, like near and openAt). */
  accessibility?: AccessibilityFeature[];
  /** Services offered in any of these languages (ISO 639 codes). */
  languages?: string[];
  /** Services whose capacity reads as one of these (a status older than `staleDays` reads as UNKNOWN). */
  capacity?: { statuses: CapacityStatus[]; staleDays: number };
  /** Services in these review states (partners: of their own provider only). */
  review?: { states: ReviewState[]; providerId?: number };
  /** How old a capacity status may be and still count (the DISTANCE order puts services taking referrals first at equal distance). */
  capacityStaleDays?: number;
  /**
   * With `near` from the GraphQL API: services reach the person at a hub in
   * the circle, through an area covering their district or point, or
   * nationally (see service.queries.ts). Without it, `near` means hubs in
   * the circle only (the ORUK feed's proximity).
   */
  reach?: {
    /** The person's postcode district ("LS7"): from their postcode, or the district nearest their point. */
    district: string | null;
    /** Service areas whose GeoJSON extent holds the point. */
    extentAreaIds: number[];
    /** filter.reach: only these ways (a facet filter). */
    only?: ServiceReach[];
  };
}

/** What reading the criteria needs: whose view, the geocoder, the request's time, and the repositories that say which ids exist. */
export interface SearchContext {
  viewer: Viewer;
  geocoder: Geocoder;
  now: Date;
  capacityStaleDays: number;
  repos: { category: CategoryRepository; criterion: CriterionRepository; service: { areasContaining(point: GeoPoint): Promise<number[]>; lexicon(): Promise<Lexicon> } };
}

/**
 * Reads `filter` (or, for `hubs`, `serviceFilter`: `argument` names it, so an
 * error blames the input the client sent, `serviceFilter.categoryIds[0]`).
 */
export async function readSearchCriteria(
  { repos, viewer, geocoder, now, capacityStaleDays }: SearchContext,
  filter: ServiceFilter | null | undefined,
  near: NearInput | null | undefined,
  argument = 'filter',
): Promise<SearchCriteria> {
  const f = filter ?? {};
  const at = (field: string): string => `${argument}.${field}`;
  const criteria: SearchCriteria = { viewer, capacityStaleDays, statuses: f.statuses?.length ? [...new Set(f.statuses)] : [ServiceStatus.ACTIVE] };
  if (f.text !== undefined && f.text !== null) criteria.text = readTextQuery(f.text, at('text'), await repos.service.lexicon());
  if (f.providerIds) criteria.providerIds = parseTypedIds(f.providerIds, 'Provider', at('providerIds'));
  if (f.hubIds) criteria.hubIds = parseTypedIds(f.hubIds, 'Hub', at('hubIds'));
  const category = { repository: repos.category, type: 'Category', what: 'category' } as const;
  const criterion = { repository: repos.criterion, type: 'EligibilityCriterion', what: 'eligibility criterion' } as const;
  criteria.categoryIds = await termIds(category, f.categoryIds, at('categoryIds'), f.categoryCodes, at('categoryCodes'));
  criteria.criterionIds = await termIds(criterion, f.criterionIds, at('criterionIds'), f.criterionCodes, at('criterionCodes'));
  if (f.person) {
    const age = f.person.age;
    if (age !== undefined && age !== null && (!Number.isInteger(age) || age < 0 || age > 130)) {
      throw new BadUserInputError(at('person.age'), `must be a whole number of years from 0 to 130 (got ${age}).`);
    }
    criteria.person = {
      age: age ?? undefined,
      criterionIds: await termIds(criterion, f.person.criteria, at('person.criteria'), f.person.criterionCodes, at('person.criterionCodes')),
    };
  }
  if (f.referralRoutes?.length) criteria.referralRoutes = [...new Set(f.referralRoutes)];
  if (f.deliveryModes?.length) criteria.deliveryModes = [...new Set(f.deliveryModes)];
  if (f.freeOnly) criteria.freeOnly = true;
  if (f.accessibility?.length) criteria.accessibility = [...new Set(f.accessibility)];
  if (f.languages?.length) criteria.languages = readLanguages(f.languages, at('languages'));
  if (f.capacity?.length) criteria.capacity = { statuses: [...new Set(f.capacity)], staleDays: capacityStaleDays };
  if (f.review?.length) criteria.review = readReview(f.review, viewer, at('review'));
  if (f.modifiedAfter) criteria.modifiedAfter = f.modifiedAfter;
  if (f.openAt && f.openNow) throw new BadUserInputError(at('openNow'), 'give either openAt or openNow, not both.');
  if (f.openAt || f.openNow) criteria.openAt = localMoment(f.openAt ?? now);
  if (near) {
    criteria.near = await readNear(near, geocoder, 'near');
    criteria.reach = { district: districtOfNear(near, criteria.near, geocoder), extentAreaIds: await repos.service.areasContaining(criteria.near) };
    if (f.reach?.length) criteria.reach.only = [...new Set(f.reach)];
  } else if (f.reach?.length) {
    throw new BadUserInputError(at('reach'), 'needs a place to reach (near): give a postcode or a point.');
  }
  return criteria;
}

/** The review filter is for the people who keep listings: a partner sees its own provider's, an admin every provider's. */
function readReview(states: ReviewState[], viewer: Viewer, argument: string): NonNullable<SearchCriteria['review']> {
  if (viewer.kind === 'anonymous') throw new UnauthenticatedError(`${argument} is for partners and admins: sign in with an API key to see which listings are due for review.`);
  return { states: [...new Set(states)], providerId: partnerProvider(viewer) };
}

/** Language codes as services store them: ISO 639-1 or 639-3, lower case ("bfi" is British Sign Language). */
function readLanguages(codes: string[], argument: string): string[] {
  codes.forEach((code, index) => {
    if (!/^[a-z]{2,3}$/.test(code.trim().toLowerCase())) throw new BadUserInputError(`${argument}[${index}]`, `must be an ISO 639 language code such as "en", "cy" or "bfi" (got ${JSON.stringify(code)}).`);
  });
  return [...new Set(codes.map((code) => code.trim().toLowerCase()))];
}

/** A taxonomy a filter names terms of, by global id or by stable code. */
interface Terms {
  repository: { existing(ids: readonly number[]): Promise<Set<number>>; byCode: { loadMany(codes: readonly string[]): Promise<Array<{ id: number } | null | Error>> } };
  type: NodeTypeName;
  what: string;
}

/**
 * The terms named by ids and by codes together (either may be absent; an
 * empty list is kept, it means "none"), once every one is known to exist;
 * otherwise BAD_USER_INPUT naming the first unknown one (`filter.categoryCodes[1]`).
 */
async function termIds({ repository, type, what }: Terms, ids: string[] | null | undefined, idsArgument: string, codes: string[] | null | undefined, codesArgument: string): Promise<number[] | undefined> {
  if (!ids && !codes) return undefined;
  const result: number[] = [];
  if (ids) {
    const parsed = parseTypedIds(ids, type, idsArgument);
    const found = await repository.existing(parsed);
    const missing = parsed.findIndex((id) => !found.has(id));
    if (missing >= 0) throw new BadUserInputError(`${idsArgument}[${missing}]`, `there is no ${what} with this id.`);
    result.push(...parsed);
  }
  if (codes) {
    const rows = await repository.byCode.loadMany(codes);
    const missing = rows.findIndex((row) => !row || row instanceof Error);
    if (missing >= 0) throw new BadUserInputError(`${codesArgument}[${missing}]`, `there is no ${what} with the code ${JSON.stringify(codes[missing])}.`);
    result.push(...rows.map((row) => (row as { id: number }).id));
  }
  return [...new Set(result)];
}

/** The order asked for, or the default for these criteria; an order the criteria cannot give is BAD_USER_INPUT. */
export function resolveOrder(c: SearchCriteria, orderBy: ServiceOrder | null | undefined): ServiceOrder {
  const order = orderBy ?? (c.text ? ServiceOrder.RELEVANCE : c.near ? ServiceOrder.DISTANCE : ServiceOrder.NAME);
  if (order === ServiceOrder.RELEVANCE && !c.text) throw new BadUserInputError('orderBy', 'RELEVANCE needs a text search (filter.text).');
  if (order === ServiceOrder.DISTANCE && !c.near) throw new BadUserInputError('orderBy', 'DISTANCE needs a place to measure from (near).');
  return order;
}

