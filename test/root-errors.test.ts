import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorCodes, type TestApp } from './utils';

/**
 * A bad argument fails its own root field only: every root field is
 * nullable (graphql-eslint's require-nullable-result-in-root), so the others
 * keep their data; and an error names the argument the client sent.
 */
let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app?.close());

describe('one failing root field', () => {
  it('gives null for itself, with its error, and the other root fields keep their data', async () => {
    const result = await app.run(`{
      categories(first: 3) { nodes { code name } }
      services(near: { postcode: "ZZ9 9ZZ", radiusKm: 5 }) { totalCount nodes { name } }
    }`);
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0].extensions!.field).toBe('near.postcode');
    expect(result.errors![0].path).toEqual(['services']);
    expect(result.data!.services).toBeNull();
    expect(result.data!.categories).toEqual({ nodes: expect.arrayContaining([expect.objectContaining({ code: expect.any(String) })]) });
    expect((result.data!.categories as { nodes: unknown[] }).nodes).toHaveLength(3);
  });

  it('every root field of the schema is nullable', async () => {
    const result = await app.query(`{ __type(name: "Query") { fields { name type { kind } } } }`);
    const nonNull = result.__type.fields.filter((field: { type: { kind: string } }) => field.type.kind === 'NON_NULL').map((field: { name: string }) => field.name);
    expect(result.__type.fields.length).toBeGreaterThan(10);
    expect(nonNull).toEqual([]);
  });
});

describe('errors under hubs(serviceFilter:) name serviceFilter, not hubs(filter:)', () => {
  it.each([
    ['an id of another type', { categoryIds: ['bad'] }, 'serviceFilter.categoryIds[0]'],
    ['an unknown category code', { categoryCodes: ['gardening', 'no-such-category'] }, 'serviceFilter.categoryCodes[1]'],
    ['an unknown criterion code of the person', { person: { criterionCodes: ['nope'] } }, 'serviceFilter.person.criterionCodes[0]'],
    ['a person too old', { person: { age: 200 } }, 'serviceFilter.person.age'],
    ['text of common words only', { text: 'the and of' }, 'serviceFilter.text'],
    ['a malformed language', { languages: ['english'] }, 'serviceFilter.languages[0]'],
  ])('%s', async (_label, serviceFilter, field) => {
    const result = await app.run(`query ($serviceFilter: ServiceFilter) { hubs(first: 5, serviceFilter: $serviceFilter) { totalCount } }`, { serviceFilter });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0].extensions!.field).toBe(field);
    expect(result.data).toEqual({ hubs: null });
  });

  it('the same filter given to services is named filter', async () => {
    const result = await app.run(`{ services(filter: { categoryIds: ["bad"] }) { totalCount } }`);
    expect(result.errors![0].extensions!.field).toBe('filter.categoryIds[0]');
  });
});
