import { Collection, Entity, ManyToOne, OneToMany, Property, Unique } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { BaseEntity } from '../common/base.entity';
import { Node } from '../common/node';
import { connectionType } from '../common/connection';
import { toGlobalId } from '../common/global-id';
import { Hub } from '../hub/hub.entity';
import { Service } from './service.entity';
import type { Schedule } from './schedule.entity';

/** A service delivered at a hub, with its own opening schedule (HSDS service_at_location). */
@ObjectType({ implements: Node, description: 'A service delivered at a hub, with its own schedule (HSDS service_at_location).' })
@Entity({ tableName: 'service_location' })
@Unique({ properties: ['service', 'hub'] })
export class ServiceLocation extends BaseEntity {
  @Field(() => ID, { name: 'id' })
  get globalId(): string {
    return toGlobalId('ServiceLocation', this.id);
  }

  @ManyToOne(() => Service, { deleteRule: 'cascade' })
  service!: Service;

  // SQLite gets an index on every foreign key column from the ORM.
  @ManyToOne(() => Hub, { deleteRule: 'restrict' })
  hub!: Hub;

  @Field(() => String, { nullable: true, description: 'Anything specific to this place, e.g. "Meet at the main entrance".' })
  @Property({ type: 'text', nullable: true })
  description?: string | null;

  @OneToMany('Schedule', 'location')
  schedules = new Collection<Schedule>(this);
}

export const ServiceLocationConnection = connectionType('ServiceLocation', ServiceLocation);
