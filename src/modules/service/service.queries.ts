import type { Knex } from '@mikro-orm/knex';
import { dialectOf, type Dialect } from '../common/dialect';
import { enumSetPattern } from '../common/enum-set.type';
import { orderOf, type OrderTerm } from '../common/pagination';
import { boundingBox, distanceSql, type Circle } from '../place/geo';
import { openAtSql, type LocalMoment } from './opening-hours';
import type { SearchCriteria } from './search-criteria';
import { ServiceOrder } from './service.inputs';
import { CapacityStatus, NationalScope, ServiceReach } from './service.enums';
import { codesCovering } from './service-area';
import type { Alternative, TermGroup, TextQuery } from '../search/text-query';
import { DEFAULT_CAPACITY_STALE_DAYS, staleBefore } from './capacity';
import { restrictToVisible } from './service.visibility';
import { dueBefore, staleBefore as reviewStaleBefore, type ReviewPolicy } from './review-policy';
import { ReviewState } from './service.enums';

/**
 * The SQL of service search, from criteria already read and checked
 * (search-criteria.ts): the match of every filter (matchQuery), the part
 * the page, the count and the facets share, and the columns an order needs.
 * The summary statement (total and facets) is in service-summary.ts; the
 * repository (service.repository.ts) runs them.
 *
 * Terminology:
 * - *location-level* filters (`near`, `openAt`) must hold at the same hub:
 *   "open on Tuesday morning near LS7" means at a hub near LS7;
 * - a *facet* counts matching services per value of one filter, computed with
 *   that filter left out (as shops do), so a UI can show what choosing
 *   another value would give.
 */

export type Facet = 'categories' | 'criteria' | 'referralRoutes' | 'deliveryModes' | 'reaches';

/**
 * What the search benchmark switches off (bench/search.ts, through
 * createApp's options) to measure what the bounding box and the FTS index
 * each buy. Both on in the server.
 */
export interface SearchTuning {
  boundingBox: boolean;
  fullTextIndex: boolean;
}

export const DEFAULT_SEARCH_TUNING: SearchTuning = { boundingBox: true, fullTextIndex: true };

/** The query builder of the request, and the search switches of the app. */
export interface SearchSql {
  knex: Knex;
  tuning: SearchTuning;
  /** The request's time: a capacity status said before `now - staleDays` reads as UNKNOWN. */
  now: Date;
  /** The review cycle: a service verified before its stale cut-off ranks below verified ones. */
  review: ReviewPolicy;
  /** HIDE_STALE_SERVICES: services verified before this are hidden from all but their provider and admins. */
  hiddenBefore?: Date;
}

/**
 * Full-text search on each database: SQLite's FTS5 table (rowid = service id)
 * or PostgreSQL's tsvector table with a GIN index (see the ServiceSearch
 * migrations), queried with the groups of a TextQuery (search/text-query.ts):
 * every group must match, any alternative of a group may; an alternative of
 * several words ("talking therapy") needs all of them, a prefix any word it
 * begins. `ids` selects the ids of
 * matching services; `ranked` also gives each a `rank`, lower for a better
 * match. Both weigh a word in the name most, then the provider, the
 * taxonomy and the description (10:4:3:2).
 */
const FULL_TEXT: Record<Dialect, { ids: (groups: TermGroup[]) => SqlPart; ranked: (groups: TermGroup[]) => SqlPart }> = {
  sqlite: {
    ids: (groups) => ({ sql: 'select rowid from service_search where service_search match ?', bindings: [fts5Query(groups)] }),
    ranked: (groups) => ({
      sql: 'select rowid as service_id, bm25(service_search, 10.0, 2.0, 4.0, 3.0) as rank from service_search where service_search match ?',
      bindings: [fts5Query(groups)],
    }),
  },
  postgresql: {
    ids: (groups) => {
      const query = tsQuery(groups);
      return { sql: `select service_id from service_search where document @@ (${query.sql})`, bindings: query.bindings };
    },
    // Weights in {D, C, B, A} order: description, taxonomy, provider, name.
    ranked: (groups) => {
      const query = tsQuery(groups);
      return {
        sql: `select service_id, -ts_rank('{0.2, 0.3, 0.4, 1.0}', document, tsq.query) as rank from service_search, (select ${query.sql} as query) as tsq where document @@ tsq.query`,
        bindings: query.bindings,
      };
    },
  },
};

