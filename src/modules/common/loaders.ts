import DataLoader from 'dataloader';
import type { EntityClass } from '@mikro-orm/core';
import type { EntityManager, Knex } from '@mikro-orm/knex';
import { mapRow, mappedRow } from './row-mapper';
import { Connection, type PageArgs } from './connection';
import { countRows, DEFAULT_PAGE_SIZE, emptyNestedPage, fetchNestedPages, fetchPage, firstPageOf, readPageRequest, type NestedRowPage, type OrderTerm, type PageRequest, type Row, type RowPage } from './pagination';
import { scopeOf, type CursorCodec } from './cursor';

/**
 * What the repositories of one request read with: its forked EntityManager
 * (rows mapped in it are found again by id), the cursor codec, and whether
 * loaders batch. Batching is always on, except in the benchmark's "naive
 * build", which turns it off (an option of createApp) to show what batching
 * buys: every load then runs its own query, once per parent.
 */
export interface Reader {
  em: EntityManager;
  cursors: CursorCodec;
  batch: boolean;
  /** The request's time, for reads that depend on it (a capacity status too old to trust). */
  now: Date;
}

/** A value a resolver may give at once, when the request has it already, or as a promise. */
export type Loaded<T> = T | Promise<T>;

/** `f` of a value now, or of a promised one when it comes: resolvers of values already known answer without a promise. */
export function whenKnown<T, R>(value: Loaded<T>, f: (value: T) => R): Loaded<R> {
  return value instanceof Promise ? value.then(f) : f(value);
}

/**
 * Loads entities by primary key, one statement per batch. Rows already
 * mapped in this request (e.g. as a nested page, or brought along as JSON)
 * are not fetched again; `get` gives them at once, without a promise.
 */
export class EntityLoader<T extends { id: number }> extends DataLoader<number, T | null> {
  constructor(
    private readonly em: EntityManager,
    private readonly entity: EntityClass<T>,
    /** Rows the viewer may not see come back as null, as if they did not exist. */
    private readonly visible: (row: T) => boolean,
    batch: boolean,
  ) {
    const table = em.getMetadata().get(entity.name).tableName;
    super(
      async (ids) => {
        const missing = ids.filter((id) => mappedRow(em, entity, id) === undefined);
        if (missing.length > 0) {
          for (const row of await em.getKnex().from(table).whereIn('id', missing).select('*')) mapRow(em, entity, row);
        }
        return ids.map((id) => {
          const row = mappedRow(em, entity, id);
          return row && visible(row) ? row : null;
        });
      },
      { batch },
    );
  }

  /** The row now if this request has it already, else its load. */
  get(id: number): T | null | Promise<T | null> {
    const row = mappedRow(this.em, this.entity, id);
    if (row === undefined) return this.load(id);
    return this.visible(row) ? row : null;
  }
}

export function entityLoader<T extends { id: number }>({ em, batch }: Reader, entity: EntityClass<T>, visible: (row: T) => boolean = () => true): EntityLoader<T> {
  return new EntityLoader(em, entity, visible, batch);
}

/** Loads entities by their UUID (the Open Referral UK feed's ids), one statement per batch; unknown or hidden ones are null. */
export function uuidLoader<T extends { id: number; uuid: string }>(reader: Reader, entity: EntityClass<T>, visible: (row: T) => boolean = () => true): DataLoader<string, T | null> {
  return uniqueKeyLoader(reader, entity, 'uuid', visible);
}

/** Loads entities by their stable code (categories, criteria: "gardening"), one statement per batch; unknown ones are null. */
export function codeLoader<T extends { id: number; code: string }>(reader: Reader, entity: EntityClass<T>): DataLoader<string, T | null> {
  return uniqueKeyLoader(reader, entity, 'code', () => true);
}

function uniqueKeyLoader<T extends { id: number }, K extends keyof T & string>({ em, batch }: Reader, entity: EntityClass<T>, column: K, visible: (row: T) => boolean): DataLoader<string, T | null> {
  const table = em.getMetadata().get(entity.name).tableName;
  return new DataLoader<string, T | null>(
    async (keys) => {
      const found = new Map<string, T>();
      for (const row of await em.getKnex().from(table).whereIn(column, keys as string[]).select('*')) {
        const mapped = mapRow(em, entity, row);
        found.set(String(mapped[column]), mapped);
      }
      return keys.map((key) => {
        const row = found.get(key);
        return row && visible(row) ? row : null;
      });
    },
    { batch },
  );
}

