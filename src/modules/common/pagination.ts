import type { Knex } from '@mikro-orm/knex';
import { BadUserInputError } from '../../errors';
import type { CursorCodec, CursorValues } from './cursor';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/**
 * Terminology:
 * - an *order* is a list of SQL columns, all ascending, whose last term is
 *   unique (the primary key), so it is a total order and keyset pagination
 *   never skips or repeats a row;
 * - a *scope* names the query a cursor belongs to (connection + filter);
 * - a *page request* is `first` plus the decoded `after` cursor.
 */
export interface OrderTerm {
  /** Qualified SQL column, e.g. "s.name". */
  column: string;
  /** Name of the column in the result row, e.g. "name". */
  key: string;
}

/** An order on `column` (of the table or subquery `alias`), ties broken by id: `orderOf('s', 'name')` is `s.name, s.id`. */
export function orderOf(alias: string, column: string): OrderTerm[] {
  return [
    { column: `${alias}.${column}`, key: column },
    { column: `${alias}.id`, key: 'id' },
  ];
}

export interface PageRequest {
  first: number;
  after?: CursorValues;
  scope: string;
  /** Signs the cursors of this page's rows. */
  cursors: CursorCodec;
}

export type Row = Record<string, unknown>;

export interface RowPage {
  rows: Row[];
  /** The cursor of the row at `index`, computed when asked for. */
  cursor: (index: number) => string;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

export interface NestedRowPage extends RowPage {
  totalCount: number;
}

export function readPageRequest(
  first: number | null | undefined,
  after: string | null | undefined,
  scope: string,
  order: OrderTerm[],
  cursors: CursorCodec,
): PageRequest {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_SIZE) {
    throw new BadUserInputError('first', `must be between 0 and ${MAX_PAGE_SIZE} (got ${size}); page through longer lists with "after".`);
  }
  if (after === null || after === undefined) return { first: size, scope, cursors };
  const values = cursors.decode(after, scope);
  if (values.length !== order.length) {
    throw new BadUserInputError('after', 'this cursor belongs to a different query; start again without "after".');
  }
  return { first: size, after: values, scope, cursors };
}

function cursorOf(row: Row, order: OrderTerm[], request: PageRequest): string {
  return request.cursors.encode(
    request.scope,
    order.map((term) => row[term.key] as string | number | null),
  );
}

/** `(a, b, id) > (?, ?, ?)`: row-value comparison, understood by SQLite and PostgreSQL. */
export function afterCondition(order: OrderTerm[]): string {
  return `(${order.map((term) => term.column).join(', ')}) > (${order.map(() => '?').join(', ')})`;
}

/** `a, b, id`: the ORDER BY of a list. */
export function orderByColumns(order: OrderTerm[]): string {
  return order.map((term) => term.column).join(', ');
}

/**
 * One page of a top-level list: keyset condition, ORDER BY, LIMIT first+1
 * (the extra row only tells whether there is a next page).
 */
export async function fetchPage(query: Knex.QueryBuilder, order: OrderTerm[], request: PageRequest, wrap?: (page: Knex.QueryBuilder) => Knex.QueryBuilder): Promise<RowPage> {
  const q = pageQuery(query, order, request);
  return toRowPage(await (wrap ? wrap(q) : q), order, request);
}

/** The statement of a page's rows, first+1 of them (see fetchPage), in order. */
export function pageQuery(query: Knex.QueryBuilder, order: OrderTerm[], request: PageRequest): Knex.QueryBuilder {
  const q = query.clone();
  if (request.after) q.whereRaw(afterCondition(order), request.after);
  q.orderBy(order.map((term) => ({ column: term.column, order: 'asc' })));
  return q.limit(request.first + 1);
}

/** A page from up to first+1 rows in list order (the extra row only tells whether there is a next page). */
export function toRowPage(rows: Row[], order: OrderTerm[], request: PageRequest): RowPage {
  const page = rows.slice(0, request.first);
  return {
    rows: page,
    cursor: (index) => cursorOf(page[index], order, request),
    hasNextPage: rows.length > request.first,
    hasPreviousPage: request.after !== undefined,
  };
}

/** The first page of a parent's list from every row of it, in list order (rows that came with the parent, see json-rows.ts). */
export function firstPageOf(all: Row[], order: OrderTerm[], request: PageRequest): NestedRowPage {
  const rows = all.slice(0, request.first);
  return { rows, cursor: (index) => cursorOf(rows[index], order, request), totalCount: all.length, hasNextPage: all.length > request.first, hasPreviousPage: false };
}

export async function countRows(query: Knex.QueryBuilder): Promise<number> {
  const [row] = await countQuery(query);
  return Number((row as { n: number | string }).n);
}

/** The statement counting every row of `query` (as `n`). */
export function countQuery(query: Knex.QueryBuilder): Knex.QueryBuilder {
  return query.clone().clearSelect().clearOrder().count({ n: '*' });
}

/**
 * Pages of a nested list for many parents at once: the same page request
 * (first, after) applied to every parent's list in ONE statement, using
 * window functions partitioned by parent (a top-N-per-group query). Each
 * parent's total count comes from the same statement.
 *
 * `query` must select the node columns plus `<parentColumn> as __parent`,
 * restricted to the wanted parents.
 */
export async function fetchNestedPages(
  knex: Knex,
  query: Knex.QueryBuilder,
  parentColumn: string,
  order: OrderTerm[],
  request: PageRequest,
): Promise<Map<number, NestedRowPage>> {
  const orderSql = orderByColumns(order);
  const window = `partition by ${parentColumn} order by ${orderSql}`;
  const after = request.after ? `case when ${afterCondition(order)} then 1 else 0 end` : '1';
  const bindings = request.after ?? [];
  const inner = query
    .clone()
    .select(
      knex.raw(`count(*) over (partition by ${parentColumn}) as __total`),
      knex.raw(`row_number() over (${window}) as __rn`),
      knex.raw(`${after} as __after`, bindings),
      knex.raw(`sum(${after}) over (${window} rows between unbounded preceding and current row) as __pos`, bindings),
      knex.raw(`sum(${after}) over (partition by ${parentColumn}) as __after_total`, bindings),
    );
  // Every parent's first row is kept even when it is not on the page, so that
  // each parent's totals come back too.
  const rows: Row[] = await knex
    .select('*')
    .from(inner.as('ranked'))
    .where((w) => w.where('__after', 1).andWhere('__pos', '<=', request.first + 1))
    .orWhere('__rn', 1)
    .orderBy([{ column: '__parent' }, { column: '__rn' }]);

  const pages = new Map<number, NestedRowPage>();
  for (const row of rows) {
    const parent = Number(row.__parent);
    let page = pages.get(parent);
    if (!page) {
      const total = Number(row.__total);
      const pageRows: Row[] = [];
      page = { rows: pageRows, cursor: (index) => cursorOf(pageRows[index], order, request), totalCount: total, hasNextPage: false, hasPreviousPage: total > Number(row.__after_total) };
      pages.set(parent, page);
    }
    if (Number(row.__after) !== 1 || Number(row.__pos) > request.first + 1) continue;
    if (page.rows.length === request.first) {
      page.hasNextPage = true;
      continue;
    }
    page.rows.push(row);
  }
  return pages;
}

export function emptyNestedPage(): NestedRowPage {
  return { rows: [], cursor: () => '', totalCount: 0, hasNextPage: false, hasPreviousPage: false };
}
