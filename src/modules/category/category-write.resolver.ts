import { IsOptional, Length, Matches } from 'class-validator';
import type { EntityManager } from '@mikro-orm/knex';
import { Arg, Authorized, Ctx, Field, ID, InputType, Mutation, ObjectType, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import { BadUserInputError } from '../../errors';
import { AccountRole } from '../account/account.entity';
import { createAudited, updateAudited } from '../audit/audited-write';
import { parseTypedId } from '../common/global-id';
import { NameField, TextField, VALIDATED } from '../common/validation';
import { CriterionKind, EligibilityCriterion } from '../eligibility/criterion.entity';
import { Category } from './category.entity';

const CODE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const CODE_MESSAGE = 'code must be lower-case words joined by hyphens, e.g. "walking-groups"';

@InputType()
export class CategoryFieldsInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(2, 80)
  @Matches(CODE, { message: CODE_MESSAGE })
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
  @Field(() => String)
  @Length(2, 80)
  @Matches(CODE, { message: CODE_MESSAGE })
  override code!: string;

  @NameField({ required: true })
  override name!: string;
}

@InputType()
export class UpdateCategoryInput extends CategoryFieldsInput {
  @Field(() => ID)
  id!: string;
}

@InputType()
export class CriterionFieldsInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(2, 80)
  @Matches(CODE, { message: CODE_MESSAGE })
  code?: string | null;

  @NameField()
  label?: string | null;

  @Field(() => CriterionKind, { nullable: true })
  kind?: CriterionKind | null;

  @TextField(2000)
  description?: string | null;
}

@InputType()
export class CreateEligibilityCriterionInput extends CriterionFieldsInput {
  @Field(() => String)
  @Length(2, 80)
  @Matches(CODE, { message: CODE_MESSAGE })
  override code!: string;

  @NameField({ required: true })
  override label!: string;

  @Field(() => CriterionKind)
  override kind!: CriterionKind;
}

@InputType()
export class UpdateEligibilityCriterionInput extends CriterionFieldsInput {
  @Field(() => ID)
  id!: string;
}

@ObjectType()
export class CategoryPayload {
  @Field(() => Category)
  category!: Category;
}

@ObjectType()
export class EligibilityCriterionPayload {
  @Field(() => EligibilityCriterion)
  criterion!: EligibilityCriterion;
}

async function checkUniqueCode(tx: EntityManager, entity: typeof Category | typeof EligibilityCriterion, code: string | null | undefined, ownId?: number): Promise<void> {
  if (!code) return;
  const existing = await tx.findOne(entity as typeof Category, { code });
  if (existing && existing.id !== ownId) throw new BadUserInputError('input.code', `"${code}" is already used by another ${entity === Category ? 'category' : 'criterion'}.`);
}

async function resolveParent(tx: EntityManager, parentId: string | null | undefined, ownId?: number): Promise<Category | null | undefined> {
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

/** The taxonomy and the criteria are looked after by the directory team. */
@Resolver()
export class TaxonomyWriteResolver {
  @Authorized(AccountRole.ADMIN)
  @Mutation(() => CategoryPayload, { description: 'Admins: add a category.' })
  async createCategory(@Arg('input', () => CreateCategoryInput, { validate: VALIDATED }) input: CreateCategoryInput, @Ctx() { em, viewer }: Context): Promise<CategoryPayload> {
    const category = await createAudited(em, viewer, {
      type: 'Category',
      build: async (tx) => {
        await checkUniqueCode(tx, Category, input.code);
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
        await checkUniqueCode(tx, Category, input.code, row.id);
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

  @Authorized(AccountRole.ADMIN)
  @Mutation(() => EligibilityCriterionPayload, { description: 'Admins: add an eligibility criterion.' })
  async createEligibilityCriterion(
    @Arg('input', () => CreateEligibilityCriterionInput, { validate: VALIDATED }) input: CreateEligibilityCriterionInput,
    @Ctx() { em, viewer }: Context,
  ): Promise<EligibilityCriterionPayload> {
    const criterion = await createAudited(em, viewer, {
      type: 'EligibilityCriterion',
      build: async (tx) => {
        await checkUniqueCode(tx, EligibilityCriterion, input.code);
        return tx.create(EligibilityCriterion, { code: input.code, label: input.label.trim(), kind: input.kind, description: input.description ?? '' });
      },
      snapshot: (c) => ({ code: c.code, label: c.label, kind: c.kind, description: c.description }),
      providerIdOf: () => null,
    });
    return { criterion };
  }

  @Authorized(AccountRole.ADMIN)
  @Mutation(() => EligibilityCriterionPayload, { description: 'Admins: change an eligibility criterion.' })
  async updateEligibilityCriterion(
    @Arg('input', () => UpdateEligibilityCriterionInput, { validate: VALIDATED }) input: UpdateEligibilityCriterionInput,
    @Ctx() { em, viewer }: Context,
  ): Promise<EligibilityCriterionPayload> {
    const removed = (['code', 'label', 'kind'] as const).find((field) => input[field] === null);
    if (removed) throw new BadUserInputError(`input.${removed}`, 'cannot be removed.');
    const criterion = await updateAudited(em, viewer, {
      entity: EligibilityCriterion,
      type: 'EligibilityCriterion',
      id: input.id,
      authorize: () => undefined,
      check: (tx, row) => checkUniqueCode(tx, EligibilityCriterion, input.code, row.id),
      apply: (_tx, row) => {
        if (input.code) row.code = input.code;
        if (input.label) row.label = input.label.trim();
        if (input.kind) row.kind = input.kind;
        if (input.description !== undefined) row.description = input.description ?? '';
      },
      snapshot: (c) => ({ code: c.code, label: c.label, kind: c.kind, description: c.description }),
      providerIdOf: () => null,
    });
    return { criterion };
  }
}
