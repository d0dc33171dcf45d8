import type { EntityManager } from '@mikro-orm/knex';
import { createApp, type App, type ExecuteResult } from '../src/app';
import type { SqlStats } from '../src/modules/common/sql-stats';
import { loadSampleDirectory } from '../seeds/sample-seeder';

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

/** The server in-process on in-memory SQLite, migrated and loaded with the sample directory. */
export async function createTestApp(options: { seed?: boolean } = {}): Promise<TestApp> {
  const loggedErrors: unknown[] = [];
  const app = await createApp({ sqlitePath: ':memory:', logError: (error) => loggedErrors.push(error) });
  if (options.seed !== false) await loadSampleDirectory(app.orm.em.fork() as EntityManager);
  const run = (query: string, variables?: Record<string, unknown>, options: { stats?: SqlStats; key?: string } = {}) =>
    app.execute({ query, variables }, { stats: options.stats, authorization: options.key === undefined ? undefined : `Bearer ${options.key}` });
  return Object.assign(app, {
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
