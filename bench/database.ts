import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { describeDatabase, type DatabaseTarget } from '../src/config';
import { openDatabase } from '../src/orm';
import { DIRECTORY_TABLES, generateSyntheticDirectory } from '../seeds/synthetic';

/** Where the benchmarks run unless `--database` says otherwise. */
export const DEFAULT_BENCH_DATABASE = 'data/bench-50k.sqlite';

/**
 * The synthetic benchmark directory, built on first use (seed 1, so every run
 * measures the same rows): an SQLite file that does not exist yet, or a
 * PostgreSQL schema with no services once migrated (an empty or new schema).
 *
 * On PostgreSQL every run also vacuums and analyzes the schema's tables, as
 * autovacuum would have by the time a loaded directory serves searches: a
 * bulk load leaves no planner statistics (without them the search and map
 * plans are orders of magnitude slower than they should be) and no
 * visibility map (without it every index-only scan still reads the heap).
 */
export async function ensureBenchDatabase(target: DatabaseTarget, services: number): Promise<void> {
  if (target.kind === 'sqlite') {
    if (target.path === ':memory:') throw new Error('The benchmarks need a database file or a PostgreSQL URL, not ":memory:".');
    if (existsSync(target.path)) return;
    mkdirSync(dirname(target.path), { recursive: true });
  }
  const orm = await openDatabase(target);
  try {
    const knex = orm.em.getKnex();
    const [{ count }] = await knex('service').count({ count: '*' });
    if (Number(count) === 0) {
      const started = performance.now();
      const counts = await generateSyntheticDirectory(knex, { services, seed: 1 });
      console.log(`Built ${describeDatabase(target)}: ${counts.services} services in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    // Outside the generator's transaction: VACUUM cannot run inside one.
    if (target.kind === 'postgresql') await knex.raw(`vacuum (analyze) ${DIRECTORY_TABLES.join(', ')}`);
  } finally {
    await orm.close(true);
  }
}
