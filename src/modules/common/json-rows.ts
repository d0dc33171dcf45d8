import type { EntityClass } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { dialectOf, type Dialect } from './dialect';
import type { Row } from './pagination';
import { mappedColumns } from './row-mapper';

/**
 * Rows built as JSON by the database, so that a parent's children come in
 * the parent's own statement (a location with its hub and its schedules)
 * instead of one more statement each. Each object has the table's column
 * names as keys and the values a driver row would have (SQLite: integers,
 * milliseconds and 0/1; PostgreSQL: numbers, timestamptz text, booleans),
 * so mapRow maps it as it maps a row.
 */

/** SQL for row `alias` (of `entity`'s table) as one JSON object. */
function jsonObjectSql(em: EntityManager, entity: EntityClass<unknown>, alias: string): string {
  if (dialectOf(em.getKnex()) === 'postgresql') return `row_to_json(${alias})`;
  return `json_object(${mappedColumns(em, entity).map((column) => `'${column}', ${alias}.${column}`).join(', ')})`;
}

/** A scalar subquery: the one row of `entity` where `where` holds (alias `alias`), as JSON, or null. */
export function jsonRowSql(em: EntityManager, entity: EntityClass<unknown>, alias: string, where: string): string {
  const table = em.getMetadata().get(entity.name).tableName;
  return `(select ${jsonObjectSql(em, entity, alias)} from ${table} ${alias} where ${where})`;
}

/**
 * A scalar subquery: the rows of `entity` as `alias` in `from` (the table, any joins and a where clause, e.g.
 * "schedule ls where ls.service_location_id = sl.id"), as a JSON array in `orderBy` order (empty when none).
 */
export function jsonRowsSql(em: EntityManager, entity: EntityClass<unknown>, alias: string, from: string, orderBy: string): string {
  // A column of its own, read as text by parseJsonRows: nothing holds it that needs it marked JSON.
  return jsonArraySql(dialectOf(em.getKnex()), jsonObjectSql(em, entity, alias), alias, from, orderBy);
}

/**
 * A scalar subquery: `item` (SQL over the row as `alias`) for each row of `from`, as a JSON array in `orderBy`
 * order, at most `limit` of them; empty when there are none. `marked`: on SQLite, wrapped in json() (which
 * parses and writes it again) so that JSON holding it takes it as JSON, for a SQLite that forgets that past a
 * subquery (JsonSql.subquery).
 */
export function jsonArraySql(dialect: Dialect, item: string, alias: string, from: string, orderBy: string, limit?: number, marked = false): string {
  const limited = limit === undefined ? '' : ` limit ${limit}`;
  if (dialect === 'postgresql') {
    const source = limit === undefined ? from : `(select ${alias}.* from ${from} order by ${orderBy}${limited}) ${alias}`;
    return `(select coalesce(json_agg(${item} order by ${orderBy}), '[]'::json) from ${source})`;
  }
  // Ordered in a subquery: json_group_array(... order by ...) loses the objects' JSON subtype and gives strings;
  // json() keeps the array JSON to whatever holds it where SQLite forgets that past a subquery.
  const array = `(select json_group_array(${item}) from (select ${alias}.* from ${from} order by ${orderBy}${limited}) ${alias})`;
  return marked ? `json(${array})` : array;
}

/** A JSON column's value as rows: PostgreSQL's driver has parsed it already, SQLite gives its text. */
export function parseJsonRows(value: unknown): Row[] {
  if (value === null || value === undefined) return [];
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  return (Array.isArray(parsed) ? parsed : [parsed]) as Row[];
}
