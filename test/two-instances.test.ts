import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchema } from '../src/orm';
import { TEST_SCHEMA_PREFIX } from './postgres-setup';
import { redisAvailable, REDIS_URL } from './redis';
import { buildInto, createAdminKey, killAllServers, postGraphql, startServer, type ServerProcess } from './server-process';
import { onPostgres } from './utils';

/**
 * Two server processes on one database, sharing nothing but the database
 * (and Redis for rate limits): what one writes, the other reads at once;
 * two edits of the same version through different instances still let
 * exactly one win; and one rate-limit budget holds across both. In the
 * PostgreSQL run they share a schema of the test database; in the SQLite run
 * one database file. The rate-limit part needs Redis and says so if absent.
 */
const schema = `${TEST_SCHEMA_PREFIX}instances_${process.pid}`;
let dir: string;
let databaseUrl: string;
let adminKey: string;
/** A key of its own for the rate-limit test, whose budget the other tests have not touched. */
let budgetKey: string;
let redis = false;
const instances: ServerProcess[] = [];

const SERVICE = 'query ($id: ID!) { service(id: $id) { id version description } }';
const UPDATE = 'mutation ($input: UpdateServiceInput!) { updateService(input: $input) { service { id version description } } }';

beforeAll(async () => {
  const build = buildInto(`instances-${onPostgres ? 'postgresql' : 'sqlite'}`);
  dir = mkdtempSync(join(tmpdir(), 'directory-instances-'));
  databaseUrl = onPostgres ? `${process.env.TEST_DATABASE_URL}?schema=${schema}` : `sqlite:${join(dir, 'directory.sqlite')}`;
  adminKey = createAdminKey(build, databaseUrl);
  budgetKey = createAdminKey(build, databaseUrl);
  redis = await redisAvailable();
  if (!redis) console.log(`Redis not reachable at ${REDIS_URL}: the shared rate-limit part of the two-instance test is skipped.`);
  const env = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis ? REDIS_URL : '',
    // Each key gets its own budget: 1,000 points a minute.
    RATE_LIMIT_POINTS: '1000',
    RATE_LIMIT_WINDOW_SECONDS: '60',
  };
  // The first seeds the empty database; the second starts on what it finds.
  instances.push(await startServer(build, { ...env, SEED_WHEN_EMPTY: 'true' }));
  instances.push(await startServer(build, { ...env, SEED_WHEN_EMPTY: 'false' }));
}, 180_000);

afterAll(async () => {
  await killAllServers();
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (onPostgres) await dropSchema({ kind: 'postgresql', url: process.env.TEST_DATABASE_URL!, schema });
});

const [a, b] = [0, 1];
const call = (instance: number, query: string, variables: Record<string, unknown> = {}, key = adminKey) => postGraphql(instances[instance].origin, query, variables, key);

describe('two server instances on one database', () => {
  it('an edit made through one is read through the other at once, and searchable there', async () => {
    const listed = await call(a, '{ services(first: 1) { nodes { id version } } }');
    const { id, version } = listed.body.data.services.nodes[0];
    const word = `quokka${Date.now()}`;
    const updated = await call(a, UPDATE, { input: { id, version, description: `Now with a ${word} garden.` } });
    expect(updated.body.errors).toBeUndefined();

    const read = await call(b, SERVICE, { id });
    expect(read.body.data.service).toEqual({ id, version: version + 1, description: `Now with a ${word} garden.` });
    const found = await call(b, 'query ($text: String!) { services(filter: { text: $text }) { nodes { id } } }', { text: word });
    expect(found.body.data.services.nodes).toEqual([{ id }]);
  });

  it('a cursor one signed is taken by the other: they share the secret kept in the database', async () => {
    const page = await call(a, '{ providers(first: 2) { nodes { name } pageInfo { endCursor } } }');
    const query = 'query ($after: String) { providers(first: 2, after: $after) { nodes { name } } }';
    const fromA = await call(a, query, { after: page.body.data.providers.pageInfo.endCursor });
    const fromB = await call(b, query, { after: page.body.data.providers.pageInfo.endCursor });
    expect(fromB.body.errors).toBeUndefined();
    expect(fromB.body.data).toEqual(fromA.body.data);
  });

  it('a service created through one is listed by the other', async () => {
    const provider = await call(b, '{ providers(first: 1) { nodes { id } } }');
    const created = await call(b, 'mutation ($input: CreateServiceInput!) { createService(input: $input) { service { id name } } }', {
      input: { name: 'Two-instance walking group', providerId: provider.body.data.providers.nodes[0].id },
    });
    expect(created.body.errors).toBeUndefined();
    const { id } = created.body.data.createService.service;
    const read = await call(a, 'query ($id: ID!) { service(id: $id) { name } }', { id });
    expect(read.body.data.service).toEqual({ name: 'Two-instance walking group' });
  });

  it('edits of the same version sent to both at once: exactly one wins, the rest get CONFLICT', async () => {
    const listed = await call(b, '{ services(first: 1, orderBy: UPDATED_AT) { nodes { id version } } }');
    const { id, version } = listed.body.data.services.nodes[0];
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => call(i % 2 ? a : b, UPDATE, { input: { id, version, description: `Race ${i}` } })));
    const winners = results.filter((r) => r.body.data?.updateService);
    const conflicts = results.filter((r) => r.body.errors?.[0]?.extensions?.code === 'CONFLICT');
    expect(results.filter((r) => !r.body.data?.updateService && r.body.errors?.[0]?.extensions?.code !== 'CONFLICT').map((r) => r.body)).toEqual([]);
    expect(winners).toHaveLength(1);
    expect(conflicts).toHaveLength(19);
    const stored = await call(a, SERVICE, { id });
    expect(stored.body.data.service).toMatchObject({ version: version + 1, description: winners[0].body.data.updateService.service.description });
  });

  it('one rate-limit budget (in Redis) holds across both', async (context) => {
    if (!redis) context.skip();
    // Authenticated requests spend their key's budget: 1,000 points, 100 per query below.
    const query = '{ services(first: 99) { nodes { name } } }';
    const remaining: number[] = [];
    for (let i = 0; i < 4; i++) {
      const response = await call(i % 2 ? b : a, query, {}, budgetKey);
      expect(response.status).toBe(200);
      remaining.push(Number(response.headers.get('ratelimit-remaining')));
    }
    // One budget, decreasing by the query's cost whichever instance answered.
    expect(remaining).toEqual([900, 800, 700, 600]);
    let status = 200;
    for (let i = 0; i < 12 && status === 200; i++) status = (await call(i % 2 ? b : a, query, {}, budgetKey)).status;
    expect(status).toBe(429);
    expect((await call(a, query, {}, budgetKey)).status).toBe(429);
    expect((await call(b, query, {}, budgetKey)).status).toBe(429);
    // Another key's budget is its own.
    expect((await call(b, query)).status).toBe(200);
  });
});
