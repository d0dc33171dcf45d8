import type { EntityManager } from '@mikro-orm/knex';
import type { CursorCodec } from '../common/cursor';
import type { Viewer } from '../account/auth';
import { entityLoader, NestedConnectionLoader } from '../common/loaders';
import { servicesVia } from '../service/service.loaders';
import { Category, CATEGORY_ORDER } from './category.entity';

export function createCategoryLoaders(em: EntityManager, viewer: Viewer, cursors: CursorCodec) {
  return {
    byId: entityLoader(em, Category),
    services: new NestedConnectionLoader(em, viewer, cursors, servicesVia('Category.services', 'service_category', 'category_id')),
    children: new NestedConnectionLoader(em, viewer, cursors, {
      name: 'Category.children',
      entity: Category,
      order: CATEGORY_ORDER,
      parentColumn: 'c.parent_id',
      query: (knex, parentIds) =>
        knex.from('category as c').select('c.*', 'c.parent_id as __parent').whereIn('c.parent_id', parentIds as number[]),
    }),
  };
}
