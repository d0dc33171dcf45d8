import type { EntityManager, Knex } from '@mikro-orm/knex';
import { BadUserInputError } from '../../errors';
import type { Connection, PageArgs } from '../common/connection';
import { scopeOf, type CursorCodec } from '../common/cursor';
import { enumSetPattern } from '../common/enum-set.type';
import { parseTypedIds } from '../common/global-id';
import { connectionOf, loadConnection } from '../common/loaders';
import { afterCondition, orderByColumns, readPageRequest, toRowPage, type OrderTerm, type PageRequest, type Row } from '../common/pagination';
import { boundingBox, checkLatitude, checkLongitude, checkRadius, distanceSql, type Circle } from '../hub/geo';
import { normalisePostcode, type Geocoder } from '../hub/postcode';
import { localMoment, openAtSql, type LocalMoment } from './opening-hours';
import { Service } from './service.entity';
import { restrictToVisible } from './service.visibility';
import { dialectOf, rawRows, type Dialect } from '../common/dialect';
import type { Viewer } from '../account/auth';
import { DeliveryMode, ReferralRoute, ServiceStatus } from './service.enums';
import { MAX_TEXT_LENGTH, ServiceOrder, type NearInput, type ServiceFilter } from './service.inputs';

/**
 * Service search: every filter of `services(filter:, near:, orderBy:)`
 * turned into one SQL statement for the page and one for the total and all
 * the facets together (loadSummary), whatever the number of results.
 *
 * Terminology:
 * - *criteria*: a validated ServiceFilter + near, ids decoded, postcode
 *   geocoded, the instant turned into Europe/London wall-clock time;
 * - *location-level* filters (`near`, `openAt`) must hold at the same hub:
 *   "open on Tuesday morning near LS7" means at a hub near LS7;
 * - a *facet* counts matching services per value of one filter, computed with
 *   that filter left out (as shops do), so a UI can show what choosing
 *   another value would give.
 */
export interface SearchCriteria {
  /** Whose view of the directory: drafts and archived services only for their provider and admins. */
  viewer: Viewer;
  /** The words of `filter.text` (letters and digits only, so never query syntax), all of which must match. */
  textWords?: string[];
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
}

export type Facet = 'categories' | 'criteria' | 'referralRoutes' | 'deliveryModes';

export interface SearchContext {
  em: EntityManager;
  viewer: Viewer;
  geocoder: Geocoder;
  now: Date;
}

/**
 * Switches for the search benchmark only (bench/search.ts), to measure what
 * the bounding box and the FTS index each buy. Always on in the server.
 */
export const searchTuning = { boundingBox: true, fullTextIndex: true };

/**
 * Full-text search on each database: SQLite's FTS5 table (rowid = service id)
 * or PostgreSQL's tsvector table with a GIN index (see the ServiceSearch
 * migrations). `matches` selects the ids of services with every word; `ranked`
 * also gives each a `rank`, lower for a better match. Both weigh a word in the
 * name most, then the provider, the taxonomy and the description (10:4:3:2).
 */
const FULL_TEXT: Record<Dialect, { matches: (words: string[]) => [string, string]; ranked: (words: string[]) => [string, string] }> = {
  sqlite: {
    // Each word quoted, so FTS5 operators in user text are plain words.
    matches: (words) => ['select rowid from service_search where service_search match ?', ftsQuery(words)],
    ranked: (words) => [
      'select rowid as service_id, bm25(service_search, 10.0, 2.0, 4.0, 3.0) as rank from service_search where service_search match ?',
      ftsQuery(words),
    ],
  },
  postgresql: {
    matches: (words) => [`select service_id from service_search where document @@ plainto_tsquery('directory_english', ?)`, words.join(' ')],
    // Weights in {D, C, B, A} order: description, taxonomy, provider, name.
    ranked: (words) => [
      `select service_id, -ts_rank('{0.2, 0.3, 0.4, 1.0}', document, query) as rank from service_search, plainto_tsquery('directory_english', ?) as query where document @@ query`,
      words.join(' '),
    ],
  },
};

const ftsQuery = (words: string[]) => words.map((word) => `"${word}"`).join(' ');

