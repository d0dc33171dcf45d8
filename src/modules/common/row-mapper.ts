import type { EntityClass, EntityProperty } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import type { Row } from './pagination';

/**
 * Read paths turn database rows into entity-shaped objects here, without the
 * ORM's unit of work. Profiling the deep slice (100 services with providers,
 * hubs, schedules, criteria and categories) showed MikroORM's hydration and
 * reference bookkeeping taking most of the request's CPU; reads need none of
 * it, as writes load their own managed entities in their transaction.
 *
 * The objects inherit the entity's prototype (so its getters, such as `globalId`
 * and `address`, work and `instanceof` resolves GraphQL interfaces), scalar
 * properties converted as the ORM would, and each many-to-one as `{ id }`.
 * Within one request (one forked EntityManager) each row is mapped once and
 * then found by id, so lookups of something already loaded send no SQL.
 */
type Step = (target: Record<string, unknown>, row: Row) => void;

/** How rows of one entity are mapped: the prototype of the objects, and one step per column. */
interface Mapper {
  prototype: object;
  steps: Step[];
}

/** Per database platform (a process may hold an SQLite and a PostgreSQL ORM), per entity. */
const mappers = new WeakMap<object, Map<string, Mapper>>();
const caches = new WeakMap<EntityManager, Map<string, Map<number, object>>>();

/**
 * The ORM puts a setter for every property on the entity's prototype, which
 * on first use gives the instance its change-tracking helper: profiling the
 * deep slice showed that bookkeeping (and the garbage it leaves) as the
 * largest single cost of a read. Mapped objects get a prototype between the
 * entity's and their own that shadows those setters with plain writable
 * properties, so assigning a column is an ordinary property write, while
 * the entity's getters and `instanceof` still work.
 */
/** The properties a row gives an object: persisted scalars and many-to-ones, one column each. */
function mappedProperties(em: EntityManager, entity: EntityClass<unknown>): EntityProperty[] {
  return Object.values(em.getMetadata().get(entity.name).properties as Record<string, EntityProperty>).filter(
    (prop) => prop.persist !== false && prop.fieldNames?.length === 1 && (prop.kind === 'scalar' || prop.kind === 'm:1'),
  );
}

/** The columns mapRow reads of an entity's table (what a row built elsewhere, e.g. as JSON, must carry). */
export function mappedColumns(em: EntityManager, entity: EntityClass<unknown>): string[] {
  return mappedProperties(em, entity).map((prop) => prop.fieldNames[0]);
}

function mapperFor(em: EntityManager, entity: EntityClass<unknown>): Mapper {
  const platform = em.getPlatform();
  let byEntity = mappers.get(platform);
  if (!byEntity) mappers.set(platform, (byEntity = new Map()));
  let mapper = byEntity.get(entity.name);
  if (mapper) return mapper;
  const props = mappedProperties(em, entity);
  const prototype = Object.create(entity.prototype) as object;
  for (const prop of props) {
    if (prop.runtimeType === 'Date') defineLazyDate(prototype, prop.name);
    else Object.defineProperty(prototype, prop.name, { value: undefined, writable: true, enumerable: false, configurable: true });
  }
  const steps = props.map((prop): Step => {
    const column = prop.fieldNames[0];
    const name = prop.name;
    if (prop.kind === 'm:1') return (target, row) => void (target[name] = row[column] === null || row[column] === undefined ? null : { id: Number(row[column]) });
    if (prop.customType) return (target, row) => void (target[name] = prop.customType!.convertToJSValue(row[column], platform));
    if (prop.runtimeType === 'Date') return (target, row) => void (target[rawDateKey(name)] = row[column]);
    if (prop.runtimeType === 'boolean') return (target, row) => void (target[name] = row[column] === null || row[column] === undefined ? null : Boolean(row[column]));
    return (target, row) => void (target[name] = row[column]);
  });
  mapper = { prototype, steps };
  byEntity.set(entity.name, mapper);
  return mapper;
}

/**
 * Dates are kept as the column's value and made a Date when first read: most
 * reads (a deep slice of 100 services with their locations and schedules)
 * never show a timestamp, and two Date objects per row were a good part of
 * the garbage a request left.
 */
const rawDateKey = (name: string) => `__${name}Column`;

function defineLazyDate(prototype: object, name: string): void {
  const raw = rawDateKey(name);
  Object.defineProperty(prototype, raw, { value: null, writable: true, enumerable: false, configurable: true });
  Object.defineProperty(prototype, name, {
    get(this: Record<string, unknown>) {
      const value = toDate(this[raw]);
      Object.defineProperty(this, name, { value, writable: true, enumerable: true, configurable: true });
      return value;
    },
    set(this: Record<string, unknown>, value: unknown) {
      Object.defineProperty(this, name, { value, writable: true, enumerable: true, configurable: true });
    },
    enumerable: false,
    configurable: true,
  });
}

/**
 * A date column's value as a Date: on SQLite milliseconds as the ORM writes
 * them, or UTC text from a column default; on PostgreSQL timestamptz text
 * such as "2026-11-22 18:00:00.123+00".
 */
export function toDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  if (typeof value === 'number' || /^\d+(\.\d+)?$/.test(String(value))) return new Date(Number(value));
  const text = String(value).replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00');
  return new Date(/(Z|[+-]\d\d:?\d\d)$/i.test(text) ? text : `${text}Z`);
}

function cacheOf(em: EntityManager, entity: EntityClass<unknown>): Map<number, object> {
  let byEntity = caches.get(em);
  if (!byEntity) caches.set(em, (byEntity = new Map()));
  let byId = byEntity.get(entity.name);
  if (!byId) byEntity.set(entity.name, (byId = new Map()));
  return byId;
}

/** Maps one row (or returns the object already mapped for this id in this request). */
export function mapRow<T>(em: EntityManager, entity: EntityClass<T>, row: Row): T {
  const cache = cacheOf(em, entity);
  const id = Number(row.id);
  const known = cache.get(id);
  if (known) return known as T;
  const { prototype, steps } = mapperFor(em, entity);
  const target = Object.create(prototype) as Record<string, unknown>;
  for (const step of steps) step(target, row);
  cache.set(id, target);
  return target as T;
}

/** An object of this entity already mapped in this request, if any. */
export function mappedRow<T>(em: EntityManager, entity: EntityClass<T>, id: number): T | undefined {
  return cacheOf(em, entity).get(id) as T | undefined;
}
