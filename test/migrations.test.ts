import { describe, expect, it } from 'vitest';
import { MikroORM } from '@mikro-orm/sqlite';
import { ormOptions } from '../src/orm';

describe('migrations', () => {
  /*
   * MikroORM's own schema diff always reports SQLite enum check constraints
   * as changed, so this compares columns directly: every table and column the
   * entities map to must exist after the migrations ran, and nothing more.
   */
  it('create every table and column the entities map to, from an empty database', async () => {
    const orm = await MikroORM.init(ormOptions(':memory:'));
    try {
      await orm.getMigrator().up();
      const knex = orm.em.getKnex();
      for (const meta of Object.values(orm.getMetadata().getAll())) {
        if (meta.abstract || meta.embeddable) continue;
        const expected = Object.values(meta.properties)
          .filter((prop) => prop.persist !== false && prop.fieldNames?.length && ['scalar', 'm:1', 'enum'].includes(prop.kind))
          .flatMap((prop) => prop.fieldNames)
          .sort();
        const columns = (await knex.raw(`select name from pragma_table_info('${meta.tableName}')`)).map((c: { name: string }) => c.name).sort();
        expect(columns, `table ${meta.tableName}`).toEqual(expected);
      }
      expect(await orm.getMigrator().getPendingMigrations()).toEqual([]);
    } finally {
      await orm.close(true);
    }
  });
});
