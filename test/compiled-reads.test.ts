import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createKeys, createTestApp, errorCodes, listen, onPostgres, testDatabase, type Keys, type Listening, type TestApp } from './utils';
import type { ExecuteResult } from '../src/app';
import type { SqlStats } from '../src/modules/common/sql-stats';
import { DEEP_SLICE_QUERY, SERVICE_QUERY } from '../bench/queries';
import { subqueriesKeepJson } from '../src/modules/compiled/compiled-reads';

/**
 * Reads compiled to one statement (src/modules/compiled) must answer
 * exactly what the resolvers answer, field by field. Two apps share one
 * database (and so its cursor secret): `compiled` as the server runs,
 * `resolved` with COMPILED_READS off. Every query here is asked of both, and
 * the two answers must be the same text; a compiled one must have taken
 * one statement, so that a query silently falling back does not pass as
 * compiled.
 */
let compiled: TestApp;
let resolved: TestApp;
let keys: Keys;
let folder: string | undefined;

beforeAll(async () => {
  folder = mkdtempSync(path.join(tmpdir(), 'compiled-reads-'));
  const database = testDatabase(path.join(folder, 'directory.db'));
  // The whole sample directory in one query is past what a public server allows one request.
  const capacity = { maxCost: 1_000_000 };
  compiled = await createTestApp({ database, app: { capacity } });
  resolved = await createTestApp({ database, seed: false, app: { capacity, compiledReads: false } });
  keys = await createKeys(compiled);
});
afterAll(async () => {
  await resolved?.close();
  await compiled?.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

/** The statement a compiled read sends (compiled-reads.ts): the JSON of the whole answer, after the statements of its root rows. */
const COMPILED_STATEMENT = /^(with q_\w+ as \(.*\) )?select json_(build_)?object\(/s;

async function both(query: string, variables: Record<string, unknown> = {}, key?: string): Promise<{ answer: ExecuteResult; log: string[]; resolvedLog: string[] }> {
  const stats: SqlStats = { statements: 0, log: [] };
  const resolvedStats: SqlStats = { statements: 0, log: [] };
  const answer = await compiled.run(query, variables, { stats, key });
  const expected = await resolved.run(query, variables, { key, stats: resolvedStats });
  expect(JSON.stringify(answer)).toBe(JSON.stringify(expected));
  return { answer, log: stats.log!, resolvedLog: resolvedStats.log! };
}

/** Asked of both, equal, and answered by one statement (beside the API key's lookup, when there is a key). */
async function compiledAlike(query: string, variables: Record<string, unknown> = {}, key?: string): Promise<any> {
  const { answer, log } = await both(query, variables, key);
  expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
  const reads = log.filter((sql) => !/\b(api_key|account)\b/.test(sql));
  expect(reads).toHaveLength(1);
  expect(reads[0]).toMatch(COMPILED_STATEMENT);
  return answer.data;
}

const ALL_SERVICE_FIELDS = /* GraphQL */ `
  fragment Record on Node { id }
  fragment Dates on Service { createdAt updatedAt archivedAt }
  query Everything($withHub: Boolean!, $skipSchedules: Boolean!) {
    __typename
    services(first: 100) {
      __typename
      totalCount
      pageInfo { __typename hasNextPage hasPreviousPage startCursor endCursor }
      edges {
        __typename
        cursor
        node {
          __typename
          ...Record
          ...Dates
          uuid importedFrom version isDraft name description status minimumAge maximumAge
          referralRoutes deliveryModes languages nationalScope
          cost { free description }
          contact { phone email url }
          howToRefer { routes formUrl email phone instructions signpostingOnly }
          title: name
          name
          provider { ...Record uuid version name description charityNumber website email phone logoUrl createdAt updatedAt importedFrom }
          locations {
            totalCount
            pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
            edges { cursor node { id description uuid hub @include(if: $withHub) { id name kind description latitude longitude accessibility accessibilityFeatures operator version address { lines town postcode region } } } }
            nodes {
              ... on ServiceLocation { id openNow openUntil nextOpen }
              schedules @skip(if: $skipSchedules) { id uuid days opensAt closesAt validFrom validTo notes runsPastMidnight createdAt }
            }
          }
          eligibility(first: 2) { totalCount pageInfo { hasNextPage endCursor } nodes { id code label kind description } }
          categories { edges { cursor node { id code name description parent { id name parent { code name } } } } }
        }
      }
    }
  }
`;

describe('compiled reads answer as the resolvers do, in one statement', () => {
  it("the benchmark's deep slice and one-service page", async () => {
    const data = await compiledAlike(DEEP_SLICE_QUERY);
    expect(data.services.edges).toHaveLength(100);
    const id = data.services.edges.find((edge: any) => edge.node.locations.nodes.length > 1).node.id;
    const one = await compiledAlike(SERVICE_QUERY, { id });
    expect(one.service.locations.nodes.length).toBeGreaterThan(1);
  });

  it("SQLite's JSON from a subquery is not parsed and written again where it stays JSON (SQLite 3.44 keeps it)", async () => {
    const knex = compiled.orm.em.getKnex();
    expect(await subqueriesKeepJson(knex)).toBe(true);
    const { log } = await both(DEEP_SLICE_QUERY);
    // Locations, their hubs and schedules, criteria and categories: each a subquery, none wrapped in json() to be parsed.
    if (!onPostgres) expect(log[0]).not.toMatch(/json\(\(select/);
    // A page's boundary cursor is sorted by its own subquery, which makes its JSON text: that one json() stays.
    const { log: paged } = await both('{ services(first: 3) { pageInfo { startCursor endCursor } edges { node { id } } } }');
    if (!onPostgres) expect(paged[0]).toMatch(/json\(\(select json_array/);
  });

  it("a user's text that looks like one of the answer's marks is answered as written", async () => {
    const knex = compiled.em().getKnex();
    const row = await knex('service').where({ draft: false, archived_at: null, status: 'ACTIVE' }).orderBy('id').first('id', 'name', 'description');
    // The marks of `service(id:)` are {"#service.<n>":<value>}: here as text, with quotes and backslashes around them.
    const name = '{"#service.0":1} {"#service.1":"x"} "quoted" \\ back\\slash';
    await knex('service').where('id', row.id).update({ name, description: '{"#service.2":null}' });
    try {
      const id = Buffer.from(`Service:${row.id}`).toString('base64url');
      const data = await compiledAlike('query ($id: ID!) { service(id: $id) { id name description referralRoutes contact { url email } } }', { id });
      expect(data.service).toMatchObject({ id, name, description: '{"#service.2":null}' });
    } finally {
      await knex('service').where('id', row.id).update({ name: row.name, description: row.description });
    }
  });

  it('every field the compiler knows, with fragments, aliases, __typename, @include and @skip', async () => {
    for (const variables of [
      { withHub: true, skipSchedules: false },
      { withHub: false, skipSchedules: true },
    ]) {
      const data = await compiledAlike(ALL_SERVICE_FIELDS, variables);
      const nodes = data.services.edges.map((edge: any) => edge.node);
      // The sample directory exercises what is compared: sets, enums, nulls, several pages of a nested list.
      expect(nodes.some((node: any) => node.locations.nodes.some((location: any) => location.openNow === true || location.nextOpen !== null))).toBe(true);
      expect(nodes.some((node: any) => node.eligibility.pageInfo.hasNextPage)).toBe(true);
      expect(nodes.some((node: any) => node.categories.edges.some((edge: any) => edge.node.parent !== null))).toBe(true);
      expect(nodes.some((node: any) => node.referralRoutes.length > 1)).toBe(true);
    }
  });

  it('an alias the compiler could have used for its own keys is answered like any other', async () => {
    // Aliases may begin with "__": the rules that openNow and nextOpen are worked out from are carried under a key that is not a GraphQL name.
    const data = await compiledAlike('{ services(first: 100) { nodes { locations { nodes { openNow __input3: description nextOpen } } } } }');
    const locations = data.services.nodes.flatMap((node: any) => node.locations.nodes);
    expect(locations.every((location: any) => '__input3' in location && Object.keys(location).length === 3)).toBe(true);
  });

  it('pages: first and after, the cursors of one path valid on the other', async () => {
    const query = `query ($after: String) { services(first: 7, after: $after) { pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { name } } } }`;
    let after: string | null = null;
    const names: string[] = [];
    for (;;) {
      const data: any = await compiledAlike(query, { after });
      names.push(...data.services.edges.map((edge: any) => edge.node.name));
      if (!data.services.pageInfo.hasNextPage) break;
      after = data.services.pageInfo.endCursor;
    }
    const all = await resolved.query<any>('{ services(first: 100) { totalCount } }');
    expect(names).toHaveLength(all.services.totalCount);
  });

  it('a nested page of another size, and the empty page', async () => {
    const data = await compiledAlike('{ services(first: 100) { nodes { locations(first: 1) { totalCount pageInfo { hasNextPage startCursor endCursor } nodes { id } } categories(first: 0) { totalCount pageInfo { hasNextPage startCursor } nodes { id } } } } }');
    expect(data.services.nodes.some((node: any) => node.locations.pageInfo.hasNextPage)).toBe(true);
  });

  it('one service, hub and provider by id; a hidden draft is null to the public and shown to its partner', async () => {
    const ids = await resolved.query<any>('{ services(first: 1) { nodes { id provider { id } locations { nodes { hub { id } } } } } }');
    const service = ids.services.nodes[0];
    const data = await compiledAlike(
      `query ($s: ID!, $h: ID!, $p: ID!) { a: service(id: $s) { name } b: hub(id: $h) { name address { lines } } provider(id: $p) { name } missing: service(id: "U2VydmljZTo5OTk5OTk") { name } }`,
      { s: service.id, h: service.locations.nodes[0].hub.id, p: service.provider.id },
    );
    expect(data.a.name).toBeTruthy();
    expect(data.missing).toBeNull();
    const created = await compiled.query<any>(
      'mutation ($input: CreateServiceInput!) { createService(input: $input) { service { id } } }',
      { input: { name: 'A draft only its partner sees', providerId: keys.ageUkProviderId, draft: true } },
      keys.ageUk,
    );
    const draft = created.createService.service.id;
    const query = 'query ($id: ID!) { service(id: $id) { name isDraft } }';
    expect((await compiledAlike(query, { id: draft })).service).toBeNull();
    expect((await compiledAlike(query, { id: draft }, keys.ageUk)).service).toEqual({ name: 'A draft only its partner sees', isDraft: true });
    expect((await compiledAlike(query, { id: draft }, keys.mensSheds)).service).toBeNull();
  });

  it('what the compiler does not know is executed field by field, with the same answer', async () => {
    for (const query of [
      '{ services(first: 5) { nodes { name capacity { status } } } }',
      '{ services(first: 5, filter: { freeOnly: true }) { nodes { name } } }',
      '{ services(first: 5) { facets { deliveryModes { deliveryMode count } } } }',
      '{ services(first: 5) { nodes { locations { nodes { service { name } } } } } }',
      '{ services(first: 5) { nodes { categories(after: "x") { nodes { name } } } } }',
      'mutation { confirmServiceDetails(id: "U2VydmljZTox") { service { name } } }',
    ]) {
      const { log } = await both(query);
      expect(log.filter((sql) => COMPILED_STATEMENT.test(sql)), query).toEqual([]);
    }
  });

  it('bad arguments get the errors the resolvers give', async () => {
    for (const [query, code] of [
      ['{ service(id: "not-an-id") { name } }', 'BAD_USER_INPUT'],
      ['{ service(id: "SHViOjE") { name } }', 'BAD_USER_INPUT'],
      ['{ services(first: 500) { nodes { name } } }', 'BAD_USER_INPUT'],
      ['{ services(first: 5, after: "forged") { nodes { name } } }', 'BAD_USER_INPUT'],
      ['{ services(first: 5) { nodes { locations(first: -1) { nodes { id } } } } }', 'BAD_USER_INPUT'],
    ] as const) {
      const { answer } = await both(query);
      expect(errorCodes(answer), query).toEqual([code]);
    }
  });
});

describe('compiled reads over HTTP', () => {
  let server: Listening;
  beforeAll(async () => {
    server = await listen(compiled);
  });
  afterAll(() => server?.close());

  it('the database text goes out as the body, with the cost extension and the caching headers', async () => {
    const response = await fetch(`${server.url}?query=${encodeURIComponent('{ services(first: 3) { nodes { name } } }')}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    const body: any = await response.json();
    expect(body.data.services.nodes).toHaveLength(3);
    expect(body.extensions.cost.requested).toBeGreaterThan(0);
    expect(body.data).toEqual((await resolved.query('{ services(first: 3) { nodes { name } } }')) as object);
  });
});

describe('limits still hold on a compiled read', () => {
  it('an answer over the response size limit is refused', async () => {
    const small = await createTestApp({ database: testDatabase(), app: { capacity: { maxCost: 1_000_000, maxResponseBytes: 2_000 } } });
    try {
      const server = await listen(small);
      try {
        const response = await fetch(server.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: DEEP_SLICE_QUERY }),
        });
        const body: any = await response.json();
        expect(body.data).toBeUndefined();
        expect(body.errors[0].extensions.code).toBe('RESPONSE_TOO_LARGE');
      } finally {
        await server.close();
      }
    } finally {
      await small.close();
    }
  });

  it('an unfiltered search is counted for search insights as the resolvers count it', async () => {
    const counted = async () => {
      await compiled.insights.flush();
      await resolved.insights.flush();
      const [row] = await compiled.em().getKnex()('search_count').sum({ n: 'searches' });
      return Number((row as { n: unknown }).n ?? 0);
    };
    const before = await counted();
    // Asked once of each app: both count it.
    await compiledAlike('{ services(first: 2) { nodes { name } } }');
    expect((await counted()) - before).toBe(2);
  });
});
