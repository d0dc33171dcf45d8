import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorCodes, type TestApp } from './utils';
import { generateSyntheticDirectory } from '../seeds/synthetic';
import { haversineKm, type Circle } from '../src/modules/place/geo';
import { isOpenAt, type OpeningRule } from '../src/modules/service/opening-hours';
import type { SqlStats } from '../src/modules/common/sql-stats';
import { DistrictCentroidGeocoder } from '../src/modules/place/postcode';

/**
 * Every search filter, alone and combined, checked against a brute-force
 * answer computed here in plain TypeScript over the same 5,000 synthetic
 * services: same ids, same order, same distances to 1 m, same facet counts.
 */
interface Truth {
  id: number;
  gid: string;
  name: string;
  status: string;
  providerId: number;
  minAge: number | null;
  maxAge: number | null;
  routes: string[];
  modes: string[];
  free: boolean;
  updatedAt: number;
  categories: number[];
  criteria: number[];
  locations: Array<{ hubId: number; rules: OpeningRule[] }>;
  national: boolean;
  /** 0 taking referrals, 1 waiting list, 2 anything else (DISTANCE puts open services first at equal distance). */
  open: number;
  /** Postcode codes, and the extents (the generator draws them as boxes, so a box test is exact). */
  areas: Array<{ postcodes: string[]; box: { south: number; north: number; west: number; east: number } | null }>;
}

let app: TestApp;
let services: Truth[];
const hubs = new Map<number, { latitude: number; longitude: number; gid: string }>();
const categoryParent = new Map<number, number | null>();
const criterionKind = new Map<number, string>();
const gid = (type: string, id: number) => Buffer.from(`${type}:${id}`).toString('base64url');
const set = (value: string) => value.split(',').filter(Boolean);

beforeAll(async () => {
  app = await createTestApp({ seed: false });
  await generateSyntheticDirectory(app.em().getKnex(), { services: 5000, seed: 42 });
  const knex = app.em().getKnex();
  for (const h of await knex('hub').select('id', 'latitude', 'longitude')) hubs.set(h.id, { latitude: h.latitude, longitude: h.longitude, gid: gid('Hub', h.id) });
  for (const c of await knex('category').select('id', 'parent_id')) categoryParent.set(c.id, c.parent_id);
  for (const c of await knex('eligibility_criterion').select('id', 'kind')) criterionKind.set(c.id, c.kind);
  const byService = new Map<number, Truth>();
  for (const s of await knex('service').select('*')) {
    byService.set(s.id, {
      id: s.id,
      gid: gid('Service', s.id),
      name: s.name,
      status: s.status,
      providerId: s.provider_id,
      minAge: s.min_age,
      maxAge: s.max_age,
      routes: set(s.referral_routes),
      modes: set(s.delivery_modes),
      free: Boolean(s.cost_free),
      updatedAt: Number(s.updated_at),
      categories: [],
      criteria: [],
      locations: [],
      national: s.national_scope !== null,
      open: openRank(s.capacity_status, s.capacity_set_at === null ? null : new Date(Number.isFinite(Number(s.capacity_set_at)) ? Number(s.capacity_set_at) : s.capacity_set_at).getTime()),
      areas: [],
    });
  }
  for (const a of await knex('service_area').select('*')) {
    byService.get(a.service_id)!.areas.push({ postcodes: set(a.postcodes), box: a.extent === null ? null : { south: a.south, north: a.north, west: a.west, east: a.east } });
  }
  for (const l of await knex('service_category').select('*')) byService.get(l.service_id)!.categories.push(l.category_id);
  for (const l of await knex('service_criterion').select('*')) byService.get(l.service_id)!.criteria.push(l.criterion_id);
  const locations = new Map<number, { hubId: number; rules: OpeningRule[] }>();
  for (const l of await knex('service_location').select('*').orderBy('id')) {
    const location = { hubId: l.hub_id, rules: [] };
    locations.set(l.id, location);
    byService.get(l.service_id)!.locations.push(location);
  }
  for (const r of await knex('schedule').select('*').orderBy('id')) {
    locations.get(r.service_location_id)!.rules.push({ days: set(r.days), opensAt: r.opens_at, closesAt: r.closes_at, validFrom: r.valid_from, validTo: r.valid_to });
  }
  services = [...byService.values()];
}, 120_000);
afterAll(() => app.close());

/* ---------- the brute-force model ---------- */

const geocoder = DistrictCentroidGeocoder.fromFile();
const STALE_MS = 30 * 24 * 60 * 60 * 1000;

function openRank(status: string | null, setAt: number | null): number {
  if (status === null || setAt === null || setAt < Date.now() - STALE_MS) return 2;
  return status === 'TAKING_REFERRALS' ? 0 : status === 'WAITING_LIST' ? 1 : 2;
}