export async function readSearchCriteria(
  { em, viewer, geocoder, now }: SearchContext,
  filter: ServiceFilter | null | undefined,
  near: NearInput | null | undefined,
): Promise<SearchCriteria> {
  const f = filter ?? {};
  const criteria: SearchCriteria = { viewer, statuses: f.statuses?.length ? [...new Set(f.statuses)] : [ServiceStatus.ACTIVE] };
  if (f.text !== undefined && f.text !== null) criteria.textWords = readText(f.text, 'filter.text');
  if (f.providerIds) criteria.providerIds = parseTypedIds(f.providerIds, 'Provider', 'filter.providerIds');
  if (f.hubIds) criteria.hubIds = parseTypedIds(f.hubIds, 'Hub', 'filter.hubIds');
  if (f.categoryIds) criteria.categoryIds = await existingIds(em, 'category', parseTypedIds(f.categoryIds, 'Category', 'filter.categoryIds'), 'filter.categoryIds', 'category');
  if (f.criterionIds) {
    criteria.criterionIds = await existingIds(em, 'eligibility_criterion', parseTypedIds(f.criterionIds, 'EligibilityCriterion', 'filter.criterionIds'), 'filter.criterionIds', 'eligibility criterion');
  }
  if (f.person) {
    const age = f.person.age;
    if (age !== undefined && age !== null && (!Number.isInteger(age) || age < 0 || age > 130)) {
      throw new BadUserInputError('filter.person.age', `must be a whole number of years from 0 to 130 (got ${age}).`);
    }
    criteria.person = {
      age: age ?? undefined,
      criterionIds: f.person.criteria
        ? await existingIds(em, 'eligibility_criterion', parseTypedIds(f.person.criteria, 'EligibilityCriterion', 'filter.person.criteria'), 'filter.person.criteria', 'eligibility criterion')
        : undefined,
    };
  }
  if (f.referralRoutes?.length) criteria.referralRoutes = [...new Set(f.referralRoutes)];
  if (f.deliveryModes?.length) criteria.deliveryModes = [...new Set(f.deliveryModes)];
  if (f.freeOnly) criteria.freeOnly = true;
  if (f.modifiedAfter) criteria.modifiedAfter = f.modifiedAfter;
  if (f.openAt && f.openNow) throw new BadUserInputError('filter.openNow', 'give either openAt or openNow, not both.');
  if (f.openAt || f.openNow) criteria.openAt = localMoment(f.openAt ?? now);
  if (near) criteria.near = await readNear(near, geocoder, 'near');
  return criteria;
}

function readText(text: string, argument: string): string[] {
  if (text.length > MAX_TEXT_LENGTH) throw new BadUserInputError(argument, `must be at most ${MAX_TEXT_LENGTH} characters (got ${text.length}).`);
  const words = text.normalize('NFC').match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length === 0) throw new BadUserInputError(argument, 'must contain at least one letter or digit.');
  return words.slice(0, 20);
}

export async function readNear(near: NearInput, geocoder: Geocoder, argument: string): Promise<Circle> {
  checkRadius(near.radiusKm, `${argument}.radiusKm`);
  const hasPoint = near.latitude !== undefined && near.latitude !== null;
  const hasLongitude = near.longitude !== undefined && near.longitude !== null;
  const hasPostcode = near.postcode !== undefined && near.postcode !== null;
  if (hasPostcode && (hasPoint || hasLongitude)) throw new BadUserInputError(argument, 'give either latitude and longitude or a postcode, not both.');
  if (hasPostcode) {
    const postcode = normalisePostcode(near.postcode!, `${argument}.postcode`);
    const found = await geocoder.locate(postcode);
    if (!found) throw new BadUserInputError(`${argument}.postcode`, `"${postcode}" is not a postcode this directory knows.`);
    return { latitude: found.latitude, longitude: found.longitude, radiusKm: near.radiusKm };
  }
  if (!hasPoint || !hasLongitude) throw new BadUserInputError(argument, 'give latitude and longitude together, or a postcode.');
  checkLatitude(near.latitude!, `${argument}.latitude`);
  checkLongitude(near.longitude!, `${argument}.longitude`);
  return { latitude: near.latitude!, longitude: near.longitude!, radiusKm: near.radiusKm };
}

