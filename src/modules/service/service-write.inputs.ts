import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsInt,
  IsOptional,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { JSONObjectResolver } from 'graphql-scalars';
import { EmailField, IsCalendarDate, NameField, TextField, TIME_PATTERN, UkPhoneField, WebAddressField } from '../common/validation';
import { CapacityStatus, DeliveryMode, NationalScope, ReferralRoute, ServiceStatus, Weekday } from './service.enums';
import { GSS_CODE } from './service-area';
import { Service } from './service.entity';

@InputType({ description: 'A weekly opening rule. closesAt earlier than opensAt means the session runs past midnight (FRIDAY 22:00-02:00 ends Saturday 02:00).' })
export class ScheduleInput {
  @Field(() => [Weekday], { description: 'The days the session starts on.' })
  @ArrayNotEmpty()
  @ArrayUnique()
  days!: Weekday[];

  @Field(() => String, { description: 'HH:mm, Europe/London.' })
  @Matches(TIME_PATTERN, { message: 'opensAt must be a 24-hour time HH:mm' })
  opensAt!: string;

  @Field(() => String, { description: 'HH:mm; earlier than opensAt for a session past midnight; not equal to opensAt.' })
  @Matches(TIME_PATTERN, { message: 'closesAt must be a 24-hour time HH:mm' })
  closesAt!: string;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' })
  @IsOptional()
  @IsCalendarDate()
  validFrom?: string | null;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD, not before validFrom' })
  @IsOptional()
  @IsCalendarDate()
  validTo?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(500)
  notes?: string | null;
}

@InputType({ description: 'A hub where the service runs, with its schedule there.' })
export class LocationInput {
  @Field(() => ID)
  hubId!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(500)
  description?: string | null;

  @Field(() => [ScheduleInput])
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  schedules!: ScheduleInput[];
}

@InputType()
export class CostInput {
  @Field(() => Boolean)
  free!: boolean;

  @Field(() => String, { nullable: true, description: 'e.g. "£3 per session, includes lunch".' })
  @IsOptional()
  @MaxLength(300)
  description?: string | null;
}

@InputType()
export class ContactInput {
  @UkPhoneField()
  phone?: string | null;

  @EmailField()
  email?: string | null;

  @WebAddressField()
  url?: string | null;
}

@InputType({ description: 'How to refer someone: each field left out is cleared (send the whole of it).' })
export class HowToReferInput {
  @WebAddressField({ description: 'The referral form.' })
  formUrl?: string | null;

  @EmailField('Where referrals are sent by email.')
  email?: string | null;

  @UkPhoneField('Where referrals are made by phone.')
  phone?: string | null;

  @TextField(2000, 'What to include in a referral.')
  instructions?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'The service takes no referrals: people are told about it and go themselves.' })
  signpostingOnly?: boolean | null;
}

@InputType({ description: 'An area the service serves: give the postcode districts or areas it covers, a GeoJSON extent, or both.' })
export class ServiceAreaInput {
  @NameField({ required: true, description: 'e.g. "Leeds".' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'The ONS GSS code, e.g. E08000035 (Leeds).' })
  @IsOptional()
  @Matches(GSS_CODE, { message: 'gssCode must be an ONS GSS code: a letter (E, W, S, N or K) and eight digits, e.g. E08000035' })
  gssCode?: string | null;

  @Field(() => [String], { nullable: true, description: 'Postcode districts ("WF1"), areas ("LS") and ranges of districts ("WF1-WF17").' })
  @IsOptional()
  @ArrayMaxSize(100)
  postcodes?: string[] | null;

  @Field(() => JSONObjectResolver, { nullable: true, description: 'A GeoJSON Polygon or MultiPolygon (or a Feature holding one), longitude then latitude; it must not cross itself.' })
  @IsOptional()
  extent?: Record<string, unknown> | null;
}

/** The editable fields of a service; in an update, a field left out stays as it is, and a list given replaces the old one. */
@InputType()
export class ServiceFieldsInput {
  @NameField()
  name?: string | null;

