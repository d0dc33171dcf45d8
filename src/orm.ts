import { MikroORM, type Options } from '@mikro-orm/core';
import type { AbstractSqlDriver } from '@mikro-orm/knex';
import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { SqliteDriver } from '@mikro-orm/sqlite';
import type { DatabaseTarget } from './config';
import { Provider } from './modules/provider/provider.entity';
import { Hub } from './modules/hub/hub.entity';
import { Category } from './modules/category/category.entity';
import { Taxonomy } from './modules/category/taxonomy.entity';
import { EligibilityCriterion } from './modules/eligibility/criterion.entity';
import { Service } from './modules/service/service.entity';
import { ServiceLocation } from './modules/service/service-location.entity';
import { ServiceArea } from './modules/service/service-area.entity';
import { SynonymGroup } from './modules/search/synonym-group.entity';
import { ReviewReminder } from './modules/review/review-reminder.entity';
import { Schedule } from './modules/service/schedule.entity';
import { Account } from './modules/account/account.entity';
import { ApiKey } from './modules/account/api-key.entity';
import { AuditEntry } from './modules/audit/audit-entry.entity';
import { ProblemReport } from './modules/report/problem-report.entity';
import { migrationsFor } from './migrations';
import { recordStatement } from './modules/common/sql-stats';

export const ENTITIES = [Provider, Hub, Taxonomy, Category, EligibilityCriterion, Service, ServiceLocation, ServiceArea, Schedule, Account, ApiKey, AuditEntry, SynonymGroup, ReviewReminder, ProblemReport];

export type Orm = MikroORM<AbstractSqlDriver>;

/** SQLite connections for a database file: reads run in parallel on them (libuv runs each in its own thread). */
const SQLITE_READ_CONNECTIONS = 4;
const SQLITE_MMAP_BYTES = 256 * 1024 * 1024;
/** PostgreSQL connections per server instance: enough to keep both cores of the database busy with room for writes. */
const POSTGRES_CONNECTIONS = 10;

type Done = (error: Error | null, connection: unknown) => void;
type Callback = (error: Error | null) => void;

/** Runs `statements` one after another on a fresh driver connection (pg's or sqlite3's), then hands it to the pool. */
function prepareConnection<C>(statements: string[], run: (connection: C, sql: string, done: Callback) => void) {
  return (connection: C, done: Done) => {
    const next = (index: number): void => {
      if (index === statements.length) return done(null, connection);
      run(connection, statements[index], (error) => (error ? done(error, connection) : next(index + 1)));
    };
    next(0);
  };
}

/** ORM options for a database target: the same entities on either database, each with its own migrations. */
export function ormOptions(target: DatabaseTarget): Options<AbstractSqlDriver> {
  const common = {
    entities: ENTITIES,
    extensions: [Migrator],
    // Entities declare every column type explicitly, so no reflection is needed.
    discovery: { requireEntitiesArray: true },
    migrations: {
      migrationsList: migrationsFor(target.kind),
      path: `src/migrations/${target.kind}`,
      emit: 'ts' as const,
      snapshot: false,
      transactional: true,
      silent: true,
      allOrNothing: true,
    },
    // Identity-map caching only lives as long as a request's fork.
    allowGlobalContext: false,
    forceUtcTimezone: true,
  };
  if (target.kind === 'postgresql') {
    const searchPath = target.schema ? [`set search_path to ${quoteIdentifier(target.schema)}, public`] : [];
    // A directory answers many small searches at once: parallel workers for one of them take the
    // cores the others need (the link-worker search at 10 at a time: see the README's measurements).
    const settings = [...searchPath, 'set max_parallel_workers_per_gather = 0'];
    return {
      ...common,
      driver: PostgreSqlDriver,
      clientUrl: target.url,
      schema: target.schema,
      // A mistyped database name is an error, not a new empty database (see openDatabase).
      ensureDatabase: false,
      pool: {
        min: 0,
        max: POSTGRES_CONNECTIONS,
        afterCreate: prepareConnection<{ query(sql: string, done: Callback): void }>(settings, (connection, sql, done) => connection.query(sql, (error: Error | null) => done(error))),
      },
    } as Options<AbstractSqlDriver>;
  }
  const { path } = target;
  // Several connections read at once in WAL mode (writes are queued one at a time,
  // see write-lock.ts); ":memory:" must stay one connection, or each would be its
  // own empty database. Every connection gets the same settings.
  // Reads through a memory map (up to 256 MiB of the file, shared by the connections through the OS page cache)
  // instead of copying pages into each connection's 2 MiB cache: a location's row is no longer read from the
  // file again on the next search (link-worker statement 25.0 to 17.6 ms on 50,000 services, bench/search.ts).
  const pragmas =
    path === ':memory:'
      ? ['pragma foreign_keys = on']
      : ['pragma foreign_keys = on', 'pragma busy_timeout = 5000', 'pragma journal_mode = wal', `pragma mmap_size = ${SQLITE_MMAP_BYTES}`];
  return {
    ...common,
    driver: SqliteDriver,
    dbName: path,
    pool: {
      min: 1,
      max: path === ':memory:' ? 1 : SQLITE_READ_CONNECTIONS,
      afterCreate: prepareConnection<{ run(sql: string, done: Callback): void }>(pragmas, (connection, sql, done) => connection.run(sql, done)),
    },
  } as Options<AbstractSqlDriver>;
}

