import { Entity, Enum, Index, Property } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { LatitudeResolver, LongitudeResolver } from 'graphql-scalars';
import { BaseEntity } from '../common/base.entity';
import { Node } from '../common/node';
import { toGlobalId } from '../common/global-id';
import { HubKind, Region } from './hub.enums';
import { AccessibilityFeature } from '../place/accessibility';
import { EnumSetType } from '../common/enum-set.type';

@ObjectType({ description: 'A postal address (HSDS address, physical).' })
export class Address {
  @Field(() => [String], { description: 'Street address lines (HSDS address_1, address_2).' })
  lines!: string[];

  @Field(() => String, { description: 'Town or city (HSDS city).' })
  town!: string;

  @Field(() => String, { description: 'UK postcode in its normal spaced form (HSDS postal_code).' })
  postcode!: string;

  @Field(() => Region, { description: 'Region of England (HSDS region).' })
  region!: Region;
}

/** A place where services run: a health centre, a green space, a community hub (HSDS location). */
@ObjectType({ implements: Node, description: 'A place where services run (HSDS location): a health centre, green space, community hub, or online.' })
@Entity({ tableName: 'hub' })
@Index({ properties: ['latitude', 'longitude'] })
export class Hub extends BaseEntity<'description' | 'address' | 'version' | 'accessibilityFeatures'> {
  @Field(() => ID, { name: 'id' })
  get globalId(): string {
    return toGlobalId('Hub', this.id);
  }

  @Field(() => Int, { description: 'Goes up by one with every change; send it back with an update so that two edits never silently overwrite each other.' })
  @Property({ type: 'integer', default: 1 })
  version: number = 1;

  @Field(() => String)
  @Index()
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Field(() => HubKind)
  @Enum({ items: () => HubKind })
  kind!: HubKind;

  @Field(() => String)
  @Property({ type: 'text', default: '' })
  description: string = '';

  @Property({ type: 'string', length: 200 })
  address1!: string;

  @Property({ type: 'string', length: 200, nullable: true })
  address2?: string | null;

  @Property({ type: 'string', length: 100 })
  town!: string;

  @Index()
  @Property({ type: 'string', length: 10 })
  postcode!: string;

  @Index()
  @Enum({ items: () => Region })
  region!: Region;

  @Field(() => LatitudeResolver)
  @Property({ type: 'double' })
  latitude!: number;

  @Field(() => LongitudeResolver)
  @Property({ type: 'double' })
  longitude!: number;

  @Field(() => String, { nullable: true, description: 'Step-free access, hearing loops, parking and similar (HSDS accessibility).' })
  @Property({ type: 'text', nullable: true })
  accessibility?: string | null;

  @Field(() => [AccessibilityFeature], { description: 'What the hub offers for access, as codes (step-free access, hearing loop, quiet space, ...), beside the free text.' })
  @Property({ type: EnumSetType, default: '' })
  accessibilityFeatures: AccessibilityFeature[] = [];

  @Field(() => String, { description: 'Who runs the building or space, e.g. NHS Property Services.' })
  @Property({ type: 'string', length: 200 })
  operator!: string;

  @Field(() => Address)
  get address(): Address {
    return {
      lines: [this.address1, this.address2].filter((line): line is string => Boolean(line)),
      town: this.town,
      postcode: this.postcode,
      region: this.region,
    };
  }
}