async function existingIds(em: EntityManager, table: string, ids: number[], argument: string, what: string): Promise<number[]> {
  if (ids.length === 0) return ids;
  const found = new Set((await em.getKnex().from(table).whereIn('id', ids).select('id')).map((row: { id: number }) => Number(row.id)));
  const missing = ids.findIndex((id) => !found.has(id));
  if (missing >= 0) throw new BadUserInputError(`${argument}[${missing}]`, `there is no ${what} with this id.`);
  return ids;
}

/** Open at the moment, for schedule rows `sch` of location `sl`. */
function openLocation(knex: Knex, moment: LocalMoment): Knex.QueryBuilder {
  const open = openAtSql(moment, 'sch');
  return knex.from('schedule as sch').select(knex.raw('1')).whereRaw('sch.service_location_id = sl.id').whereRaw(open.sql, open.bindings);
}

const FACETS: Facet[] = ['categories', 'criteria', 'referralRoutes', 'deliveryModes'];

/** The SQL condition (on `s`) of one facet's own filter; undefined when that filter is not set. */
function facetCondition(knex: Knex, c: SearchCriteria, facet: Facet): Knex.Raw | undefined {
  const placeholders = (values: readonly unknown[]) => values.map(() => '?').join(', ');
  switch (facet) {
    case 'categories':
      return c.categoryIds
        ? knex.raw(
            `s.id in (select service_id from service_category where category_id in (with recursive sub(id) as (select id from category where id in (${placeholders(c.categoryIds)}) union select c.id from category c join sub on c.parent_id = sub.id) select id from sub))`,
            c.categoryIds,
          )
        : undefined;
    case 'criteria':
      return c.criterionIds
        ? knex.raw(`s.id in (select service_id from service_criterion where criterion_id in (${placeholders(c.criterionIds)}))`, c.criterionIds)
        : undefined;
    case 'referralRoutes':
      return c.referralRoutes ? knex.raw(`(${c.referralRoutes.map(() => 's.referral_routes like ?').join(' or ')})`, c.referralRoutes.map(enumSetPattern)) : undefined;
    case 'deliveryModes':
      return c.deliveryModes ? knex.raw(`(${c.deliveryModes.map(() => 's.delivery_modes like ?').join(' or ')})`, c.deliveryModes.map(enumSetPattern)) : undefined;
  }
}

/**
 * Services (as `s`) matching every criterion. Near adds `nd.distance` (the
 * nearest qualifying hub). Text is a plain `id IN (full-text matches)`, which
 * SQLite evaluates once; the ranking join is added only where results are
 * ordered by relevance (searchServices).
 */
export function matchQuery(knex: Knex, c: SearchCriteria): Knex.QueryBuilder {
  const q = sharedQuery(knex, c);
  for (const facet of FACETS) {
    const condition = facetCondition(knex, c, facet);
    if (condition) q.where(condition);
  }
  return q;
}

/** Every filter except the four facet filters: the part the page, the count and every facet share. */
function sharedQuery(knex: Knex, c: SearchCriteria): Knex.QueryBuilder {
  const q = restrictToVisible(knex.from('service as s'), 's', c.viewer);
  q.whereIn('s.status', c.statuses);
  if (c.textWords && searchTuning.fullTextIndex) {
    const [sql, binding] = FULL_TEXT[dialectOf(knex)].matches(c.textWords);
    q.whereIn('s.id', knex.raw(sql, [binding]) as never);
  } else if (c.textWords) {
    // Benchmark baseline: a scan of the same text, every word as a substring, no stemming or ranking.
    for (const word of c.textWords) q.whereRaw(`lower(s.name || ' ' || s.description) like ?`, [`%${word.toLowerCase()}%`]);
  }
  if (c.providerIds) q.whereIn('s.provider_id', c.providerIds);
  if (c.hubIds) q.whereIn('s.id', knex.from('service_location').select('service_id').whereIn('hub_id', c.hubIds));
  if (c.person) applyPerson(knex, q, c.person);
  if (c.freeOnly) q.where('s.cost_free', true);
  if (c.modifiedAfter) q.where('s.updated_at', '>', c.modifiedAfter);
  if (c.near) {
    q.join(nearLocations(knex, c.near, c.openAt).as('nd'), 'nd.service_id', 's.id');
  } else if (c.openAt) {
    const open = openLocation(knex, c.openAt);
    q.whereExists(knex.from('service_location as sl').select(knex.raw('1')).whereRaw('sl.service_id = s.id').whereExists(open));
  }
  return q;
}

