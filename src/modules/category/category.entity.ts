import { Entity, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { BaseEntity } from '../common/base.entity';
import { Node } from '../common/node';
import { connectionType } from '../common/connection';
import { orderOf, type OrderTerm } from '../common/pagination';
import { toGlobalId } from '../common/global-id';
import { Taxonomy } from './taxonomy.entity';

/** A term in the hierarchical service taxonomy (HSDS taxonomy_term), e.g. Mental health > Counselling. */
@ObjectType({ implements: Node, description: 'A term in the hierarchical service taxonomy (HSDS taxonomy_term), e.g. Nature > Gardening.' })
@Entity({ tableName: 'category' })
export class Category extends BaseEntity<'description'> {
  @Field(() => ID, { name: 'id' })
  get globalId(): string {
    return toGlobalId('Category', this.id);
  }

  @Field(() => String, { description: 'Stable machine code, e.g. "gardening" (HSDS taxonomy_term.code).' })
  @Unique()
  @Property({ type: 'string', length: 80 })
  code!: string;

  @Field(() => String)
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Field(() => String)
  @Property({ type: 'text', default: '' })
  description: string = '';

  // SQLite gets an index on every foreign key column from the ORM.
  @ManyToOne(() => Category, { nullable: true, deleteRule: 'restrict' })
  parent?: Category | null;

  /** The imported taxonomy the term belongs to; null for this directory's own categories. */
  @ManyToOne(() => Taxonomy, { nullable: true, deleteRule: 'restrict' })
  taxonomy?: Taxonomy | null;
}

export const CategoryConnection = connectionType('Category', Category);

/** Lists of categories (as `c`) are ordered by name. */
export const CATEGORY_ORDER: OrderTerm[] = orderOf('c', 'name');