interface Query {
  providerIds?: number[];
  categoryIds?: number[];
  criterionIds?: number[];
  person?: { age?: number; criteria?: number[] };
  referralRoutes?: string[];
  deliveryModes?: string[];
  freeOnly?: boolean;
  statuses?: string[];
  openAt?: Date;
  near?: Circle;
  /** The person's district when the search gives a postcode; otherwise the district nearest the point. */
  district?: string;
  reach?: string[];
}

const REACHES = ['AT_HUB', 'AREA', 'NATIONAL'];

function withDescendants(ids: number[]): Set<number> {
  const result = new Set(ids);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [id, parent] of categoryParent) if (parent !== null && result.has(parent) && !result.has(id)) {
      result.add(id);
      grew = true;
    }
  }
  return result;
}

function meetsCriteria(s: Truth, personCriteria: number[]): boolean {
  const kinds = new Map<string, boolean>();
  for (const c of s.criteria) kinds.set(criterionKind.get(c)!, (kinds.get(criterionKind.get(c)!) ?? false) || personCriteria.includes(c));
  return [...kinds.values()].every(Boolean);
}

/** The distance to the nearest qualifying location and how the service reaches the person, or undefined when it does not match. */
function evaluate(s: Truth, q: Query, omit?: string): { distance: number | null; reach: number | null } | undefined {
  if (!(q.statuses ?? ['ACTIVE']).includes(s.status)) return undefined;
  if (q.providerIds && !q.providerIds.includes(s.providerId)) return undefined;
  if (q.categoryIds && omit !== 'categories') {
    const wanted = withDescendants(q.categoryIds);
    if (!s.categories.some((c) => wanted.has(c))) return undefined;
  }
  if (q.criterionIds && omit !== 'criteria' && !s.criteria.some((c) => q.criterionIds!.includes(c))) return undefined;
  if (q.person?.age !== undefined && ((s.minAge !== null && s.minAge > q.person.age) || (s.maxAge !== null && s.maxAge < q.person.age))) return undefined;
  if (q.person?.criteria && !meetsCriteria(s, q.person.criteria)) return undefined;
  if (q.referralRoutes && omit !== 'referralRoutes' && !s.routes.some((r) => q.referralRoutes!.includes(r))) return undefined;
  if (q.deliveryModes && omit !== 'deliveryModes' && !s.modes.some((m) => q.deliveryModes!.includes(m))) return undefined;
  if (q.freeOnly && !s.free) return undefined;
  let qualifying = s.locations;
  if (q.openAt) qualifying = qualifying.filter((l) => isOpenAt(l.rules, q.openAt!));
  if (!q.near) return qualifying.length > 0 ? { distance: null, reach: null } : undefined;
  const distances = qualifying.map((l) => haversineKm(q.near!, hubs.get(l.hubId)!)).filter((d) => d <= q.near!.radiusKm);
  // The reach rules (README): a hub in the circle unless limited to areas the person is outside; an area; national.
  const district = q.district ?? geocoder.districtNear(q.near)!;
  const codes = [district, /^[A-Z]+/.exec(district)![0]];
  const { latitude, longitude } = q.near;
  const inArea = s.areas.some((a) => a.postcodes.some((code) => codes.includes(code)) || (a.box !== null && a.box.south <= latitude && latitude <= a.box.north && a.box.west <= longitude && longitude <= a.box.east));
  let result: { distance: number | null; reach: number } | undefined;
  if (distances.length > 0 && (s.areas.length === 0 || inArea || s.national)) result = { distance: Math.min(...distances), reach: 0 };
  else if (qualifying.length > 0 && inArea) result = { distance: null, reach: 1 };
  else if (qualifying.length > 0 && s.national) result = { distance: null, reach: 2 };
  if (!result || (q.reach && omit !== 'reaches' && !q.reach.includes(REACHES[result.reach]))) return undefined;
  return result;
}

function bruteForce(q: Query, order: 'NAME' | 'DISTANCE'): Array<{ id: string; distance: number | null; reach: string | null }> {
  const rows = services.flatMap((s) => {
    const result = evaluate(s, q);
    return result ? [{ s, ...result }] : [];
  });
  // DISTANCE: hubs by distance, then areas, then national; at equal distance, taking referrals first.
  const byDistance = (a: (typeof rows)[number], b: (typeof rows)[number]) => a.reach! - b.reach! || (a.distance ?? 0) - (b.distance ?? 0) || a.s.open - b.s.open;
  rows.sort((a, b) => (order === 'DISTANCE' ? byDistance(a, b) : 0) || (a.s.name < b.s.name ? -1 : a.s.name > b.s.name ? 1 : 0) * (order === 'NAME' ? 1 : 0) || a.s.id - b.s.id);
  return rows.map((row) => ({ id: row.s.gid, distance: row.distance, reach: row.reach === null ? null : REACHES[row.reach] }));
}

