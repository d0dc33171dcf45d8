import type { EntityClass } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { ConflictError, NotFoundError } from '../../errors';

/**
 * Optimistic locking as one atomic compare-and-set: `UPDATE ... SET version =
 * version + 1 WHERE id = ? AND version = ?`. Of two concurrent updates sent
 * with the same version, exactly one matches the row; the other matches none
 * and gets CONFLICT with the current version. On PostgreSQL the UPDATE also
 * locks the row until the transaction ends, so the winner's other writes
 * cannot interleave with a loser's.
 */
export async function claimVersion<T extends { id: number; version: number; updatedAt: Date }>(
  tx: EntityManager,
  entity: EntityClass<T>,
  row: T,
  sentVersion: number,
  label: string,
): Promise<void> {
  const now = new Date();
  const affected = await tx.nativeUpdate(entity, { id: row.id, version: sentVersion } as never, { version: sentVersion + 1, updatedAt: now } as never);
  if (affected === 0) {
    const table = tx.getMetadata().get(entity.name).tableName;
    const current = (await tx.getConnection().execute(`select version from ${table} where id = ?`, [row.id], "get", tx.getTransactionContext())) as { version: number } | undefined;
    if (!current) throw new NotFoundError(`${label} no longer exists.`);
    throw new ConflictError(label, sentVersion, Number(current.version));
  }
  row.version = sentVersion + 1;
  row.updatedAt = now;
}
