/**
 * Developer tool: `npm run migration:create -- <name>` writes an empty
 * migration for each database (src/migrations/sqlite/ and
 * src/migrations/postgresql/), to fill in by hand and list in
 * src/migrations/index.ts.
 *
 * Why by hand: since the search index exists, MikroORM's SQLite schema diff
 * fails ("Cannot read properties of null" on the FTS5 table), and its
 * PostgreSQL diff would drop the search table and functions it does not know.
 * test/migrations.test.ts checks, on both databases, that every entity column
 * exists after the migrations run.
 */
import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/core';
import type { AbstractSqlDriver } from '@mikro-orm/knex';
import { ormOptions } from '../orm';

async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name || !/^[A-Za-z][A-Za-z0-9]*$/.test(name)) throw new Error('Give the migration a name in letters and digits: npm run migration:create -- AddServiceLanguages');
  for (const kind of ['sqlite', 'postgresql'] as const) {
    const options = ormOptions(kind === 'sqlite' ? { kind, path: ':memory:' } : { kind, url: 'postgres://localhost/unused' });
    const orm = await MikroORM.init<AbstractSqlDriver>({ ...options, connect: false });
    const result = await orm.getMigrator().createMigration(`src/migrations/${kind}`, true, false, name);
    console.log(`wrote src/migrations/${kind}/${result.fileName}`);
    await orm.close(true);
  }
  console.log('Fill in up() (and down()) for each database, then list both in src/migrations/index.ts.');
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
