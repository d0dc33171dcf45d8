import type { EntityClass } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { BadUserInputError } from '../../errors';

/**
 * Refuses a code another row of `entity` already has, naming the field. The
 * unique index is the last word: a concurrent write that slips between this
 * check and the insert is refused by it, and mapped to the same error
 * (errors/library-errors.ts).
 */
export async function assertCodeFree<T extends { id: number; code: string }>(tx: EntityManager, entity: EntityClass<T>, what: string, code: string | null | undefined, ownId?: number): Promise<void> {
  if (!code) return;
  const existing = await tx.findOne(entity, { code } as never);
  if (existing && existing.id !== ownId) throw new BadUserInputError('input.code', `"${code}" is already used by another ${what}.`);
}