interface SqlPart {
  sql: string;
  bindings: Knex.RawBinding[];
}

/** FTS5 syntax: each word quoted (so user text is never an operator), a phrase as one quoted string, a prefix starred. */
function fts5Query(groups: TermGroup[]): string {
  const alternative = (a: Alternative) => (a.prefix ? `"${a.words[0]}"*` : `(${a.words.map((word) => `"${word}"`).join(' AND ')})`);
  return groups.map((g) => `(${g.alternatives.map(alternative).join(' OR ')})`).join(' AND ');
}

/** A tsquery built from parts, each word a bound value (letters and digits only, so never tsquery syntax). */
function tsQuery(groups: TermGroup[]): SqlPart {
  const bindings: Knex.RawBinding[] = [];
  const alternative = (a: Alternative) => {
    bindings.push(a.prefix ? `${a.words[0]}:*` : a.words.join(' '));
    return a.prefix ? `to_tsquery('directory_english', ?)` : `plainto_tsquery('directory_english', ?)`;
  };
  const sql = groups.map((g) => `(${g.alternatives.map(alternative).join(' || ')})`).join(' && ');
  return { sql, bindings };
}

/**
 * The text condition on `s`: every group matches the service's own text;
 * a place group ("leeds") may instead be matched by a hub of the service
 * in that town.
 */
function textCondition(knex: Knex, text: TextQuery): Knex.Raw {
  const full = FULL_TEXT[dialectOf(knex)];
  const own = text.groups.filter((g) => !g.place);
  const parts: string[] = [];
  const bindings: Knex.RawBinding[] = [];
  if (own.length > 0) {
    const ids = full.ids(own);
    parts.push(`s.id in (${ids.sql})`);
    bindings.push(...ids.bindings);
  }
  for (const place of text.groups.filter((g) => g.place)) {
    const ids = full.ids([place]);
    // The town's hubs first, then their locations by hub_id (a join let SQLite scan every location: 17.8 to 0.3 ms).
    parts.push(`s.id in (${ids.sql} union all select psl.service_id from service_location psl where psl.hub_id in (select ph.id from hub ph where lower(ph.town) = ?))`);
    bindings.push(...ids.bindings, place.place!);
  }
  return knex.raw(parts.join(' and '), bindings);
}

/** Open at the moment, for schedule rows `sch` of location `sl` (or another alias). */
function openLocation(knex: Knex, moment: LocalMoment, location = 'sl'): Knex.QueryBuilder {
  const open = openAtSql(moment, 'sch');
  return knex.from('schedule as sch').select(knex.raw('1')).whereRaw(`sch.service_location_id = ${location}.id`).whereRaw(open.sql, open.bindings);
}

export const FACETS: Facet[] = ['categories', 'criteria', 'referralRoutes', 'deliveryModes', 'reaches'];

/** How each reach is numbered in SQL (`nd.reach`), in the order DISTANCE puts them. */
export const REACH_CODES: ServiceReach[] = [ServiceReach.AT_HUB, ServiceReach.AREA, ServiceReach.NATIONAL];

/** The SQL condition (on `s`) of one facet's own filter; undefined when that filter is not set. */
export function facetCondition(knex: Knex, c: SearchCriteria, facet: Facet): Knex.Raw | undefined {
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
    case 'reaches':
      return c.reach?.only ? knex.raw(`nd.reach in (${placeholders(c.reach.only)})`, c.reach.only.map((reach) => REACH_CODES.indexOf(reach))) : undefined;
  }
}

/**
 * Services (as `s`) matching every criterion. Near adds `nd.distance` (the
 * nearest qualifying hub). Text is a plain `id IN (full-text matches)`, which
 * SQLite evaluates once; the ranking join is added only where results are
 * ordered by relevance (searchServices).
 */
