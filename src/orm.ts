import { MikroORM, defineConfig, type Options } from '@mikro-orm/sqlite';
import { Migrator } from '@mikro-orm/migrations';
import { Provider } from './modules/provider/provider.entity';
import { Hub } from './modules/hub/hub.entity';
import { Category } from './modules/category/category.entity';
import { EligibilityCriterion } from './modules/eligibility/criterion.entity';
import { Service } from './modules/service/service.entity';
import { ServiceLocation } from './modules/service/service-location.entity';
import { Schedule } from './modules/service/schedule.entity';
import { Account } from './modules/account/account.entity';
import { ApiKey } from './modules/account/api-key.entity';
import { AuditEntry } from './modules/audit/audit-entry.entity';
import { migrationsList } from './migrations';
import { recordStatement } from './modules/common/sql-stats';

export const ENTITIES = [Provider, Hub, Category, EligibilityCriterion, Service, ServiceLocation, Schedule, Account, ApiKey, AuditEntry];

export type Orm = MikroORM;

/** SQLite connections for a database file: reads run in parallel on them (libuv runs each in its own thread). */
const READ_CONNECTIONS = 4;

/** ORM options for an SQLite file (or ":memory:"). */
export function ormOptions(dbName: string): Options {
  return defineConfig({
    dbName,
    entities: ENTITIES,
    extensions: [Migrator],
    // Entities declare every column type explicitly, so no reflection is needed.
    discovery: { requireEntitiesArray: true },
    migrations: {
      migrationsList,
      path: 'src/migrations',
      emit: 'ts',
      snapshot: false,
      transactional: true,
      silent: true,
      allOrNothing: true,
    },
    // Identity-map caching only lives as long as a request's fork.
    allowGlobalContext: false,
    forceUtcTimezone: true,
    // Several connections read at once in WAL mode (writes are queued one at a time,
    // see write-lock.ts); ":memory:" must stay one connection, or each would be its
    // own empty database. Every connection gets the same settings.
    pool: {
      min: 1,
      max: dbName === ':memory:' ? 1 : READ_CONNECTIONS,
      afterCreate: (connection: { run: (sql: string, done: (error: Error | null) => void) => void }, done: (error: Error | null, connection: unknown) => void) => {
        const pragmas = dbName === ':memory:' ? ['pragma foreign_keys = on'] : ['pragma foreign_keys = on', 'pragma busy_timeout = 5000', 'pragma journal_mode = wal'];
        const next = (index: number): void => {
          if (index === pragmas.length) return done(null, connection);
          connection.run(pragmas[index], (error) => (error ? done(error, connection) : next(index + 1)));
        };
        next(0);
      },
    },
  });
}

/**
 * Opens the database, brings its schema up to date by running migrations,
 * and reports every SQL statement to the per-request statement counter.
 */
export async function openDatabase(dbName: string): Promise<Orm> {
  const orm = await MikroORM.init(ormOptions(dbName));
  const knex = orm.em.getKnex();
  knex.on('query', (query: { sql: string }) => recordStatement(query.sql));
  await orm.getMigrator().up();
  return orm;
}
