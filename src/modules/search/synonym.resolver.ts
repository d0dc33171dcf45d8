import { ArrayMaxSize, ArrayMinSize, IsString, Length } from 'class-validator';
import { Arg, Authorized, Ctx, Field, ID, InputType, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import { NotFoundError } from '../../errors';
import { AccountRole } from '../common/viewer';
import { VALIDATED } from '../common/validation';
import { parseTypedId } from '../common/global-id';
import { createAudited, updateAudited } from '../audit/audited-write';
import { recordChange } from '../audit/audit';
import { writeTransaction } from '../common/write-lock';
import { forgetLexicon } from './lexicon';
import { readTerms } from './synonym-terms';
import { SynonymGroup } from './synonym-group.entity';

@InputType({ description: 'Words and phrases a search should treat alike, e.g. ["counselling", "counseling", "talking therapy"].' })
export class SynonymGroupInput {
  @Field(() => [String], { description: '2 to 20 terms of 2 to 60 characters; stored lower case without common words ("the", "of").' })
  @ArrayMinSize(2)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(2, 60, { each: true })
  terms!: string[];
}

@InputType()
export class UpdateSynonymGroupInput extends SynonymGroupInput {
  @Field(() => ID)
  id!: string;
}

@ObjectType()
export class SynonymGroupPayload {
  @Field(() => SynonymGroup)
  synonymGroup!: SynonymGroup;
}

/** Synonyms are kept by the directory team; anyone may read them (a search page can show "also searching for ..."). */
@Resolver()
export class SynonymResolver {
  @Query(() => [SynonymGroup], { nullable: true, description: 'The synonym groups text search uses (see the README: search rules).' })
  searchSynonyms(@Ctx() { em }: Context): Promise<SynonymGroup[]> {
    return em.find(SynonymGroup, {}, { orderBy: { id: 'asc' } });
  }

  @Authorized(AccountRole.ADMIN)
  @Mutation(() => SynonymGroupPayload, { description: 'Admins: add a synonym group. Searches on this server use it at once, on others within a minute.' })
  async createSynonymGroup(@Arg('input', () => SynonymGroupInput, { validate: VALIDATED }) input: SynonymGroupInput, @Ctx() context: Context): Promise<SynonymGroupPayload> {
    const terms = await readTerms(context.em, input.terms);
    const group = await createAudited(context.em, context.viewer, {
      type: 'SynonymGroup',
      build: (tx) => tx.create(SynonymGroup, { terms }),
      snapshot: (g) => ({ terms: g.termList }),
      providerIdOf: () => null,
    });
    forgetLexicon(context.em);
    return { synonymGroup: group };
  }

  @Authorized(AccountRole.ADMIN)
  @Mutation(() => SynonymGroupPayload, { description: 'Admins: replace the terms of a synonym group.' })
  async updateSynonymGroup(@Arg('input', () => UpdateSynonymGroupInput, { validate: VALIDATED }) input: UpdateSynonymGroupInput, @Ctx() context: Context): Promise<SynonymGroupPayload> {
    const id = parseTypedId(input.id, 'SynonymGroup', 'input.id');
    const terms = await readTerms(context.em, input.terms, id);
    const group = await updateAudited(context.em, context.viewer, {
      entity: SynonymGroup,
      type: 'SynonymGroup',
      id: input.id,
      authorize: () => undefined,
      apply: (_tx, row) => {
        row.terms = terms;
      },
      snapshot: (g) => ({ terms: g.termList }),
      providerIdOf: () => null,
    });
    forgetLexicon(context.em);
    return { synonymGroup: group };
  }

  @Authorized(AccountRole.ADMIN)
  @Mutation(() => ID, { description: 'Admins: remove a synonym group; returns its id.' })
  async deleteSynonymGroup(@Arg('id', () => ID) id: string, @Ctx() context: Context): Promise<string> {
    const rowId = parseTypedId(id, 'SynonymGroup', 'id');
    await writeTransaction(context.em, async (tx) => {
      const group = await tx.findOne(SynonymGroup, rowId);
      if (!group) throw new NotFoundError('There is no synonym group with this id.');
      recordChange(tx, context.viewer, { entityType: 'SynonymGroup', entityId: rowId, providerId: null, action: 'DELETE', changes: [{ field: 'terms', from: group.termList, to: null }], version: null });
      tx.remove(group);
      await tx.flush();
    });
    forgetLexicon(context.em);
    return id;
  }
}
