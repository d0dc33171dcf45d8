import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorCodes, listen, type Listening, type TestApp } from './utils';

/** Bad input gets a clear error with a code; nothing internal ever reaches the client. */
let app: TestApp;
let http: Listening;
let url: string;

beforeAll(async () => {
  app = await createTestApp();
  http = await listen(app);
  url = http.url;
});
afterAll(async () => {
  await http.close();
  await app.close();
});

async function post(body: string, contentType = 'application/json'): Promise<{ status: number; json: any; text: string }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body });
  const text = await response.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text };
}

function expectNothingInternal(text: string): void {
  expect(text).not.toMatch(/\bat .+\.(ts|js):\d+/); // stack frames
  expect(text).not.toMatch(/stacktrace/i);
  expect(text).not.toMatch(/\bselect\b.+\bfrom\b/i);
  expect(text).not.toMatch(/sqlite|knex|mikro/i);
}

describe('over HTTP', () => {
  it('serves a query', async () => {
    const { status, json } = await post(JSON.stringify({ query: '{ hubs(first: 1) { totalCount } }' }));
    expect(status).toBe(200);
    expect(json.data.hubs.totalCount).toBeGreaterThan(40);
  });

  it('a malformed JSON body is a 400 with a GraphQL-shaped error', async () => {
    const { status, json, text } = await post('{"query": "{ hubs { totalCount } }"');
    expect(status).toBe(400);
    expect(json.errors[0]).toEqual({ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } });
    expectNothingInternal(text);
  });

  it('a body without a query is a 400', async () => {
    const { status, json } = await post(JSON.stringify({ variables: {} }));
    expect(status).toBe(400);
    expect(json.errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('a query that does not parse is GRAPHQL_PARSE_FAILED', async () => {
    const { status, json, text } = await post(JSON.stringify({ query: '{ hubs(first: 1) { totalCount ' }));
    expect(status).toBe(400);
    expect(json.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    expectNothingInternal(text);
  });

  it('a form post is refused by CSRF prevention', async () => {
    const { status } = await post('query={hubs{totalCount}}', 'application/x-www-form-urlencoded');
    expect(status).toBe(400);
  });

  it('an oversized body is refused', async () => {
    const { status, json } = await post(JSON.stringify({ query: `{ hubs { totalCount } } # ${'x'.repeat(200_000)}` }));
    expect(status).toBe(413);
    expect(json.errors[0].message).toBe('The request body is too large.');
  });

  it('health check answers', async () => {
    const response = await fetch(url.replace('/graphql', '/healthz'));
    expect(await response.json()).toEqual({ status: 'ok' });
  });
});

describe('in the GraphQL layer', () => {
  it('an unknown field is GRAPHQL_VALIDATION_FAILED naming it', async () => {
    const result = await app.run('{ hubs { edges { node { colour } } } }');
    expect(errorCodes(result)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(result.errors![0].message).toContain('colour');
  });

  it('a wrong argument type is a validation error naming the argument', async () => {
    const result = await app.run('{ hubs(first: "ten") { totalCount } }');
    expect(errorCodes(result)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(result.errors![0].message).toMatch(/Int/);
  });

  it('a wrong variable type is BAD_USER_INPUT', async () => {
    const result = await app.run('query ($first: Int) { hubs(first: $first) { totalCount } }', { first: 'ten' });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0].message).toContain('$first');
  });

  it('an unknown enum value is refused', async () => {
    const result = await app.run('{ hubs(filter: { regions: [MARS] }) { totalCount } }');
    expect(errorCodes(result)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('a malformed id inside a filter names the filter field', async () => {
    const result = await app.run('{ services(filter: { hubIds: ["nope"] }) { totalCount } }');
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0].extensions!.field).toBe('filter.hubIds[0]');
  });

  it('too many values in a filter list is BAD_USER_INPUT naming the field', async () => {
    const ids = Array.from({ length: 101 }, (_, i) => Buffer.from(`Hub:${i + 1}`).toString('base64url'));
    const result = await app.run('query ($ids: [ID!]) { services(filter: { hubIds: $ids }) { totalCount } }', { ids });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0].extensions!.field).toBe('filter.hubIds');
    expect(result.errors![0].message).toContain('at most 100');
  });
});

describe('internal failures', () => {
  it('a database failure is masked and logged, with no SQL or stack shown', async () => {
    const broken = await createTestApp();
    try {
      await broken.em().getKnex().raw('drop table schedule');
      const result = await broken.run('{ services(first: 3) { nodes { name locations { nodes { schedules { opensAt } } } } } }');
      expect(errorCodes(result)).toContain('INTERNAL_SERVER_ERROR');
      expect(result.errors!.every((e) => e.message === 'Internal server error')).toBe(true);
      expectNothingInternal(JSON.stringify(result));
      expect(broken.loggedErrors.length).toBeGreaterThan(0);
      expect(String(broken.loggedErrors[0])).toMatch(/schedule/);
    } finally {
      await broken.close();
    }
  });

  it('a stored value a scalar cannot serialise is masked too', async () => {
    const broken = await createTestApp();
    try {
      await broken.em().getKnex()('provider').update({ email: 'not an email' });
      const result = await broken.run('{ providers(first: 1) { nodes { name email } } }');
      expect(errorCodes(result)).toEqual(['INTERNAL_SERVER_ERROR']);
      expectNothingInternal(JSON.stringify(result));
    } finally {
      await broken.close();
    }
  });
});
