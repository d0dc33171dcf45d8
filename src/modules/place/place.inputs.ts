import { Field, Float, InputType } from 'type-graphql';

@InputType({ description: 'A circle to search in: a point (latitude and longitude) or a UK postcode, and a radius.' })
export class NearInput {
  @Field(() => Float, { nullable: true })
  latitude?: number | null;

  @Field(() => Float, { nullable: true })
  longitude?: number | null;

  @Field(() => String, { nullable: true, description: 'A UK postcode ("LS7 4SA") or postcode district ("LS7"), instead of coordinates.' })
  postcode?: string | null;

  @Field(() => Float, { description: 'Radius in km, more than 0 and at most 200.' })
  radiusKm!: number;
}

@InputType({ description: 'A map viewport.' })
export class BoundsInput {
  @Field(() => Float)
  north!: number;

  @Field(() => Float)
  south!: number;

  @Field(() => Float)
  east!: number;

  @Field(() => Float)
  west!: number;
}
