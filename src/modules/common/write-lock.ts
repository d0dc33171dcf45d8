import type { EntityManager } from '@mikro-orm/knex';

/**
 * Every write goes through here: one at a time in this process.
 *
 * On SQLite the server reads through several connections at once (WAL lets
 * readers run beside a writer), but SQLite allows one writer, and a
 * transaction that reads first and writes later fails at once
 * (SQLITE_BUSY_SNAPSHOT, no waiting) if anything else wrote in between.
 * Queueing every write of this process avoids that; a write from another
 * process (the accounts CLI) is retried: the transaction runs again from the
 * start, so nothing half-done is ever kept.
 */
let queue: Promise<unknown> = Promise.resolve();
const ATTEMPTS = 3;

/** Runs `work` when the writes queued before it are done. */
export function serializeWrite<T>(work: () => Promise<T>): Promise<T> {
  const run = queue.then(work);
  queue = run.catch(() => undefined);
  return run;
}

export function writeTransaction<T>(em: EntityManager, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  return serializeWrite(async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await em.transactional((tx) => work(tx as EntityManager));
      } catch (error) {
        if (attempt >= ATTEMPTS || !isBusy(error)) throw error;
      }
    }
  });
}

function isBusy(error: unknown): boolean {
  const text = `${(error as { code?: string }).code ?? ''} ${(error as Error).message ?? ''}`;
  return /SQLITE_BUSY|database is locked/.test(text);
}
