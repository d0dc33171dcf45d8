import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haversineKm } from '../src/modules/place/geo';
import { DistrictCentroidGeocoder } from '../src/modules/place/postcode';
import { ENUM_TERMS } from '../src/modules/oruk/oruk.ids';
import { createKeys, createTestApp, listen, type Keys, type Listening, type TestApp } from './utils';

/**
 * The Open Referral UK 3.0 feed at /oruk, as an aggregator or the ORUK
 * validator reads it: every endpoint's answers validated against the UK
 * profile's schemas (ajv, formats on), every page and every id, each filter
 * against GraphQL's answer to the same question, and the refusals.
 */
const SCHEMAS = join(process.cwd(), 'src/modules/oruk/spec/schemas');
const schema = (path: string) => JSON.parse(readFileSync(join(SCHEMAS, path), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
ajv.addSchema(schema('taxonomy_term.json'), 'taxonomy_term.json');
const validators: Record<string, ValidateFunction> = {
  api: ajv.compile(schema('api_details.schema.json')),
  service: ajv.compile(schema('compiled/service.json')),
  serviceList: ajv.compile(schema('compiled/service_list.json')),
  serviceAtLocation: ajv.compile(schema('compiled/service_at_location.json')),
  taxonomy: ajv.compile(schema('taxonomy.json')),
  taxonomyTerm: ajv.compile(schema('taxonomy_term.json')),
};

function expectValid(kind: keyof typeof validators, doc: unknown): void {
  const validate = validators[kind];
  expect(validate(doc), `${kind} ${JSON.stringify((doc as { id?: string }).id)}: ${ajv.errorsText(validate.errors)}`).toBe(true);
}

/** Empty optional fields are left out: no null, no "" and no [] anywhere in a document. */
function expectNoEmptyValues(doc: unknown, path = '$'): void {
  if (Array.isArray(doc)) return doc.forEach((item, i) => expectNoEmptyValues(item, `${path}[${i}]`));
  if (doc === null || typeof doc !== 'object') return;
  for (const [key, value] of Object.entries(doc)) {
    expect(value === null || value === '' || (Array.isArray(value) && value.length === 0), `${path}.${key} is empty`).toBe(false);
    expectNoEmptyValues(value, `${path}.${key}`);
  }
}

let app: TestApp;
let http: Listening;
let keys: Keys;

beforeAll(async () => {
  // These tests read the feed hundreds of times a minute; the budget is tested on its own below.
  app = await createTestApp({ app: { rateLimitPoints: 1e9 } });
  keys = await createKeys(app);
  http = await listen(app);
});
afterAll(async () => {
  await http.close();
  await app.close();
});

async function get(path: string, init?: RequestInit): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(`${http.origin}/oruk${path}`, init);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  expect(response.headers.get('access-control-allow-origin')).toBe('*');
  return { status: response.status, body: await response.json(), headers: response.headers };
}

/** Every item of a list endpoint, page by page at `perPage`, checking the envelope of each page. */
async function everyItem(path: string, perPage = 5): Promise<any[]> {
  const items: any[] = [];
  const separator = path.includes('?') ? '&' : '?';
  for (let page = 1; ; page++) {
    const { status, body } = await get(`${path}${separator}page=${page}&per_page=${perPage}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ page_number: page, size: body.contents.length, first_page: page === 1, empty: body.contents.length === 0 });
    expect(body.total_pages).toBe(Math.max(1, Math.ceil(body.total_items / perPage)));
    expect(body.last_page).toBe(page >= body.total_pages);
    items.push(...body.contents);
    if (body.last_page) {
      expect(items).toHaveLength(body.total_items);
      return items;
    }
  }
}

/** The public services GraphQL lists for a filter, as sorted UUIDs (every status: the feed lists them all). */
async function graphqlUuids(filter: Record<string, unknown> = {}, near?: Record<string, unknown>): Promise<string[]> {
  const uuids: string[] = [];
  let after: string | null = null;
  do {
    const data: any = await app.query(
      `query ($filter: ServiceFilter, $near: NearInput, $after: String) { services(first: 100, after: $after, filter: $filter, near: $near) { nodes { uuid } pageInfo { hasNextPage endCursor } } }`,
      { filter: { statuses: ['ACTIVE', 'INACTIVE', 'TEMPORARILY_CLOSED', 'DEFUNCT'], ...filter }, near, after },
    );
    uuids.push(...data.services.nodes.map((n: { uuid: string }) => n.uuid));
    after = data.services.pageInfo.hasNextPage ? data.services.pageInfo.endCursor : null;
  } while (after);
  return uuids.sort();
}

const feedUuids = async (query: string) => (await everyItem(`/services?${query}`, 100)).map((s) => s.id).sort();

describe('ORUK feed: the documents', () => {
  it('GET / says which spec it follows', async () => {
    const { status, body } = await get('/');
    expect(status).toBe(200);
    expectValid('api', body);
    expect(body).toEqual({ version: 'HSDS-UK-3.0', profile: expect.stringMatching(/^https:\/\//), openapi_url: `${http.origin}/oruk/openapi.json` });
    const spec = await get('/openapi.json');
    expect(Object.keys(spec.body.paths)).toHaveLength(9);
  });

  it('every page of /services holds full services that pass the UK profile, and every /services/{id} the same document', async () => {
    const services = await everyItem('/services');
    expect(services.length).toBeGreaterThan(30);
    expect(services.map((s) => s.id).sort()).toEqual(await graphqlUuids());
    for (const service of services) {
      expectValid('service', service);
      expectValid('serviceList', service);
      expectNoEmptyValues(service);
      const one = await get(`/services/${service.id}`);
      expect(one.status).toBe(200);
      expect(one.body).toEqual(service);
    }
    const withEverything = services.find((s) => s.schedules && s.attributes && s.languages && s.service_at_locations);
    expect(withEverything).toBeDefined();
    expect(withEverything.organization.id).toBe(withEverything.organization_id);
    for (const schedule of withEverything.schedules) expect(withEverything.service_at_locations.map((l: any) => l.id)).toContain(schedule.service_at_location_id);
  });

  it('every service at a location, and each by id, passes service_at_location.json (the spec names the wrong schema there)', async () => {
    const locations = await everyItem('/service_at_locations');
    expect(locations.length).toBeGreaterThan(30);
    for (const location of locations) {
      expectValid('serviceAtLocation', location);
      expectNoEmptyValues(location);
      const one = await get(`/service_at_locations/${location.id}`);
      expect(one.status).toBe(200);
      expect(one.body).toEqual(location);
    }
  });

  it('taxonomies and every taxonomy term pass their schemas, and the terms of every service are listed', async () => {
    const taxonomies = await everyItem('/taxonomies', 2);
    expect(taxonomies.map((t) => t.name)).toHaveLength(5);
    for (const taxonomy of taxonomies) {
      expectValid('taxonomy', taxonomy);
      expect((await get(`/taxonomies/${taxonomy.id}`)).body).toEqual(taxonomy);
    }
    const terms = await everyItem('/taxonomy_terms');
    const data: any = await app.query('{ categories(first: 100) { totalCount } eligibilityCriteria(first: 100) { totalCount } }');
    expect(terms).toHaveLength(data.categories.totalCount + data.eligibilityCriteria.totalCount + ENUM_TERMS.length);
    for (const term of terms) {
      expectValid('taxonomyTerm', term);
      expectNoEmptyValues(term);
      expect(taxonomies.map((t) => t.id)).toContain(term.taxonomy_id);
      if (term.parent_id) expect(terms.map((t) => t.id)).toContain(term.parent_id);
      expect((await get(`/taxonomy_terms/${term.id}`)).body).toEqual(term);
    }
    const services = await everyItem('/services', 100);
    for (const attribute of services.flatMap((s) => s.attributes ?? [])) expect(terms.map((t) => t.id)).toContain(attribute.taxonomy_term_id);
  });

  it('the same UUIDs as GraphQL, on every request', async () => {
    const data: any = await app.query('{ services(first: 3) { nodes { uuid provider { uuid } locations { nodes { uuid hub { uuid } } } } } }');
    for (const node of data.services.nodes) {
      const { body } = await get(`/services/${node.uuid}`);
      expect(body.organization_id).toBe(node.provider.uuid);
      expect(body.service_at_locations.map((l: any) => [l.id, l.location_id])).toEqual(node.locations.nodes.map((l: any) => [l.uuid, l.hub.uuid]));
      expect((await get(`/services/${node.uuid}`)).body).toEqual(body);
    }
  });

  it('public data only: a draft is not in the feed, nor its locations', async () => {
    const created: any = await app.query(
      `mutation ($input: CreateServiceInput!) { createService(input: $input) { service { uuid isDraft locations { nodes { uuid } } } } }`,
      { input: { name: 'Draft walking group', description: 'Not published yet.', providerId: keys.ageUkProviderId, locations: [{ hubId: (await app.query<any>('{ hubs(first: 1) { nodes { id } } }')).hubs.nodes[0].id, schedules: [] }] } },
      keys.ageUk,
    );
    const draft = created.createService.service;
    expect(draft.isDraft).toBe(true);
    expect((await get(`/services/${draft.uuid}`)).status).toBe(404);
    expect((await get(`/service_at_locations/${draft.locations.nodes[0].uuid}`)).status).toBe(404);
    expect(await feedUuids('')).not.toContain(draft.uuid);
  });
});

describe('ORUK feed: the filters, as GraphQL answers them', () => {
  it('search uses the same full-text search', async () => {
    for (const text of ['garden', 'walking group', 'counselling']) {
      const feed = await feedUuids(`search=${encodeURIComponent(text)}`);
      expect(feed.length).toBeGreaterThan(0);
      expect(feed).toEqual(await graphqlUuids({ text }));
    }
  });

  it('taxonomy_term_id: a category with its sub-terms (as GraphQL categoryIds), a criterion, a referral route', async () => {
    const data: any = await app.query('{ categories(first: 100, filter: { topLevel: true }) { nodes { id uuid } } eligibilityCriteria(first: 3) { nodes { id uuid } } }');
    for (const category of data.categories.nodes.slice(0, 4)) {
      expect(await feedUuids(`taxonomy_term_id=${category.uuid}`)).toEqual(await graphqlUuids({ categoryIds: [category.id] }));
    }
    for (const criterion of data.eligibilityCriteria.nodes) {
      expect(await feedUuids(`taxonomy_term_id=${criterion.uuid}`)).toEqual(await graphqlUuids({ criterionIds: [criterion.id] }));
    }
    const selfReferral = (await everyItem('/taxonomy_terms', 100)).find((t) => t.code === 'SELF_REFERRAL');
    expect(await feedUuids(`taxonomy_term_id=${selfReferral.id}`)).toEqual(await graphqlUuids({ referralRoutes: ['SELF_REFERRAL'] }));
  });

  it('taxonomy_id, minimum_age, maximum_age, day, start_time and end_time, combined with AND', async () => {
    const all: any[] = await everyItem('/services', 100);
    const [categories] = await everyItem('/taxonomies', 1);
    expect(await feedUuids(`taxonomy_id=${categories.id}`)).toEqual(all.filter((s) => s.attributes?.some((a: any) => a.taxonomy_term.taxonomy_id === categories.id)).map((s) => s.id).sort());
    const expected = (test: (s: any) => boolean) => all.filter(test).map((s) => s.id).sort();
    expect(await feedUuids('minimum_age=18')).toEqual(expected((s) => s.minimum_age >= 18));
    expect(await feedUuids('maximum_age=25')).toEqual(expected((s) => s.maximum_age !== undefined && s.maximum_age <= 25));
    const session = (s: any, test: (rule: any) => boolean) => (s.schedules ?? []).some(test);
    expect(await feedUuids('day=MO&start_time=09:00&end_time=12:00')).toEqual(
      expected((s) => session(s, (r) => r.byday.split(',').includes('MO') && r.opens_at >= '09:00' && r.closes_at <= '12:00')),
    );
    expect(await feedUuids('day=saturday')).toEqual(expected((s) => session(s, (r) => r.byday.split(',').includes('SA'))));
    expect(await feedUuids('minimum_age=18&day=TU')).toEqual(expected((s) => s.minimum_age >= 18 && session(s, (r) => r.byday.split(',').includes('TU'))));
  });

  it('modified_after, for an aggregator syncing incrementally', async () => {
    const all: any[] = await everyItem('/services', 100);
    const latest = all.map((s) => s.last_modified).sort().at(-1);
    expect(await feedUuids(`modified_after=${encodeURIComponent(latest)}`)).toEqual([]);
    expect(await feedUuids('modified_after=2000-01-01T00:00:00Z')).toHaveLength(all.length);
  });

  it('postcode and proximity (metres) on /service_at_locations: the hubs GraphQL finds in the same circle', async () => {
    const locations = await everyItem('/service_at_locations?postcode=LS7%204SA&proximity=5000', 100);
    expect(locations.length).toBeGreaterThan(0);
    const services = [...new Set(locations.map((l) => l.service_id))].sort();
    expect(services).toEqual(await graphqlUuids({ reach: ['AT_HUB'] }, { postcode: 'LS7 4SA', radiusKm: 5 }));
    const centre = (await DistrictCentroidGeocoder.fromFile().locate('LS7 4SA'))!;
    for (const { location } of locations) expect(haversineKm(centre, location)).toBeLessThanOrEqual(5);
    const distances = locations.map(({ location }) => haversineKm(centre, location));
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
  });
});

describe("ORUK feed: the README's examples", () => {
  it('answer as the README says', async () => {
    const readme = readFileSync(join(process.cwd(), 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Open Referral UK feed'), readme.indexOf('## Running it in public'));
    const urls = [...section.matchAll(/curl '(http:\/\/localhost:4000(\/oruk[^']+))'/g)].map((m) => m[2]);
    expect(urls.length).toBeGreaterThanOrEqual(4);
    for (const url of urls.slice(0, -1)) {
      const { status, body } = await get(url.slice('/oruk'.length));
      expect(status, url).toBe(200);
      expect(body.total_items, url).toBeGreaterThan(0);
    }
    const refused = await get(urls.at(-1)!.slice('/oruk'.length));
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual(JSON.parse(/`(\{"code": "BAD_REQUEST".*\})`;/.exec(section)![1]));
  });
});

describe('ORUK feed: refusals are JSON, never a 500', () => {
  it.each([
    ['/services?per_page=0', 'per_page'],
    ['/services?per_page=101', 'per_page'],
    ['/services?page=abc', 'page'],
    ['/services?page=0', 'page'],
    ['/service_at_locations?postcode=LS7&proximity=-1', 'proximity'],
    ['/service_at_locations?postcode=NOT-A-POSTCODE', 'postcode'],
    ['/service_at_locations?proximity=100', 'proximity'],
    ['/services?postcode=LS7', 'postcode'],
    ['/services?minimum_age=old', 'minimum_age'],
    ['/services?day=someday', 'day'],
    ['/services?start_time=9am', 'start_time'],
    ['/services?modified_after=yesterday', 'modified_after'],
    ['/services?taxonomy_term_id=00000000-0000-4000-8000-000000000000', 'taxonomy_term_id'],
    ['/services?taxonomy_id=nope', 'taxonomy_id'],
    ['/services?search=%20%21%20', 'search'],
    ['/services?page=1&page=2', 'page'],
  ])('%s is a 400 naming %s', async (path, parameter) => {
    const { status, body } = await get(path);
    expect(status).toBe(400);
    expect(body).toMatchObject({ code: 'BAD_REQUEST', parameter });
    expect(body.message).toContain(parameter);
  });

  it.each(['/services/00000000-0000-4000-8000-000000000000', '/services/not-a-uuid', '/service_at_locations/42', '/taxonomies/x', '/taxonomy_terms/00000000-0000-4000-8000-000000000000', '/organizations', '/services/1/2'])(
    '%s is a 404',
    async (path) => {
      const { status, body } = await get(path);
      expect(status).toBe(404);
      expect(body.code).toBe('NOT_FOUND');
    },
  );

  it('is read-only', async () => {
    const { status, body } = await get('/services', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(status).toBe(405);
    expect(body.code).toBe('METHOD_NOT_ALLOWED');
  });
});

describe('ORUK feed: the abuse limits GraphQL has', () => {
  it('each request spends its cost from the address budget: past it, a 429 in JSON with Retry-After', async () => {
    const limited = await createTestApp({ app: { rateLimitPoints: 40_000 } });
    const server = await listen(limited);
    try {
      const first = await fetch(`${server.origin}/oruk/services?per_page=100`);
      expect(first.status).toBe(200);
      const second = await fetch(`${server.origin}/oruk/services?per_page=100`);
      expect(second.status).toBe(429);
      expect(second.headers.get('access-control-allow-origin')).toBe('*');
      expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await second.json()).toMatchObject({ code: 'RATE_LIMITED' });
    } finally {
      await server.close();
      await limited.close();
    }
  });

  it('big pages take an admission turn: with the queue full, a 503 SERVER_BUSY, and the other pages are answered', async () => {
    const busy = await createTestApp({ app: { rateLimitPoints: 1e9, capacity: { maxExpensiveInFlight: 1, maxExpensiveQueued: 0 } } });
    const server = await listen(busy);
    try {
      const answers = await Promise.all(Array.from({ length: 4 }, () => fetch(`${server.origin}/oruk/services?per_page=100`)));
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses).toContain(200);
      expect(statuses).toContain(503);
      expect(statuses.every((status) => status === 200 || status === 503)).toBe(true);
      const refused = answers.find((a) => a.status === 503)!;
      expect(refused.headers.get('retry-after')).toBe('2');
      expect(await refused.json()).toMatchObject({ code: 'SERVER_BUSY' });
      // Turns are given back: the next page is answered.
      expect((await fetch(`${server.origin}/oruk/services?per_page=100`)).status).toBe(200);
    } finally {
      await server.close();
      await busy.close();
    }
  });
});

describe('ORUK feed: batched like GraphQL', () => {
  it('the statements for a page of full services do not grow with per_page', async () => {
    const counts: number[] = [];
    let statements = 0;
    const count = () => void (statements += 1);
    const knex = app.orm.em.getKnex();
    knex.on('query', count);
    try {
      for (const perPage of [2, 20, 100]) {
        statements = 0;
        const { body } = await get(`/services?per_page=${perPage}`);
        expect(body.contents.length).toBe(Math.min(perPage, body.total_items));
        counts.push(statements);
      }
    } finally {
      knex.removeListener('query', count);
    }
    expect(counts[1]).toBe(counts[0]);
    expect(counts[2]).toBe(counts[0]);
    expect(counts[0]).toBeLessThanOrEqual(10);
  });
});
