import type { EntityManager } from '@mikro-orm/knex';
import type { Orm } from './orm';
import { createLoaders, type Loaders } from './loaders';
import type { Geocoder } from './modules/hub/postcode';
import { authenticate, type Viewer } from './modules/account/auth';

/** Everything one GraphQL request works with; built fresh for every request. */
export interface Context {
  em: EntityManager;
  viewer: Viewer;
  loaders: Loaders;
  geocoder: Geocoder;
  /** The request's time: `openNow` and `nextOpen` use it, so one response agrees with itself. */
  now: Date;
}

/** Authenticates the request (an invalid key stops it with UNAUTHENTICATED) and builds its context. */
export async function createContext(orm: Orm, geocoder: Geocoder, authorization: string | undefined): Promise<Context> {
  const em = orm.em.fork() as EntityManager;
  const now = new Date();
  const viewer = await authenticate(em, authorization, now);
  return { em, viewer, loaders: createLoaders(em, viewer), geocoder, now };
}