export function matchQuery(db: SearchSql, c: SearchCriteria): Knex.QueryBuilder {
  const { knex } = db;
  const q = sharedQuery(db, c);
  for (const facet of FACETS) {
    const condition = facetCondition(knex, c, facet);
    if (condition) q.where(condition);
  }
  return q;
}

/** Every filter except the four facet filters: the part the page, the count and every facet share. */
export function sharedQuery(db: SearchSql, c: SearchCriteria): Knex.QueryBuilder {
  const { knex } = db;
  const q = serviceFilters(db, knex.from('service as s'), c);
  if (c.near && c.reach) {
    q.join(reachOf(db, c.near, c.reach, c).as('nd'), 'nd.service_id', 's.id');
  } else if (c.near) {
    q.join(nearLocations(db, c.near, c.openAt, { accessibility: c.accessibility }).as('nd'), 'nd.service_id', 's.id');
  } else if (c.openAt || c.accessibility) {
    const at = knex.from('service_location as sl').select(knex.raw('1')).whereRaw('sl.service_id = s.id');
    if (c.openAt) at.whereExists(openLocation(knex, c.openAt));
    if (c.accessibility) withFeatures(at.join('hub as h', 'h.id', 'sl.hub_id'), c.accessibility);
    q.whereExists(at);
  }
  return q;
}

/**
 * The filters on the service `s` itself, not on where it is: who may see
 * it, status, age and eligibility, text, capacity, language and the rest,
 * cheapest first. Also applied to the area and national services in
 * reachOf before their opening times are probed: of the benchmark's 720
 * national services for a 72-year-old, 169 pass and 39 are open, so the
 * union carries 39 rows, not 720 (one rule for both databases, where the
 * opening used to be tested outside the union on SQLite only).
 */
function serviceFilters(db: SearchSql, q: Knex.QueryBuilder, c: SearchCriteria): Knex.QueryBuilder {
  const { knex, tuning } = db;
  restrictToVisible(q, 's', c.viewer, db.hiddenBefore).whereIn('s.status', c.statuses);
  if (c.freeOnly) q.where('s.cost_free', true);
  const age = c.person?.age;
  if (age !== undefined) {
    q.where((w) => w.whereNull('s.min_age').orWhere('s.min_age', '<=', age));
    q.where((w) => w.whereNull('s.max_age').orWhere('s.max_age', '>=', age));
  }
  if (c.text && tuning.fullTextIndex) {
    q.where(textCondition(knex, c.text));
  } else if (c.text) {
    // Benchmark baseline: a scan of the same text, every word as a substring, no stemming or ranking.
    for (const word of c.text.words) q.whereRaw(`lower(s.name || ' ' || s.description) like ?`, [`%${word}%`]);
  }
  if (c.providerIds) q.whereIn('s.provider_id', c.providerIds);
  if (c.hubIds) q.whereIn('s.id', knex.from('service_location').select('service_id').whereIn('hub_id', c.hubIds));
  if (c.person) applyPerson(knex, q, c.person);
  if (c.modifiedAfter) q.where('s.updated_at', '>', c.modifiedAfter);
  if (c.serviceAges?.minimumAtLeast !== undefined) q.where('s.min_age', '>=', c.serviceAges.minimumAtLeast);
  if (c.serviceAges?.maximumAtMost !== undefined) q.where('s.max_age', '<=', c.serviceAges.maximumAtMost);
  if (c.session) q.whereExists(sessionQuery(knex, c.session));
  if (c.capacity) applyCapacity(q, c.capacity, staleBefore(db.now, c.capacity.staleDays));
  if (c.review) applyReview(knex, q, c.review, db);
  if (c.languages) q.where((w) => c.languages!.forEach((code) => w.orWhere('s.languages', 'like', enumSetPattern(code))));
  if (c.taxonomy === 'criteria') q.whereExists(knex.from('service_criterion as tl').select(knex.raw('1')).whereRaw('tl.service_id = s.id'));
  if (c.taxonomy === 'categories' || c.taxonomyId !== undefined) {
    const terms = knex.from('service_category as tl').join('category as tc', 'tc.id', 'tl.category_id').select(knex.raw('1')).whereRaw('tl.service_id = s.id');
    q.whereExists(c.taxonomyId === undefined ? terms.whereNull('tc.taxonomy_id') : terms.where('tc.taxonomy_id', c.taxonomyId));
  }
  return q;
}

