import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorCodes, type TestApp } from './utils';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

const globalId = (text: string) => Buffer.from(text).toString('base64url');

describe('node and nodes', () => {
  it('resolve every type from its global id', async () => {
    const ids: any = await app.query(`{
      services(first: 1) { nodes { id name locations(first: 1) { nodes { id schedules { id opensAt } } } } }
      hubs(first: 1) { nodes { id name } }
      providers(first: 1) { nodes { id name } }
      categories(first: 1) { nodes { id code } }
      eligibilityCriteria(first: 1) { nodes { id code } }
    }`);
    const service = ids.services.nodes[0];
    const location = service.locations.nodes[0];
    const schedule = location.schedules[0];
    const cases: Array<[string, string, string]> = [
      [service.id, 'Service', `name`],
      [ids.hubs.nodes[0].id, 'Hub', `name`],
      [ids.providers.nodes[0].id, 'Provider', `name`],
      [ids.categories.nodes[0].id, 'Category', `code`],
      [ids.eligibilityCriteria.nodes[0].id, 'EligibilityCriterion', `code`],
      [location.id, 'ServiceLocation', `id`],
      [schedule.id, 'Schedule', `opensAt`],
    ];
    for (const [id, type] of cases) {
      const data: any = await app.query(`query ($id: ID!) { node(id: $id) { __typename id } }`, { id });
      expect(data.node).toEqual({ __typename: type, id });
    }
    const data: any = await app.query(`query ($id: ID!) { node(id: $id) { ... on Service { name } } }`, { id: service.id });
    expect(data.node.name).toBe(service.name);
  });

  it('ids are opaque but say their type', async () => {
    const data: any = await app.query(`{ hubs(first: 1) { nodes { id } } }`);
    expect(Buffer.from(data.hubs.nodes[0].id, 'base64url').toString()).toMatch(/^Hub:\d+$/);
  });

  it('a well-formed id of nothing is null', async () => {
    expect(await app.query(`{ node(id: "${globalId('Service:987654')}") { id } }`)).toEqual({ node: null });
  });

  it('nodes keeps the order asked, with null for missing ids', async () => {
    const ids: any = await app.query(`{ hubs(first: 2) { nodes { id } } }`);
    const [a, b] = ids.hubs.nodes.map((n: any) => n.id);
    const data: any = await app.query(`query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: [b, globalId('Provider:424242'), a] });
    expect(data.nodes).toEqual([{ id: b }, null, { id: a }]);
  });

  it.each([
    ['not base64 at all', 'not an id!'],
    ['base64 of junk', globalId('hello')],
    ['an unknown type', globalId('Spaceship:1')],
    ['a non-numeric key', globalId('Hub:abc')],
    ['a zero key', globalId('Hub:0')],
    ['empty', ''],
  ])('a malformed id (%s) is BAD_USER_INPUT naming the argument', async (_label, id) => {
    const result = await app.run(`query ($id: ID!) { node(id: $id) { id } }`, { id });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0].message).toContain('"id"');
    expect(result.errors![0].extensions!.field).toBe('id');
  });

  it('nodes names which id is malformed', async () => {
    const ids: any = await app.query(`{ hubs(first: 1) { nodes { id } } }`);
    const result = await app.run(`query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: [ids.hubs.nodes[0].id, 'garbage'] });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0].extensions!.field).toBe('ids[1]');
  });

  it('a typed root field refuses an id of another type', async () => {
    const ids: any = await app.query(`{ services(first: 1) { nodes { id } } }`);
    const result = await app.run(`query ($id: ID!) { hub(id: $id) { name } }`, { id: ids.services.nodes[0].id });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0].message).toMatch(/expected a Hub id but got a Service id/);
  });

  it('nodes refuses more than 100 ids', async () => {
    const result = await app.run(`query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: Array.from({ length: 101 }, (_, i) => globalId(`Hub:${i + 1}`)) });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
  });
});
