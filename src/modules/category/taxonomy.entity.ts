import { Entity, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../common/base.entity';

/**
 * Another directory's taxonomy, kept as it is when its feed is imported (an
 * LGA or esd list, say): its terms are categories that belong to it. This
 * directory's own categories belong to none (`Category.taxonomy` is null).
 */
@ObjectType({ description: "Another directory's taxonomy, imported with its terms (HSDS taxonomy). This directory's own categories belong to none." })
@Entity({ tableName: 'taxonomy' })
export class Taxonomy extends BaseEntity<'description'> {
  @Field(() => String)
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Field(() => String)
  @Property({ type: 'text', default: '' })
  description: string = '';

  @Field(() => String, { nullable: true, description: 'Where the taxonomy is published.' })
  @Property({ type: 'string', length: 500, nullable: true })
  uri?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 50, nullable: true })
  version?: string | null;
}