/** Services whose capacity, as it reads now, is one of these: a status older than `trusted` reads as UNKNOWN. */
function applyCapacity(q: Knex.QueryBuilder, capacity: NonNullable<SearchCriteria['capacity']>, trusted: Date): void {
  const said = capacity.statuses.filter((status) => status !== CapacityStatus.UNKNOWN);
  const unknown = capacity.statuses.includes(CapacityStatus.UNKNOWN);
  q.where((w) => {
    if (said.length > 0) w.orWhere((s) => s.whereIn('s.capacity_status', said).where('s.capacity_set_at', '>=', trusted));
    if (unknown) w.orWhere((s) => s.whereNull('s.capacity_status').orWhereNull('s.capacity_set_at').orWhere('s.capacity_set_at', '<', trusted));
  });
}

/**
 * Services in any of these review states, now: CURRENT (verified within the
 * interval, no open problem report), DUE (past its review date, or a problem
 * report on it is open, but not yet stale), OVERDUE (past due by the grace
 * period: stale). Partners see only their own provider's (readSearchCriteria).
 */
function applyReview(knex: Knex, q: Knex.QueryBuilder, review: NonNullable<SearchCriteria['review']>, db: SearchSql): void {
  const due = dueBefore(db.now, db.review);
  const stale = reviewStaleBefore(db.now, db.review);
  const reported = knex.from('problem_report as pr').select(knex.raw('1')).whereRaw('pr.service_id = s.id').where('pr.status', 'OPEN');
  q.where((w) => {
    if (review.states.includes(ReviewState.CURRENT)) w.orWhere((x) => x.where('s.verified_at', '>=', due).whereNotExists(reported));
    if (review.states.includes(ReviewState.DUE)) w.orWhere((x) => x.where('s.verified_at', '>=', stale).where((y) => y.where('s.verified_at', '<', due).orWhereExists(reported)));
    if (review.states.includes(ReviewState.OVERDUE)) w.orWhere('s.verified_at', '<', stale);
  });
  if (review.providerId !== undefined) q.where('s.provider_id', review.providerId);
}

/** A weekly session of service `s` matching the day and times (all of those given, in one schedule rule). */
function sessionQuery(knex: Knex, session: NonNullable<SearchCriteria['session']>): Knex.QueryBuilder {
  const q = knex.from('service_location as ssl').join('schedule as ss', 'ss.service_location_id', 'ssl.id').select(knex.raw('1')).whereRaw('ssl.service_id = s.id');
  if (session.day) q.where('ss.days', 'like', enumSetPattern(session.day));
  if (session.opensAtOrAfter) q.where('ss.opens_at', '>=', session.opensAtOrAfter);
  if (session.closesAtOrBefore) q.where('ss.closes_at', '<=', session.closesAtOrBefore);
  return q;
}

/** A location of the service in `serviceColumn` is open at the moment. */
function openSomewhere(knex: Knex, moment: LocalMoment, serviceColumn: string): Knex.QueryBuilder {
  return knex.from('service_location as osl').select(knex.raw('1')).whereRaw(`osl.service_id = ${serviceColumn}`).whereExists(openLocation(knex, moment, 'osl'));
}

/** Hubs (as `h`) offering every one of these accessibility features. */
function withFeatures(q: Knex.QueryBuilder, features: readonly string[]): Knex.QueryBuilder {
  for (const feature of features) q.where('h.accessibility_features', 'like', enumSetPattern(feature));
  return q;
}

