/**
 * Loads data into a database (created and migrated if needed):
 *
 *   npm run seed                                  # sample directory into DATABASE_URL
 *   npm run seed -- synthetic --services 50000    # synthetic set
 *   options: --database <sqlite file> (default: DATABASE_URL or data/directory.sqlite)
 *            --reset (delete the database file first)   --seed <n> (synthetic PRNG seed)
 */
import 'reflect-metadata';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import type { EntityManager } from '@mikro-orm/knex';
import { describeDatabase, readConfig, readDatabaseOption } from '../src/config';
import { dropSchema, openDatabase } from '../src/orm';
import { loadSampleDirectory } from './sample-seeder';
import { generateSyntheticDirectory } from './synthetic';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      database: { type: 'string' },
      services: { type: 'string', default: '50000' },
      seed: { type: 'string', default: '1' },
      reset: { type: 'boolean', default: false },
    },
  });
  const what = positionals[0] ?? 'sample';
  if (what !== 'sample' && what !== 'synthetic') throw new Error(`Unknown data set "${what}": use "sample" or "synthetic".`);
  const services = Number(values.services);
  if (!Number.isInteger(services) || services < 1 || services > 1_000_000) throw new Error('--services must be a whole number from 1 to 1,000,000.');

  const target = values.database ? readDatabaseOption(values.database) : readConfig().database;
  const path = describeDatabase(target);
  if (target.kind === 'sqlite' && target.path !== ':memory:') {
    if (values.reset) for (const suffix of ['', '-wal', '-shm']) if (existsSync(target.path + suffix)) rmSync(target.path + suffix);
    mkdirSync(dirname(target.path), { recursive: true });
  }
  if (target.kind === 'postgresql' && values.reset) await dropSchema(target);
  const orm = await openDatabase(target);
  try {
    const started = performance.now();
    if (what === 'sample') {
      const counts = await loadSampleDirectory(orm.em.fork() as EntityManager);
      console.log(`Loaded the sample directory into ${path}:`, counts);
    } else {
      const counts = await generateSyntheticDirectory(orm.em.getKnex(), { services, seed: Number(values.seed) });
      console.log(`Inserted a synthetic directory into ${path}:`, counts);
    }
    console.log(`Took ${((performance.now() - started) / 1000).toFixed(2)} s.`);
  } finally {
    await orm.close(true);
  }
}

main().catch((error) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(message.length > 500 ? `${message.slice(0, 500)}…` : message);
  process.exit(1);
});
