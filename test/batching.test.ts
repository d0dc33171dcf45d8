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
  app = await createTestApp({ app: { capacity: { maxCost: 1_000_000 } } });
});
afterAll(() => app.close());

async function countStatements(query: string, variables: Record<string, unknown>): Promise<{ stats: SqlStats; data: any }> {
  const stats: SqlStats = { statements: 0, log: [] };
  const result = await app.run(query, variables, { stats });
  expect(result.errors).toBeUndefined();
  return { stats, data: result.data };
}

describe('SQL statements per request', () => {
  it('the deep slice takes the same 8 statements for first: 5 and first: 100', async () => {
    const small = await countStatements(DEEP_QUERY, { first: 5 });
    const large = await countStatements(DEEP_QUERY, { first: 100 });
    expect(small.data.services.edges).toHaveLength(5);
    expect(large.data.services.edges).toHaveLength(100);
    // page + count + provider + locations + hubs + schedules + eligibility + categories
    expect(small.stats.statements).toBe(8);
    expect(large.stats.statements).toBe(8);
  });

  it('the deep slice really returns the nested rows it claims to batch', async () => {
    const { data } = await countStatements(DEEP_QUERY, { first: 100 });
    const nodes = data.services.edges.map((edge: any) => edge.node);
    const schedules = nodes.flatMap((node: any) => node.locations.edges.flatMap((edge: any) => edge.node.schedules));
    expect(new Set(nodes.map((node: any) => node.provider.name)).size).toBeGreaterThan(10);
    expect(schedules.length).toBeGreaterThan(100);
    expect(nodes.some((node: any) => node.eligibility.edges.length > 0)).toBe(true);
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
