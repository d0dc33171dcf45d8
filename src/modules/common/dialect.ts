import type { Knex } from '@mikro-orm/knex';

/**
 * The few places where SQLite and PostgreSQL SQL differ are chosen here, by
 * the database a query builder talks to; everything else is written once in
 * SQL both understand.
 */
export type Dialect = 'sqlite' | 'postgresql';

export function dialectOf(knex: Knex): Dialect {
  return (knex.client as { dialect?: string }).dialect === 'postgresql' ? 'postgresql' : 'sqlite';
}

/** The smaller of two numeric SQL expressions (SQLite's two-argument `min`, PostgreSQL's `least`). */
export function smallerOf(dialect: Dialect, a: string, b: string): string {
  return dialect === 'postgresql' ? `least(${a}, ${b})` : `min(${a}, ${b})`;
}

/** Runs raw SQL and returns its rows (knex gives SQLite's rows as they are, PostgreSQL's inside a result object). */
export async function rawRows<T>(knex: Knex, sql: string, bindings: readonly Knex.RawBinding[] = []): Promise<T[]> {
  const result = await knex.raw(sql, bindings as Knex.RawBinding[]);
  return Array.isArray(result) ? (result as T[]) : ((result as { rows: T[] }).rows);
}