/** Each service with a location inside the circle (and open then, if asked): its nearest such location's distance. */
function nearLocations(knex: Knex, circle: Circle, openAt: LocalMoment | undefined): Knex.QueryBuilder {
  const box = boundingBox(circle);
  const distance = distanceSql(dialectOf(knex), 'h.latitude', 'h.longitude', circle);
  const q = knex
    .from('hub as h')
    .join('service_location as sl', 'sl.hub_id', 'h.id')
    .select('sl.service_id', knex.raw(`min(${distance.sql}) as distance`, distance.bindings));
  if (searchTuning.boundingBox) q.whereBetween('h.latitude', [box.south, box.north]).whereBetween('h.longitude', [box.west, box.east]);
  q.whereRaw(`${distance.sql} <= ?`, [...distance.bindings, circle.radiusKm])
    .groupBy('sl.service_id');
  if (openAt) q.whereExists(openLocation(knex, openAt));
  return q;
}

/**
 * The eligibility rule: the age fits, and for every kind of criterion the
 * service lists, the person meets at least one criterion of that kind.
 */
function applyPerson(knex: Knex, q: Knex.QueryBuilder, person: NonNullable<SearchCriteria['person']>): void {
  if (person.age !== undefined) {
    q.where((w) => w.whereNull('s.min_age').orWhere('s.min_age', '<=', person.age!));
    q.where((w) => w.whereNull('s.max_age').orWhere('s.max_age', '>=', person.age!));
  }
  if (person.criterionIds === undefined) return;
  if (person.criterionIds.length === 0) {
    q.whereNotExists(knex.from('service_criterion as pc').select(knex.raw('1')).whereRaw('pc.service_id = s.id'));
    return;
  }
  const unmetKind = knex
    .from('service_criterion as pc')
    .join('eligibility_criterion as pk', 'pk.id', 'pc.criterion_id')
    .select(knex.raw('1'))
    .whereRaw('pc.service_id = s.id')
    .groupBy('pk.kind')
    .havingRaw(`sum(case when pc.criterion_id in (${person.criterionIds.map(() => '?').join(', ')}) then 1 else 0 end) = 0`, person.criterionIds);
  q.whereNotExists(unmetKind);
}

export function resolveOrder(c: SearchCriteria, orderBy: ServiceOrder | null | undefined): ServiceOrder {
  const order = orderBy ?? (c.textWords ? ServiceOrder.RELEVANCE : c.near ? ServiceOrder.DISTANCE : ServiceOrder.NAME);
  if (order === ServiceOrder.RELEVANCE && !c.textWords) throw new BadUserInputError('orderBy', 'RELEVANCE needs a text search (filter.text).');
  if (order === ServiceOrder.DISTANCE && !c.near) throw new BadUserInputError('orderBy', 'DISTANCE needs a place to measure from (near).');
  return order;
}

const ORDER_TERMS: Record<ServiceOrder, OrderTerm[]> = {
  NAME: [
    { column: 'r.name', key: 'name' },
    { column: 'r.id', key: 'id' },
  ],
  // The rank is lower for a better match.
  RELEVANCE: [
    { column: 'r.__rank', key: '__rank' },
    { column: 'r.id', key: 'id' },
  ],
  DISTANCE: [
    { column: 'r.__distance', key: '__distance' },
    { column: 'r.id', key: 'id' },
  ],
  UPDATED_AT: [
    { column: 'r.updated_at', key: 'updated_at' },
    { column: 'r.id', key: 'id' },
  ],
};

/** What the root `services` field resolves to: a page, and its total and facets (computed together, once, when first asked for). */
export type ServiceSearchResult = Connection<Service> & { summary: () => Promise<SearchSummary> };

