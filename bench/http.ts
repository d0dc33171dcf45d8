/**
 * The benchmark against the floor (not a test): five requests over HTTP with
 * autocannon at a fixed concurrency, against three servers on the same
 * 50,000-service database (SQLite or PostgreSQL), each in its own process:
 *   ours   - the GraphQL server as shipped;
 *   naive  - the same server with DataLoader batching off (one query per parent) and every query executed field by field (COMPILED_READS=false);
 *   floor  - the same SQL replayed through the same driver (sqlite3 or pg), as JSON, no GraphQL (bench/floor.ts).
 * Prints requests/second, p50/p95/p99 latency, SQL statements per request and
 * peak RSS for each, and our ratios to the floor and to the naive build.
 *
 *   npm run bench [-- --seconds 10 --connections 10]
 *   npm run bench -- --database 'postgres://postgres@127.0.0.1:5432/test?schema=bench_50k'
 *
 * `--database` is an SQLite file (default data/bench-50k.sqlite) or a
 * postgres:// URL; the 50,000 services are generated into it when it is
 * missing (SQLite) or has no services (PostgreSQL).
 */
import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { pino } from 'pino';
import { createApp } from '../src/app';
import { describeDatabase, readDatabaseOption, type DatabaseTarget } from '../src/config';
import { openDatabase } from '../src/orm';
import { issueApiKey, createAccount, revokeApiKey } from '../src/modules/account/account.commands';
import { AccountRole } from '../src/modules/account/account.entity';
import { toGlobalId } from '../src/modules/common/global-id';
import type { SqlStats } from '../src/modules/common/sql-stats';
import type { EntityManager } from '@mikro-orm/knex';
import { DEFAULT_BENCH_DATABASE, ensureBenchDatabase } from './database';
import { freePort, percentile, serverEnv, waitFor } from './http-util';
import { benchReads, ORUK_PAGE, richestService, UPDATE_MUTATION, VERSION_QUERY } from './queries';

/** What one autocannon connection remembers between its requests. */
type Ctx = { id?: number; version?: number };

interface Request {
  name: string;
  query: string;
  variables: Record<string, unknown>;
}

const { values } = parseArgs({
  options: {
    database: { type: 'string', default: DEFAULT_BENCH_DATABASE },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
  },
});
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const TARGET = readDatabaseOption(values.database!);

function peakRssMb(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  return Math.round(Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024);
}

/**
 * The floor replays each statement with the bindings knex gave the driver,
 * through a JSON file: only values JSON keeps as they are may go in it (and
 * dates, which the plan writes as `{ "$date": ms }` and the floor makes Dates
 * again), or the floor would send something other than what ours sent.
 */
function assertReplayable(request: string, bindings: unknown[]): void {
  const plain = (value: unknown): boolean =>
    value === null || value instanceof Date || ['string', 'number', 'boolean'].includes(typeof value) || (Array.isArray(value) && value.every(plain));
  const odd = bindings.find((value) => !plain(value));
  if (odd !== undefined) throw new Error(`${request}: a binding the floor cannot replay exactly through JSON: ${String(odd)}`);
}

/** Runs autocannon; `requests` is the cycle each connection repeats. */
function load(url: string, requests: autocannon.Request[]): Promise<{ rps: number; p50: number; p95: number; p99: number; errors: number; kbPerResponse: number }> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    const instance = autocannon({ url, connections: CONNECTIONS, duration: SECONDS, requests }, (error, result) => {
      if (error) return reject(error);
      resolve({
        rps: Math.round(result.requests.average),
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
        p99: percentile(latencies, 99),
        errors: result.errors + result.non2xx,
        kbPerResponse: result.throughput.total / Math.max(1, result.requests.total) / 1024,
      });
    });
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => latencies.push(responseTime));
  });
}

