import type { EntityManager } from '@mikro-orm/knex';
import type { Orm } from './orm';
import { createLoaders, type Loaders } from './loaders';

/** Everything one GraphQL request works with; built fresh for every request. */
export interface Context {
  em: EntityManager;
  loaders: Loaders;
}

export function createContext(orm: Orm): Context {
  const em = orm.em.fork() as EntityManager;
  return { em, loaders: createLoaders(em) };
}
