import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { toGlobalId } from '../common/global-id';

/**
 * Words and phrases a search treats as one ("counselling", "counseling",
 * "talking therapy"): a query using any of them finds services using any.
 * Kept by the directory team through the API (searchSynonyms and the
 * synonym group mutations).
 */
@ObjectType({ description: 'Words and phrases text search treats alike: a search for any finds services using any.' })
@Entity({ tableName: 'synonym_group' })
export class SynonymGroup {
  [OptionalProps]?: 'globalId' | 'updatedAt' | 'termList';

  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Field(() => ID, { name: 'id' })
  get globalId(): string {
    return toGlobalId('SynonymGroup', this.id);
  }

  /** The terms, lower case, one per line. */
  @Property({ type: 'text' })
  terms!: string;

  @Field(() => DateTimeResolver)
  @Property({ type: 'Date', defaultRaw: 'current_timestamp', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  @Field(() => [String], { name: 'terms', description: 'The words and phrases, lower case.' })
  get termList(): string[] {
    return this.terms.split('\n').filter(Boolean);
  }
}
