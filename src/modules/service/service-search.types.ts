import { Field, Float, Int, ObjectType } from 'type-graphql';
import { connectionType, edgeType } from '../common/connection';
import { Category } from '../category/category.entity';
import { EligibilityCriterion } from '../eligibility/criterion.entity';
import { Service } from './service.entity';
import { DeliveryMode, ReferralRoute, ServiceReach } from './service.enums';

@ObjectType('ServiceSearchEdge')
export class ServiceSearchEdge extends edgeType('ServiceSearchEdgeBase', Service) {
  @Field(() => Float, { nullable: true, description: 'Great-circle distance in km to the nearest hub of this service within `near` (null without `near`).' })
  distanceKm!: number | null;

  @Field(() => ServiceReach, { nullable: true, description: 'With `near`: how the service reaches the person (at a hub, through an area, national); null without `near`.' })
  reach!: ServiceReach | null;
}

export const ServiceSearchConnection = connectionType('ServiceSearch', Service, ServiceSearchEdge);

@ObjectType()
export class CategoryFacet {
  @Field(() => Category)
  category!: Category;

  @Field(() => Int, { description: 'Matching services in this category or its subcategories.' })
  count!: number;
}

@ObjectType()
export class CriterionFacet {
  @Field(() => EligibilityCriterion)
  criterion!: EligibilityCriterion;

  @Field(() => Int)
  count!: number;
}

@ObjectType()
export class ReferralRouteFacet {
  @Field(() => ReferralRoute)
  referralRoute!: ReferralRoute;

  @Field(() => Int)
  count!: number;
}

@ObjectType()
export class DeliveryModeFacet {
  @Field(() => DeliveryMode)
  deliveryMode!: DeliveryMode;

  @Field(() => Int)
  count!: number;
}

@ObjectType()
export class ReachFacet {
  @Field(() => ServiceReach)
  reach!: ServiceReach;

  @Field(() => Int)
  count!: number;
}

@ObjectType({
  description:
    'How many services match the current search for each value of a filter, computed with that filter itself left out, so a filter UI can show "Gardening (12)". Only values with at least one service are listed, most first.',
})
export class ServiceFacets {
  @Field(() => [CategoryFacet])
  categories!: CategoryFacet[];

  @Field(() => [CriterionFacet])
  criteria!: CriterionFacet[];

  @Field(() => [ReferralRouteFacet])
  referralRoutes!: ReferralRouteFacet[];

  @Field(() => [DeliveryModeFacet])
  deliveryModes!: DeliveryModeFacet[];

  @Field(() => [ReachFacet], { description: 'With `near`: how many services reach the person each way (empty without `near`).' })
  reaches!: ReachFacet[];
}
