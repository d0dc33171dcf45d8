/**
 * Where does one search request spend its database time? Runs the
 * link-worker query (bench/search.ts) a few times against a database and
 * prints each SQL statement of the last run with its duration.
 *
 *   npm run bench:profile-sql [-- --database data/bench-50k.sqlite]
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { createApp } from '../src/app';
import { readDatabaseOption } from '../src/config';
import { LINK_WORKER_QUERY, LINK_WORKER_VARIABLES } from './queries';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { database: { type: 'string', default: 'data/bench-50k.sqlite' }, runs: { type: 'string', default: '5' } } });
  const app = await createApp({ database: readDatabaseOption(values.database!), logger: pino({ level: 'silent' }) });
  const knex = app.orm.em.getKnex();
  const started = new Map<string, number>();
  const log: Array<[number, string]> = [];
  knex.on('query', (q: { __knexQueryUid: string }) => started.set(q.__knexQueryUid, performance.now()));
  knex.on('query-response', (_rows: unknown, q: { __knexQueryUid: string; sql: string }) => log.push([performance.now() - started.get(q.__knexQueryUid)!, q.sql]));
  for (let run = 1; run <= Number(values.runs); run++) {
    log.length = 0;
    const start = performance.now();
    const result = await app.execute({ query: LINK_WORKER_QUERY, variables: LINK_WORKER_VARIABLES });
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    console.log(`run ${run}: ${(performance.now() - start).toFixed(1)} ms, ${log.length} statements, ${log.reduce((sum, [ms]) => sum + ms, 0).toFixed(1)} ms in SQL`);
  }
  for (const [ms, sql] of log) console.log(`${ms.toFixed(1).padStart(7)} ms  ${sql.replace(/\s+/g, ' ').slice(0, 150)}`);
  await app.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
