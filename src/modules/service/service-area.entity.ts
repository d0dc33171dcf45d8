import { Entity, ManyToOne, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { JSONObjectResolver } from 'graphql-scalars';
import { BaseEntity } from '../common/base.entity';
import { EnumSetType } from '../common/enum-set.type';
import { Service } from './service.entity';

/**
 * An area a service serves (HSDS/ORUK service_area): people living in it
 * can use the service, wherever its hubs are. Membership is decided
 * offline by the postcode districts or areas it lists ("LS", "WF1") and/or
 * a GeoJSON extent (its bounding box kept beside it, so a search reads
 * only the extents around the point). A service with areas is limited to
 * them: shown at a hub only to people inside one (see the README).
 */
@ObjectType({ description: 'An area a service serves (HSDS service_area): people who live in it can use the service.' })
@Entity({ tableName: 'service_area' })
export class ServiceArea extends BaseEntity<'geometry' | 'gssCode' | 'postcodes' | 'extent' | 'south' | 'north' | 'west' | 'east'> {
  @ManyToOne(() => Service, { deleteRule: 'cascade' })
  service!: Service;

  @Field(() => String, { description: 'e.g. "Leeds", "West Yorkshire".' })
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Field(() => String, { nullable: true, description: 'The ONS GSS code of the area, e.g. E08000035 (Leeds).' })
  @Property({ type: 'string', length: 9, nullable: true })
  gssCode?: string | null;

  @Field(() => [String], { description: 'Postcode districts ("WF1") and areas ("LS") it covers.' })
  @Property({ type: EnumSetType, default: '' })
  postcodes: string[] = [];

  /** GeoJSON Polygon or MultiPolygon, as text. */
  @Property({ type: 'text', nullable: true })
  extent?: string | null;

  @Property({ type: 'double', nullable: true })
  south?: number | null;

  @Property({ type: 'double', nullable: true })
  north?: number | null;

  @Property({ type: 'double', nullable: true })
  west?: number | null;

  @Property({ type: 'double', nullable: true })
  east?: number | null;

  @Field(() => JSONObjectResolver, { name: 'extent', nullable: true, description: 'A GeoJSON Polygon or MultiPolygon (longitude, latitude), when the area is drawn rather than listed by postcode.' })
  get geometry(): Record<string, unknown> | null {
    return this.extent ? (JSON.parse(this.extent) as Record<string, unknown>) : null;
  }
}