/**
 * A list that is not paginated (schedules of a location), grouped by parent
 * in one statement; lists brought along by another statement are given to
 * it with `primeNow`, and `get` then answers them without a promise.
 */
export class GroupedLoader<T> extends DataLoader<number, T[]> {
  private readonly known = new Map<number, T[]>();

  constructor(batch: boolean, load: (parentIds: readonly number[]) => Promise<Array<{ parent: number; item: T }>>) {
    super(
      async (parentIds) => {
        const groups = new Map<number, T[]>(parentIds.map((id) => [id, []]));
        for (const { parent, item } of await load(parentIds)) groups.get(parent)?.push(item);
        return parentIds.map((id) => groups.get(id) ?? []);
      },
      { batch },
    );
  }

  primeNow(parentId: number, items: T[]): void {
    if (this.known.has(parentId)) return;
    this.known.set(parentId, items);
    this.prime(parentId, items);
  }

  get(parentId: number): T[] | Promise<T[]> {
    return this.known.get(parentId) ?? this.load(parentId);
  }
}

export function groupedLoader<T>({ batch }: Reader, load: (parentIds: readonly number[]) => Promise<Array<{ parent: number; item: T }>>): GroupedLoader<T> {
  return new GroupedLoader(batch, load);
}

/** How to fetch one nested list (e.g. Provider.services) for many parents. */
export interface NestedListSpec<T extends object> {
  /** Scope for cursors, e.g. "Provider.services". */
  name: string;
  entity: EntityClass<T>;
  order: OrderTerm[];
  /** SQL expression of the parent's id in `query`. */
  parentColumn: string;
  /**
   * Selects the node's columns plus `parentColumn as __parent` for these parents (as the request's viewer may see them),
   * and the children named in `include` when the list can bring them along (see withRow).
   */
  query: (knex: Knex, parentIds: readonly number[], include: readonly string[]) => Knex.QueryBuilder;
  /** Each row of a page with its mapped node: where rows that carry their children (json-rows.ts) hand them on. */
  withRow?: (row: Row, node: T) => void;
}

/**
 * Loads one page of a nested connection for every parent in a batch, in a
 * single statement (see fetchNestedPages). One DataLoader per distinct
 * (first, after) pair, since those change the SQL.
 */
export class NestedConnectionLoader<T extends object> {
  private readonly loaders = new Map<string, DataLoader<number, Connection<T>>>();
  /** First pages (of the default size) that came with their parents. */
  private readonly firstPages = new Map<number, Connection<T>>();

  constructor(
    private readonly reader: Reader,
    private readonly spec: NestedListSpec<T>,
  ) {}

  /** One parent's page; `include` names children to bring in the same statement (what the query asks of each node). */
  load(parentId: number, args: PageArgs, include: readonly string[] = []): Promise<Connection<T>> {
    const known = this.get(parentId, args, include);
    return known instanceof Promise ? known : Promise.resolve(known);
  }

  /** The same, at once (no promise) when the page came with its parent (primeFirstPage). */
  get(parentId: number, args: PageArgs, include: readonly string[] = []): Connection<T> | Promise<Connection<T>> {
    if (this.firstPages.size > 0 && !args.after && (args.first ?? DEFAULT_PAGE_SIZE) === DEFAULT_PAGE_SIZE && include.length === 0) {
      const page = this.firstPages.get(parentId);
      if (page) return page;
    }
    return this.loaderFor(args, include).load(parentId);
  }

  /**
   * Gives a parent its first page (of the default size, nothing included) from every row of its list, in list
   * order, when they came with the parent's own statement (json-rows.ts): that page then sends no SQL.
   */
  primeFirstPage(parentId: number, all: Row[]): void {
    if (this.firstPages.has(parentId)) return;
    const request = readPageRequest(undefined, undefined, scopeOf(this.spec.name), this.spec.order, this.reader.cursors);
    this.firstPages.set(parentId, this.connectionOf(firstPageOf(all, this.spec.order, request)));
  }

  private loaderFor(args: PageArgs, include: readonly string[]): DataLoader<number, Connection<T>> {
    const request = readPageRequest(args.first, args.after, scopeOf(this.spec.name), this.spec.order, this.reader.cursors);
    const key = `${request.first}|${args.after ?? ''}|${include.join(',')}`;
    let loader = this.loaders.get(key);
    if (!loader) {
      loader = new DataLoader((parentIds) => this.loadPages(parentIds, request, include), { batch: this.reader.batch });
      this.loaders.set(key, loader);
    }
    return loader;
  }

