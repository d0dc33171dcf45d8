import { ArrayMaxSize, ArrayNotEmpty, ArrayUnique, IsOptional, Length, Max, MaxLength, Min } from 'class-validator';
import { Arg, Authorized, Ctx, Field, Float, ID, InputType, Int, Mutation, ObjectType, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import { BadUserInputError } from '../../errors';
import { AccountRole } from '../common/viewer';
import { createAudited, updateAudited } from '../audit/audited-write';
import type { Snapshot } from '../audit/audit';
import { IsNotBlank, IsUkPostcode, VALIDATED } from '../common/validation';
import { Hub } from './hub.entity';
import { HubKind, Region } from './hub.enums';
import { AccessibilityFeature } from '../place/accessibility';
import { normalisePostcode } from '../place/postcode';

@InputType()
export class HubFieldsInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsNotBlank()
  @Length(2, 200)
  name?: string | null;

  @Field(() => HubKind, { nullable: true })
  kind?: HubKind | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(5000)
  description?: string | null;

  @Field(() => [String], { nullable: true, description: 'One or two street address lines.' })
  @IsOptional()
  @ArrayNotEmpty()
  @ArrayMaxSize(2)
  @Length(1, 200, { each: true })
  addressLines?: string[] | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 100)
  town?: string | null;

  @Field(() => String, { nullable: true, description: 'A UK postcode; stored in its normal form ("LS7 4SA").' })
  @IsOptional()
  @IsUkPostcode()
  postcode?: string | null;

  @Field(() => Region, { nullable: true })
  region?: Region | null;

  @Field(() => Float, { nullable: true })
  @IsOptional()
  @Min(-90)
  @Max(90)
  latitude?: number | null;

  @Field(() => Float, { nullable: true })
  @IsOptional()
  @Min(-180)
  @Max(180)
  longitude?: number | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(2000)
  accessibility?: string | null;

  @Field(() => [AccessibilityFeature], { nullable: true, description: 'What the hub offers for access, as codes; replaces the old list.' })
  @IsOptional()
  @ArrayUnique()
  accessibilityFeatures?: AccessibilityFeature[] | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200)
  operator?: string | null;
}

const REQUIRED = ['name', 'kind', 'addressLines', 'town', 'postcode', 'region', 'latitude', 'longitude', 'operator'] as const;

@InputType({ description: 'Every field but description and accessibility is required.' })
export class CreateHubInput extends HubFieldsInput {}

@InputType()
export class UpdateHubInput extends HubFieldsInput {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { description: 'The version you read; a stale one is refused with CONFLICT.' })
  version!: number;
}

@ObjectType()
export class HubPayload {
  @Field(() => Hub)
  hub!: Hub;
}

function snapshot(h: Hub): Snapshot {
  return {
    name: h.name,
    kind: h.kind,
    description: h.description,
    address: h.address,
    latitude: h.latitude,
    longitude: h.longitude,
    accessibility: h.accessibility ?? null,
    accessibilityFeatures: h.accessibilityFeatures,
    operator: h.operator,
  };
}

function apply(h: Hub, input: HubFieldsInput): void {
  if (input.name) h.name = input.name.trim();
  if (input.kind) h.kind = input.kind;
  if (input.description !== undefined) h.description = input.description ?? '';
  if (input.addressLines) [h.address1, h.address2] = [input.addressLines[0], input.addressLines[1] ?? null];
  if (input.town) h.town = input.town;
  if (input.postcode) h.postcode = normalisePostcode(input.postcode, 'input.postcode');
  if (input.region) h.region = input.region;
  if (input.latitude !== undefined && input.latitude !== null) h.latitude = input.latitude;
  if (input.longitude !== undefined && input.longitude !== null) h.longitude = input.longitude;
  if (input.accessibility !== undefined) h.accessibility = input.accessibility ?? null;
  if (input.accessibilityFeatures !== undefined) h.accessibilityFeatures = input.accessibilityFeatures ?? [];
  if (input.operator) h.operator = input.operator;
}

/** Hubs are looked after by the directory team. */
@Resolver()
export class HubWriteResolver {
  @Authorized(AccountRole.ADMIN)
  @Mutation(() => HubPayload, { description: 'Admins: add a hub.' })
  async createHub(@Arg('input', () => CreateHubInput, { validate: VALIDATED }) input: CreateHubInput, @Ctx() { em, viewer }: Context): Promise<HubPayload> {
    const missing = REQUIRED.filter((field) => input[field] === undefined || input[field] === null);
    if (missing.length > 0) throw new BadUserInputError(`input.${missing[0]}`, `is required (missing: ${missing.join(', ')}).`);
    const hub = await createAudited(em, viewer, {
      type: 'Hub',
      build: (tx) => {
        const row = tx.create(Hub, { name: '', kind: input.kind!, address1: '', town: '', postcode: '', region: input.region!, latitude: 0, longitude: 0, operator: '' });
        apply(row, input);
        return row;
      },
      snapshot,
      providerIdOf: () => null,
    });
    return { hub };
  }

  @Authorized(AccountRole.ADMIN)
  @Mutation(() => HubPayload, { description: 'Admins: change a hub. Send the version you read.' })
  async updateHub(@Arg('input', () => UpdateHubInput, { validate: VALIDATED }) input: UpdateHubInput, @Ctx() { em, viewer }: Context): Promise<HubPayload> {
    const removed = REQUIRED.find((field) => input[field] === null);
    if (removed) throw new BadUserInputError(`input.${removed}`, 'cannot be removed.');
    const hub = await updateAudited(em, viewer, {
      entity: Hub,
      type: 'Hub',
      id: input.id,
      version: input.version,
      authorize: () => undefined,
      apply: (_tx, row) => apply(row, input),
      snapshot,
      providerIdOf: () => null,
    });
    return { hub };
  }
}
