import { AsyncLocalStorage } from 'node:async_hooks';
import { RequestTimeoutError } from '../../errors';

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
  /** Epoch ms after which the request may send no more SQL: a runaway request stops at its next statement. */
  deadline?: number;
  /** Set when the deadline stopped a statement: whatever error that causes further up (the ORM's) is the deadline's. */
  timedOut?: boolean;
}

const storage = new AsyncLocalStorage<SqlStats>();

export function withSqlStats<T>(stats: SqlStats, fn: () => T): T {
  return storage.run(stats, fn);
}

/** Called by knex for every statement; throwing here fails that statement, and so the request. */
export function recordStatement(sql: string): void {
  const stats = storage.getStore();
  if (!stats) return;
  if (stats.deadline !== undefined && Date.now() >= stats.deadline) {
    stats.timedOut = true;
    throw new RequestTimeoutError();
  }
  stats.statements += 1;
  stats.log?.push(sql);
}

/** The statistics of the unit of work in progress, if any. */
export function currentSqlStats(): SqlStats | undefined {
  return storage.getStore();
}