/* ---------- running the same search through the API ---------- */

function toFilter(q: Query): Record<string, unknown> {
  return {
    providerIds: q.providerIds?.map((id) => gid('Provider', id)),
    categoryIds: q.categoryIds?.map((id) => gid('Category', id)),
    criterionIds: q.criterionIds?.map((id) => gid('EligibilityCriterion', id)),
    person: q.person && { age: q.person.age, criteria: q.person.criteria?.map((id) => gid('EligibilityCriterion', id)) },
    referralRoutes: q.referralRoutes,
    deliveryModes: q.deliveryModes,
    freeOnly: q.freeOnly,
    statuses: q.statuses,
    openAt: q.openAt?.toISOString(),
    reach: q.reach,
  };
}

const SEARCH = `query ($filter: ServiceFilter, $near: NearInput, $orderBy: ServiceOrder, $first: Int, $after: String) {
  services(filter: $filter, near: $near, orderBy: $orderBy, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { distanceKm reach node { id } }
  }
}`;

type ResultRow = { id: string; distance: number | null; reach: string | null };

async function search(q: Query, orderBy?: string, pageSize = 100, text?: string): Promise<{ rows: ResultRow[]; totalCount: number }> {
  const rows: ResultRow[] = [];
  let after: string | null = null;
  let totalCount: number;
  do {
    const data: any = await app.query(SEARCH, { filter: { ...toFilter(q), text }, near: q.near, orderBy, first: pageSize, after });
    totalCount = data.services.totalCount;
    rows.push(...data.services.edges.map((e: any) => ({ id: e.node.id, distance: e.distanceKm, reach: e.reach })));
    after = data.services.pageInfo.hasNextPage ? data.services.pageInfo.endCursor : null;
  } while (after);
  return { rows, totalCount };
}

async function expectSame(q: Query, order: 'NAME' | 'DISTANCE' = 'NAME', minimum = 1): Promise<void> {
  const expected = bruteForce(q, order);
  expect(expected.length, 'the case should select something').toBeGreaterThanOrEqual(minimum);
  const { rows, totalCount } = await search(q, order);
  expect(totalCount).toBe(expected.length);
  expect(rows.map((r) => r.id)).toEqual(expected.map((r) => r.id));
  expect(rows.map((r) => r.reach)).toEqual(expected.map((r) => r.reach));
  rows.forEach((row, i) => {
    if (expected[i].distance === null) expect(row.distance).toBeNull();
    else expect(Math.abs(row.distance! - expected[i].distance!)).toBeLessThan(0.001);
  });
}

const LEEDS: Circle = { latitude: 53.8008, longitude: -1.5491, radiusKm: 15 };
const MONDAY_10AM_BST = new Date('2026-06-15T09:00:00Z');
const SATURDAY_1AM_GMT = new Date('2026-01-10T01:00:00Z');

describe('each filter against brute force', () => {
  it('status (ACTIVE by default)', async () => {
    await expectSame({}, 'NAME', 3000);
    await expectSame({ statuses: ['TEMPORARILY_CLOSED', 'DEFUNCT'] });
  });
  it('provider', () => expectSame({ providerIds: [3, 17] }));
  it('category, including every descendant category', async () => {
    const parent = [...categoryParent].find(([, p]) => p === null)![0];
    await expectSame({ categoryIds: [parent] }, 'NAME', 50);
  });
  it('tagged with a criterion', () => expectSame({ criterionIds: [2, 5] }));
  it('person: age fits minimum and maximum', async () => {
    await expectSame({ person: { age: 72 } });
    await expectSame({ person: { age: 3 } });
  });
  it('person: the eligibility rule per kind', async () => {
    await expectSame({ person: { criteria: [1, 4, 9] } });
    await expectSame({ person: { criteria: [] } });
  });
  it('referral route, delivery mode and free only', async () => {
    await expectSame({ referralRoutes: ['SELF_REFERRAL'] });
    await expectSame({ deliveryModes: ['ONLINE', 'PHONE'] });
    await expectSame({ freeOnly: true });
  });
  it('open at a time, in Europe/London, including sessions past midnight', async () => {
    await expectSame({ openAt: MONDAY_10AM_BST });
    await expectSame({ openAt: SATURDAY_1AM_GMT });
  });
  it('near a point, ordered by distance, with distances to 1 m', () => expectSame({ near: LEEDS }, 'DISTANCE'));
  it('near, ordered by name', () => expectSame({ near: LEEDS }, 'NAME'));
  it('near a postcode: normalised, geocoded to its district centroid', async () => {
    const geocoded = await DistrictCentroidGeocoder.fromFile().locate('LS7');
    const circle = { latitude: geocoded!.latitude, longitude: geocoded!.longitude, radiusKm: 12 };
    const expected = bruteForce({ near: circle, district: 'LS7' }, 'DISTANCE');
    expect(expected.length).toBeGreaterThan(10);
    const data: any = await app.query(`{ services(first: 100, near: { postcode: "ls7 4sa", radiusKm: 12 }) { totalCount edges { distanceKm node { id } } } }`);
    expect(data.services.totalCount).toBe(expected.length);
    expect(data.services.edges.map((e: any) => e.node.id)).toEqual(expected.slice(0, 100).map((r) => r.id));
  });
});

