import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './utils';
import type { SqlStats } from '../src/modules/common/sql-stats';

/**
 * The heart of the design: the number of SQL statements for one request is
 * bounded by the depth of the query, never by the number of rows returned.
 */
const DEEP_QUERY = /* GraphQL */ `
  query Deep($first: Int!) {
    services(first: $first) {
      totalCount
      edges {
        node {
          name
          provider { name }
          locations { edges { node { hub { name } schedules { days opensAt closesAt } } } }
          eligibility { edges { node { label } } }
          categories { edges { node { name } } }
        }
      }
    }
  }
`;

let app: TestApp;
beforeAll(async () => {
  // These read the whole sample directory in one query, far past what a public server allows one request.
  // The resolvers' path (COMPILED_READS off): what batching bounds. Compiled reads take one statement (compiled-reads.test.ts).
  app = await createTestApp({ app: { capacity: { maxCost: 1_000_000 }, compiledReads: false } });
});
afterAll(() => app.close());

async function countStatements(query: string, variables: Record<string, unknown>): Promise<{ stats: SqlStats; data: any }> {
  const stats: SqlStats = { statements: 0, log: [] };
  const result = await app.run(query, variables, { stats });
  expect(result.errors).toBeUndefined();
  return { stats, data: result.data };
}

describe('SQL statements per request', () => {
  it('the deep slice takes the same 3 statements for first: 5 and first: 100', async () => {
    const small = await countStatements(DEEP_QUERY, { first: 5 });
    const large = await countStatements(DEEP_QUERY, { first: 100 });
    expect(small.data.services.edges).toHaveLength(5);
    expect(large.data.services.edges).toHaveLength(100);
    // the page with its count; the page's services with their providers, criteria and categories; their locations with hubs and schedules
    expect(small.stats.statements).toBe(3);
    expect(large.stats.statements).toBe(3);
  });

  it('the deep slice really returns the nested rows it claims to batch', async () => {
    const { data } = await countStatements(DEEP_QUERY, { first: 100 });
    const nodes = data.services.edges.map((edge: any) => edge.node);
    const schedules = nodes.flatMap((node: any) => node.locations.edges.flatMap((edge: any) => edge.node.schedules));
    expect(new Set(nodes.map((node: any) => node.provider.name)).size).toBeGreaterThan(10);
    expect(schedules.length).toBeGreaterThan(100);
    expect(nodes.some((node: any) => node.eligibility.edges.length > 0)).toBe(true);
  });

  it("locations bring their hub and schedules in their own statement, every field as a separate read gives it", async () => {
    const query = `{ services(first: 100) { nodes { id locations { nodes { id hub { id name kind latitude accessibilityFeatures createdAt updatedAt }
      schedules { id days opensAt closesAt validFrom validTo notes createdAt } } } } } }`;
    const { stats, data } = await countStatements(query, {});
    expect(stats.statements).toBe(2); // the page, then the locations with everything under them
    const locations = data.services.nodes.flatMap((service: any) => service.locations.nodes);
    expect(locations.length).toBeGreaterThan(100);
    // The same hubs and schedules read on their own (node(id), one batch each), not through the locations' JSON.
    const hubIds = [...new Set(locations.map((location: any) => location.hub.id))];
    const scheduleIds = locations.flatMap((location: any) => location.schedules.map((schedule: any) => schedule.id));
    expect(scheduleIds.length).toBeGreaterThan(100);
    const hubs = await app.query(`query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Hub { id name kind latitude accessibilityFeatures createdAt updatedAt } } }`, { ids: hubIds.slice(0, 100) });
    const byId = new Map(hubs.nodes.map((hub: any) => [hub.id, hub]));
    for (const location of locations) if (byId.has(location.hub.id)) expect(location.hub).toEqual(byId.get(location.hub.id));
    const schedules = await app.query(`query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Schedule { id days opensAt closesAt validFrom validTo notes createdAt } } }`, { ids: scheduleIds.slice(0, 100) });
    const shown = new Map(locations.flatMap((location: any) => location.schedules).map((schedule: any) => [schedule.id, schedule]));
    for (const schedule of schedules.nodes) expect(shown.get(schedule.id)).toEqual(schedule);
    // In the order entered (by id), as the separate list gives them.
    for (const location of locations) {
      const ids = location.schedules.map((schedule: any) => schedule.id);
      const numeric = ids.map((id: string) => Number(Buffer.from(id, 'base64url').toString().split(':')[1]));
      expect(numeric.every(Number.isInteger)).toBe(true);
      expect(numeric).toEqual([...numeric].sort((a: number, b: number) => a - b));
    }
  });

  it("a page's providers, criteria and categories come with its services, as their own statements would give them", async () => {
    const lists = (args: string) => `
      provider { id name website createdAt }
      eligibility${args} { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id label kind } } }
      categories${args} { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name code } } }`;
    for (const summary of ['', 'totalCount']) {
      // Default page size: brought with the services. An explicit first (the same size): each list its own statement.
      const along = await countStatements(`{ services(first: 100) { ${summary} nodes { id ${lists('')} } } }`, {});
      const apart = await countStatements(`{ services(first: 100) { ${summary} nodes { id ${lists('(first: 20)')} } } }`, {});
      expect(along.stats.statements).toBe(summary ? 2 : 1);
      expect(apart.stats.statements).toBe(along.stats.statements + 2); // the criteria and the categories (the provider comes along in both)
      expect(along.data).toEqual(apart.data);
      expect(along.data.services.nodes.filter((service: any) => service.eligibility.totalCount > 1).length).toBeGreaterThan(3);
      expect(along.data.services.nodes.filter((service: any) => service.categories.totalCount > 1).length).toBeGreaterThan(3);
      // The lists that come along are columns of their own, read as text: not rewritten by SQLite's json() on the way.
      expect(along.stats.log!.join('\n')).toMatch(/json_group_array|json_agg/);
      expect(along.stats.log!.join('\n')).not.toMatch(/json\(\(select/);
    }
    // A cursor from a list that came along pages on as any other.
    const { data } = await countStatements(`{ services(first: 100) { nodes { id categories { totalCount edges { cursor node { name } } } } } }`, {});
    const service = data.services.nodes.find((node: any) => node.categories.totalCount > 1);
    const next = await app.query(`query ($id: ID!, $after: String) { service(id: $id) { categories(after: $after) { edges { node { name } } } } }`, { id: service.id, after: service.categories.edges[0].cursor });
    expect(next.service.categories.edges.map((edge: any) => edge.node.name)).toEqual(service.categories.edges.slice(1).map((edge: any) => edge.node.name));
  });

  it('one service brings its provider, criteria and categories in its own statement; one anonymous callers may not see is null', async () => {
    const fields = (args: string) => `id name provider { name } eligibility${args} { totalCount edges { cursor node { label } } } categories${args} { totalCount edges { cursor node { name } } }`;
    const { data: page } = await countStatements(`{ services(first: 100) { nodes { id eligibility { totalCount } } } }`, {});
    const id = page.services.nodes.find((node: any) => node.eligibility.totalCount > 1).id;
    const along = await countStatements(`query ($id: ID!) { service(id: $id) { ${fields('')} } }`, { id });
    const apart = await countStatements(`query ($id: ID!) { service(id: $id) { ${fields('(first: 20)')} } }`, { id });
    expect(along.stats.statements).toBe(1);
    expect(apart.stats.statements).toBe(3);
    expect(along.data).toEqual(apart.data);
    const knex = app.em().getKnex();
    const databaseId = Number(Buffer.from(id, 'base64url').toString().split(':')[1]);
    await knex('service').where('id', databaseId).update({ draft: true });
    try {
      expect((await app.run(`query ($id: ID!) { service(id: $id) { ${fields('')} } }`, { id })).data).toEqual({ service: null });
    } finally {
      await knex('service').where('id', databaseId).update({ draft: false });
    }
  });

  it('nested connections with their own first use one top-N-per-parent statement', async () => {
    const query = /* GraphQL */ `
      query ($hubs: Int!, $services: Int!) {
        hubs(first: $hubs) {
          edges { node { name services(first: $services) { totalCount edges { node { name provider { name } } } } } }
        }
      }
    `;
    const few = await countStatements(query, { hubs: 5, services: 2 });
    const many = await countStatements(query, { hubs: 50, services: 5 });
    expect(many.data.hubs.edges.length).toBeGreaterThan(40);
    // hubs page + services per hub + providers
    expect(few.stats.statements).toBe(3);
    expect(many.stats.statements).toBe(3);
    expect(many.stats.log!.filter((sql) => /over \(partition by/i.test(sql))).toHaveLength(1);
  });

  it('an entity already loaded in the request is not fetched again', async () => {
    const query = /* GraphQL */ `
      query {
        providers(first: 100) { edges { node { name services(first: 3) { edges { node { provider { name } } } } } } }
      }
    `;
    const { stats, data } = await countStatements(query, {});
    // providers page + services per provider; provider lookups find the rows already mapped
    expect(stats.statements).toBe(2);
    const first = data.providers.edges[0].node;
    expect(first.services.edges[0].node.provider.name).toBe(first.name);
  });

  it('node lookups of different types in one request batch per type', async () => {
    const ids = await app.query(`{ services(first: 10) { nodes { id } } hubs(first: 10) { nodes { id } } }`);
    const all = [...ids.services.nodes, ...ids.hubs.nodes].map((n: any) => n.id);
    const { stats, data } = await countStatements(`query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: all });
    expect(data.nodes.map((n: any) => n.id)).toEqual(all);
    expect(stats.statements).toBe(2);
  });
});
