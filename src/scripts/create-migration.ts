/**
 * Developer tool: writes a migration for the difference between the entities
 * and the schema the existing migrations build. Run `npm run migration:create`,
 * then add the new class to src/migrations/index.ts.
 */
import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/sqlite';
import { ormOptions } from '../orm';

async function main(): Promise<void> {
  const orm = await MikroORM.init(ormOptions(':memory:'));
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
