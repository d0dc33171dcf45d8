/**
 * Search benchmark (not a test): times the link-worker query over the
 * 50,000-service synthetic directory through the real HTTP server.
 *
 *   npm run bench:search                    # builds data/bench-50k.sqlite on first run
 *   npm run bench:search -- --seconds 20 --concurrency 10
 *   npm run bench:search -- --database 'postgres://postgres@127.0.0.1:5432/test?schema=bench_50k'
 *   npm run bench:search -- --only link-worker       # the variants whose name holds this
 *
 * For each variant it prints median and p95 latency at concurrency 1,
 * requests per second at the fixed concurrency, and SQL statements per request.
 * Variants turn off the bounding box or the FTS index to show what each buys
 * (FTS5 on SQLite, tsvector + GIN on PostgreSQL; without it, a LIKE scan on both),
 * and search counting (SEARCH_INSIGHTS) to show what it costs.
 * The server runs in this process, one app per variant (createApp's `searchTuning`).
 */
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { createApp, type App } from '../src/app';
import { describeDatabase, readDatabaseOption } from '../src/config';
import { DEFAULT_BENCH_DATABASE, ensureBenchDatabase } from './database';
import type { SearchTuning } from '../src/modules/service/service.queries';
import type { DatabaseTarget } from '../src/config';
import type { SqlStats } from '../src/modules/common/sql-stats';
import { percentile } from './http-util';
import { LINK_WORKER_QUERY, LINK_WORKER_VARIABLES } from './queries';

interface Variant {
  name: string;
  variables: Record<string, unknown>;
  tuning: SearchTuning;
  /** Search counting (modules/insights) on (the default) or off, to show what it costs. */
  insights?: boolean;
}

const { person, near, openAt } = LINK_WORKER_VARIABLES;

async function post(url: string, body: string): Promise<void> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const json = (await response.json()) as { errors?: unknown[] };
  if (!response.ok || json.errors) throw new Error(`request failed: ${JSON.stringify(json).slice(0, 300)}`);
}

async function measure(database: DatabaseTarget, variant: Variant, seconds: number, concurrency: number) {
  const app = await createApp({ database, logger: pino({ level: 'silent' }), rateLimitPoints: 1e9, searchTuning: variant.tuning, searchInsights: variant.insights ?? true });
  const server = app.http.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  try {
    return await measureOn(app, url, variant, seconds, concurrency);
  } finally {
    server.close();
    await app.close();
  }
}

/**
 * What search counting costs, measured so that a busy machine slows both
 * sides alike: two servers on the same data, counting on and off, one
 * request at a time to each in turn (which goes first alternating).
 */
