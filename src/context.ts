import type { EntityManager } from '@mikro-orm/knex';
import type { Orm } from './orm';
import { createLoaders, type Loaders } from './loaders';
import type { Geocoder } from './modules/hub/postcode';

/** Everything one GraphQL request works with; built fresh for every request. */
export interface Context {
  em: EntityManager;
  loaders: Loaders;
  geocoder: Geocoder;
  /** The request's time: `openNow` and `nextOpen` use it, so one response agrees with itself. */
  now: Date;
}

export function createContext(orm: Orm, geocoder: Geocoder): Context {
  const em = orm.em.fork() as EntityManager;
  return { em, loaders: createLoaders(em), geocoder, now: new Date() };
}
