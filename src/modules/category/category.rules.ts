import type { EntityManager } from '@mikro-orm/knex';
import { BadUserInputError } from '../../errors';
import { parseTypedId } from '../common/global-id';
import { Category } from './category.entity';

/** The new parent of a category, checked: it exists, and is not the category itself or below it (which would make a loop). */
export async function resolveParent(tx: EntityManager, parentId: string | null | undefined, ownId?: number): Promise<Category | null | undefined> {
  if (parentId === undefined) return undefined;
  if (parentId === null) return null;
  const parent = await tx.findOne(Category, parseTypedId(parentId, 'Category', 'input.parentId'));
  if (!parent) throw new BadUserInputError('input.parentId', 'there is no category with this id.');
  // Walk up from the new parent: meeting the category itself would make a loop.
  for (let at: Category | null | undefined = parent; at; at = at.parent ? await tx.findOne(Category, at.parent.id) : null) {
    if (ownId !== undefined && at.id === ownId) throw new BadUserInputError('input.parentId', 'a category cannot be placed under itself or one of its subcategories.');
  }
  return parent;
}