async function main(): Promise<void> {
  await ensureBenchDatabase(TARGET, 50_000);
  // On SQLite each run works on a copy, so the partner updates of one run do not change the next.
  // On PostgreSQL the runs share the schema: copying it would cost more than the run, and the
  // updates only change descriptions and versions (plus audit entries and one benchmark
  // account per run), which neither the reads nor the next run's updates depend on.
  const copy = 'data/bench-run.sqlite';
  let database: DatabaseTarget = TARGET;
  if (TARGET.kind === 'sqlite') {
    for (const suffix of ['', '-wal', '-shm']) rmSync(copy + suffix, { force: true });
    copyFileSync(TARGET.path, copy);
    database = { kind: 'sqlite', path: copy };
  }
  /** The same database for the child processes: DATABASE_URL for ours and naive, the `--database` form for the floor. */
  const databaseUrl = database.kind === 'sqlite' ? `sqlite:${database.path}` : values.database!;
  const floorDatabase = database.kind === 'sqlite' ? database.path : values.database!;

  // In-process: a key for the updates, the ids to ask for, the SQL each request sends, statement counts.
  const app = await createApp({ database, logger: pino({ level: 'silent' }), rateLimitPoints: 1e9 });
  // The naive build's statement counts come from a second app on the same database, batching off.
  const naiveApp = await createApp({ database, logger: pino({ level: 'silent' }), rateLimitPoints: 1e9, batchLoads: false, compiledReads: false });
  const em = app.orm.em.fork() as EntityManager;
  const admin = await createAccount(em, 'command line', { name: 'Benchmark', role: AccountRole.ADMIN });
  const { key, apiKey } = await issueApiKey(app.orm.em.fork() as EntityManager, 'command line', admin.id, 'benchmark');
  try {
    const knex = em.getKnex();
    const updatable: number[] = (await knex('service').select('id').where('status', 'ACTIVE').where('draft', false).orderBy('id').limit(500)).map((r: { id: number }) => r.id);

    const reads: Request[] = benchReads(await richestService(knex));
    /** The mixed workload's index, after the reads. */
    const UPDATES = reads.length;
    const plan: Record<string, Array<{ sql: string; bindings: unknown[] }>> = {};
    const statements = new Map<string, { ours: number; naive: number }>();
    let capture: Array<{ sql: string; bindings: unknown[] }> | undefined;
    // knex reports a statement as it hands it to the driver: on PostgreSQL its `?` placeholders
    // are already numbered `$1, $2, ...` (a `?` escaped for knex is a plain `?` by then), which is
    // what pg takes, so the floor sends each statement as captured on either database.
    knex.on('query', (q: { sql: string; bindings: unknown[] }) => capture?.push({ sql: q.sql, bindings: q.bindings ?? [] }));
    for (const [index, request] of reads.entries()) {
      const counts = { ours: 0, naive: 0 };
      for (const batch of [true, false]) {
        const stats: SqlStats = { statements: 0 };
        capture = [];
        const result = await (batch ? app : naiveApp).execute({ query: request.query, variables: request.variables }, { stats });
        if (result.errors) throw new Error(`${request.name}: ${JSON.stringify(result.errors)}`);
        if (batch) {
          for (const statement of capture) assertReplayable(request.name, statement.bindings);
          plan[`r${index}`] = capture;
        }
        counts[batch ? 'ours' : 'naive'] = stats.statements;
      }
      statements.set(request.name, counts);
    }
    capture = undefined;
    await naiveApp.close();
    await app.close();
    mkdirSync('data', { recursive: true });
    // Date.prototype.toJSON runs before a replacer sees the value, so dates are swapped for { $date } first.
    const withDates = (value: unknown): unknown => (value instanceof Date ? { $date: value.getTime() } : Array.isArray(value) ? value.map(withDates) : value);
    writeFileSync('data/bench-plan.json', JSON.stringify(Object.fromEntries(Object.entries(plan).map(([key, statements]) => [key, statements.map((statement) => ({ ...statement, bindings: withDates(statement.bindings) }))]))));

    const graphqlBody = (request: Request) => JSON.stringify({ query: request.query, variables: request.variables });
    const mixFor = (server: 'graphql' | 'floor'): autocannon.Request[] => {
      const pick = (context: Ctx) => (context.id ??= updatable[Math.floor(Math.random() * updatable.length)]) as number;
      const read = server === 'graphql' ? { method: 'POST' as const, path: '/graphql', body: graphqlBody(reads[2]) } : { method: 'POST' as const, path: '/r2', body: '{}' };
      return [
        ...Array.from({ length: 8 }, () => read),
        server === 'graphql'
          ? {
              method: 'POST',
              path: '/graphql',
              setupRequest: (req, context: Ctx) => ({ ...req, body: JSON.stringify({ query: VERSION_QUERY, variables: { id: toGlobalId('Service', pick(context)) } }) }),
              onResponse: (_status, body, context: Ctx) => (context.version = JSON.parse(body).data.service.version),
            }
          : {
              method: 'POST',
              path: '/version',
              setupRequest: (req, context: Ctx) => ({ ...req, body: JSON.stringify({ id: pick(context) }) }),
              onResponse: (_status, body, context: Ctx) => (context.version = JSON.parse(body).data[0].version),
            },
        server === 'graphql'
          ? {
              method: 'POST',
              path: '/graphql',
              setupRequest: (req, context: Ctx) => ({
                ...req,
                body: JSON.stringify({ query: UPDATE_MUTATION, variables: { input: { id: toGlobalId('Service', pick(context)), version: context.version, description: `Benchmark ${Date.now()}` } } }),
              }),
            }
          : {
              method: 'POST',
              path: '/update',
              setupRequest: (req, context: Ctx) => ({ ...req, body: JSON.stringify({ id: pick(context), version: context.version, description: `Benchmark ${Date.now()}` }) }),
            },
      ];
    };

    const servers: Array<{ name: string; start: (port: number) => ChildProcess; requests: (index: number) => autocannon.Request[] }> = [
      {
        name: 'ours',
        start: (port) => spawn('node', ['dist/src/server.js'], { env: { ...serverEnv(port, databaseUrl), BATCH_LOADS: 'true' }, stdio: 'ignore' }),
        requests: (index) => (index < UPDATES ? [{ method: 'POST', path: '/graphql', body: graphqlBody(reads[index]) }] : mixFor('graphql')),
      },
      {
        name: 'naive',
        start: (port) => spawn('node', ['dist/src/server.js'], { env: { ...serverEnv(port, databaseUrl), BATCH_LOADS: 'false', COMPILED_READS: 'false' }, stdio: 'ignore' }),
        requests: (index) => (index < UPDATES ? [{ method: 'POST', path: '/graphql', body: graphqlBody(reads[index]) }] : mixFor('graphql')),
      },
      {
        name: 'floor',
        start: (port) => spawn('node', ['dist/bench/floor.js', String(port), floorDatabase, 'data/bench-plan.json'], { stdio: 'ignore' }),
        requests: (index) => (index < UPDATES ? [{ method: 'POST', path: `/r${index}`, body: '{}' }] : mixFor('floor')),
      },
    ];
    const names = [...reads.map((r) => r.name), '90% reads / 10% partner updates'];
    const results: Record<string, Record<string, Awaited<ReturnType<typeof load>>>> = {};
    const rss: Record<string, number> = {};
    const oruk: Record<string, Awaited<ReturnType<typeof load>>> = {};
    for (const server of servers) {
      const port = await freePort();
      const child = server.start(port);
      try {
        await waitFor(`http://127.0.0.1:${port}/readyz`).catch(() => {
          throw new Error(`${server.name} did not start`);
        });
        for (const [index, name] of names.entries()) {
          // The reads are asked as the public asks them, as their statements were captured for the floor (anonymously):
          // with a key, ours would send one more statement (the key's lookup) and an admin's wider statement than the floor replays.
          // Only the partner updates carry the benchmark's key.
          const authorization: Record<string, string> = server.name !== 'floor' && index === UPDATES ? { authorization: `Bearer ${key}` } : {};
          const requests = server.requests(index).map((r) => ({ ...r, headers: { 'content-type': 'application/json', ...authorization } }));
          (results[name] ??= {})[server.name] = await load(`http://127.0.0.1:${port}`, requests);
        }
        if (server.name !== 'floor') oruk[server.name] = await load(`http://127.0.0.1:${port}`, [{ method: 'GET', path: ORUK_PAGE }]);
        rss[server.name] = peakRssMb(child);
      } finally {
        child.kill('SIGTERM');
        await new Promise((done) => child.once('exit', done));
      }
    }

    console.log(`\nHTTP benchmark: ${describeDatabase(TARGET)}, ${SECONDS} s per request and server, ${CONNECTIONS} connections, Node ${process.version}, ${(await import('node:os')).cpus().length} cores`);
    const rows = names.flatMap((name) =>
      ['ours', 'naive', 'floor'].map((server) => {
        const r = results[name][server];
        const sql = statements.get(name);
        return {
          request: server === 'ours' ? name : '',
          server,
          'req/s': r.rps,
          'p50 ms': r.p50,
          'p95 ms': r.p95,
          'p99 ms': r.p99,
          'SQL/req': sql ? (server === 'naive' ? sql.naive : sql.ours) : server === 'floor' ? '1-3' : '≈1-10',
          errors: r.errors,
          'ours/this req/s': server === 'ours' ? '' : (results[name].ours.rps / r.rps).toFixed(2),
        };
      }),
    );
    console.table(rows);
    console.log(`Peak RSS: ours ${rss.ours} MB, naive ${rss.naive} MB, floor ${rss.floor} MB`);
    const deep = results['deep slice, services(first: 100)'];
    for (const server of ['ours', 'naive']) {
      const r = oruk[server];
      console.log(
        `ORUK ${ORUK_PAGE} (${server}): ${r.rps} req/s, p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, ${r.errors} errors; ` +
          `one page costs ${(deep[server].rps / r.rps).toFixed(2)}x the deep slice (target: at most 1.5x for ours); ` +
          `it is ${r.kbPerResponse.toFixed(0)} KB against ${deep[server].kbPerResponse.toFixed(1)} (${(r.kbPerResponse / deep[server].kbPerResponse).toFixed(1)}x the bytes)`,
      );
    }
  } finally {
    if (database.kind === 'sqlite') {
      for (const suffix of ['', '-wal', '-shm']) if (existsSync(copy + suffix)) rmSync(copy + suffix);
    } else {
      // The shared schema keeps this run's account, but not a working admin key.
      const orm = await openDatabase(database);
      await revokeApiKey(orm.em.fork() as EntityManager, 'command line', { id: apiKey.id });
      await orm.close(true);
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
