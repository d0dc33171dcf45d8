import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Counts the SQL statements sent on behalf of one unit of work (a GraphQL
 * request, a test). The ORM's knex instance reports every statement through
 * `recordStatement`; the count lands in whichever scope is active in the
 * current async context, so concurrent requests never mix their counts.
 */
export interface SqlStats {
  statements: number;
  /** Kept only when the scope asks for it (tests that print the SQL). */
  log?: string[];
}

const storage = new AsyncLocalStorage<SqlStats>();

export function withSqlStats<T>(stats: SqlStats, fn: () => T): T {
  return storage.run(stats, fn);
}

export function recordStatement(sql: string): void {
  const stats = storage.getStore();
  if (!stats) return;
  stats.statements += 1;
  stats.log?.push(sql);
}
