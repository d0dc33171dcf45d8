import { afterAll, beforeAll } from 'vitest';
import type { EntityManager } from '@mikro-orm/knex';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { randomBytes } from 'node:crypto';
import { createApp, type App, type AppOptions, type ExecuteResult } from '../src/app';
import type { DatabaseTarget } from '../src/config';
import { dropSchema } from '../src/orm';
import { TEST_SCHEMA_PREFIX } from './postgres-setup';
import type { SqlStats } from '../src/modules/common/sql-stats';
import { loadSampleDirectory } from '../seeds/sample-seeder';
import { createAccount, issueApiKey } from '../src/modules/account/account.commands';
import { AccountRole } from '../src/modules/account/account.entity';
import { toGlobalId } from '../src/modules/common/global-id';

export interface TestApp extends App {
  /** Runs a query (as the holder of `key`, if given) and fails the test on any GraphQL error. */
  query<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, key?: string): Promise<T>;
  /** Runs a query and returns data and errors as they are. */
  run(query: string, variables?: Record<string, unknown>, options?: { stats?: SqlStats; key?: string }): Promise<ExecuteResult>;
  /** A fresh EntityManager for checking the database directly. */
  em(): EntityManager;
  /** Masked internal errors logged during the test. */
  loggedErrors: unknown[];
}

/**
 * The database this run of the suite uses: SQLite by default, PostgreSQL in
 * the run vitest.config.mts adds when TEST_DATABASE_URL is set.
 */
export const onPostgres = process.env.TEST_DATABASE === 'postgresql';

let schemas = 0;

/**
 * A database of its own for one test app: in-memory SQLite (or `sqlitePath`,
 * for tests that need a file), or on PostgreSQL a fresh schema, dropped
 * again when the app closes.
 */
export function testDatabase(sqlitePath?: string): DatabaseTarget {
  if (!onPostgres) return { kind: 'sqlite', path: sqlitePath ?? ':memory:' };
  schemas += 1;
  return { kind: 'postgresql', url: process.env.TEST_DATABASE_URL!, schema: `${TEST_SCHEMA_PREFIX}${process.pid}_${schemas}_${randomBytes(3).toString('hex')}` };
}

/** The server in-process on its own test database (see testDatabase), migrated and loaded with the sample directory. */
export async function createTestApp(options: { seed?: boolean; sqlitePath?: string; database?: DatabaseTarget; app?: Partial<AppOptions> } = {}): Promise<TestApp> {
  const loggedErrors: unknown[] = [];
  const database = options.database ?? testDatabase(options.sqlitePath);
  const app = await createApp({
    database,
    logger: pino({ level: 'silent' }),
    logError: (error) => {
      loggedErrors.push(error);
      // PRINT_TEST_ERRORS=1 npx vitest run ... shows the stack of every masked error while debugging.
      if (process.env.PRINT_TEST_ERRORS) console.error(error);
    },
    // Search counts are written when a test flushes them (app.insights.flush()) or the app closes, never on a
    // timer in the middle of a test that counts SQL statements.
    searchInsightsFlushMs: 0,
    ...options.app,
  });
  if (options.seed !== false) await loadSampleDirectory(app.orm.em.fork() as EntityManager);
  const run = (query: string, variables?: Record<string, unknown>, options: { stats?: SqlStats; key?: string } = {}) =>
    app.execute({ query, variables }, { stats: options.stats, authorization: options.key === undefined ? undefined : `Bearer ${options.key}` });
  const close = app.close.bind(app);
  return Object.assign(app, {
    async close() {
      try {
        await close();
      } finally {
        if (database.kind === 'postgresql' && database.schema && !options.database) await dropSchema(database);
      }
    },
    loggedErrors,
    run,
    em: () => app.orm.em.fork() as EntityManager,
    async query<T>(query: string, variables?: Record<string, unknown>, key?: string): Promise<T> {
      const result = await run(query, variables, { key });
      if (result.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors, null, 2)}`);
      return result.data as T;
    },
  });
}

/** The `code` of each error, for asserting on them. */
export function errorCodes(result: ExecuteResult): unknown[] {
  return (result.errors ?? []).map((error) => error.extensions?.code);
}

export interface Keys {
  admin: string;
  /** A partner of Age UK, and that provider's global id. */
  ageUk: string;
  ageUkProviderId: string;
  /** A partner of another provider (Men's Sheds). */
  mensSheds: string;
  mensShedsProviderId: string;
}

/** An admin and two partner accounts (Age UK, Men's Sheds), each with a key, made the way the CLI makes them. */
export async function createKeys(app: TestApp): Promise<Keys> {
  const em = app.em();
  const providerId = async (name: string) => (await em.getKnex()('provider').where('name', name).first('id')).id as number;
  const make = async (name: string, role: AccountRole, provider: number | null) => {
    const account = await createAccount(app.em(), 'command line', { name, role, providerId: provider });
    return (await issueApiKey(app.em(), 'command line', account.id, 'tests')).key;
  };
  const ageUk = await providerId('Age UK');
  const mensSheds = await providerId(
    (await em.getKnex()('provider').where('name', 'like', '%Men%Shed%').first('name')).name,
  );
  return {
    admin: await make('Directory team', AccountRole.ADMIN, null),
    ageUk: await make('Age UK partner', AccountRole.PARTNER, ageUk),
    ageUkProviderId: toGlobalId('Provider', ageUk),
    mensSheds: await make("Men's Sheds partner", AccountRole.PARTNER, mensSheds),
    mensShedsProviderId: toGlobalId('Provider', mensSheds),
  };
}

/**
 * The usual suite: a test app (see createTestApp) with the admin and partner keys, made before
 * the file's tests and closed after them. Read `suite.app` and `suite.keys` inside the tests.
 */
export function appWithKeys(options: Parameters<typeof createTestApp>[0] = {}): { app: TestApp; keys: Keys } {
  const suite = {} as { app: TestApp; keys: Keys };
  beforeAll(async () => {
    suite.app = await createTestApp(options);
    suite.keys = await createKeys(suite.app);
  });
  afterAll(() => suite.app?.close());
  return suite;
}

export interface Listening {
  server: Server;
  /** http://127.0.0.1:<port> */
  origin: string;
  /** The GraphQL endpoint. */
  url: string;
  close(): Promise<void>;
}

/** Serves the app over HTTP on a free loopback port, as `npm start` would. */
export async function listen(app: App): Promise<Listening> {
  const server = app.http.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    server,
    origin,
    url: `${origin}/graphql`,
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
