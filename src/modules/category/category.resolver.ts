import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { PageArgs, type Connection } from '../common/connection';
import { scopeOf } from '../common/cursor';
import { parseTypedId } from '../common/global-id';
import { loadConnection } from '../common/loaders';
import { readPageRequest } from '../common/pagination';
import { ServiceConnection, type Service } from '../service/service.entity';
import { Category, CATEGORY_ORDER, CategoryConnection } from './category.entity';

@InputType()
export class CategoryFilter {
  @Field(() => Boolean, { nullable: true, description: 'Only top-level categories (true) or only subcategories (false).' })
  topLevel?: boolean | null;

  @Field(() => ID, { nullable: true, description: 'Only the direct children of this category.' })
  parentId?: string | null;
}

@Resolver(() => Category)
export class CategoryResolver {
  @Query(() => CategoryConnection, { description: 'The service taxonomy, ordered by name.' })
  categories(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => CategoryFilter, { nullable: true }) filter: CategoryFilter | null,
    @Ctx() { em, cursors }: Context,
  ): Promise<Connection<Category>> {
    const criteria = {
      topLevel: filter?.topLevel ?? undefined,
      parentId: filter?.parentId ? parseTypedId(filter.parentId, 'Category', 'filter.parentId') : undefined,
    };
    const q = em.getKnex().from('category as c').select('c.*');
    if (criteria.topLevel === true) q.whereNull('c.parent_id');
    if (criteria.topLevel === false) q.whereNotNull('c.parent_id');
    if (criteria.parentId !== undefined) q.where('c.parent_id', criteria.parentId);
    const request = readPageRequest(page.first, page.after, scopeOf('categories', criteria), CATEGORY_ORDER, cursors);
    return loadConnection(em, Category, q, CATEGORY_ORDER, request);
  }

  @FieldResolver(() => Category, { nullable: true, description: 'The broader category; null for a top-level one.' })
  parent(@Root() category: Category, @Ctx() { loaders }: Context): Promise<Category | null> | null {
    return category.parent ? loaders.category.byId.load(category.parent.id) : null;
  }

  @FieldResolver(() => CategoryConnection, { description: 'Narrower categories, ordered by name.' })
  children(@Root() category: Category, @Args(() => PageArgs) page: PageArgs, @Ctx() { loaders }: Context): Promise<Connection<Category>> {
    return loaders.category.children.load(category.id, page);
  }

  @FieldResolver(() => ServiceConnection, { description: 'Services tagged with exactly this category, ordered by name.' })
  services(@Root() category: Category, @Args(() => PageArgs) page: PageArgs, @Ctx() { loaders }: Context): Promise<Connection<Service>> {
    return loaders.category.services.load(category.id, page);
  }
}
