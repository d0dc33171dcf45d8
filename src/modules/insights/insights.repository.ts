import type { EntityManager, Knex } from '@mikro-orm/knex';
import { dialectOf } from '../common/dialect';
import { mapRow } from '../common/row-mapper';
import { sqlOf } from '../common/write-lock';
import type { Row } from '../common/pagination';
import { Category } from '../category/category.entity';
import { dateOfDayNumber, dayNumberOf } from './weeks';

/**
 * One row of `search_count`: how many searches of one week shared the same
 * counted text, district, categories and outcome. Absent values are '' (not
 * NULL) so that the key is unique in SQL: NULLs never conflict.
 */
export interface SearchCount {
  /** The Monday of the week (Europe/London), "YYYY-MM-DD". */
  week: string;
  /** The normalised text (search-text.ts), or ''. */
  text: string;
  /** The postcode district ("LS7"), or ''. */
  district: string;
  /** The ids of the categories asked for, ascending, joined by commas ("4,12"), or ''. */
  categories: string;
  zeroResults: boolean;
  searches: number;
}

/** What `searchInsights` reads: weeks starting from `fromWeek` (a Monday) to `to`, and the top `limit` of each list. */
export interface InsightsRange {
  fromWeek: string;
  to: string;
  limit: number;
}

export interface WeekCount {
  weekStarting: string;
  searches: number;
  zeroResultSearches: number;
}

export interface TextCount {
  text: string;
  searches: number;
  zeroResultSearches: number;
}

export interface DistrictCount {
  district: string;
  searches: number;
  zeroResultSearches: number;
}

export interface CategoryCount {
  category: Category;
  searches: number;
  zeroResultSearches: number;
}

export interface SearchInsights {
  weeks: WeekCount[];
  topSearches: TextCount[];
  zeroResultSearches: TextCount[];
  byDistrict: DistrictCount[];
  byCategory: CategoryCount[];
}

const KEY = ['week', 'text', 'district', 'categories', 'zero_results'];
/** Rows per insert statement: 6 bindings each, well under SQLite's limit of bound variables. */
const ROWS_PER_STATEMENT = 100;

/**
 * The SQL of search counting (`search_count`): adding a flush's counts,
 * removing weeks past retention, and the admins' aggregates. Plain rows,
 * no entity: nothing else reads them. Built on a request's EntityManager
 * (reads) or on a write transaction's (the counter's flush).
 */
export class SearchInsightsRepository {
  private readonly knex: Knex;

  constructor(private readonly em: EntityManager) {
    this.knex = sqlOf(em);
  }

  /** Adds counts to those already stored for the same key (two instances, or two flushes of one week, add up). */
  async add(counts: readonly SearchCount[]): Promise<void> {
    for (let start = 0; start < counts.length; start += ROWS_PER_STATEMENT) {
      const rows = counts.slice(start, start + ROWS_PER_STATEMENT).map((c) => ({
        week: c.week,
        text: c.text,
        district: c.district,
        categories: c.categories,
        zero_results: c.zeroResults,
        searches: c.searches,
      }));
      // `insert ... on conflict (...) do update set searches = search_count.searches + excluded.searches`, the same on both databases.
      await this.knex('search_count')
        .insert(rows)
        .onConflict(KEY)
        .merge({ searches: this.knex.raw('?? + ??', ['search_count.searches', 'excluded.searches']) });
    }
  }

  /** Removes every week that started before `week`; how many rows went. */
  removeWeeksBefore(week: string): Promise<number> {
    return this.knex('search_count').where('week', '<', week).delete();
  }

  /** The aggregates of `searchInsights` over the weeks of the range. */
  async insights({ fromWeek, to, limit }: InsightsRange): Promise<SearchInsights> {
    const knex = this.knex;
    const inRange = () => knex('search_count as sc').where('sc.week', '>=', fromWeek).andWhere('sc.week', '<=', to);
    const totals = ['sum(sc.searches) as searches', 'sum(case when sc.zero_results then sc.searches else 0 end) as zero_searches'].map((sql) => knex.raw(sql));
    const top = (column: string, query: Knex.QueryBuilder) =>
      query
        .whereNot(`sc.${column}`, '')
        .groupBy(`sc.${column}`)
        .select(`sc.${column} as value`, ...totals)
        .orderBy([
          { column: 'searches', order: 'desc' },
          { column: 'value', order: 'asc' },
        ])
        .limit(limit);
    const week = dialectOf(knex) === 'postgresql' ? knex.raw(`to_char(sc.week, 'YYYY-MM-DD') as week`) : 'sc.week as week';
    const [weeks, texts, zeroTexts, districts, categories] = await Promise.all([
      inRange().groupBy('sc.week').select(week, ...totals),
      top('text', inRange()),
      top('text', inRange().where('sc.zero_results', true)),
      top('district', inRange()),
      this.byCategory(inRange(), totals, limit),
    ]);
    const counted = (row: Row) => ({ searches: Number(row.searches), zeroResultSearches: Number(row.zero_searches) });
    return {
      weeks: everyWeek(fromWeek, to, new Map(weeks.map((row: Row) => [row.week as string, counted(row)]))),
      topSearches: texts.map((row: Row) => ({ text: row.value as string, ...counted(row) })),
      zeroResultSearches: zeroTexts.map((row: Row) => ({ text: row.value as string, ...counted(row) })),
      byDistrict: districts.map((row: Row) => ({ district: row.value as string, ...counted(row) })),
      byCategory: categories,
    };
  }

  /** A search with several categories counts once for each (so these do not add up to the week's searches). */
  private async byCategory(query: Knex.QueryBuilder, totals: Knex.Raw[], limit: number): Promise<CategoryCount[]> {
    const knex = this.knex;
    const perCategory = query
      .joinRaw(`join category c on (',' || sc.categories || ',') like ('%,' || cast(c.id as text) || ',%')`)
      .whereNot('sc.categories', '')
      .groupBy('c.id')
      .select('c.id as category_id', ...totals);
    const rows: Row[] = await knex
      .from(perCategory.as('t'))
      .join('category as c', 'c.id', 't.category_id')
      .select('c.*', 't.searches', 't.zero_searches')
      .orderBy([
        { column: 't.searches', order: 'desc' },
        { column: 'c.code', order: 'asc' },
      ])
      .limit(limit);
    return rows.map((row) => ({ category: mapRow(this.em, Category, row), searches: Number(row.searches), zeroResultSearches: Number(row.zero_searches) }));
  }
}

/** Every week from `fromWeek` to `to`, those without searches as 0. */
function everyWeek(fromWeek: string, to: string, counted: Map<string, { searches: number; zeroResultSearches: number }>): WeekCount[] {
  const weeks: WeekCount[] = [];
  for (let day = dayNumberOf(fromWeek); day <= dayNumberOf(to); day += 7) {
    const weekStarting = dateOfDayNumber(day);
    weeks.push({ weekStarting, ...(counted.get(weekStarting) ?? { searches: 0, zeroResultSearches: 0 }) });
  }
  return weeks;
}
