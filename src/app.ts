import 'reflect-metadata';
import { ApolloServer, type GraphQLRequest } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { pagesRouter, playgroundPage, type PagesOptions } from './http/pages';
import { cachingDefaults, cachingPlugin, DEFAULT_PERSISTED_QUERY_BYTES, DEFAULT_PUBLIC_MAX_AGE_SECONDS, PERSISTED_QUERY_TTL_SECONDS, persistedQueryStore } from './http/caching';
import { GraphQLError, type FormattedExecutionResult, type GraphQLFormattedError } from 'graphql';
import { compiledReadsPlugin, RawJson, subqueriesKeepJson } from './modules/compiled/compiled-reads';
import express, { type Express } from 'express';
import cors from 'cors';
import { randomUUID } from 'node:crypto';
import { pino, type Logger } from 'pino';
import type { EntityManager } from '@mikro-orm/knex';
import { createContext, type AppServices, type Context, type RequestInfo } from './context';
import { DEFAULT_CAPACITY, LIMITS, refuseSpentBudget, requestLimitsPlugin, screenDocument, shapeRules, type CapacityLimits } from './limits/limits';
import { Admission } from './limits/admission';
import { feedLimits } from './limits/feed-limits';
import { RateLimits, retryAfterSeconds } from './limits/rate-limit';
import { openDatabase, type Orm } from './orm';
import type { Config } from './config';
import { buildDirectorySchema } from './schema';
import { createRepositories, DEFAULT_READ_OPTIONS } from './repositories';
import { orukRouter } from './modules/oruk/oruk.router';
import { ANONYMOUS } from './modules/common/viewer';
import { createErrorMask, jsonErrorHandler, RateLimitedError, responseTooLarge, UnauthenticatedError } from './errors';
import { currentSqlStats, withSqlStats, type SqlStats } from './modules/common/sql-stats';
import { DistrictCentroidGeocoder, type Geocoder } from './modules/place/postcode';
import { CursorCodec } from './modules/common/cursor';
import { serverSecret } from './modules/common/server-secret';
import { keyPrefixOf } from './modules/account/auth';
import type { SearchTuning } from './modules/service/service.queries';
import { reviewRouter } from './modules/review/review.router';
import { ReviewLinks } from './modules/review/review-link';
import { ReminderSchedule } from './modules/review/reminder-schedule';
import { DEFAULT_MAIL } from './config';
import { DEFAULT_CAPACITY_STALE_DAYS } from './modules/service/capacity';
import { DEFAULT_PROBLEM_REPORTS_PER_HOUR, ProblemReportLimit } from './modules/report/problem-report.limit';
import { SearchCounter } from './modules/insights/search-counter';
import { DEFAULT_FLUSH_INTERVAL_MS, DEFAULT_RETENTION_MONTHS } from './modules/insights/insights.defaults';

/** The settings `npm start` reads from the environment (config.ts) that the app itself uses; only the database is required. */
type ConfiguredOptions = Pick<Config, 'database'> &
  Partial<Pick<Config, 'playground' | 'apolloSandbox' | 'production' | 'introspection' | 'redisUrl' | 'rateLimitPoints' | 'rateLimitWindowSeconds' | 'requestTimeoutMs' | 'trustProxy' | 'batchLoads' | 'compiledReads' | 'cursorSecret' | 'capacityStaleDays' | 'cacheMaxAgeSeconds' | 'persistedQueries' | 'persistedQueryBytes' | 'review' | 'mail' | 'reminderEveryHours' | 'problemReportsPerHour' | 'searchInsights' | 'searchInsightsRetentionMonths'>> & {
    /** Cost limit, admission control and response size (defaults: DEFAULT_CAPACITY). */
    capacity?: Partial<CapacityLimits>;
  };

/** Everything a server can be built with: the configured settings, and what only code gives (tests, benchmarks). */
export interface AppOptions extends ConfiguredOptions {
  /** Turns postcodes into coordinates; defaults to the offline district-centroid table in geodata/. */
  geocoder?: Geocoder;
  /** Structured JSON logs (one line per request, errors with stacks); defaults to pino on stdout at `info`. */
  logger?: Logger;
  /** Where masked internal errors are reported (with their stack); defaults to the logger. */
  logError?: (error: unknown) => void;
  /** Namespace of the budgets in Redis (instances sharing budgets share it). */
  rateLimitKeyPrefix?: string;
  /** Namespace of the persisted queries' documents in Redis. */
  persistedQueryKeyPrefix?: string;
  /** Failed sign-ins an address may make per rate-limit window. */
  signInFailuresPerWindow?: number;
  /** Tests: how long the server waits after start before its first reminder run (REMINDERS_EVERY_HOURS); default a minute. */
  reminderFirstRunDelayMs?: number;
  /** bench:search only: switch the bounding box or the full-text index off, to measure what each buys. */
  searchTuning?: Partial<SearchTuning>;
  /** How often search counts are written (default 10 s); 0: only by `app.insights.flush()` and on close (tests). */
  searchInsightsFlushMs?: number;
  /** The public pages (src/http/pages.ts): where the build is, and the map's tiles (Config.pages, from MAP_TILE_URL and MAP_TILE_ATTRIBUTION); default none. */
  pages?: PagesOptions;
}

