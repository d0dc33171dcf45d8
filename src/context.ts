import type { EntityManager } from '@mikro-orm/knex';
import type { Orm } from './orm';
import { createLoaders, type Loaders } from './loaders';
import type { Geocoder } from './modules/hub/postcode';
import { authenticate, type Viewer } from './modules/account/auth';
import type { SqlStats } from './modules/common/sql-stats';
import type { CursorCodec } from './modules/common/cursor';

/** Everything one GraphQL request works with; built fresh for every request. */
export interface Context {
  em: EntityManager;
  viewer: Viewer;
  loaders: Loaders;
  geocoder: Geocoder;
  /** The request's time: `openNow` and `nextOpen` use it, so one response agrees with itself. */
  now: Date;
  requestId: string;
  /** The caller's address: the rate-limit budget of anonymous requests. */
  clientAddress: string;
  /** SQL statements sent so far for this request (and its deadline). */
  sqlStats: SqlStats;
  /** Signs and checks the cursors of every list. */
  cursors: CursorCodec;
}

/** What every request of one app shares. */
export interface AppServices {
  geocoder: Geocoder;
  cursors: CursorCodec;
}

export interface RequestInfo {
  authorization: string | undefined;
  requestId: string;
  clientAddress: string;
  sqlStats: SqlStats;
}

/** Authenticates the request (an invalid key stops it with UNAUTHENTICATED) and builds its context. */
export async function createContext(orm: Orm, { geocoder, cursors }: AppServices, request: RequestInfo): Promise<Context> {
  const em = orm.em.fork() as EntityManager;
  const now = new Date();
  const viewer = await authenticate(em, request.authorization, now);
  return {
    em,
    viewer,
    loaders: createLoaders(em, viewer, cursors),
    geocoder,
    now,
    requestId: request.requestId,
    clientAddress: request.clientAddress,
    sqlStats: request.sqlStats,
    cursors,
  };
}