async function measureCounting(database: DatabaseTarget, variant: Variant, seconds: number) {
  const apps = await Promise.all([true, false].map((searchInsights) => createApp({ database, logger: pino({ level: 'silent' }), rateLimitPoints: 1e9, searchTuning: variant.tuning, searchInsights })));
  const servers = apps.map((app) => app.http.listen(0, '127.0.0.1'));
  await Promise.all(servers.map((server) => new Promise((resolve) => server.once('listening', resolve))));
  const urls = servers.map((server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`);
  try {
    const body = JSON.stringify({ query: LINK_WORKER_QUERY, variables: variant.variables });
    for (const url of urls) for (let i = 0; i < 5; i++) await post(url, body); // warm-up
    const latencies: number[][] = [[], []];
    const end = performance.now() + seconds * 1000;
    for (let round = 0; performance.now() < end; round++) {
      for (const side of round % 2 ? [1, 0] : [0, 1]) {
        const started = performance.now();
        await post(urls[side], body);
        latencies[side].push(performance.now() - started);
      }
    }
    const [on, off] = latencies;
    const row = (counting: string, times: number[]) => ({ 'search counting': counting, 'median ms': percentile(times, 50).toFixed(1), 'p95 ms': percentile(times, 95).toFixed(1), requests: times.length });
    return { rows: [row('on', on), row('off', off)], addedPercent: ((percentile(on, 50) / percentile(off, 50) - 1) * 100).toFixed(1) };
  } finally {
    servers.forEach((server) => server.close());
    await Promise.all(apps.map((app) => app.close()));
  }
}

async function measureOn(app: App, url: string, variant: Variant, seconds: number, concurrency: number) {
  const body = JSON.stringify({ query: LINK_WORKER_QUERY, variables: variant.variables });
  const stats: SqlStats = { statements: 0 };
  await app.execute({ query: LINK_WORKER_QUERY, variables: variant.variables }, { stats });
  for (let i = 0; i < 5; i++) await post(url, body); // warm-up

  // Latency: one request at a time.
  const latencies: number[] = [];
  const latencyEnd = performance.now() + (seconds * 1000) / 2;
  while (performance.now() < latencyEnd) {
    const started = performance.now();
    await post(url, body);
    latencies.push(performance.now() - started);
  }

  // Throughput: `concurrency` clients back to back.
  let completed = 0;
  const throughputStart = performance.now();
  const throughputEnd = throughputStart + (seconds * 1000) / 2;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < throughputEnd) {
        await post(url, body);
        completed += 1;
      }
    }),
  );
  const elapsed = (performance.now() - throughputStart) / 1000;
  return {
    variant: variant.name,
    'median ms': percentile(latencies, 50).toFixed(1),
    'p95 ms': percentile(latencies, 95).toFixed(1),
    [`req/s @${concurrency}`]: (completed / elapsed).toFixed(0),
    'SQL/request': stats.statements,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      database: { type: 'string', default: DEFAULT_BENCH_DATABASE },
      services: { type: 'string', default: '50000' },
      seconds: { type: 'string', default: '10' },
      concurrency: { type: 'string', default: '10' },
      only: { type: 'string' },
    },
  });
  const database = readDatabaseOption(values.database!);
  await ensureBenchDatabase(database, Number(values.services));
  const on = { boundingBox: true, fullTextIndex: true };
  const variants: Variant[] = [
    { name: 'link-worker (person+near+open+facets)', variables: { person, near, openAt }, tuning: on },
    { name: 'link-worker (person+near+open+facets), search counting off', variables: { person, near, openAt }, tuning: on, insights: false },
    { name: '  same, no bounding box', variables: { person, near, openAt }, tuning: { ...on, boundingBox: false } },
    { name: 'postcode alone: hubs, areas and national', variables: { near }, tuning: on },
    { name: 'link-worker + text "garden"', variables: { person, near, openAt, text: 'garden' }, tuning: on },
    { name: '  same, no FTS index (LIKE scan)', variables: { person, near, openAt, text: 'garden' }, tuning: { ...on, fullTextIndex: false } },
    { name: 'text "garden" alone, nationwide (common word)', variables: { text: 'garden' }, tuning: on },
    { name: '  same, no FTS index (LIKE scan)', variables: { text: 'garden' }, tuning: { ...on, fullTextIndex: false } },
    { name: 'text "truro" alone, nationwide (rare word)', variables: { text: 'truro' }, tuning: on },
    { name: '  same, no FTS index (LIKE scan)', variables: { text: 'truro' }, tuning: { ...on, fullTextIndex: false } },
  ];
  const rows = [];
  const chosen = variants.filter((v) => !values.only || v.name.includes(values.only));
  for (const variant of chosen) rows.push(await measure(database, variant, Number(values.seconds), Number(values.concurrency)));
  console.log(`\nSearch benchmark: ${describeDatabase(database)}, ${values.seconds} s per variant (half latency at concurrency 1, half throughput), Node ${process.version}`);
  console.table(rows);
  const countingOff = chosen.find((v) => v.insights === false);
  if (countingOff) {
    const counting = await measureCounting(database, countingOff, Number(values.seconds));
    console.log(`\nSearch counting, ${countingOff.name.replace(/, search counting off$/, '')}: counting on and off in turn, concurrency 1, ${values.seconds} s`);
    console.table(counting.rows);
    console.log(`Counting adds ${counting.addedPercent}% to the median.`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
