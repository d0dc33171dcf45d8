import { describe, expect, it } from 'vitest';
import { rawRows } from '../src/modules/common/dialect';
import { openDatabase } from '../src/orm';
import { createTestApp, onPostgres } from './utils';

describe('migrations', () => {
  /*
   * MikroORM's own schema diff always reports SQLite enum check constraints
   * as changed (and cannot read a database with FTS5 tables), so this
   * compares columns directly: every table and column the entities map to
   * must exist after the migrations ran on an empty database, and nothing more.
   */
  it('create every table and column the entities map to, from an empty database', async () => {
    const app = await createTestApp({ seed: false });
    try {
      const { orm } = app;
      const knex = orm.em.getKnex();
      const schema = (orm.config.get('schema') as string | undefined) ?? 'public';
      for (const meta of Object.values(orm.getMetadata().getAll())) {
        if (meta.abstract || meta.embeddable) continue;
        const expected = Object.values(meta.properties)
          .filter((prop) => prop.persist !== false && prop.fieldNames?.length && ['scalar', 'm:1', 'enum'].includes(prop.kind))
          .flatMap((prop) => prop.fieldNames)
          .sort();
        const columns = onPostgres
          ? await rawRows<{ name: string }>(knex, 'select column_name as name from information_schema.columns where table_schema = ? and table_name = ?', [schema, meta.tableName])
          : await rawRows<{ name: string }>(knex, `select name from pragma_table_info('${meta.tableName}')`);
        expect(columns.map((c) => c.name).sort(), `table ${meta.tableName}`).toEqual(expected);
      }
      expect(await orm.getMigrator().getPendingMigrations()).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('index every foreign key column, so joins and cascades never scan a table', async () => {
    const app = await createTestApp({ seed: false });
    try {
      const knex = app.orm.em.getKnex();
      for (const meta of Object.values(app.orm.getMetadata().getAll())) {
        const foreignKeys = Object.values(meta.properties).filter((prop) => prop.kind === 'm:1').flatMap((prop) => prop.fieldNames);
        for (const column of foreignKeys) {
          const leading = onPostgres
            ? await rawRows<{ name: string }>(
                knex,
                `select a.attname as name from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
                 where i.indrelid = to_regclass(?)`,
                [meta.tableName],
              )
            : await rawRows<{ name: string }>(
                knex,
                `select (select name from pragma_index_info(l.name) where seqno = 0) as name from pragma_index_list('${meta.tableName}') l`,
              );
          expect(leading.map((row) => row.name), `${meta.tableName}.${column}`).toContain(column);
        }
      }
    } finally {
      await app.close();
    }
  });
});

describe.runIf(onPostgres)('opening a PostgreSQL database', () => {
  it('refuses a database that does not exist, and creates none', async () => {
    const url = new URL(process.env.TEST_DATABASE_URL!);
    const missing = `spd_missing_${process.pid}`;
    url.pathname = `/${missing}`;
    await expect(openDatabase({ kind: 'postgresql', url: url.toString() })).rejects.toThrow(`database "${missing}" does not exist`);
    const app = await createTestApp({ seed: false });
    try {
      const found = await rawRows(app.orm.em.getKnex(), 'select datname from pg_database where datname = ?', [missing]);
      expect(found).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