  private async loadPages(parentIds: readonly number[], request: PageRequest, include: readonly string[]): Promise<Array<Connection<T>>> {
    const { em } = this.reader;
    const knex = em.getKnex();
    const pages = await fetchNestedPages(knex, this.spec.query(knex, parentIds, include), this.spec.parentColumn, this.spec.order, request);
    return parentIds.map((id) => this.connectionOf(pages.get(id) ?? emptyNestedPage()));
  }

  private connectionOf(page: NestedRowPage): Connection<T> {
    const { em } = this.reader;
    const { withRow } = this.spec;
    const nodes = page.rows.map((row) => {
      const node = mapRow(em, this.spec.entity, row);
      withRow?.(row, node);
      return node;
    });
    return new Connection(nodes, page.cursor, page, page.totalCount);
  }
}

/** A top-level list: what it lists, in which order, and what its cursors belong to. */
export interface ListSpec<T extends object> {
  entity: EntityClass<T>;
  /** Selects the node's columns (plus any sort or edge columns) of every row of the list. */
  query: Knex.QueryBuilder;
  order: OrderTerm[];
  /** The connection's name and its filter: a cursor is valid only for the same scope. */
  scope: [string, ...unknown[]];
  /** How to count every row when `totalCount` is asked for; by default a count over `query`. */
  count?: () => Promise<number>;
  /** Per-edge fields (e.g. distanceKm) read from each row. */
  edgeFields?: (row: Row) => Record<string, unknown>;
  /** Children brought with each row of the page in the same statement (json-rows.ts). */
  children?: PageChildren<T>;
}

/** Columns computed for the rows of a page only (not for every row the list's query matches), and what to do with each row's. */
export interface PageChildren<T> {
  /** SQL expressions (named, `... as __name`) over the page's row as `alias`. */
  columns: (alias: string) => string[];
  withRow: (row: Row, node: T) => void;
}

/**
 * One page of a top-level list, from `first` and `after`: one statement for
 * the page, one more for `totalCount` only if asked.
 */
export async function paginate<T extends object>(reader: Reader, list: ListSpec<T>, page: PageArgs): Promise<Connection<T>> {
  const request = readPageRequest(page.first, page.after, scopeOf(...list.scope), list.order, reader.cursors);
  const { children } = list;
  const knex = reader.em.getKnex();
  // The page's rows first (ordered and limited in a subquery), then their children's columns for those rows alone.
  const withChildren = children && ((q: Knex.QueryBuilder) => knex.select('p.*', ...children.columns('p').map((sql) => knex.raw(sql))).from(q.as('p')).orderBy(list.order.map((term) => ({ column: `p.${term.key}`, order: 'asc' }))));
  const rows = await fetchPage(list.query, list.order, request, withChildren);
  return connectionOf(reader, list.entity, rows, list.count ?? (() => countRows(list.query)), list.edgeFields, children?.withRow);
}

/** The connection of a page of rows already fetched. */
export function connectionOf<T extends object>(
  { em }: Reader,
  entity: EntityClass<T>,
  page: RowPage,
  count: number | (() => Promise<number>),
  edgeFields?: (row: Row) => Record<string, unknown>,
  withRow?: (row: Row, node: T) => void,
): Connection<T> {
  const nodes = page.rows.map((row) => {
    const node = mapRow(em, entity, row);
    withRow?.(row, node);
    return node;
  });
  return new Connection(nodes, page.cursor, page, count, edgeFields ? page.rows.map(edgeFields) : undefined);
}

/**
 * One page of a list by page number (the Open Referral UK feed pages so):
 * `limit` rows after `offset` in `order`, and the count of all of them.
 */
export async function offsetPage<T extends object>(reader: Reader, entity: EntityClass<T>, query: Knex.QueryBuilder, order: OrderTerm[], offset: number, limit: number): Promise<{ items: T[]; total: number }> {
  const [rows, total] = await Promise.all([
    query.clone().orderBy(order.map((term) => ({ column: term.column, order: 'asc' }))).limit(limit).offset(offset),
    countRows(query),
  ]);
  return { items: (rows as Row[]).map((row) => mapRow(reader.em, entity, row)), total };
}

/** The ids among `ids` that are rows of `table`. */
export async function existingIds(reader: Reader, table: string, ids: readonly number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows: Array<{ id: number | string }> = await reader.em.getKnex().from(table).whereIn('id', ids).select('id');
  return new Set(rows.map((row) => Number(row.id)));
}
