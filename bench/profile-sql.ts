/**
 * Where does one search request spend its database time? Runs the
 * link-worker query (bench/search.ts) a few times against a database and
 * prints each SQL statement of the last run with its duration.
 *
 *   npm run bench:profile-sql [-- --database data/bench-50k.sqlite]
 *   npm run bench:profile-sql -- --explain      # also the slowest statement's plan:
 *                                               # EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL, EXPLAIN QUERY PLAN on SQLite
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { createApp } from '../src/app';
import { readDatabaseOption } from '../src/config';
import { LINK_WORKER_QUERY, LINK_WORKER_VARIABLES } from './queries';

interface Statement {
  ms: number;
  sql: string;
  bindings: unknown[];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { database: { type: 'string', default: 'data/bench-50k.sqlite' }, runs: { type: 'string', default: '5' }, explain: { type: 'boolean', default: false } },
  });
  const database = readDatabaseOption(values.database!);
  const app = await createApp({ database, logger: pino({ level: 'silent' }) });
  const knex = app.orm.em.getKnex();
  const started = new Map<string, number>();
  const log: Statement[] = [];
  knex.on('query', (q: { __knexQueryUid: string }) => started.set(q.__knexQueryUid, performance.now()));
  knex.on('query-response', (_rows: unknown, q: { __knexQueryUid: string; sql: string; bindings?: unknown[] }) =>
    log.push({ ms: performance.now() - started.get(q.__knexQueryUid)!, sql: q.sql, bindings: q.bindings ?? [] }),
  );
  for (let run = 1; run <= Number(values.runs); run++) {
    log.length = 0;
    const start = performance.now();
    const result = await app.execute({ query: LINK_WORKER_QUERY, variables: LINK_WORKER_VARIABLES });
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    console.log(`run ${run}: ${(performance.now() - start).toFixed(1)} ms, ${log.length} statements, ${log.reduce((sum, { ms }) => sum + ms, 0).toFixed(1)} ms in SQL`);
  }
  const statements = [...log];
  for (const { ms, sql } of statements) console.log(`${ms.toFixed(1).padStart(7)} ms  ${sql.replace(/\s+/g, ' ').slice(0, 150)}`);
  if (values.explain && statements.length > 0) {
    const slowest = statements.reduce((a, b) => (b.ms > a.ms ? b : a));
    const prefix = database.kind === 'postgresql' ? 'explain (analyze, buffers)' : 'explain query plan';
    // The logged SQL is the driver's ($1, $2... on PostgreSQL): back to knex's placeholders, in the same order.
    const sql = slowest.sql.replace(/\$\d+\b/g, '?');
    const plan = (await knex.raw(`${prefix} ${sql}`, slowest.bindings as never[])) as { rows?: Array<Record<string, unknown>> } | Array<Record<string, unknown>>;
    const rows = Array.isArray(plan) ? plan : (plan.rows ?? []);
    console.log(`\nplan of the slowest statement (${slowest.ms.toFixed(1)} ms):`);
    for (const row of rows) console.log(String(row['QUERY PLAN'] ?? row.detail ?? JSON.stringify(row)));
  }
  await app.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
