import type { EntityManager } from '@mikro-orm/knex';
import type { Orm } from './orm';
import { createRepositories, type ReadOptions, type Repositories } from './repositories';
import type { Geocoder } from './modules/place/postcode';
import { authenticate } from './modules/account/auth';
import type { Viewer } from './modules/common/viewer';
import type { SqlStats } from './modules/common/sql-stats';
import type { CursorCodec } from './modules/common/cursor';
import type { ProblemReportLimit } from './modules/report/problem-report.limit';
import type { ReviewPolicy } from './modules/service/review-policy';
import type { SearchCounter } from './modules/insights/search-counter';

/** Everything one GraphQL request works with; built fresh for every request. */
export interface Context {
  /** For writes (their transactions); reads go through `repos`. */
  em: EntityManager;
  viewer: Viewer;
  /** Every read, per module (see repositories.ts). */
  repos: Repositories;
  geocoder: Geocoder;
  /** The request's time: `openNow` and `nextOpen` use it, so one response agrees with itself. */
  now: Date;
  requestId: string;
  /** The caller's address: the rate-limit budget of anonymous requests. */
  clientAddress: string;
  /** SQL statements sent so far for this request (and its deadline). */
  sqlStats: SqlStats;
  /** A service's capacity said longer ago than this many days reads as UNKNOWN. */
  capacityStaleDays: number;
  /** The review cycle (modules/service/review-policy.ts). */
  review: ReviewPolicy;
  /** How many problem reports each address may still send this hour (report/problem-report.limit.ts). */
  problemReportLimit: ProblemReportLimit;
  /** Counts `services` searches without personal data (insights/search-counter.ts). */
  searchCounter: SearchCounter;
}

/** What every request of one app shares. */
export interface AppServices {
  geocoder: Geocoder;
  cursors: CursorCodec;
  read: ReadOptions;
  /** Where a failure that does not fail the request (a key's last-used time not recorded) is logged. */
  warn: (error: unknown, message: string) => void;
  capacityStaleDays: number;
  problemReportLimit: ProblemReportLimit;
  searchCounter: SearchCounter;
}

export interface RequestInfo {
  authorization: string | undefined;
  requestId: string;
  clientAddress: string;
  sqlStats: SqlStats;
}

/** Authenticates the request (an invalid key stops it with UNAUTHENTICATED) and builds its context. */
export async function createContext(orm: Orm, { geocoder, cursors, read, warn, capacityStaleDays, problemReportLimit, searchCounter }: AppServices, request: RequestInfo): Promise<Context> {
  const em = orm.em.fork() as EntityManager;
  const now = new Date();
  const viewer = await authenticate(em, request.authorization, now, warn);
  return {
    em,
    viewer,
    repos: createRepositories({ em, cursors, batch: read.batch, now }, viewer, read),
    geocoder,
    now,
    requestId: request.requestId,
    clientAddress: request.clientAddress,
    sqlStats: request.sqlStats,
    capacityStaleDays,
    review: read.review,
    problemReportLimit,
    searchCounter,
  };
}