describe('reach: at a hub, through an area, national', () => {
  const reaches = (q: Query) => new Set(bruteForce(q, 'DISTANCE').map((r) => r.reach));
  it('all three ways near Leeds, hubs by distance first, then areas, then national', async () => {
    expect(reaches({ near: LEEDS })).toEqual(new Set(REACHES));
    await expectSame({ near: LEEDS }, 'DISTANCE');
  });
  it('far from every hub: only what reaches the person through an area or nationally', async () => {
    const q: Query = { near: { latitude: 53.95, longitude: -1.3, radiusKm: 1 } };
    expect(bruteForce(q, 'DISTANCE').every((r) => r.reach !== 'AT_HUB')).toBe(true);
    await expectSame(q, 'DISTANCE');
  });
  it('each way alone (filter.reach), with open and person filters', async () => {
    for (const reach of REACHES) await expectSame({ near: { ...LEEDS, radiusKm: 30 }, reach: [reach] }, 'DISTANCE');
    await expectSame({ near: LEEDS, reach: ['AREA', 'NATIONAL'], openAt: MONDAY_10AM_BST, person: { age: 70 } }, 'DISTANCE');
  });
  it('a service limited to areas is not shown at a hub to someone outside them', async () => {
    const limited = services.filter((s) => s.areas.length > 0 && !s.national && evaluate(s, { statuses: ['ACTIVE'] }));
    const circle = { ...LEEDS, radiusKm: 40 };
    const hidden = limited.filter((s) => s.locations.some((l) => haversineKm(circle, hubs.get(l.hubId)!) <= circle.radiusKm) && !evaluate(s, { near: circle }));
    expect(hidden.length, 'some limited services have a hub in the circle but do not cover Leeds').toBeGreaterThan(0);
    const { rows } = await search({ near: circle }, 'DISTANCE');
    const shown = new Set(rows.map((r) => r.id));
    for (const s of hidden) expect(shown.has(s.gid)).toBe(false);
  });
  it('a postcode search reaches through the areas listing its district or postcode area', async () => {
    const geocoded = (await DistrictCentroidGeocoder.fromFile().locate('LS7'))!;
    const expected = bruteForce({ near: { ...geocoded, radiusKm: 3 }, district: 'LS7' }, 'DISTANCE');
    expect(expected.some((r) => r.reach === 'AREA')).toBe(true);
    const data: any = await app.query(`{ services(first: 100, near: { postcode: "LS7 4SA", radiusKm: 3 }) { totalCount edges { reach node { id } } } }`);
    expect(data.services.edges.map((e: any) => [e.node.id, e.reach])).toEqual(expected.slice(0, 100).map((r) => [r.id, r.reach]));
  });
  it('facets count by reach, without the reach filter itself', async () => {
    const q: Query = { near: { ...LEEDS, radiusKm: 20 }, reach: ['AREA'], freeOnly: true };
    const data: any = await app.query(`query ($filter: ServiceFilter, $near: NearInput) { services(filter: $filter, near: $near, first: 0) { totalCount facets { reaches { reach count } } } }`, {
      filter: toFilter(q),
      near: q.near,
    });
    const counts: Record<string, number> = {};
    for (const s of services) {
      const result = evaluate(s, q, 'reaches');
      if (result) counts[REACHES[result.reach!]] = (counts[REACHES[result.reach!]] ?? 0) + 1;
    }
    expect(Object.fromEntries(data.services.facets.reaches.map((f: any) => [f.reach, f.count]))).toEqual(counts);
    expect(data.services.totalCount).toBe(counts.AREA);
  });
  it('filter.reach without near is refused, naming it', async () => {
    expect(errorCodes(await app.run(`{ services(first: 1, filter: { reach: [AREA] }) { totalCount } }`))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('combinations against brute force', () => {
  it('the link-worker search: person + near + open + self-referral', async () => {
    await expectSame(
      { person: { age: 72, criteria: [1, 9] }, near: { latitude: 51.5072, longitude: -0.1276, radiusKm: 30 }, openAt: MONDAY_10AM_BST, referralRoutes: ['SELF_REFERRAL', 'GP'] },
      'DISTANCE',
    );
  });
  it('category + free + delivery mode + status list', () =>
    expectSame({ categoryIds: [1, 2, 3], freeOnly: true, deliveryModes: ['IN_PERSON'], statuses: ['ACTIVE', 'TEMPORARILY_CLOSED'] }));
  it('near + open at, at the same hub', () => expectSame({ near: { ...LEEDS, radiusKm: 40 }, openAt: MONDAY_10AM_BST }, 'DISTANCE'));
});

describe('pagination under every ordering', () => {
  it.each(['NAME', 'DISTANCE', 'UPDATED_AT'])('%s: small pages give exactly the large-page sequence', async (order) => {
    const q: Query = { near: { ...LEEDS, radiusKm: 25 } };
    const big = await search(q, order, 100);
    const small = await search(q, order, 7);
    expect(small.rows.map((r) => r.id)).toEqual(big.rows.map((r) => r.id));
    expect(new Set(big.rows.map((r) => r.id)).size).toBe(big.totalCount);
  });

  it('RELEVANCE: small pages give exactly the large-page sequence', async () => {
    const big = await search({}, 'RELEVANCE', 100, 'walking group');
    const small = await search({}, 'RELEVANCE', 9, 'walking group');
    expect(big.rows.length).toBeGreaterThan(50);
    expect(small.rows.map((r) => r.id)).toEqual(big.rows.map((r) => r.id));
  });
});

describe('page with and without the summary', () => {
  /*
   * Asked with totalCount or facets, the page comes from the summary's
   * statement; asked alone, from its own. Both must give the same edges and
   * cursors, and a cursor from either must continue in the other.
   */
  const PAGE = `query ($filter: ServiceFilter, $near: NearInput, $orderBy: ServiceOrder, $after: String) {
    services(first: 6, filter: $filter, near: $near, orderBy: $orderBy, after: $after) { edges { cursor distanceKm node { id } } pageInfo { hasNextPage endCursor } }
  }`;
  const WITH_COUNT = PAGE.replace('edges {', 'totalCount edges {');
  it.each([
    ['DISTANCE', { near: { ...LEEDS, radiusKm: 25 } }],
    ['NAME', { near: { ...LEEDS, radiusKm: 25 }, filter: { person: { age: 70 } } }],
    ['UPDATED_AT', { filter: { freeOnly: true } }],
    ['RELEVANCE', { filter: { text: 'walking group' } }],
  ])('%s: the same page and cursors either way, and each continues the other', async (orderBy, variables) => {
    const alone: any = await app.query(PAGE, { ...variables, orderBy });
    const counted: any = await app.query(WITH_COUNT, { ...variables, orderBy });
    expect(counted.services.totalCount).toBeGreaterThan(12);
    expect(counted.services.edges).toEqual(alone.services.edges);
    expect(counted.services.pageInfo).toEqual(alone.services.pageInfo);
    const after = alone.services.pageInfo.endCursor;
    const nextAlone: any = await app.query(PAGE, { ...variables, orderBy, after });
    const nextCounted: any = await app.query(WITH_COUNT, { ...variables, orderBy, after });
    expect(nextCounted.services.edges).toEqual(nextAlone.services.edges);
    expect(nextAlone.services.edges.map((e: any) => e.node.id)).not.toContain(alone.services.edges[0].node.id);
  });

  it('facets load their categories and criteria only when asked for, in one batch each', async () => {
    const statements = async (query: string) => {
      const stats: SqlStats = { statements: 0, log: [] };
      expect((await app.run(query, {}, { stats })).errors).toBeUndefined();
      return stats.log!.filter((sql) => /from .(category|eligibility_criterion). where/.test(sql)).length;
    };
    expect(await statements('{ services(first: 1) { facets { categories { count } criteria { count } } } }')).toBe(0);
    expect(await statements('{ services(first: 1) { facets { categories { count category { name } } criteria { criterion { label } } } } }')).toBe(2);
  });

  it('the match is evaluated by one statement, with or without the total and facets', async () => {
    const matches = async (query: string) => {
      const stats: SqlStats = { statements: 0, log: [] };
      const result = await app.run(query, { near: { ...LEEDS, radiusKm: 25 } }, { stats });
      expect(result.errors).toBeUndefined();
      // Statements that evaluate the search itself (services as s, with the circle's hubs), not lookups by id.
      return stats.log!.filter((sql) => /from .service. as .s./.test(sql)).length;
    };
    expect(await matches(`query ($near: NearInput) { services(first: 5, near: $near) { nodes { id } } }`)).toBe(1);
    expect(await matches(`query ($near: NearInput) { services(first: 5, near: $near) { totalCount facets { referralRoutes { count } } nodes { id } } }`)).toBe(1);
  });
});

describe('text search', () => {
  it('is stemmed and case-insensitive: "WALKS" finds walk, walking', async () => {
    const { rows } = await search({ statuses: ['ACTIVE', 'INACTIVE', 'TEMPORARILY_CLOSED', 'DEFUNCT'] }, undefined, 100, 'WALKS');
    const knex = app.em().getKnex();
    const expected = await knex('service as s')
      .join('provider as p', 'p.id', 's.provider_id')
      .select('s.id')
      .whereRaw(`lower(s.name || ' ' || s.description) like '%walk%'`);
    expect(rows.length).toBeGreaterThan(100);
    // Every service whose own text mentions walk/walking is found (categories can add more).
    const found = new Set(rows.map((r) => r.id));
    for (const { id } of expected) expect(found.has(gid('Service', id))).toBe(true);
  });

  it('ranks a name match above a description-only match', async () => {
    const data: any = await app.query(`{ services(first: 5, filter: { text: "choir" }) { edges { node { name } } } }`);
    expect(data.services.edges[0].node.name.toLowerCase()).toContain('choir');
  });

  it('finds an edit at once (triggers keep the index in step)', async () => {
    const knex = app.em().getKnex();
    const before: any = await app.query(`{ services(filter: { text: "zanzibar" }) { totalCount } }`);
    expect(before.services.totalCount).toBe(0);
    const [first] = await knex('service').where('status', 'ACTIVE').orderBy('id').limit(1).select('id');
    await knex('service').where('id', first.id).update({ description: 'Now meeting in the Zanzibar room.' });
    const after: any = await app.query(`{ services(filter: { text: "zanzibar" }) { nodes { id } } }`);
    expect(after.services.nodes).toEqual([{ id: gid('Service', first.id) }]);
    await knex('provider').where('id', 1).update({ name: 'Quixotic Gardens Trust' });
    const byProvider: any = await app.query(`{ services(filter: { text: "quixotic", statuses: [ACTIVE, INACTIVE, TEMPORARILY_CLOSED, DEFUNCT] }) { totalCount } }`);
    expect(byProvider.services.totalCount).toBe(services.filter((s) => s.providerId === 1).length);
  });

  it('folds accents both ways: "creme brulee" finds "Crème brûlée", "BRÛLÉE" finds "brulee"', async () => {
    const knex = app.em().getKnex();
    const [first, second] = await knex('service').where('status', 'ACTIVE').orderBy('id', 'desc').limit(2).select('id');
    await knex('service').where('id', first.id).update({ name: 'Crème brûlée club for carers' });
    await knex('service').where('id', second.id).update({ description: 'A brulee tasting, with naïve art on the walls.' });
    const ids = async (text: string) =>
      ((await app.query(`query ($text: String!) { services(first: 100, filter: { text: $text }) { nodes { id } } }`, { text })) as any).services.nodes.map((n: { id: string }) => n.id).sort();
    expect(await ids('creme brulee')).toEqual([gid('Service', first.id)]);
    expect(await ids('BRÛLÉE')).toEqual([gid('Service', first.id), gid('Service', second.id)].sort());
    expect(await ids('naive art')).toEqual([gid('Service', second.id)]);
  });

  it('combines with other filters', async () => {
    const data: any = await app.query(`query ($near: NearInput) { services(first: 100, near: $near, filter: { text: "garden", freeOnly: true }) { totalCount edges { reach distanceKm } } }`, {
      near: LEEDS,
    });
    expect(data.services.totalCount).toBeGreaterThan(0);
    for (const edge of data.services.edges) {
      if (edge.reach === 'AT_HUB') expect(edge.distanceKm).toBeLessThanOrEqual(LEEDS.radiusKm);
      else expect(edge.distanceKm).toBeNull();
    }
  });
});

describe('facets', () => {
  it('count per category, criterion, referral route and delivery mode, each without its own filter', async () => {
    const q: Query = { near: { ...LEEDS, radiusKm: 60 }, categoryIds: [2], referralRoutes: ['SELF_REFERRAL'], deliveryModes: ['IN_PERSON'], criterionIds: [3, 4] };
    const data: any = await app.query(
      `query ($filter: ServiceFilter, $near: NearInput) { services(filter: $filter, near: $near, first: 0) { totalCount facets {
        categories { category { id } count } criteria { criterion { id } count } referralRoutes { referralRoute count } deliveryModes { deliveryMode count } } } }`,
      { filter: toFilter(q), near: q.near },
    );
    const facets = data.services.facets;
    const matching = (omit: string) => services.filter((s) => evaluate(s, q, omit));

    const categoryCounts = new Map<number, number>();
    for (const s of matching('categories')) {
      const ancestors = new Set<number>();
      for (const c of s.categories) for (let at: number | null = c; at !== null; at = categoryParent.get(at) ?? null) ancestors.add(at);
      for (const a of ancestors) categoryCounts.set(a, (categoryCounts.get(a) ?? 0) + 1);
    }
    expect(Object.fromEntries(facets.categories.map((f: any) => [f.category.id, f.count]))).toEqual(
      Object.fromEntries([...categoryCounts].map(([id, n]) => [gid('Category', id), n])),
    );
    const criterionCounts = new Map<number, number>();
    for (const s of matching('criteria')) for (const c of s.criteria) criterionCounts.set(c, (criterionCounts.get(c) ?? 0) + 1);
    expect(Object.fromEntries(facets.criteria.map((f: any) => [f.criterion.id, f.count]))).toEqual(
      Object.fromEntries([...criterionCounts].map(([id, n]) => [gid('EligibilityCriterion', id), n])),
    );
    const count = (rows: Truth[], pick: (s: Truth) => string[]) => {
      const counts: Record<string, number> = {};
      for (const s of rows) for (const v of pick(s)) counts[v] = (counts[v] ?? 0) + 1;
      return counts;
    };
    expect(Object.fromEntries(facets.referralRoutes.map((f: any) => [f.referralRoute, f.count]))).toEqual(count(matching('referralRoutes'), (s) => s.routes));
    expect(Object.fromEntries(facets.deliveryModes.map((f: any) => [f.deliveryMode, f.count]))).toEqual(count(matching('deliveryModes'), (s) => s.modes));
    expect(data.services.totalCount).toBe(services.filter((s) => evaluate(s, q)).length);
    expect(facets.referralRoutes.map((f: any) => f.count)).toEqual([...facets.referralRoutes.map((f: any) => f.count)].sort((a: number, b: number) => b - a));
  });
});

describe('map viewport', () => {
  it('hubs within bounds, each with its count of services matching the same filter', async () => {
    const bounds = { north: 54.0, south: 53.6, east: -1.2, west: -1.9 };
    const q: Query = { freeOnly: true, referralRoutes: ['SELF_REFERRAL'] };
    const data: any = await app.query(
      `query ($within: BoundsInput, $serviceFilter: ServiceFilter) { hubs(first: 100, within: $within, serviceFilter: $serviceFilter) { totalCount edges { serviceCount node { id } } } }`,
      { within: bounds, serviceFilter: toFilter(q) },
    );
    const expected = new Map<string, number>();
    for (const [id, hub] of hubs) {
      if (hub.latitude < bounds.south || hub.latitude > bounds.north || hub.longitude < bounds.west || hub.longitude > bounds.east) continue;
      const n = services.filter((s) => evaluate(s, q) && s.locations.some((l) => l.hubId === id)).length;
      if (n > 0) expected.set(gid('Hub', id), n);
    }
    expect(expected.size).toBeGreaterThan(2);
    expect(data.hubs.totalCount).toBe(expected.size);
    expect(Object.fromEntries(data.hubs.edges.map((e: any) => [e.node.id, e.serviceCount]))).toEqual(Object.fromEntries(expected));
  });

  it('hubs near a point come nearest first with their distance', async () => {
    const data: any = await app.query(`query ($near: NearInput) { hubs(first: 100, near: $near) { edges { distanceKm node { id latitude longitude } } } }`, { near: LEEDS });
    const expected = [...hubs.entries()]
      .map(([id, h]) => ({ id: gid('Hub', id), d: haversineKm(LEEDS, h) }))
      .filter((h) => h.d <= LEEDS.radiusKm)
      .sort((a, b) => a.d - b.d);
    expect(data.hubs.edges.map((e: any) => e.node.id)).toEqual(expected.map((h) => h.id));
  });
});

describe('SQL statements stay bounded by the query, not the results', () => {
  it('the link-worker query with facets and nested data', async () => {
    const query = `query ($first: Int) { services(first: $first, near: { latitude: 51.5072, longitude: -0.1276, radiusKm: 40 }, filter: { person: { age: 72 }, openAt: "2026-06-15T09:00:00Z" }) {
      totalCount edges { distanceKm node { name provider { name } locations { nodes { hub { name } schedules { opensAt } openNow nextOpen } } } }
      facets { categories { category { name } count } criteria { criterion { label } count } referralRoutes { count } deliveryModes { count } } } }`;
    const counts: number[] = [];
    for (const first of [5, 100]) {
      const stats: SqlStats = { statements: 0 };
      const result = await app.run(query, { first }, { stats });
      expect(result.errors).toBeUndefined();
      counts.push(stats.statements);
    }
    expect(counts[0]).toBe(counts[1]);
    expect(counts[0]).toBeLessThanOrEqual(12);
  });
});

describe('bad input', () => {
  const cases: Array<[string, string, Record<string, unknown>, string]> = [
    ['radius 0', 'near', { near: { latitude: 53.8, longitude: -1.5, radiusKm: 0 } }, 'near.radiusKm'],
    ['negative radius', 'near', { near: { latitude: 53.8, longitude: -1.5, radiusKm: -5 } }, 'near.radiusKm'],
    ['radius over 200 km', 'near', { near: { latitude: 53.8, longitude: -1.5, radiusKm: 201 } }, 'near.radiusKm'],
    ['latitude out of range', 'near', { near: { latitude: 91, longitude: -1.5, radiusKm: 5 } }, 'near.latitude'],
    ['longitude out of range', 'near', { near: { latitude: 53, longitude: -181, radiusKm: 5 } }, 'near.longitude'],
    ['both coordinates and postcode', 'near', { near: { latitude: 53, longitude: -1, postcode: 'LS7 4SA', radiusKm: 5 } }, 'near'],
    ['neither coordinates nor postcode', 'near', { near: { radiusKm: 5 } }, 'near'],
    ['latitude without longitude', 'near', { near: { latitude: 53, radiusKm: 5 } }, 'near'],
    ['malformed postcode', 'near', { near: { postcode: 'NOT A POSTCODE', radiusKm: 5 } }, 'near.postcode'],
    ['unknown postcode', 'near', { near: { postcode: 'ZE2 9ZZ', radiusKm: 5 } }, 'near.postcode'],
    ['age below 0', 'filter', { filter: { person: { age: -1 } } }, 'filter.person.age'],
    ['age over 130', 'filter', { filter: { person: { age: 131 } } }, 'filter.person.age'],
    ['empty text', 'filter', { filter: { text: '' } }, 'filter.text'],
    ['punctuation-only text', 'filter', { filter: { text: '?!*' } }, 'filter.text'],
    ['over-long text', 'filter', { filter: { text: 'a'.repeat(201) } }, 'filter.text'],
    ['unknown category id', 'filter', { filter: { categoryIds: [gid('Category', 99999)] } }, 'filter.categoryIds[0]'],
    ['unknown criterion id', 'filter', { filter: { criterionIds: [gid('EligibilityCriterion', 99999)] } }, 'filter.criterionIds[0]'],
    ['unknown person criterion id', 'filter', { filter: { person: { criteria: [gid('EligibilityCriterion', 99999)] } } }, 'filter.person.criteria[0]'],
    ['category id of another type', 'filter', { filter: { categoryIds: [gid('Hub', 1)] } }, 'filter.categoryIds[0]'],
    ['DISTANCE without near', 'orderBy', { orderBy: 'DISTANCE' }, 'orderBy'],
    ['RELEVANCE without text', 'orderBy', { orderBy: 'RELEVANCE' }, 'orderBy'],
    ['openAt and openNow together', 'filter', { filter: { openAt: '2026-06-15T09:00:00Z', openNow: true } }, 'filter.openNow'],
  ];
  it.each(cases)('%s is BAD_USER_INPUT naming the argument', async (_label, _arg, variables, field) => {
    const result = await app.run(SEARCH, { first: 5, ...variables });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0].extensions!.field).toBe(field);
    expect(result.data).toEqual({ services: null });
  });

  it('a cursor from another ordering or altered by hand is refused', async () => {
    const page: any = await app.query(SEARCH, { first: 2, near: LEEDS });
    const cursor = page.services.pageInfo.endCursor;
    for (const variables of [{ near: LEEDS, orderBy: 'NAME' }, { near: { ...LEEDS, radiusKm: 16 } }, { filter: { freeOnly: true }, near: LEEDS }]) {
      const result = await app.run(SEARCH, { first: 2, after: cursor, ...variables });
      expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0].extensions!.field).toBe('after');
    }
    const [values, check] = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    const altered = Buffer.from(JSON.stringify([[values[0] - 1, values[1]], check])).toString('base64url');
    expect(errorCodes(await app.run(SEARCH, { first: 2, after: altered, near: LEEDS }))).toEqual(['BAD_USER_INPUT']);
  });
});