/**
 * A page of search results. When the request also asks for `totalCount` or
 * `facets` (`withSummary`), the page comes out of the same statement as the
 * summary, so the expensive match (circle, opening time, person) is
 * evaluated once per request instead of twice; otherwise the summary is
 * computed only if something asks for it after all.
 */
export async function searchServices(
  em: EntityManager,
  c: SearchCriteria,
  orderBy: ServiceOrder | null | undefined,
  page: PageArgs,
  cursors: CursorCodec,
  { withSummary = false }: { withSummary?: boolean } = {},
): Promise<ServiceSearchResult> {
  const knex = em.getKnex();
  const order = resolveOrder(c, orderBy);
  const terms = ORDER_TERMS[order];
  const request = readPageRequest(page.first, page.after, scopeOf('services', c, order), terms, cursors);
  const edgeFields = (row: Row) => ({ distanceKm: row.__distance === undefined || row.__distance === null ? null : Number(row.__distance) });
  if (withSummary) {
    const { summary, rows } = await loadSummary(knex, c, { order, terms, request });
    const connection = connectionOf(em, Service, toRowPage(rows, terms, request), summary.total, edgeFields);
    return Object.assign(connection, { summary: () => Promise.resolve(summary) });
  }
  const inner = withSortColumns(knex, matchQuery(knex, c).select('s.*'), c, order);
  const query = knex.select('*').from(inner.as('r'));
  let summary: Promise<SearchSummary> | undefined;
  const loadOnce = () => (summary ??= loadSummary(knex, c).then((result) => result.summary));
  const connection = await loadConnection(em, Service, query, terms, request, { count: () => loadOnce().then((s) => s.total), edgeFields });
  return Object.assign(connection, { summary: loadOnce });
}

/** Adds what the ordering and the edges need beside the service's own columns: `__distance` (near) and `__rank` (relevance). */
function withSortColumns(knex: Knex, q: Knex.QueryBuilder, c: SearchCriteria, order: ServiceOrder): Knex.QueryBuilder {
  if (c.near) q.select('nd.distance as __distance');
  if (order === ServiceOrder.RELEVANCE && searchTuning.fullTextIndex) {
    const [sql, binding] = FULL_TEXT[dialectOf(knex)].ranked(c.textWords!);
    q.join(knex.raw(`(${sql}) as fts`, [binding]), 'fts.service_id', 's.id').select('fts.rank as __rank');
  } else if (order === ServiceOrder.RELEVANCE) {
    q.select(knex.raw('0 as __rank'));
  }
  return q;
}

export interface FacetCount<T> {
  value: T;
  count: number;
}

/** The total and every facet of one search, from ONE statement (see loadSummary). */
export interface SearchSummary {
  total: number;
  categories: Array<FacetCount<number>>;
  criteria: Array<FacetCount<number>>;
  referralRoutes: Array<FacetCount<ReferralRoute>>;
  deliveryModes: Array<FacetCount<DeliveryMode>>;
}

/**
 * Counts the matches and all four facets in one statement. The expensive
 * part (near, open at, text, person) is evaluated once into a materialised
 * `base`, with one 0/1 column per facet filter; each count then applies
 * every facet filter but its own. A category counts its subcategories'
 * services too.
 */
