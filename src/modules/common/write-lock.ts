import type { EntityManager, Knex } from '@mikro-orm/knex';
import { dialectOf } from './dialect';

/**
 * Every write goes through here.
 *
 * On SQLite the server reads through several connections at once (WAL lets
 * readers run beside a writer), but SQLite allows one writer, and a
 * transaction that reads first and writes later fails at once
 * (SQLITE_BUSY_SNAPSHOT, no waiting) if anything else wrote in between.
 * Queueing every write to one database avoids that: the queue belongs to the
 * ORM instance (its driver), so two apps in one process (tests, benchmarks)
 * each have their own. A write from another process (the accounts CLI) is retried: the transaction runs again from the
 * start, so nothing half-done is ever kept.
 *
 * PostgreSQL takes concurrent writers itself (row locks; see versioning.ts),
 * so writes are not queued there; a transaction it aborts as a deadlock or a
 * serialization failure is run again the same way.
 */
const queues = new WeakMap<object, Promise<unknown>>();
/** Two processes writing one SQLite file at once can collide several times in a row; each retry waits a little longer. */
const ATTEMPTS = 8;
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Runs `work` when the writes queued before it on this database are done (on SQLite; at once on PostgreSQL). */
export function serializeWrite<T>(em: EntityManager, work: () => Promise<T>): Promise<T> {
  if (dialectOf(em.getKnex()) === 'postgresql') return work();
  // Every fork of one ORM shares its driver.
  const driver = em.getDriver();
  const run = (queues.get(driver) ?? Promise.resolve()).then(work);
  queues.set(driver, run.catch(() => undefined));
  return run;
}

export function writeTransaction<T>(em: EntityManager, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  return serializeWrite(em, async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await em.transactional((tx) => work(tx as EntityManager));
      } catch (error) {
        if (attempt >= ATTEMPTS || !isRetryable(error)) throw error;
        await sleep(attempt * (5 + Math.random() * 20));
      }
    }
  });
}

/** SQLite busy errors; PostgreSQL serialization failure (40001) and deadlock (40P01). */
function isRetryable(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? '';
  if (code === '40001' || code === '40P01') return true;
  return /SQLITE_BUSY|database is locked/.test(`${code} ${(error as Error).message ?? ''}`);
}

/** The query builder of the transaction `em` is in (inside writeTransaction), else of the pool: `em.getKnex()` would run outside it (and, on one SQLite connection, wait for it). */
export function sqlOf(em: EntityManager): Knex {
  return em.getTransactionContext<Knex.Transaction>() ?? em.getKnex();
}