/** A schema name as a quoted SQL identifier. */
export function quoteIdentifier(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)) throw new Error(`Not a valid schema name: ${name}`);
  return `"${name}"`;
}

/**
 * Drops everything in the target's schema (`public` when it names none) and
 * leaves the schema empty: for `seed --reset` and for test schemas.
 */
export async function dropSchema(target: Extract<DatabaseTarget, { kind: 'postgresql' }>): Promise<void> {
  const schema = quoteIdentifier(target.schema ?? 'public');
  const orm = await MikroORM.init({ ...ormOptions({ kind: 'postgresql', url: target.url }), migrations: { migrationsList: [] } } as Options<AbstractSqlDriver>);
  try {
    await orm.em.getConnection().execute(`drop schema if exists ${schema} cascade`);
    if (!target.schema) await orm.em.getConnection().execute(`create schema ${schema}`);
  } finally {
    await orm.close(true);
  }
}

/**
 * Opens the database, brings its schema up to date by running migrations,
 * and reports every SQL statement to the per-request statement counter.
 */
export async function openDatabase(target: DatabaseTarget): Promise<Orm> {
  const orm = await MikroORM.init(ormOptions(target));
  // Checked before the migrator runs: it would create a missing PostgreSQL
  // database, and a mistyped name should be an error, not a new empty directory.
  const connection = await orm.checkConnection();
  if (!connection.ok) {
    await orm.close(true);
    throw new Error(connection.reason);
  }
  const knex = orm.em.getKnex();
  knex.on('query', (query: { sql: string }) => recordStatement(query.sql));
  if (target.kind === 'postgresql' && target.schema) await orm.em.getConnection().execute(`create schema if not exists ${quoteIdentifier(target.schema)}`);
  await migrate(orm, target);
  return orm;
}

/**
 * Runs the migrations. Before it starts, MikroORM's migrator lists every table of the database, in
 * every schema, and reads each one's comment by name: a schema that another process drops in
 * between (a test app closing beside this one, another tenant) fails that listing with "schema ...
 * does not exist" (SQLSTATE 3F000), though it has nothing to do with this one. The listing is
 * then read again, a few times; a missing schema of our own is still an error.
 */
async function migrate(orm: Orm, target: DatabaseTarget): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await orm.getMigrator().up();
      return;
    } catch (error) {
      const { code, message } = error as { code?: string; message?: string };
      const ours = target.kind === 'postgresql' && target.schema !== undefined && message?.includes(`"${target.schema}"`);
      if (code !== '3F000' || ours || attempt === 5) throw error;
    }
  }
}