  @TextField(5000)
  description?: string | null;

  @Field(() => ServiceStatus, { nullable: true, description: 'ACTIVE, INACTIVE, TEMPORARILY_CLOSED (see pauseService) or DEFUNCT.' })
  status?: ServiceStatus | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(0)
  @Max(130)
  minimumAge?: number | null;

  @Field(() => Int, { nullable: true, description: 'Not below minimumAge.' })
  @IsOptional()
  @Min(0)
  @Max(130)
  maximumAge?: number | null;

  @Field(() => [ReferralRoute], { nullable: true })
  @IsOptional()
  @ArrayUnique()
  referralRoutes?: ReferralRoute[] | null;

  @Field(() => [DeliveryMode], { nullable: true })
  @IsOptional()
  @ArrayUnique()
  deliveryModes?: DeliveryMode[] | null;

  @Field(() => CostInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  cost?: CostInput | null;

  @Field(() => ContactInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  contact?: ContactInput | null;

  @Field(() => HowToReferInput, { nullable: true, description: 'How to refer someone (who may: referralRoutes).' })
  @IsOptional()
  @ValidateNested()
  howToRefer?: HowToReferInput | null;

  @Field(() => [String], { nullable: true, description: 'ISO 639-1 codes, e.g. ["en", "cy"].' })
  @IsOptional()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @Matches(/^[a-z]{2,3}$/, { each: true, message: 'languages must be ISO 639 codes such as "en"' })
  languages?: string[] | null;

  @Field(() => [ServiceAreaInput], {
    nullable: true,
    description: 'The areas the service serves; replaces the old list. A service with areas is shown only to people inside one of them (an empty list: no limit).',
  })
  @IsOptional()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  areas?: ServiceAreaInput[] | null;

  @Field(() => NationalScope, { nullable: true, description: 'Offered to everyone in England or the UK (a helpline, an online group); null for a local service.' })
  nationalScope?: NationalScope | null;

  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(20)
  @ArrayUnique()
  categoryIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Eligibility criteria; empty means open to all.' })
  @IsOptional()
  @ArrayMaxSize(20)
  @ArrayUnique()
  criterionIds?: string[] | null;

  @Field(() => [LocationInput], { nullable: true, description: 'Where the service runs: replaces every location and schedule.' })
  @IsOptional()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  locations?: LocationInput[] | null;
}

@InputType()
export class CreateServiceInput extends ServiceFieldsInput {
  @NameField({ required: true })
  override name!: string;

  @Field(() => ID, { nullable: true, description: "The provider; a partner's own provider when left out. Admins must give it." })
  providerId?: string | null;

  @Field(() => Boolean, { nullable: true, defaultValue: true, description: 'Create as a draft (seen only by the provider and admins) until publishService.' })
  draft?: boolean | null;
}

@InputType()
export class UpdateServiceInput extends ServiceFieldsInput {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { description: 'The version you read; a stale one is refused with CONFLICT.' })
  version!: number;
}

@InputType({ description: 'Which service, at which version.' })
export class ServiceVersionInput {
  @Field(() => ID)
  id!: string;

  @Field(() => Int)
  version!: number;
}

@InputType({ description: 'What a provider says of its capacity now. Everything else about the service stays as it is.' })
export class SetServiceCapacityInput extends ServiceVersionInput {
  @Field(() => CapacityStatus, { description: 'UNKNOWN clears what was said.' })
  status!: CapacityStatus;

  @Field(() => Int, { nullable: true, description: 'Expected wait before someone referred is seen, in days (0 to 365).' })
  @IsOptional()
  @IsInt()
  @Min(0, { message: 'waitDays must not be negative' })
  @Max(365, { message: 'waitDays must be at most 365 (a year)' })
  waitDays?: number | null;

  @TextField(500, 'What to add, e.g. "New groups start in March".')
  note?: string | null;
}

@ObjectType()
export class ServicePayload {
  @Field(() => Service)
  service!: Service;
}
