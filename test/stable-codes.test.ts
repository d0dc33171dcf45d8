import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorCodes, type TestApp } from './utils';

/**
 * Categories and eligibility criteria have stable codes ("gardening",
 * "lonely-or-isolated"), the same in every copy of the directory: they can be
 * looked up by code and searched by code, in place of their global ids.
 */
let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app?.close());

const idOf = async (field: 'category' | 'eligibilityCriterion', code: string): Promise<string> => (await app.query(`query ($code: String!) { ${field}(code: $code) { id } }`, { code }))[field].id;

const SEARCH = `query ($filter: ServiceFilter) { services(first: 100, filter: $filter) { totalCount nodes { id } } }`;
const found = async (filter: Record<string, unknown>): Promise<string[]> => {
  const { services } = await app.query(SEARCH, { filter });
  expect(services.totalCount).toBe(services.nodes.length);
  return services.nodes.map((n: { id: string }) => n.id).sort();
};

describe('lookups by code', () => {
  it('category(code:) and eligibilityCriterion(code:) give the term, null for an unknown code', async () => {
    const data = await app.query(`{
      nature: category(code: "nature") { code name children { nodes { code } } }
      none: category(code: "no-such-category") { id }
      lonely: eligibilityCriterion(code: "lonely-or-isolated") { code label kind }
      nobody: eligibilityCriterion(code: "no-such-criterion") { id }
    }`);
    expect(data.nature).toMatchObject({ code: 'nature', name: 'Nature and outdoors' });
    expect(data.nature.children.nodes.map((c: { code: string }) => c.code)).toContain('gardening');
    expect(data.lonely).toEqual({ code: 'lonely-or-isolated', label: 'Lonely or isolated', kind: 'CIRCUMSTANCE' });
    expect(data.none).toBeNull();
    expect(data.nobody).toBeNull();
  });

  it('the global id a code gives is the one node(id:) knows', async () => {
    const id = await idOf('category', 'gardening');
    expect((await app.query(`query ($id: ID!) { node(id: $id) { ... on Category { code } } }`, { id })).node).toEqual({ code: 'gardening' });
  });
});

describe('filters by code find what the same filters by id find', () => {
  it('filter.categoryCodes, with subcategories', async () => {
    const byCode = await found({ categoryCodes: ['nature'] });
    expect(byCode.length).toBeGreaterThan(3);
    expect(byCode).toEqual(await found({ categoryIds: [await idOf('category', 'nature')] }));
    // Given both, services in any of them.
    const both = await found({ categoryIds: [await idOf('category', 'befriending')], categoryCodes: ['gardening'] });
    expect(both).toEqual([...new Set([...(await found({ categoryCodes: ['befriending'] })), ...(await found({ categoryCodes: ['gardening'] }))])].sort());
  });

  it('filter.criterionCodes', async () => {
    const byCode = await found({ criterionCodes: ['bereaved', 'veteran'] });
    expect(byCode.length).toBeGreaterThan(0);
    expect(byCode).toEqual(await found({ criterionIds: [await idOf('eligibilityCriterion', 'bereaved'), await idOf('eligibilityCriterion', 'veteran')] }));
  });

  it('filter.person.criterionCodes, alone or with person.criteria', async () => {
    const person = { age: 72, criterionCodes: ['lonely-or-isolated', 'bereaved'] };
    const byCode = await found({ person });
    expect(byCode.length).toBeGreaterThan(0);
    const lonely = await idOf('eligibilityCriterion', 'lonely-or-isolated');
    const bereaved = await idOf('eligibilityCriterion', 'bereaved');
    expect(byCode).toEqual(await found({ person: { age: 72, criteria: [lonely, bereaved] } }));
    expect(byCode).toEqual(await found({ person: { age: 72, criteria: [lonely], criterionCodes: ['bereaved'] } }));
    // Fewer criteria met, fewer services: the codes are read, not ignored.
    expect((await found({ person: { age: 72, criterionCodes: [] } })).length).toBeLessThan(byCode.length);
  });

  it('hubs(serviceFilter:) takes codes too', async () => {
    const HUBS = `query ($serviceFilter: ServiceFilter) { hubs(first: 100, serviceFilter: $serviceFilter) { totalCount edges { serviceCount node { id } } } }`;
    const byCode = (await app.query(HUBS, { serviceFilter: { categoryCodes: ['gardening'] } })).hubs;
    const byId = (await app.query(HUBS, { serviceFilter: { categoryIds: [await idOf('category', 'gardening')] } })).hubs;
    expect(byCode.totalCount).toBeGreaterThan(0);
    expect(byCode).toEqual(byId);
  });
});

describe('an unknown code is BAD_USER_INPUT naming it', () => {
  it.each([
    [{ categoryCodes: ['gardening', 'Gardening'] }, 'filter.categoryCodes[1]', '"Gardening"'],
    [{ criterionCodes: ['no-such-thing'] }, 'filter.criterionCodes[0]', '"no-such-thing"'],
    [{ person: { criterionCodes: ['bereaved', 'lonely'] } }, 'filter.person.criterionCodes[1]', '"lonely"'],
  ])('%j', async (filter, field, code) => {
    const result = await app.run(SEARCH, { filter });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0].extensions!.field).toBe(field);
    expect(result.errors![0].message).toContain(code);
    expect(result.data).toEqual({ services: null });
  });
});
