import { Field, Int, ObjectType } from 'type-graphql';
import { LocalDateResolver } from 'graphql-scalars';
import { Category } from '../category/category.entity';

@ObjectType({ simpleResolvers: true, description: 'Searches made in one week (Monday to Sunday, Europe/London).' })
export class SearchWeek {
  @Field(() => LocalDateResolver, { description: 'The Monday the week starts on.' })
  weekStarting!: string;

  @Field(() => Int)
  searches!: number;

  @Field(() => Int, { description: 'Of them, searches whose first page found nothing.' })
  zeroResultSearches!: number;
}

@ObjectType({ simpleResolvers: true, description: 'A search text, as counted: lower case, punctuation dropped, contact details removed, a postcode reduced to its district.' })
export class SearchTextCount {
  @Field(() => String)
  text!: string;

  @Field(() => Int)
  searches!: number;

  @Field(() => Int)
  zeroResultSearches!: number;
}

@ObjectType({ simpleResolvers: true, description: 'Searches near a postcode in one postcode district (searches near coordinates are not counted by district).' })
export class DistrictSearchCount {
  @Field(() => String, { description: 'The postcode district, e.g. "LS7".' })
  district!: string;

  @Field(() => Int)
  searches!: number;

  @Field(() => Int)
  zeroResultSearches!: number;
}

@ObjectType({ simpleResolvers: true, description: 'Searches asking for one category (a search asking for several counts for each).' })
export class CategorySearchCount {
  @Field(() => Category)
  category!: Category;

  @Field(() => Int)
  searches!: number;

  @Field(() => Int)
  zeroResultSearches!: number;
}

@ObjectType('SearchInsights', {
  simpleResolvers: true,
  description:
    'What people searched for, counted without personal data: `services` searches (first pages only) by week, text, district and category. Lists are largest first.',
})
export class SearchInsightsReport {
  @Field(() => [SearchWeek], { description: 'Every week of the range, oldest first, weeks without searches as 0.' })
  weeks!: SearchWeek[];

  @Field(() => [SearchTextCount], { description: 'The texts searched for most.' })
  topSearches!: SearchTextCount[];

  @Field(() => [SearchTextCount], { description: 'The texts searched for most that found nothing: needs with no services.' })
  zeroResultSearches!: SearchTextCount[];

  @Field(() => [DistrictSearchCount])
  byDistrict!: DistrictSearchCount[];

  @Field(() => [CategorySearchCount])
  byCategory!: CategorySearchCount[];
}
