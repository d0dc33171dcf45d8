/**
 * Developer tool: writes a migration for the difference between the entities
 * and the schema the existing migrations build. Run `npm run migration:create`,
 * then add the new class to src/migrations/index.ts.
 *
 * Since the FTS5 search table exists, MikroORM's SQLite schema diff fails
 * ("Cannot read properties of null"); write migrations by hand, as
 * Migration20261122200000_PartnerEditing does. test/migrations.test.ts checks
 * that every entity column exists after the migrations run.
 */
import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/core';
import { ormOptions } from '../orm';

async function main(): Promise<void> {
  const orm = await MikroORM.init(ormOptions({ kind: 'sqlite', path: ':memory:' }));
  const migrator = orm.getMigrator();
  await migrator.up();
  const result = await migrator.createMigration('src/migrations', false, false, process.argv[2]);
  console.log(result.fileName ? `wrote src/migrations/${result.fileName}` : 'no changes: nothing written');
  await orm.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
