import DataLoader from 'dataloader';
import type { EntityClass } from '@mikro-orm/core';
import { mapRow, mappedRow } from './row-mapper';
import type { EntityManager, Knex } from '@mikro-orm/knex';
import { Connection } from './connection';
import {
  countRows,
  emptyNestedPage,
  fetchNestedPages,
  fetchPage,
  readPageRequest,
  type OrderTerm,
  type PageRequest,
  type Row,
  type RowPage,
} from './pagination';
import { scopeOf, type CursorCodec } from './cursor';
import type { PageArgs } from './connection';
import type { Viewer } from '../account/auth';

/**
 * Loads entities by primary key, one statement per batch. Rows already
 * mapped in this request (e.g. as a nested page) are not fetched again.
 */
/**
 * Whether loaders batch. Always on, except in the benchmark's "naive build",
 * which turns it off to show what batching buys: every load then runs its own
 * query, once per parent, as a resolver without loaders would.
 */
export const loaderSettings = { batch: true };

export function entityLoader<T extends { id: number }>(
  em: EntityManager,
  entity: EntityClass<T>,
  /** Rows the viewer may not see come back as null, as if they did not exist. */
  visible: (row: T) => boolean = () => true,
): DataLoader<number, T | null> {
  const table = em.getMetadata().get(entity.name).tableName;
  return new DataLoader<number, T | null>(
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
    { batch: loaderSettings.batch },
  );
}

/** A list that is not paginated (schedules of a location), grouped by parent in one statement. */
export function groupedLoader<T>(
  load: (parentIds: readonly number[]) => Promise<Array<{ parent: number; item: T }>>,
): DataLoader<number, T[]> {
  return new DataLoader<number, T[]>(async (parentIds) => {
    const groups = new Map<number, T[]>(parentIds.map((id) => [id, []]));
    for (const { parent, item } of await load(parentIds)) groups.get(parent)?.push(item);
    return parentIds.map((id) => groups.get(id) ?? []);
  }, { batch: loaderSettings.batch });
}

/** How to fetch one nested list (e.g. Provider.services) for many parents. */
export interface NestedListSpec<T extends object> {
  /** Scope for cursors, e.g. "Provider.services". */
  name: string;
  entity: EntityClass<T>;
  order: OrderTerm[];
  /** SQL expression of the parent's id in `query`. */
  parentColumn: string;
  /** Selects the node's columns plus `parentColumn as __parent` for these parents, as this viewer may see them. */
  query: (knex: Knex, parentIds: readonly number[], viewer: Viewer) => Knex.QueryBuilder;
}

/**
 * Loads one page of a nested connection for every parent in a batch, in a
 * single statement (see fetchNestedPages). One DataLoader per distinct
 * (first, after) pair, since those change the SQL.
 */
export class NestedConnectionLoader<T extends object> {
  private readonly loaders = new Map<string, DataLoader<number, Connection<T>>>();

  constructor(
    private readonly em: EntityManager,
    private readonly viewer: Viewer,
    private readonly cursors: CursorCodec,
    private readonly spec: NestedListSpec<T>,
  ) {}

  load(parentId: number, args: PageArgs): Promise<Connection<T>> {
    const request = readPageRequest(args.first, args.after, scopeOf(this.spec.name), this.spec.order, this.cursors);
    const key = `${request.first}|${args.after ?? ''}`;
    let loader = this.loaders.get(key);
    if (!loader) {
      loader = new DataLoader((parentIds) => this.loadPages(parentIds, request), { batch: loaderSettings.batch });
      this.loaders.set(key, loader);
    }
    return loader.load(parentId);
  }

  private async loadPages(parentIds: readonly number[], request: PageRequest): Promise<Array<Connection<T>>> {
    const knex = this.em.getKnex();
    const pages = await fetchNestedPages(knex, this.spec.query(knex, parentIds, this.viewer), this.spec.parentColumn, this.spec.order, request);
    return parentIds.map((id) => {
      const page = pages.get(id) ?? emptyNestedPage();
      const nodes = page.rows.map((row) => mapRow(this.em, this.spec.entity, row));
      return new Connection(nodes, page.cursor, page, page.totalCount);
    });
  }
}

/** A top-level list: one statement for the page, one more for `totalCount` only if asked. */
export async function loadConnection<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  query: Knex.QueryBuilder,
  order: OrderTerm[],
  request: PageRequest,
  options: {
    /** How to count every row when `totalCount` is asked for; by default a count over `query`. */
    count?: () => Promise<number>;
    /** Per-edge fields (e.g. distanceKm) read from each row. */
    edgeFields?: (row: Row) => Record<string, unknown>;
  } = {},
): Promise<Connection<T>> {
  return connectionOf(em, entity, await fetchPage(query, order, request), options.count ?? (() => countRows(query)), options.edgeFields);
}

/** The connection of a page of rows already fetched. */
export function connectionOf<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  page: RowPage,
  count: number | (() => Promise<number>),
  edgeFields?: (row: Row) => Record<string, unknown>,
): Connection<T> {
  const nodes = page.rows.map((row) => mapRow(em, entity, row));
  return new Connection(nodes, page.cursor, page, count, edgeFields ? page.rows.map(edgeFields) : undefined);
}