/** Each service with a location inside the circle (open then, and with these features, if asked): its nearest such location's distance. */
function nearLocations(
  db: SearchSql,
  circle: Circle,
  openAt: LocalMoment | undefined,
  { inPersonOnly = false, accessibility }: { inPersonOnly?: boolean; accessibility?: readonly string[] } = {},
): Knex.QueryBuilder {
  const { knex, tuning } = db;
  const box = boundingBox(circle);
  const distance = distanceSql(dialectOf(knex), 'h.latitude', 'h.longitude', circle);
  const q = knex
    .from('hub as h')
    .join('service_location as sl', 'sl.hub_id', 'h.id')
    .select('sl.service_id', knex.raw(`min(${distance.sql}) as distance`, distance.bindings));
  if (tuning.boundingBox) q.whereBetween('h.latitude', [box.south, box.north]).whereBetween('h.longitude', [box.west, box.east]);
  q.whereRaw(`${distance.sql} <= ?`, [...distance.bindings, circle.radiusKm])
    .groupBy('sl.service_id');
  if (openAt) q.whereExists(openLocation(knex, openAt));
  // A virtual hub (kind ONLINE: phone and web services) is nowhere to go.
  if (inPersonOnly) q.whereNot('h.kind', 'ONLINE');
  if (accessibility) withFeatures(q, accessibility);
  return q;
}

/**
 * The reach rules: how each service reaches a person at this place, as
 * `nd.reach` (0 at a hub in the circle, 1 through an area, 2 national) and
 * `nd.distance` (to the nearest qualifying hub; null unless at a hub).
 *
 * - at a hub: a hub of the service lies in the circle (open then, with
 *   openAt; a virtual ONLINE hub is nowhere to go, so never counts),
 *   unless the service has areas that say whom they cover (postcodes or
 *   an extent: an imported area named only in words limits nobody) and
 *   none covers the person (a service for Leeds residents is not shown to
 *   someone in Wakefield because its hub is near);
 * - through an area: one of its areas lists the person's district or postcode
 *   area, or its extent holds the point;
 * - national: offered to everyone in England or the UK.
 * With openAt, an area or national service must be open then at one of its
 * locations; accessibility features are asked of hubs only (an area or
 * national service comes to the person). The best reach counts: a hub before an area before national.
 */
function reachOf(db: SearchSql, circle: Circle, reach: NonNullable<SearchCriteria['reach']>, c: SearchCriteria): Knex.QueryBuilder {
  const { knex } = db;
  const { openAt, accessibility } = c;
  const codes = reach.district ? codesCovering(reach.district) : [];
  const covering = knex.from('service_area as sa').select('sa.service_id');
  if (codes.length === 0 && reach.extentAreaIds.length === 0) covering.whereRaw('1 = 0');
  else
    covering.where((w) => {
      for (const code of codes) w.orWhere('sa.postcodes', 'like', enumSetPattern(code));
      if (reach.extentAreaIds.length > 0) w.orWhereIn('sa.id', reach.extentAreaIds);
    });
  // Area and national services pass the search's own filters before their opening times are probed (serviceFilters).
  const areas = serviceFilters(db, knex.from('service as s').select('s.id as service_id').whereIn('s.id', covering), c);
  // `in (...)` rather than `is not null`: SQLite then walks the national_scope index (3 ms, not 12, over 50,000 services).
  const national = serviceFilters(db, knex.from('service as s').select('s.id as service_id').whereIn('s.national_scope', Object.values(NationalScope)), c);
  if (openAt) {
    areas.whereExists(openSomewhere(knex, openAt, 's.id'));
    national.whereExists(openSomewhere(knex, openAt, 's.id'));
  }
  const union = knex
    .from(nearLocations(db, circle, openAt, { inPersonOnly: true, accessibility }).as('hb'))
    .select('hb.service_id', knex.raw('1 as at_hub'), knex.raw('0 as in_area'), knex.raw('0 as national'), 'hb.distance')
    .unionAll((u) => u.from(areas.as('ar')).select('ar.service_id', knex.raw('0'), knex.raw('1'), knex.raw('0'), knex.raw('null')))
    .unionAll((u) => u.from(national.as('na')).select('na.service_id', knex.raw('0'), knex.raw('0'), knex.raw('1'), knex.raw('null')));
  const grouped = knex
    .from(union.as('u'))
    .select(
      'u.service_id',
      knex.raw(
        `case when max(u.at_hub) = 1 and (max(u.in_area) = 1 or max(u.national) = 1 or not exists (select 1 from service_area la where la.service_id = u.service_id and (la.postcodes <> '' or la.extent is not null))) then 0
              when max(u.in_area) = 1 then 1 when max(u.national) = 1 then 2 end as reach`,
      ),
      knex.raw('min(u.distance) as distance'),
    )
    .groupBy('u.service_id');
  return knex.from(grouped.as('g')).select('g.service_id', 'g.reach', knex.raw('case when g.reach = 0 then g.distance end as distance')).whereNotNull('g.reach');
}

