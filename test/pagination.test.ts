import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorCodes, type TestApp } from './utils';
import { sampleDirectory as world } from '../seeds/sample-directory';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

const EVERY_STATUS = { statuses: ['ACTIVE', 'INACTIVE', 'TEMPORARILY_CLOSED', 'DEFUNCT'] };
const PAGE = `query ($first: Int, $after: String, $filter: ServiceFilter = { statuses: [ACTIVE, INACTIVE, TEMPORARILY_CLOSED, DEFUNCT] }) {
  services(first: $first, after: $after, filter: $filter) {
    totalCount
    edges { cursor node { id name } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

describe('connections', () => {
  it('first defaults to 20', async () => {
    const data: any = await app.query(`{ services { edges { node { id } } } }`);
    expect(data.services.edges).toHaveLength(20);
  });

  it('paging through with every page size gives each item once, in order, matching totalCount', async () => {
    const everything: any = await app.query(PAGE, { first: 100 });
    const all: any = await app.query(`query ($filter: ServiceFilter) { services(first: 100, filter: $filter) { totalCount } }`, { filter: EVERY_STATUS });
    expect(all.services.totalCount).toBe(world.services.length);
    for (const size of [1, 7, 20, 100]) {
      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      for (;;) {
        const data: any = await app.query(PAGE, { first: size, after });
        const page = data.services;
        expect(page.totalCount).toBe(world.services.length);
        expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
        expect(page.pageInfo.startCursor).toBe(page.edges[0]?.cursor ?? null);
        expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor ?? null);
        seen.push(...page.edges.map((e: any) => e.node.id));
        pages += 1;
        if (!page.pageInfo.hasNextPage) break;
        expect(page.edges).toHaveLength(size);
        after = page.pageInfo.endCursor;
      }
      expect(new Set(seen).size).toBe(world.services.length);
      expect(pages).toBe(Math.ceil(world.services.length / size));
      if (size === 100) expect(seen.slice(0, 100)).toEqual(everything.services.edges.map((e: any) => e.node.id));
    }
  });

  it('continues after any edge cursor, not only endCursor', async () => {
    const first: any = await app.query(PAGE, { first: 10 });
    const next: any = await app.query(PAGE, { first: 3, after: first.services.edges[4].cursor });
    expect(next.services.edges.map((e: any) => e.node.id)).toEqual(first.services.edges.slice(5, 8).map((e: any) => e.node.id));
  });

  it('first: 0 returns only totalCount and whether there is more', async () => {
    const data: any = await app.query(PAGE, { first: 0 });
    expect(data.services.edges).toEqual([]);
    expect(data.services.pageInfo.hasNextPage).toBe(true);
    expect(data.services.totalCount).toBe(world.services.length);
  });

  it('an empty result is a valid empty page', async () => {
    const data: any = await app.query(PAGE, { first: 5, filter: { providerIds: [Buffer.from('Provider:99999').toString('base64url')] } });
    expect(data.services.totalCount).toBe(0);
    expect(data.services).toEqual({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null } });
  });

  it.each([101, 1000, -1])('first: %i is BAD_USER_INPUT naming "first"', async (first) => {
    const result = await app.run(PAGE, { first });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0].extensions!.field).toBe('first');
    expect(result.data).toEqual({ services: null });
  });

  it('a cursor from another query is refused', async () => {
    const hubs: any = await app.query(`{ hubs(first: 2) { pageInfo { endCursor } } }`);
    const result = await app.run(PAGE, { first: 2, after: hubs.hubs.pageInfo.endCursor });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0].extensions!.field).toBe('after');
  });

  it('a cursor from the same list under another filter is refused', async () => {
    const page: any = await app.query(PAGE, { first: 2 });
    const result = await app.run(PAGE, { first: 2, after: page.services.pageInfo.endCursor, filter: { statuses: ['ACTIVE'] } });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
  });

  it('a cursor altered by hand is refused', async () => {
    const page: any = await app.query(PAGE, { first: 2 });
    const [values, check] = JSON.parse(Buffer.from(page.services.pageInfo.endCursor, 'base64url').toString());
    const altered = Buffer.from(JSON.stringify([[values[0], values[1] + 1], check])).toString('base64url');
    for (const after of [altered, 'garbage', Buffer.from('[]').toString('base64url')]) {
      const result = await app.run(PAGE, { first: 2, after });
      expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    }
  });

  it('nested connections page per parent, with their own cursors and totals', async () => {
    const query = `query ($after: String) { providers(first: 100) { nodes { name services(first: 2, after: $after) { totalCount edges { cursor node { name } } pageInfo { hasNextPage hasPreviousPage endCursor } } } } }`;
    const data: any = await app.query(query);
    const provider = data.providers.nodes.find((p: any) => p.services.totalCount >= 4);
    const expected = world.services
      .filter((s) => s.provider === world.providers.find((p) => p.name === provider.name)!.key)
      .map((s) => s.name)
      .sort();
    expect(provider.services.edges.map((e: any) => e.node.name)).toEqual(expected.slice(0, 2));
    expect(provider.services.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });

    const next: any = await app.query(query, { after: provider.services.pageInfo.endCursor });
    const again = next.providers.nodes.find((p: any) => p.name === provider.name);
    expect(again.services.edges.map((e: any) => e.node.name)).toEqual(expected.slice(2, 4));
    expect(again.services.totalCount).toBe(expected.length);
    expect(again.services.pageInfo.hasPreviousPage).toBe(true);
    expect(again.services.pageInfo.hasNextPage).toBe(expected.length > 4);
  });

  it('nested first is validated too', async () => {
    const result = await app.run(`{ hubs(first: 2) { nodes { services(first: 500) { totalCount } } } }`);
    expect(errorCodes(result)).toContain('BAD_USER_INPUT');
    expect(result.errors![0].extensions!.field).toBe('first');
  });
});