export interface App {
  orm: Orm;
  apollo: ApolloServer<Context>;
  http: Express;
  logger: Logger;
  /** Runs one operation in-process, as a request would (with an Authorization header if given), counting its SQL statements. */
  execute(request: GraphQLRequest, options?: { stats?: SqlStats; authorization?: string; /** The caller's address (default 'in-process'), for tests of per-address limits. */ clientAddress?: string }): Promise<ExecuteResult>;
  /** Search counting (modules/insights): `flush()` writes what was counted so far. */
  insights: Pick<SearchCounter, 'flush'>;
  close(): Promise<void>;
}

export interface ExecuteResult {
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLFormattedError[];
  extensions?: Record<string, unknown>;
}

/** Builds database, schema, GraphQL server and HTTP routes, without listening. */
export async function createApp(options: AppOptions): Promise<App> {
  // The map's tiles come from readConfig (MAP_TILE_URL, checked there); none: markers only.
  const pages = options.pages ?? {};
  const orm = await openDatabase(options.database);
  const logger = options.logger ?? pino({ level: 'info' });
  const logError = options.logError ?? ((error: unknown) => logger.error({ err: error }, 'internal error'));
  const geocoder = options.geocoder ?? DistrictCentroidGeocoder.fromFile();
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  const schema = await buildDirectorySchema();
  const capacity: CapacityLimits = { ...DEFAULT_CAPACITY, ...options.capacity };
  const rateLimits = RateLimits.create({
    redisUrl: options.redisUrl,
    points: options.rateLimitPoints ?? 2_000_000,
    windowSeconds: options.rateLimitWindowSeconds ?? 60,
    keyPrefix: options.rateLimitKeyPrefix ?? 'spd-rate',
    authFailures: options.signInFailuresPerWindow ?? 20,
  });
  const problemReportLimit = ProblemReportLimit.create({
    redisUrl: options.redisUrl,
    perHour: options.problemReportsPerHour ?? DEFAULT_PROBLEM_REPORTS_PER_HOUR,
    keyPrefix: `${options.rateLimitKeyPrefix ?? 'spd-rate'}-reports`,
  });
  const persisted =
    (options.persistedQueries ?? true)
      ? persistedQueryStore({ redisUrl: options.redisUrl, maxBytes: options.persistedQueryBytes ?? DEFAULT_PERSISTED_QUERY_BYTES, keyPrefix: options.persistedQueryKeyPrefix ?? 'spd-apq:' })
      : undefined;
  const searchCounter = new SearchCounter(orm.em as EntityManager, {
    enabled: options.searchInsights ?? true,
    retentionMonths: options.searchInsightsRetentionMonths ?? DEFAULT_RETENTION_MONTHS,
    flushIntervalMs: options.searchInsightsFlushMs ?? DEFAULT_FLUSH_INTERVAL_MS,
    warn: (error, message) => logger.warn({ err: error }, message),
  });
  const admission = new Admission(capacity.maxExpensiveInFlight, capacity.maxExpensiveQueued, capacity.maxQueueWaitMs);
  const services: AppServices = {
    geocoder,
    cursors: new CursorCodec(await serverSecret(orm.em.fork() as EntityManager, 'cursor', options.cursorSecret)),
    read: { batch: options.batchLoads ?? DEFAULT_READ_OPTIONS.batch, search: { ...DEFAULT_READ_OPTIONS.search, ...options.searchTuning }, review: options.review ?? DEFAULT_READ_OPTIONS.review },
    warn: (error, message) => logger.warn({ err: error }, message),
    capacityStaleDays: options.capacityStaleDays ?? DEFAULT_CAPACITY_STALE_DAYS,
    problemReportLimit,
    searchCounter,
  };
  const platform = orm.em.getPlatform();
  const errors = createErrorMask({
    convert: (error) => platform.getExceptionConverter().convertException(error),
    report: logError,
    production: options.production ?? false,
    timedOut: () => currentSqlStats()?.timedOut === true,
  });
  const apollo = new ApolloServer<Context>({
    schema,
    includeStacktraceInErrorResponses: false,
    introspection: options.introspection ?? !options.production,
    // Batched HTTP requests stay off (Apollo's default); CSRF prevention stays on (also the default).
    allowBatchedHttpRequests: false,
    // Automatic persisted queries: a front end sends a query once, then only its hash, in a short GET a CDN can cache.
    // Off (PERSISTED_QUERIES=false), Apollo answers PERSISTED_QUERY_NOT_SUPPORTED and clients send the text.
    persistedQueries: persisted ? { cache: persisted.cache, ttl: PERSISTED_QUERY_TTL_SECONDS } : false,
    parseOptions: { maxTokens: LIMITS.maxTokens },
    validationRules: shapeRules(),
    formatError: errors.formatError,
    stringifyResult: (result) => {
      const body = stringifyAnswer(result);
      if (body.length <= capacity.maxResponseBytes) return body;
      logger.warn({ bytes: body.length, limit: capacity.maxResponseBytes }, 'response too large');
      return JSON.stringify({ errors: [responseTooLarge(body.length, capacity.maxResponseBytes)] });
    },
    plugins: [
      requestLimitsPlugin({ schema, rateLimits, capacity, admission, logger }),
      // Queries the compiler knows in full are answered by one statement that builds their JSON (modules/compiled).
      ...((options.compiledReads ?? true) ? [compiledReadsPlugin({ schema, cursors: services.cursors, logger, subqueriesKeepJson: await subqueriesKeepJson(orm.em.getKnex()) })] : []),
      errors.plugin,
      cachingPlugin({ publicMaxAgeSeconds: options.cacheMaxAgeSeconds ?? DEFAULT_PUBLIC_MAX_AGE_SECONDS }),
      // The playground is the bundled GraphiQL (playgroundPage, below); Apollo Sandbox, loaded from Apollo's CDN, only with APOLLO_SANDBOX=true.
      options.playground && options.apolloSandbox ? ApolloServerPluginLandingPageLocalDefault({ embed: true }) : ApolloServerPluginLandingPageDisabled(),
      // No cache hints are used; Apollo's cache-control plugin would wrap every field resolver to look for them.
      ApolloServerPluginCacheControlDisabled(),
    ],
  });
  await apollo.start();

  const requestInfo = (stats: SqlStats, authorization: string | undefined, requestId: string, clientAddress: string): RequestInfo => ({
    authorization,
    requestId,
    clientAddress,
    sqlStats: Object.assign(stats, { deadline: Date.now() + requestTimeoutMs }),
  });

  /**
   * Apollo builds the context before it parses the document, so this is
   * where a request is refused before anything expensive: a spent budget or
   * blocked sign-ins before the document is read or a key looked up, a
   * document too big to validate before graphql-js validates it. A failed
   * sign-in is paid for from the address's budget.
   */
  const admitRequest = async (source: unknown, request: RequestInfo): Promise<Context> => {
    try {
      await refuseSpentBudget(rateLimits, request.clientAddress, keyPrefixOf(request.authorization), request.authorization !== undefined);
      screenDocument(source);
      try {
        return await createContext(orm, services, request);
      } catch (error) {
        if (!(error instanceof UnauthenticatedError)) throw error;
        const refusal = await rateLimits.signInFailed(request.clientAddress, capacity.signInFailureCost);
        throw refusal ? new RateLimitedError(rateLimits.points, retryAfterSeconds(refusal), 'Too many failed sign-ins from this address.') : error;
      }
    } catch (thrown) {
      // A database that cannot be reached while the key is looked up is SERVICE_UNAVAILABLE, not a failure of ours.
      const error = errors.mapThrown(thrown);
      if (error instanceof GraphQLError) logger.info({ requestId: request.requestId, outcome: error.extensions.code }, 'graphql request refused');
      throw error;
    }
  };

  const http = express();
  http.disable('x-powered-by');
  if (options.trustProxy) http.set('trust proxy', true);
  http.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  http.get('/readyz', async (_req, res) => {
    try {
      await orm.em.getConnection().execute('select 1');
      res.json({ status: 'ready' });
    } catch (error) {
      logger.error({ err: error }, 'readiness check failed');
      res.status(503).json({ status: 'unavailable', reason: 'database unreachable' });
    }
  });
  // The Open Referral UK 3.0 feed: public data, as the anonymous viewer sees it, readable from any origin
  // (refusals of the rate limit included), with the same deadline as GraphQL.
  http.use(
    '/oruk',
    cors(),
    cachingDefaults(),
    feedLimits({ rateLimits, admission, capacity }),
    (_req, _res, next) => withSqlStats({ statements: 0, deadline: Date.now() + requestTimeoutMs }, next),
    orukRouter({
      repositories: () => createRepositories({ em: orm.em.fork() as EntityManager, cursors: services.cursors, batch: services.read.batch, now: new Date() }, ANONYMOUS, services.read),
      geocoder,
      logger,
      publicMaxAgeSeconds: options.cacheMaxAgeSeconds ?? DEFAULT_PUBLIC_MAX_AGE_SECONDS,
    }),
  );
  // REMINDERS_EVERY_HOURS with SMTP_URL: the review reminders are also sent from inside the server.
  const mail: Config['mail'] = options.mail ?? DEFAULT_MAIL;
  const reminders = options.reminderEveryHours && mail.smtpUrl ? ReminderSchedule.start(orm, { ...mail, smtpUrl: mail.smtpUrl, policy: services.read.review, everyHours: options.reminderEveryHours, logger, firstRunDelayMs: options.reminderFirstRunDelayMs }) : undefined;
  // The page a review reminder's link opens (modules/review): see the listing, confirm it in one step.
  const reviewLinks = new ReviewLinks(await serverSecret(orm.em.fork() as EntityManager, 'review-links'));
  http.use('/review', reviewRouter({ orm, links: reviewLinks, policy: services.read.review, logger }));
  // A browser opening /graphql gets the playground (web/playground, GraphiQL); every GraphQL request goes on to Apollo.
  if (options.playground && !options.apolloSandbox) http.get('/graphql', playgroundPage(pages));
  http.use(
    '/graphql',
    // Anonymous reads are public data: any origin may read them (Open Referral UK asks the same of public feeds).
    cors(),
    cachingDefaults(),
    express.json({ limit: '100kb' }),
    (req, res, next) => {
      const requestId = (typeof req.headers['x-request-id'] === 'string' && /^[\w.-]{1,100}$/.test(req.headers['x-request-id']) && req.headers['x-request-id']) || randomUUID();
      res.setHeader('x-request-id', requestId);
      res.locals.requestId = requestId;
      withSqlStats({ statements: 0 }, next);
    },
    expressMiddleware(apollo, {
      context: async ({ req, res }) =>
        admitRequest(
          req.method === 'GET' ? req.query.query : (req.body as { query?: unknown } | undefined)?.query,
          requestInfo(currentSqlStats() ?? { statements: 0 }, req.headers.authorization, res.locals.requestId, req.ip ?? 'unknown'),
        ),
    }),
  );
  // The public pages (the finder at /), built by `npm run build` into dist/web.
  http.use(pagesRouter(pages));
  http.use(jsonErrorHandler(logger));

  return {
    orm,
    apollo,
    http,
    logger,
    insights: searchCounter,
    async execute(request, { stats = { statements: 0 }, authorization, clientAddress = 'in-process' } = {}) {
      const response = await withSqlStats(stats, async () => {
        let contextValue: Context;
        try {
          contextValue = await admitRequest(request.query, requestInfo(stats, authorization, randomUUID(), clientAddress));
        } catch (error) {
          // As over HTTP: a bad key stops the request before it runs.
          if (error instanceof GraphQLError) return { body: { kind: 'single' as const, singleResult: { errors: [error.toJSON()] } } };
          throw error;
        }
        return apollo.executeOperation(request, { contextValue });
      });
      if (response.body.kind !== 'single') throw new Error('incremental delivery is not used by this API');
      const result = response.body.singleResult as ExecuteResult;
      return result.data instanceof RawJson ? { ...result, data: result.data.parse() } : result;
    },
    async close() {
      reminders?.stop();
      await apollo.stop();
      // The searches of the last seconds, before the database closes.
      await searchCounter.close();
      await rateLimits.close();
      await problemReportLimit.close();
      await persisted?.close();
      // Fold the write-ahead log into the database file, so a stopped server leaves one clean file.
      if (options.database.kind === 'sqlite' && options.database.path !== ':memory:') {
        await orm.em.getConnection().execute('pragma wal_checkpoint(truncate)').catch(() => undefined);
      }
      await orm.close(true);
    },
  };
}

/** A response's text; `data` the database wrote already (RawJson) goes in as it is. */
function stringifyAnswer(result: FormattedExecutionResult): string {
  if (!(result.data instanceof RawJson)) return JSON.stringify(result);
  const { data, ...rest } = result;
  const tail = JSON.stringify(rest);
  return `{"data":${data.text}${tail === '{}' ? '}' : `,${tail.slice(1)}`}`;
}
