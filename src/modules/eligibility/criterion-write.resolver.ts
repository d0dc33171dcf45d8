import { Arg, Authorized, Ctx, Field, ID, InputType, Mutation, ObjectType, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import { BadUserInputError } from '../../errors';
import { AccountRole } from '../common/viewer';
import { createAudited, updateAudited } from '../audit/audited-write';
import { assertCodeFree } from '../common/unique-code';
import { CodeField, NameField, TextField, VALIDATED } from '../common/validation';
import { CriterionKind, EligibilityCriterion } from './criterion.entity';

@InputType()
export class CriterionFieldsInput {
  @CodeField()
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
  @CodeField({ required: true })
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
export class EligibilityCriterionPayload {
  @Field(() => EligibilityCriterion)
  criterion!: EligibilityCriterion;
}

/** The eligibility criteria are looked after by the directory team. */
@Resolver()
export class CriterionWriteResolver {
  @Authorized(AccountRole.ADMIN)
  @Mutation(() => EligibilityCriterionPayload, { description: 'Admins: add an eligibility criterion.' })
  async createEligibilityCriterion(
    @Arg('input', () => CreateEligibilityCriterionInput, { validate: VALIDATED }) input: CreateEligibilityCriterionInput,
    @Ctx() { em, viewer }: Context,
  ): Promise<EligibilityCriterionPayload> {
    const criterion = await createAudited(em, viewer, {
      type: 'EligibilityCriterion',
      build: async (tx) => {
        await assertCodeFree(tx, EligibilityCriterion, 'criterion', input.code);
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
      check: (tx, row) => assertCodeFree(tx, EligibilityCriterion, 'criterion', input.code, row.id),
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
