import { MikroORM } from '@mikro-orm/core';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';

/** Every test app on PostgreSQL gets a schema named with this prefix (see testDatabase in utils.ts). */
export const TEST_SCHEMA_PREFIX = 'spd_test_';

/**
 * Global setup of the PostgreSQL run: checks the database answers (failing
 * with a sentence rather than hundreds of connection errors), and drops the
 * schemas an earlier, interrupted run left behind.
 */
export default async function setup(): Promise<void> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return;
  let orm: MikroORM<PostgreSqlDriver>;
  try {
    orm = await MikroORM.init({ driver: PostgreSqlDriver, clientUrl: url, entities: [], discovery: { warnWhenNoEntities: false }, allowGlobalContext: true });
    await orm.em.getConnection().execute('select 1');
  } catch (error) {
    throw new Error(`TEST_DATABASE_URL names a PostgreSQL database that does not answer (${(error as Error).message}); unset it to run on SQLite only.`, { cause: error });
  }
  try {
    const leftovers = await orm.em.getConnection().execute<Array<{ nspname: string }>>(`select nspname from pg_namespace where nspname like '${TEST_SCHEMA_PREFIX}%'`);
    for (const { nspname } of leftovers) await orm.em.getConnection().execute(`drop schema if exists "${nspname}" cascade`);
  } finally {
    await orm.close(true);
  }
}