export async function loadSummary(
  knex: Knex,
  c: SearchCriteria,
  page?: { order: ServiceOrder; terms: OrderTerm[]; request: PageRequest },
): Promise<{ summary: SearchSummary; rows: Row[] }> {
  const base = sharedQuery(knex, c).select('s.id', 's.referral_routes', 's.delivery_modes');
  if (page) withSortColumns(knex, base.select('s.name', 's.updated_at'), c, page.order);
  for (const facet of FACETS) {
    const condition = facetCondition(knex, c, facet);
    base.select(condition ? knex.raw(`case when ? then 1 else 0 end as f_${facet}`, [condition]) : knex.raw(`1 as f_${facet}`));
  }
  const others = (except?: Facet) => FACETS.filter((f) => f !== except).map((f) => `f_${f} = 1`).join(' and ');
  const bindings: Knex.RawBinding[] = [];
  // Every part has the same columns: which facet, its value and count, then (page rows only) distance and rank
  // (`real`, ts_rank's own type on PostgreSQL, so cursors read the same as the page query's; a double on SQLite).
  // Page rows give the service id as the value and its position as the count.
  const parts = [
    `select cast('total' as varchar(20)) as facet, cast(null as varchar(40)) as value, count(*) as n, cast(null as double precision) as distance, cast(null as real) as rank from base where ${others()}`,
  ];
  if (page) {
    const { order, terms, request } = page;
    const after = request.after ? ` and ${afterCondition(terms)}` : '';
    const distance = c.near ? 'r.__distance' : 'null';
    const rank = order === ServiceOrder.RELEVANCE ? 'r.__rank' : 'null';
    const orderSql = orderByColumns(terms);
    parts.push(
      `select 'page', cast(id as varchar(40)), position, distance, rank from (select r.id, row_number() over (order by ${orderSql}) as position, cast(${distance} as double precision) as distance, cast(${rank} as real) as rank from base r where ${others()}${after} order by ${orderSql} limit ${request.first + 1}) as page_ids`,
    );
    if (request.after) bindings.push(...request.after);
  }
  for (const [facet, column, members] of [
    ['referralRoutes', 'referral_routes', Object.values(ReferralRoute)],
    ['deliveryModes', 'delivery_modes', Object.values(DeliveryMode)],
  ] as const) {
    for (const member of members) {
      parts.push(`select '${facet}', cast(? as varchar(40)), count(*), null, null from base where ${column} like ? and ${others(facet)}`);
      bindings.push(member, enumSetPattern(member));
    }
  }
  parts.push(
    // `service_id in (...)` rather than a join, so the planner walks the few matches, not the whole link table.
    `select 'criteria', cast(sc.criterion_id as varchar(20)), count(*), null, null from service_criterion sc where sc.service_id in (select id from base where ${others('criteria')}) group by sc.criterion_id`,
    `select 'categories', cast(tree.ancestor as varchar(20)), count(distinct sc.service_id), null, null from service_category sc join tree on tree.id = sc.category_id where sc.service_id in (select id from base where ${others('categories')}) group by tree.ancestor`,
  );
  const baseSql = base.toSQL();
  const rows = await rawRows<{ facet: string; value: string | null; n: number | string; distance: number | null; rank: number | null }>(
    knex,
    `with recursive base as materialized (${baseSql.sql}),
       tree(ancestor, id) as (select id, id from category union all select tree.ancestor, c.id from category c join tree on c.parent_id = tree.id)
     ${parts.join(' union all ')}`,
    [...(baseSql.bindings as Knex.RawBinding[]), ...bindings],
  );
  const summary: SearchSummary = { total: 0, categories: [], criteria: [], referralRoutes: [], deliveryModes: [] };
  const pageIds: Array<{ id: number; __distance: number | null; __rank: number | null }> = [];
  for (const row of rows) {
    const count = Number(row.n);
    if (row.facet === 'page') pageIds[count - 1] = { id: Number(row.value), __distance: row.distance, __rank: row.rank };
    else if (row.facet === 'total') summary.total = count;
    else if (count === 0) continue;
    else if (row.facet === 'categories' || row.facet === 'criteria') summary[row.facet].push({ value: Number(row.value), count });
    else if (row.facet === 'referralRoutes') summary.referralRoutes.push({ value: row.value as ReferralRoute, count });
    else if (row.facet === 'deliveryModes') summary.deliveryModes.push({ value: row.value as DeliveryMode, count });
  }
  for (const facet of FACETS) summary[facet].sort(byCount);
  return { summary, rows: page ? await pageRows(knex, pageIds) : [] };
}

/** The page's services in order, each with the distance and rank its cursor and edge need. */
async function pageRows(knex: Knex, page: Array<{ id: number; __distance: number | null; __rank: number | null }>): Promise<Row[]> {
  if (page.length === 0) return [];
  const found = new Map<number, Row>();
  for (const row of await knex.from('service').whereIn('id', page.map((p) => p.id))) found.set(Number(row.id), row);
  return page.map(({ id, ...sort }) => ({ ...found.get(id)!, ...sort }));
}

function byCount<T extends string | number>(a: FacetCount<T>, b: FacetCount<T>): number {
  return b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0);
}
