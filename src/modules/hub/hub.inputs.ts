import { Field, Float, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { connectionType, edgeType } from '../common/connection';
import { Hub } from './hub.entity';
import { HubKind, Region } from './hub.enums';
import { AccessibilityFeature } from '../place/accessibility';

@InputType({ description: 'Filters combine with AND; the values listed inside one filter combine with OR.' })
export class HubFilter {
  @Field(() => [Region], { nullable: true })
  regions?: Region[] | null;

  @Field(() => [HubKind], { nullable: true })
  kinds?: HubKind[] | null;

  @Field(() => [AccessibilityFeature], { nullable: true, description: 'Hubs offering every one of these.' })
  accessibility?: AccessibilityFeature[] | null;
}

export enum HubOrder {
  NAME = 'NAME',
  DISTANCE = 'DISTANCE',
}
registerEnumType(HubOrder, { name: 'HubOrder', description: 'Default: DISTANCE with `near`, else NAME. Ties are broken by id.' });

@ObjectType('HubSearchEdge')
export class HubSearchEdge extends edgeType('HubSearchEdgeBase', Hub) {
  @Field(() => Float, { nullable: true, description: 'Great-circle distance in km from `near` (null without `near`).' })
  distanceKm!: number | null;

  @Field(() => Int, { description: 'Services at this hub matching `serviceFilter` (active services when it is absent).' })
  serviceCount!: number;
}

export const HubSearchConnection = connectionType('HubSearch', Hub, HubSearchEdge);

