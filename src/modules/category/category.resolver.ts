import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { PageArgs, type Connection } from '../common/connection';
import { parseTypedId } from '../common/global-id';
import { ServiceConnection, type Service } from '../service/service.entity';
import { Category, CategoryConnection } from './category.entity';
import type { CategoryCriteria } from './category.repository';
import { Taxonomy } from './taxonomy.entity';

@InputType()
export class CategoryFilter {
  @Field(() => Boolean, { nullable: true, description: 'Only top-level categories (true) or only subcategories (false).' })
  topLevel?: boolean | null;

  @Field(() => ID, { nullable: true, description: 'Only the direct children of this category.' })
  parentId?: string | null;
}

@Resolver(() => Category)
export class CategoryResolver {
  @Query(() => CategoryConnection, { nullable: true, description: 'The service taxonomy, ordered by name.' })
  categories(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => CategoryFilter, { nullable: true }) filter: CategoryFilter | null,
    @Ctx() { repos }: Context,
  ): Promise<Connection<Category>> {
    const criteria: CategoryCriteria = {
      topLevel: filter?.topLevel ?? undefined,
      parentId: filter?.parentId ? parseTypedId(filter.parentId, 'Category', 'filter.parentId') : undefined,
    };
    return repos.category.list(criteria, page);
  }

  @Query(() => Category, { nullable: true, description: 'One category by its stable code ("gardening"), or null if there is none with it.' })
  category(@Arg('code', () => String) code: string, @Ctx() { repos }: Context): Promise<Category | null> {
    return repos.category.byCode.load(code);
  }

  @FieldResolver(() => Category, { nullable: true, description: 'The broader category; null for a top-level one.' })
  parent(@Root() category: Category, @Ctx() { repos }: Context): Promise<Category | null> | null {
    return category.parent ? repos.category.byId.load(category.parent.id) : null;
  }

  @FieldResolver(() => Taxonomy, { nullable: true, description: "The imported taxonomy the term belongs to (another directory's list); null for this directory's own categories." })
  taxonomy(@Root() category: Category, @Ctx() { repos }: Context): Promise<Taxonomy | null> | null {
    return category.taxonomy ? repos.category.taxonomyById.load(category.taxonomy.id) : null;
  }

  @FieldResolver(() => CategoryConnection, { description: 'Narrower categories, ordered by name.' })
  children(@Root() category: Category, @Args(() => PageArgs) page: PageArgs, @Ctx() { repos }: Context): Promise<Connection<Category>> {
    return repos.category.childrenOf(category.id, page);
  }

  @FieldResolver(() => ServiceConnection, { description: 'Services tagged with exactly this category, ordered by name.' })
  services(@Root() category: Category, @Args(() => PageArgs) page: PageArgs, @Ctx() { repos }: Context): Promise<Connection<Service>> {
    return repos.service.inCategory.load(category.id, page);
  }
}
