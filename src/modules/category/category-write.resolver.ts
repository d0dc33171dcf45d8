import { Arg, Authorized, Ctx, Field, ID, InputType, Mutation, ObjectType, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import { BadUserInputError } from '../../errors';
import { AccountRole } from '../common/viewer';
import { createAudited, updateAudited } from '../audit/audited-write';
import { assertCodeFree } from '../common/unique-code';
import { CodeField, NameField, TextField, VALIDATED } from '../common/validation';
import { Category } from './category.entity';
import { resolveParent } from './category.rules';

@InputType()
export class CategoryFieldsInput {
  @CodeField()
  code?: string | null;

  @NameField()
  name?: string | null;

  @TextField(2000)
  description?: string | null;

  @Field(() => ID, { nullable: true, description: 'The broader category; null for a top-level one.' })
  parentId?: string | null;
}

@InputType()
export class CreateCategoryInput extends CategoryFieldsInput {
  @CodeField({ required: true })
  override code!: string;

  @NameField({ required: true })
  override name!: string;
}

@InputType()
export class UpdateCategoryInput extends CategoryFieldsInput {
  @Field(() => ID)
  id!: string;
}

@ObjectType()
export class CategoryPayload {
  @Field(() => Category)
  category!: Category;
}

/** The taxonomy is looked after by the directory team. */
@Resolver()
export class CategoryWriteResolver {
  @Authorized(AccountRole.ADMIN)
  @Mutation(() => CategoryPayload, { description: 'Admins: add a category.' })
  async createCategory(@Arg('input', () => CreateCategoryInput, { validate: VALIDATED }) input: CreateCategoryInput, @Ctx() { em, viewer }: Context): Promise<CategoryPayload> {
    const category = await createAudited(em, viewer, {
      type: 'Category',
      build: async (tx) => {
        await assertCodeFree(tx, Category, 'category', input.code);
        const parent = await resolveParent(tx, input.parentId);
        return tx.create(Category, { code: input.code, name: input.name.trim(), description: input.description ?? '', parent: parent ?? null });
      },
      snapshot: (c) => ({ code: c.code, name: c.name, description: c.description, parent: c.parent?.id ?? null }),
      providerIdOf: () => null,
    });
    return { category };
  }

  @Authorized(AccountRole.ADMIN)
  @Mutation(() => CategoryPayload, { description: 'Admins: rename, describe or move a category.' })
  async updateCategory(@Arg('input', () => UpdateCategoryInput, { validate: VALIDATED }) input: UpdateCategoryInput, @Ctx() { em, viewer }: Context): Promise<CategoryPayload> {
    if (input.code === null || input.name === null) throw new BadUserInputError(input.code === null ? 'input.code' : 'input.name', 'cannot be removed.');
    let parent: Category | null | undefined;
    const category = await updateAudited(em, viewer, {
      entity: Category,
      type: 'Category',
      id: input.id,
      authorize: () => undefined,
      check: async (tx, row) => {
        await assertCodeFree(tx, Category, 'category', input.code, row.id);
        parent = await resolveParent(tx, input.parentId, row.id);
      },
      apply: (_tx, row) => {
        if (input.code) row.code = input.code;
        if (input.name) row.name = input.name.trim();
        if (input.description !== undefined) row.description = input.description ?? '';
        if (parent !== undefined) row.parent = parent;
      },
      snapshot: (c) => ({ code: c.code, name: c.name, description: c.description, parent: c.parent?.id ?? null }),
      providerIdOf: () => null,
    });
    return { category };
  }

}
