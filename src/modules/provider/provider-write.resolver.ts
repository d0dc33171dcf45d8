import { IsOptional, Matches } from 'class-validator';
import { Arg, Authorized, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import { BadUserInputError } from '../../errors';
import { AccountRole } from '../common/viewer';
import { assertCanEditProvider } from '../common/viewer';
import { createAudited, updateAudited } from '../audit/audited-write';
import type { Snapshot } from '../audit/audit';
import { EmailField, NameField, TextField, UkPhoneField, VALIDATED, WebAddressField } from '../common/validation';
import { Provider } from './provider.entity';

@InputType()
export class ProviderFieldsInput {
  @NameField()
  name?: string | null;

  @TextField(5000)
  description?: string | null;

  @Field(() => String, { nullable: true, description: 'Registered charity number, e.g. "1104527" or "1104527-1".' })
  @IsOptional()
  @Matches(/^\d{6,8}(-\d{1,2})?$/, { message: 'charityNumber must be a registered charity number such as 1104527' })
  charityNumber?: string | null;

  @WebAddressField()
  website?: string | null;

  @EmailField()
  email?: string | null;

  @UkPhoneField()
  phone?: string | null;

  @WebAddressField({ httpsOnly: true })
  logoUrl?: string | null;
}

@InputType()
export class CreateProviderInput extends ProviderFieldsInput {
  @NameField({ required: true })
  override name!: string;
}

@InputType()
export class UpdateProviderInput extends ProviderFieldsInput {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { description: 'The version you read; a stale one is refused with CONFLICT.' })
  version!: number;
}

@ObjectType()
export class ProviderPayload {
  @Field(() => Provider)
  provider!: Provider;
}

function snapshot(p: Provider): Snapshot {
  const { name, description, charityNumber, website, email, phone, logoUrl } = p;
  return { name, description, charityNumber, website, email, phone, logoUrl };
}

function apply(p: Provider, input: ProviderFieldsInput): void {
  if (input.name) p.name = input.name.trim();
  if (input.description !== undefined) p.description = input.description ?? '';
  for (const field of ['charityNumber', 'website', 'email', 'phone', 'logoUrl'] as const) {
    if (input[field] !== undefined) p[field] = input[field] ?? null;
  }
}

@Resolver()
export class ProviderWriteResolver {
  @Authorized(AccountRole.ADMIN)
  @Mutation(() => ProviderPayload, { description: 'Admins: add a provider.' })
  async createProvider(@Arg('input', () => CreateProviderInput, { validate: VALIDATED }) input: CreateProviderInput, @Ctx() { em, viewer }: Context): Promise<ProviderPayload> {
    const provider = await createAudited(em, viewer, {
      type: 'Provider',
      build: (tx) => {
        const row = tx.create(Provider, { name: input.name.trim() });
        apply(row, input);
        return row;
      },
      snapshot,
      providerIdOf: (row) => row.id,
    });
    return { provider };
  }

  @Authorized()
  @Mutation(() => ProviderPayload, { description: "Change a provider's profile: partners their own, admins any. Send the version you read." })
  async updateProvider(@Arg('input', () => UpdateProviderInput, { validate: VALIDATED }) input: UpdateProviderInput, @Ctx() { em, viewer }: Context): Promise<ProviderPayload> {
    if (input.name === null) throw new BadUserInputError('input.name', 'cannot be removed.');
    const provider = await updateAudited(em, viewer, {
      entity: Provider,
      type: 'Provider',
      id: input.id,
      version: input.version,
      authorize: (row) => assertCanEditProvider(viewer, row.id, 'the profile'),
      apply: (_tx, row) => apply(row, input),
      snapshot,
      providerIdOf: (row) => row.id,
    });
    return { provider };
  }
}
