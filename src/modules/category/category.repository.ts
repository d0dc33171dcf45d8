import type { Connection, PageArgs } from '../common/connection';
import { codeLoader, entityLoader, existingIds, NestedConnectionLoader, offsetPage, paginate, uuidLoader, type Reader } from '../common/loaders';
import { mapRow } from '../common/row-mapper';
import type { Row } from '../common/pagination';
import { Category, CATEGORY_ORDER } from './category.entity';
import { Taxonomy } from './taxonomy.entity';

/** What `categories(filter:)` selects, read from its arguments (category.resolver.ts). */
export interface CategoryCriteria {
  /** Only top-level categories (true) or only subcategories (false). */
  topLevel?: boolean;
  /** Only the direct children of this category. */
  parentId?: number;
}

/** The taxonomy is public: every read of it. Services in a category are read through the service repository. */
export class CategoryRepository {
  readonly byId;
  readonly byUuid;
  /** By stable code ("gardening"): lookups and filters by code. */
  readonly byCode;
  /** Imported taxonomies (a category's `taxonomy`). */
  readonly taxonomyById;
  readonly taxonomyByUuid;
  private readonly children;

  constructor(private readonly reader: Reader) {
    this.byId = entityLoader(reader, Category);
    this.byUuid = uuidLoader(reader, Category);
    this.byCode = codeLoader(reader, Category);
    this.taxonomyById = entityLoader(reader, Taxonomy);
    this.taxonomyByUuid = uuidLoader(reader, Taxonomy);
    this.children = new NestedConnectionLoader(reader, {
      name: 'Category.children',
      entity: Category,
      order: CATEGORY_ORDER,
      parentColumn: 'c.parent_id',
      query: (knex, parentIds) => knex.from('category as c').select('c.*', 'c.parent_id as __parent').whereIn('c.parent_id', parentIds as number[]),
    });
  }

  /** The taxonomy, by name. */
  list(criteria: CategoryCriteria, page: PageArgs): Promise<Connection<Category>> {
    const query = this.reader.em.getKnex().from('category as c').select('c.*');
    if (criteria.topLevel === true) query.whereNull('c.parent_id');
    if (criteria.topLevel === false) query.whereNotNull('c.parent_id');
    if (criteria.parentId !== undefined) query.where('c.parent_id', criteria.parentId);
    return paginate(this.reader, { entity: Category, query, order: CATEGORY_ORDER, scope: ['categories', criteria] }, page);
  }

  /** Narrower categories, by name. */
  childrenOf(categoryId: number, page: PageArgs): Promise<Connection<Category>> {
    return this.children.load(categoryId, page);
  }

  /** The taxonomy by page number (the ORUK feed's taxonomy_terms), by name. */
  page(offset: number, limit: number): Promise<{ items: Category[]; total: number }> {
    return offsetPage(this.reader, Category, this.reader.em.getKnex().from('category as c').select('c.*'), CATEGORY_ORDER, offset, limit);
  }

  /** Every imported taxonomy, by name (a handful: one per other directory's list). */
  async taxonomies(): Promise<Taxonomy[]> {
    const rows: Row[] = await this.reader.em.getKnex().from('taxonomy').select('*').orderBy([{ column: 'name' }, { column: 'id' }]);
    return rows.map((row) => mapRow(this.reader.em, Taxonomy, row));
  }

  /** Which of these ids are categories. */
  existing(ids: readonly number[]): Promise<Set<number>> {
    return existingIds(this.reader, 'category', ids);
  }
}
