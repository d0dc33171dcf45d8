import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { persistedQueryStore } from '../src/http/caching';
import { redisAvailable, REDIS_URL } from './redis';
import { appWithKeys, createTestApp, listen, type Listening, type TestApp } from './utils';

/**
 * HTTP caching of public reads (src/http/caching.ts): what a browser or a
 * CDN may keep, and for how long; automatic persisted queries.
 */
const HUBS = '{ hubs(first: 2) { nodes { name } } }';
const PREFLIGHT = { 'apollo-require-preflight': 'true' };
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function getUrl(url: string, params: Record<string, unknown>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) search.set(name, typeof value === 'string' ? value : JSON.stringify(value));
  return `${url}?${search}`;
}

async function send(url: string, init: RequestInit = {}): Promise<{ status: number; cacheControl: string | null; vary: string | null; json: any }> {
  const response = await fetch(url, init);
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, cacheControl: response.headers.get('cache-control'), vary: response.headers.get('vary'), json };
}

const persisted = (query: string) => ({ persistedQuery: { version: 1, sha256Hash: sha256(query) } });

describe('Cache-Control and Vary on GraphQL answers', () => {
  const suite = appWithKeys({ app: { cacheMaxAgeSeconds: 45 } });
  let http: Listening;
  beforeAll(async () => {
    http = await listen(suite.app);
  });
  afterAll(() => http.close());
  const get = (params: Record<string, unknown>, headers: Record<string, string> = {}) => send(getUrl(http.url, params), { headers: { ...PREFLIGHT, ...headers } });
  const post = (body: unknown, headers: Record<string, string> = {}) => send(http.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('an anonymous GET query is public for the configured max-age, and varies by Authorization', async () => {
    const answer = await get({ query: HUBS });
    expect(answer.status).toBe(200);
    expect(answer.json.data.hubs.nodes).toHaveLength(2);
    expect(answer.cacheControl).toBe('public, max-age=45');
    expect(answer.vary).toMatch(/\bAuthorization\b/);
  });

  it('the same GET with an API key is private, no-store: a partner sees drafts, so nothing keeps the answer', async () => {
    const answer = await get({ query: HUBS }, { authorization: `Bearer ${suite.keys.ageUk}` });
    expect(answer.json.errors).toBeUndefined();
    expect(answer.status).toBe(200);
    expect(answer.cacheControl).toBe('private, no-store');
    expect(answer.vary).toMatch(/\bAuthorization\b/);
  });

  it('a refused key is not cached either', async () => {
    const answer = await get({ query: HUBS }, { authorization: 'Bearer not-a-key' });
    expect(answer.json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(answer.cacheControl).toMatch(/no-store/);
    expect(answer.vary).toMatch(/\bAuthorization\b/);
  });

  it('POST, errors and mutations are no-store', async () => {
    const posted = await post({ query: HUBS });
    expect(posted.json.data.hubs.nodes).toHaveLength(2);
    expect(posted.cacheControl).toBe('no-store');
    expect(posted.vary).toMatch(/\bAuthorization\b/);

    const failed = await get({ query: '{ services(first: 1, near: { postcode: "ZZ9 9ZZ", radiusKm: 5 }) { totalCount } }' });
    expect(failed.json.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(failed.cacheControl).toBe('no-store');

    const invalid = await get({ query: '{ hubs(first: 1) { nope } }' });
    expect(invalid.status).toBe(400);
    expect(invalid.cacheControl).toBe('no-store');
    expect(invalid.vary).toMatch(/\bAuthorization\b/);

    // Apollo refuses mutations over GET (405); the answer is not cacheable.
    const mutation = await get({ query: 'mutation { archiveService(input: { id: "x", version: 1 }) { service { id } } }' });
    expect(mutation.status).toBe(405);
    expect(mutation.cacheControl).toBe('no-store');
  });

  it('a GET without a preflight header is refused by CSRF prevention, and says which header to send', async () => {
    const answer = await send(getUrl(http.url, { query: HUBS }));
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.json)).toMatch(/Apollo-Require-Preflight/i);
    expect(answer.cacheControl).toBe('no-store');
  });

  it('automatic persisted queries: a miss answers PERSISTED_QUERY_NOT_FOUND, a registration stores the document, the hash alone then works and is cacheable', async () => {
    const query = `{ hubs(first: 3) { nodes { name } } } # ${randomUUID()}`;
    const miss = await get({ extensions: persisted(query) });
    expect(miss.status).toBe(200);
    expect(miss.json.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(miss.cacheControl).toBe('private, no-cache, must-revalidate');
    expect(miss.vary).toMatch(/\bAuthorization\b/);

    const registered = await get({ query, extensions: persisted(query) });
    expect(registered.json.data.hubs.nodes).toHaveLength(3);

    const hit = await get({ extensions: persisted(query) });
    expect(hit.json).toEqual(registered.json);
    expect(hit.cacheControl).toBe('public, max-age=45');
  });

  it("the README's curl examples do what it says", async () => {
    const readme = readFileSync(join(process.cwd(), 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### HTTP caching and persisted queries'), readme.indexOf('### Hostile load, measured'));
    const urls = [...section.matchAll(/curl -s[i]? '(http:\/\/localhost:4000[^']+)' -H 'apollo-require-preflight: true'/g)].map((m) => m[1].replace('http://localhost:4000', http.origin));
    expect(urls).toHaveLength(3);
    const [plain, hashOnly, withQuery] = await (async () => urls.map((url) => () => send(url, { headers: PREFLIGHT })))();
    const first = await plain();
    expect(first.json.data.hubs.nodes).toHaveLength(2);
    expect(first.cacheControl).toBe('public, max-age=45');
    expect((await hashOnly()).json.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect((await withQuery()).json).toEqual(first.json);
    const again = await hashOnly();
    expect(again.json).toEqual(first.json);
    expect(again.cacheControl).toBe('public, max-age=45');
  });

  it('a hash that is not the document\'s is refused, and nothing is stored under it', async () => {
    const query = `{ hubs(first: 1) { totalCount } } # ${randomUUID()}`;
    const wrong = await get({ query, extensions: { persistedQuery: { version: 1, sha256Hash: sha256('something else') } } });
    expect(wrong.status).toBe(400);
    expect(wrong.json.errors[0].message).toMatch(/sha does not match/);
    expect(wrong.json.errors[0].extensions.code).toBe('BAD_REQUEST');
    const after = await get({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256('something else') } } });
    expect(after.json.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('a document the limits refuse is not stored', async () => {
    const query = `{ hubs(first: 1) { nodes { name } } } # ${randomUUID()}`.replace('name', 'nope');
    const refused = await get({ query, extensions: persisted(query) });
    expect(refused.status).toBe(400);
    const after = await get({ extensions: persisted(query) });
    expect(after.json.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });
});

describe('Cache-Control on the Open Referral UK feed', () => {
  let app: TestApp;
  let http: Listening;
  beforeAll(async () => {
    app = await createTestApp({ app: { cacheMaxAgeSeconds: 20 } });
    http = await listen(app);
  });
  afterAll(async () => {
    await http.close();
    await app.close();
  });

  it('an answer is public for the configured max-age; a refusal or a 404 is no-store', async () => {
    const list = await send(`${http.origin}/oruk/services?per_page=2`);
    expect(list.status).toBe(200);
    expect(list.json.contents).toHaveLength(2);
    expect(list.cacheControl).toBe('public, max-age=20');
    expect(list.vary).toMatch(/\bAuthorization\b/);
    const bad = await send(`${http.origin}/oruk/services?per_page=lots`);
    expect(bad.status).toBe(400);
    expect(bad.json.parameter).toBe('per_page');
    expect(bad.cacheControl).toBe('no-store');
    const missing = await send(`${http.origin}/oruk/services/00000000-0000-4000-8000-000000000000`);
    expect(missing.status).toBe(404);
    expect(missing.cacheControl).toBe('no-store');
  });
});

describe('configuration', () => {
  let app: TestApp | undefined;
  afterAll(() => app?.close());

  it('CACHE_MAX_AGE_SECONDS=0 makes public answers no-store; PERSISTED_QUERIES=false answers PERSISTED_QUERY_NOT_SUPPORTED', async () => {
    app = await createTestApp({ seed: false, app: { cacheMaxAgeSeconds: 0, persistedQueries: false } });
    const http = await listen(app);
    try {
      const plain = await send(getUrl(http.url, { query: HUBS }), { headers: PREFLIGHT });
      expect(plain.json.data.hubs.nodes).toEqual([]);
      expect(plain.cacheControl).toBe('no-store');
      const apq = await send(getUrl(http.url, { extensions: persisted(HUBS) }), { headers: PREFLIGHT });
      expect(apq.json.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_SUPPORTED');
    } finally {
      await http.close();
    }
  });
});

describe('the persisted-query store', () => {
  it('in memory, is bounded: past its size the least recently used documents are dropped', async () => {
    const store = persistedQueryStore({ maxBytes: 10_000, keyPrefix: '' });
    const document = (i: number) => `{ hubs(first: ${i}) { nodes { name } } }`.padEnd(1_000, ' ');
    for (let i = 0; i < 50; i++) await store.cache.set(`k${i}`, document(i));
    const kept = [];
    for (let i = 0; i < 50; i++) if ((await store.cache.get(`k${i}`)) !== undefined) kept.push(i);
    // 1,000 characters take 2,000 bytes: five fit, and they are the last five.
    expect(kept).toEqual([45, 46, 47, 48, 49]);
    await store.close();
  });

  it('in Redis (when REDIS_URL answers), is shared by instances and every document expires', async (context) => {
    if (!(await redisAvailable())) {
      console.log(`Redis not reachable at ${REDIS_URL}: persisted queries in Redis skipped.`);
      return context.skip();
    }
    const prefix = `spd-apq-test-${randomUUID()}:`;
    const one = persistedQueryStore({ redisUrl: REDIS_URL, maxBytes: 1, keyPrefix: prefix });
    const two = persistedQueryStore({ redisUrl: REDIS_URL, maxBytes: 1, keyPrefix: prefix });
    try {
      // Until a connection is up, a document is not stored and reads miss (the client sends it again).
      await vi.waitFor(async () => {
        await one.cache.set('hash', HUBS, { ttl: 60 });
        expect(await two.cache.get('hash')).toBe(HUBS);
      });
      const { Redis } = await import('ioredis');
      const client = new Redis(REDIS_URL);
      const ttl = await client.ttl(`${prefix}hash`);
      await client.del(`${prefix}hash`);
      client.disconnect();
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60);
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('an unreachable Redis reads as a miss, not an error', async () => {
    const store = persistedQueryStore({ redisUrl: 'redis://127.0.0.1:1', maxBytes: 1, keyPrefix: 'x:' });
    expect(await store.cache.get('anything')).toBeUndefined();
    await store.close();
  });
});