/**
 * The eligibility rule: the age fits, and for every kind of criterion the
 * service lists, the person meets at least one criterion of that kind.
 */
function applyPerson(knex: Knex, q: Knex.QueryBuilder, person: NonNullable<SearchCriteria['person']>): void {
  // The person's age is one of the service's own columns (ownColumns).
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

export const ORDER_TERMS: Record<ServiceOrder, OrderTerm[]> = {
  NAME: orderOf('r', 'name'),
  // The rank is lower for a better match; stale services (past due for review by the grace period) after the rest.
  RELEVANCE: [{ column: 'r.__stale', key: '__stale' }, ...orderOf('r', '__rank')],
  // Hubs by distance, then areas, then national, each with stale services after the rest; at equal distance, services taking referrals first.
  DISTANCE: [
    { column: 'r.__reach', key: '__reach' },
    { column: 'r.__stale', key: '__stale' },
    { column: 'r.__distance_key', key: '__distance_key' },
    { column: 'r.__open', key: '__open' },
    { column: 'r.id', key: 'id' },
  ],
  UPDATED_AT: orderOf('r', 'updated_at'),
};

/** 0 taking referrals, 1 waiting list, 2 anything else (not taking, unknown, or said too long ago): as `__open`. */
function openRank(knex: Knex, trusted: Date): Knex.Raw {
  return knex.raw(
    `case when s.capacity_set_at >= ? and s.capacity_status = 'TAKING_REFERRALS' then 0 when s.capacity_set_at >= ? and s.capacity_status = 'WAITING_LIST' then 1 else 2 end as __open`,
    [trusted, trusted],
  );
}

/** Adds what the ordering and the edges need beside the service's own columns: `__distance` (near) and `__rank` (relevance). */
export function withSortColumns(db: SearchSql, q: Knex.QueryBuilder, c: SearchCriteria, order: ServiceOrder): Knex.QueryBuilder {
  const { knex, tuning } = db;
  if (order === ServiceOrder.RELEVANCE || order === ServiceOrder.DISTANCE) {
    q.select(knex.raw('case when s.verified_at < ? then 1 else 0 end as __stale', [reviewStaleBefore(db.now, db.review)]));
  }
  if (c.near) {
    q.select('nd.distance as __distance', knex.raw(c.reach ? 'nd.reach as __reach' : '0 as __reach'), knex.raw('coalesce(nd.distance, 0) as __distance_key'));
    q.select(openRank(knex, staleBefore(db.now, c.capacityStaleDays ?? DEFAULT_CAPACITY_STALE_DAYS)));
  }
  if (order === ServiceOrder.RELEVANCE && tuning.fullTextIndex) {
    // The service's own words rank it; a place alone ranks by its text match, if any (0: none).
    const own = c.text!.groups.filter((g) => !g.place);
    const { sql, bindings } = FULL_TEXT[dialectOf(knex)].ranked(own.length > 0 ? own : c.text!.groups);
    if (own.length > 0) q.join(knex.raw(`(${sql}) as fts`, bindings), 'fts.service_id', 's.id').select('fts.rank as __rank');
    else q.leftJoin(knex.raw(`(${sql}) as fts`, bindings), 'fts.service_id', 's.id').select(knex.raw('coalesce(fts.rank, 0) as __rank'));
  } else if (order === ServiceOrder.RELEVANCE) {
    q.select(knex.raw('0 as __rank'));
  }
  return q;
}

