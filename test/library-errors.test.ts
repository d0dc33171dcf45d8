import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientErrorOf, type ClientError, type ConvertDriverError } from '../src/errors';
import { Category } from '../src/modules/category/category.entity';
import { createKeys, createTestApp, errorCodes, listen, onPostgres, type Keys, type TestApp } from './utils';

/**
 * The errors of the libraries under the resolvers, as a client sees them:
 * what the database refuses (a unique value taken, a missing row it refers
 * to, a read-only file) is a client error naming what is wrong, never
 * INTERNAL_SERVER_ERROR. Each is made by the real database.
 */
let app: TestApp;
let keys: Keys;
let convert: ConvertDriverError;

beforeAll(async () => {
  app = await createTestApp();
  keys = await createKeys(app);
  convert = (error) => app.orm.em.getPlatform().getExceptionConverter().convertException(error);
});
afterAll(() => app.close());

const CREATE_CATEGORY = `mutation ($input: CreateCategoryInput!) { createCategory(input: $input) { category { id code } } }`;

/** What `work` throws, mapped as the server maps it. */
async function mapped(work: () => Promise<unknown>): Promise<ClientError | undefined> {
  const error = await work().then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeDefined();
  return clientErrorOf(error, convert);
}

describe('library errors', () => {
  it('two admins creating the same category code at once: one is created, the other told the code is taken', async () => {
    // Each checks the code is free before inserting; on PostgreSQL both checks can pass, and the unique index refuses the second insert.
    const attempts = await Promise.all(Array.from({ length: 8 }, () => app.run(CREATE_CATEGORY, { input: { code: 'tai-chi-race', name: 'Tai chi' } }, { key: keys.admin })));
    expect(attempts.filter((result) => !result.errors)).toHaveLength(1);
    for (const result of attempts.filter((r) => r.errors)) {
      expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0].extensions).toMatchObject({ field: 'input.code' });
    }
    expect(app.loggedErrors).toEqual([]);
    expect(await app.em().getKnex()('category').where('code', 'tai-chi-race').count({ n: '*' })).toEqual([{ n: onPostgres ? '1' : 1 }]);
  });

  it("the unique index's own refusal names the field, through the ORM and through a raw statement", async () => {
    const taken = { code: 'gardening', name: 'Gardening again', description: '' };
    for (const error of [await mapped(() => app.em().insert(Category, taken)), await mapped(() => app.em().getKnex()('category').insert(taken))]) {
      expect(error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.code' });
      expect(error?.message).toMatch(/another category already has this code/);
    }
  });

  it('a row that refers to a missing one is BAD_USER_INPUT', async () => {
    const [service] = await app.em().getKnex()('service').select('id').limit(1);
    const error = await mapped(() => app.em().getKnex()('service_category').insert({ service_id: service.id, category_id: 999_999 }));
    expect(error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input' });
  });

  it("the ORM's not-found is NOT_FOUND", async () => {
    const error = await mapped(() => app.em().findOneOrFail(Category, 999_999));
    expect(error?.extensions.code).toBe('NOT_FOUND');
  });

  it('errors that are bugs are left to be masked', async () => {
    expect(await mapped(() => app.em().getKnex().raw('select no_such_column from category'))).toBeUndefined();
    expect(clientErrorOf(new TypeError("Cannot read properties of undefined (reading 'id')"), convert)).toBeUndefined();
  });
});

/** SQLite refuses every write on a read-only database (`pragma query_only`, as on a read-only file): SQLITE_READONLY. */
describe.skipIf(onPostgres)('a database that refuses writes', () => {
  let readOnly: TestApp;
  let readOnlyKeys: Keys;

  beforeAll(async () => {
    readOnly = await createTestApp();
    readOnlyKeys = await createKeys(readOnly);
    // In memory, the app has one connection: the whole database is now read-only.
    await readOnly.orm.em.getConnection().execute('pragma query_only = on');
  });
  afterAll(() => readOnly.close());

  it('still answers a keyed read (its key just cannot record when it was last used)', async () => {
    const result = await readOnly.run('{ viewer { role } providers(first: 1) { totalCount } }', {}, { key: readOnlyKeys.admin });
    expect(result.errors).toBeUndefined();
    expect(result.data).toMatchObject({ viewer: { role: 'ADMIN' } });
    expect(readOnly.loggedErrors).toEqual([]);
  });

  it('answers a write with SERVICE_UNAVAILABLE, HTTP 503 and Retry-After, and writes nothing', async () => {
    const before = await readOnly.em().getKnex()('category').count({ n: '*' });
    const http = await listen(readOnly);
    try {
      const response = await fetch(http.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${readOnlyKeys.admin}` },
        body: JSON.stringify({ query: CREATE_CATEGORY, variables: { input: { code: 'read-only', name: 'Read only' } } }),
      });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      const body = (await response.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
      expect(body.errors.map((e) => e.extensions.code)).toEqual(['SERVICE_UNAVAILABLE']);
      expect(body.errors[0].message).toMatch(/Nothing was changed; try again later/);
    } finally {
      await http.close();
    }
    expect(await readOnly.em().getKnex()('category').count({ n: '*' })).toEqual(before);
    expect(readOnly.loggedErrors).toEqual([]);
  });
});
