import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'graphql';
import { createTestApp, errorCodes, listen, type Listening, type TestApp } from './utils';
import { buildDirectorySchema } from '../src/schema';
import { queryCost } from '../src/limits/cost';
import { DEFAULT_CAPACITY, LIMITS } from '../src/limits/limits';
import type { SqlStats } from '../src/modules/common/sql-stats';

/** Abuse limits: refused before they run, with a code and a sentence; everything legitimate passes with room. */
let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

const nested = (depth: number) => `{ categories(first: 5) { nodes { ${'children(first: 5) { nodes { '.repeat(depth)}id${' } }'.repeat(depth)} } } }`;

describe('query shape limits', () => {
  it('too deep is refused', async () => {
    expect(errorCodes(await app.run(nested(3)))).toEqual([]);
    const result = await app.run(nested(20));
    expect(errorCodes(result)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(result.errors![0].message).toMatch(/depth/i);
  });

  it('too many aliases is refused', async () => {
    const aliases = Array.from({ length: LIMITS.maxAliases + 1 }, (_, i) => `a${i}: hubs(first: 1) { totalCount }`).join(' ');
    expect(errorCodes(await app.run(`{ ${aliases} }`))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('too many directives is refused', async () => {
    const fields = Array.from({ length: LIMITS.maxDirectives + 1 }, () => 'totalCount @include(if: true)').join(' ');
    expect(errorCodes(await app.run(`{ hubs(first: 1) { ${fields} } }`))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('too many tokens is refused at parse time', async () => {
    const fields = Array.from({ length: LIMITS.maxTokens }, () => '__typename').join(' ');
    const result = await app.run(`{ ${fields} }`);
    expect(errorCodes(result)).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(result.errors![0].message).toMatch(/token/i);
  });
});

describe('query cost', () => {
  it('multiplies page sizes down the tree, and is reported in extensions.cost', async () => {
    const query = `{ hubs(first: 10) { nodes { name services(first: 5) { nodes { name provider { name } } } } } }`;
    const result = await app.run(query);
    expect(result.errors).toBeUndefined();
    // hubs: 1 + 10 x (nodes 1 + 1 x (services: 1 + 5 x (nodes 1 + 1 x provider 1)))
    expect(result.extensions).toEqual({ cost: { requested: 1 + 10 * (1 + 1 + 5 * (1 + 1)), limit: DEFAULT_CAPACITY.maxCost } });
  });

  it('a query asking for millions of objects is refused before any SQL runs', async () => {
    const query = `{ hubs(first: 100) { nodes { services(first: 100) { nodes { categories(first: 100) { nodes { services(first: 100) { nodes { name } } } } } } } } }`;
    const stats: SqlStats = { statements: 0 };
    const result = await app.run(query, {}, { stats });
    expect(errorCodes(result)).toEqual(['QUERY_TOO_COSTLY']);
    expect(result.errors![0].extensions!.cost).toBeGreaterThan(1_000_000);
    expect(stats.statements).toBe(0);
  });

  it('variables count: a large page asked through a variable costs as much as a literal one', async () => {
    const schema = await buildDirectorySchema();
    const document = parse(`query ($n: Int) { services(first: $n) { nodes { name } } }`);
    expect(queryCost(schema, document, undefined, { n: 100 })).toBe(queryCost(schema, parse(`{ services(first: 100) { nodes { name } } }`), undefined));
    expect(queryCost(schema, document, undefined, {})).toBe(queryCost(schema, parse(`{ services { nodes { name } } }`), undefined));
  });

  it('every query in the README costs at most a quarter of the limit', async () => {
    const schema = await buildDirectorySchema();
    const readme = readFileSync(resolve(__dirname, '../README.md'), 'utf8');
    const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(blocks.length).toBeGreaterThan(5);
    for (const block of blocks) {
      // A block may hold several operations; cost each.
      const document = parse(block);
      for (const definition of document.definitions) {
        const name = 'name' in definition ? definition.name?.value : undefined;
        const single = { ...document, definitions: [definition] };
        expect(queryCost(schema, single, name), block.slice(0, 80)).toBeLessThanOrEqual(DEFAULT_CAPACITY.maxCost / 4);
      }
    }
  });
});

describe('rate limiting by cost', () => {
  let limited: TestApp;
  let http: Listening;
  let url: string;
  beforeAll(async () => {
    limited = await createTestApp({ app: { rateLimitPoints: 300, rateLimitWindowSeconds: 60 } });
    http = await listen(limited);
    url = http.url;
  });
  afterAll(async () => {
    await http.close();
    await limited.close();
  });

  const post = (query: string, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });

  it('spends each request\'s cost from the budget, with RateLimit headers, then refuses with 429 RATE_LIMITED', async () => {
    const query = `{ services(first: 9) { nodes { name } } }`; // cost 1 + 9 x (1 + 1 x 0) ... = 19
    const first = await post(query);
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-limit')).toBe('300');
    const remaining = Number(first.headers.get('ratelimit-remaining'));
    expect(remaining).toBeLessThan(300);
    let last = first;
    for (let i = 0; i < 40 && last.status === 200; i++) last = await post(query);
    expect(last.status).toBe(429);
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(last.headers.get('ratelimit-remaining')).toBe('0');
    const body = (await last.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(body.errors[0].extensions.code).toBe('RATE_LIMITED');
  });
});

describe('production mode', () => {
  let production: TestApp;
  beforeAll(async () => {
    production = await createTestApp({ app: { production: true } });
  });
  afterAll(() => production.close());

  it('gives no field suggestions', async () => {
    const dev = await app.run('{ hubs { edges { node { nam } } } }');
    expect(dev.errors![0].message).toMatch(/Did you mean/);
    const prod = await production.run('{ hubs { edges { node { nam } } } }');
    expect(prod.errors![0].message).not.toMatch(/Did you mean/);
    expect(prod.errors![0].message).toContain('nam');
  });

  it('refuses introspection unless configured on', async () => {
    expect(errorCodes(await production.run('{ __schema { types { name } } }'))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(errorCodes(await app.run('{ __schema { queryType { name } } }'))).toEqual([]);
  });
});

describe('operations', () => {
  it('/readyz checks the database, /healthz the process', async () => {
    const http = await listen(app);
    try {
      expect(await (await fetch(`${http.origin}/readyz`)).json()).toEqual({ status: 'ready' });
      const broken = await createTestApp({ seed: false });
      const brokenHttp = await listen(broken);
      await broken.orm.close(true);
      const response = await fetch(`${brokenHttp.origin}/readyz`);
      expect(response.status).toBe(503);
      await brokenHttp.close();
      await broken.close().catch(() => undefined);
    } finally {
      await http.close();
    }
  });

  it('logs one JSON line per request with id, operation, duration, SQL count, cost and outcome', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const logged = await createTestApp({ app: { logger: pino({ level: 'info' }, sink) } });
    const http = await listen(logged);
    try {
      const url = http.url;
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'req-123' },
        body: JSON.stringify({ query: 'query Few { hubs(first: 2) { totalCount nodes { name } } }' }),
      });
      expect(response.headers.get('x-request-id')).toBe('req-123');
      await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ hub(id: "bad") { name } }' }) });
      const entries = lines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === 'graphql request');
      expect(entries[0]).toMatchObject({ requestId: 'req-123', operationName: 'Few', sqlStatements: 2, cost: 1 + 2 * 1, outcome: 'ok', viewer: 'anonymous' });
      expect(entries[0].durationMs).toBeGreaterThan(0);
      expect(entries[1]).toMatchObject({ outcome: 'BAD_USER_INPUT' });
    } finally {
      await http.close();
      await logged.close();
    }
  });

  it('a request still sending SQL after its deadline is stopped with REQUEST_TIMEOUT', async () => {
    // A deadline that has passed by the time the first statement is sent: deterministic on any machine.
    const slow = await createTestApp({ app: { requestTimeoutMs: 0 } });
    try {
      const result = await slow.run('{ services(first: 50) { nodes { name provider { name } } } }');
      expect(errorCodes(result)).toContain('REQUEST_TIMEOUT');
      expect(slow.loggedErrors).toEqual([]);
    } finally {
      await slow.close();
    }
  });

  it('a write stopped by its deadline inside the ORM is REQUEST_TIMEOUT too, not an internal error', async () => {
    const slow = await createTestApp({ app: { requestTimeoutMs: 0 } });
    try {
      // MikroORM wraps what the deadline throws from inside the driver (a DriverException copying its properties).
      const result = await slow.run('mutation ($input: ReportProblemInput!) { reportProblem(input: $input) { report { id } } }', {
        input: { serviceId: 'U2VydmljZTox', kind: 'CLOSED', message: 'The group stopped meeting in September.' },
      });
      expect(errorCodes(result)).toEqual(['REQUEST_TIMEOUT']);
      expect(slow.loggedErrors).toEqual([]);
    } finally {
      await slow.close();
    }
  });
});
