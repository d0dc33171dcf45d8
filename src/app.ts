import 'reflect-metadata';
import { ApolloServer, type GraphQLRequest } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { unwrapResolverError } from '@apollo/server/errors';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { GraphQLError, type GraphQLFormattedError, type ValidationContext } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import type { ValidationError } from 'class-validator';
import express, { type ErrorRequestHandler, type Express } from 'express';
import cors from 'cors';
import { randomUUID } from 'node:crypto';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { Redis } from 'ioredis';
import { pino, type Logger } from 'pino';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { createContext, type Context, type RequestInfo } from './context';
import { LIMITS, requestLimitsPlugin } from './limits/limits';
import { openDatabase, type Orm } from './orm';
import type { DatabaseTarget } from './config';
import { buildDirectorySchema } from './schema';
import { currentSqlStats, withSqlStats, type SqlStats } from './modules/common/sql-stats';
import { DistrictCentroidGeocoder, type Geocoder } from './modules/hub/postcode';

export interface AppOptions {
  database: DatabaseTarget;
  playground?: boolean;
  /** Turns postcodes into coordinates; defaults to the offline district-centroid table in geodata/. */
  geocoder?: Geocoder;
  /** Structured JSON logs (one line per request, errors with stacks); defaults to pino on stdout at `info`. */
  logger?: Logger;
  /** Where masked internal errors are reported (with their stack); defaults to the logger. */
  logError?: (error: unknown) => void;
  /** Production: no field suggestions in error messages. */
  production?: boolean;
  /** Serve introspection queries (off in production unless configured on). */
  introspection?: boolean;
  /** Rate-limit budgets shared through Redis when given; in memory otherwise. */
  redisUrl?: string;
  rateLimitPoints?: number;
  rateLimitWindowSeconds?: number;
  /** Namespace of the budgets in Redis (instances sharing budgets share it). */
  rateLimitKeyPrefix?: string;
  requestTimeoutMs?: number;
  trustProxy?: boolean;
}

export interface App {
  orm: Orm;
  apollo: ApolloServer<Context>;
  http: Express;
  logger: Logger;
  /** Runs one operation in-process, as a request would (with an Authorization header if given), counting its SQL statements. */
  execute(request: GraphQLRequest, options?: { stats?: SqlStats; authorization?: string }): Promise<ExecuteResult>;
  close(): Promise<void>;
}

export interface ExecuteResult {
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLFormattedError[];
  extensions?: Record<string, unknown>;
}

/** Builds database, schema, GraphQL server and HTTP routes, without listening. */
export async function createApp(options: AppOptions): Promise<App> {
  const orm = await openDatabase(options.database);
  const logger = options.logger ?? pino({ level: 'info' });
  const logError = options.logError ?? ((error: unknown) => logger.error({ err: error }, 'internal error'));
  const geocoder = options.geocoder ?? DistrictCentroidGeocoder.fromFile();
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  const schema = await buildDirectorySchema();
  const limiter = createRateLimiter(options);
  const apollo = new ApolloServer<Context>({
    schema,
    includeStacktraceInErrorResponses: false,
    introspection: options.introspection ?? !options.production,
    // Batched HTTP requests stay off (Apollo's default); CSRF prevention stays on (also the default).
    allowBatchedHttpRequests: false,
    // No automatic persisted queries: clients send the query text (Apollo then answers PERSISTED_QUERY_NOT_SUPPORTED).
    persistedQueries: false,
    parseOptions: { maxTokens: LIMITS.maxTokens },
    validationRules: [
      maxDepthRule({ n: LIMITS.maxDepth, ...REPORT_AS_VALIDATION_ERROR }),
      maxAliasesRule({ n: LIMITS.maxAliases, ...REPORT_AS_VALIDATION_ERROR }),
      maxDirectivesRule({ n: LIMITS.maxDirectives, ...REPORT_AS_VALIDATION_ERROR }),
    ],
    formatError: (formatted, error) => formatError(formatted, error, logError, options.production ?? false),
    plugins: [
      requestLimitsPlugin({ schema, rateLimiter: limiter.limiter, logger }),
      options.playground ? ApolloServerPluginLandingPageLocalDefault({ embed: true }) : ApolloServerPluginLandingPageDisabled(),
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
  http.use(
    '/graphql',
    // Anonymous reads are public data: any origin may read them (Open Referral UK asks the same of public feeds).
    cors(),
    express.json({ limit: '100kb' }),
    (req, res, next) => {
      const requestId = (typeof req.headers['x-request-id'] === 'string' && /^[\w.-]{1,100}$/.test(req.headers['x-request-id']) && req.headers['x-request-id']) || randomUUID();
      res.setHeader('x-request-id', requestId);
      res.locals.requestId = requestId;
      withSqlStats({ statements: 0 }, next);
    },
    expressMiddleware(apollo, {
      context: async ({ req, res }) =>
        createContext(orm, geocoder, requestInfo(currentSqlStats() ?? { statements: 0 }, req.headers.authorization, res.locals.requestId, req.ip ?? 'unknown')),
    }),
  );
  http.use(jsonErrorHandler(logger));

  return {
    orm,
    apollo,
    http,
    logger,
    async execute(request, { stats = { statements: 0 }, authorization } = {}) {
      const response = await withSqlStats(stats, async () => {
        let contextValue: Context;
        try {
          contextValue = await createContext(orm, geocoder, requestInfo(stats, authorization, randomUUID(), 'in-process'));
        } catch (error) {
          // As over HTTP: a bad key stops the request before it runs.
          if (error instanceof GraphQLError) return { body: { kind: 'single' as const, singleResult: { errors: [error.toJSON()] } } };
          throw error;
        }
        return apollo.executeOperation(request, { contextValue });
      });
      if (response.body.kind !== 'single') throw new Error('incremental delivery is not used by this API');
      return response.body.singleResult as ExecuteResult;
    },
    async close() {
      await apollo.stop();
      await limiter.close();
      // Fold the write-ahead log into the database file, so a stopped server leaves one clean file.
      if (options.database.kind === 'sqlite' && options.database.path !== ':memory:') {
        await orm.em.getConnection().execute('pragma wal_checkpoint(truncate)').catch(() => undefined);
      }
      await orm.close(true);
    },
  };
}

/**
 * graphql-armor's rules throw by default, which Apollo treats as an internal
 * failure; reported through the validation context instead, a refusal is a
 * GRAPHQL_VALIDATION_FAILED error like any other invalid query.
 */
const REPORT_AS_VALIDATION_ERROR = {
  exposeLimits: true,
  propagateOnRejection: false,
  onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, '')))],
};

/** The rate limiter: budgets in Redis when REDIS_URL is set (shared by every instance), else in this process. */
function createRateLimiter(options: AppOptions): { limiter: RateLimiterAbstract; close: () => Promise<void> } {
  const settings = { points: options.rateLimitPoints ?? 2_000_000, duration: options.rateLimitWindowSeconds ?? 60, keyPrefix: options.rateLimitKeyPrefix ?? 'spd-rate' };
  if (!options.redisUrl) return { limiter: new RateLimiterMemory(settings), close: async () => undefined };
  const redis = new Redis(options.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined); // reported through the insurance limiter taking over
  // If Redis is unreachable, each instance keeps limiting on its own rather than failing requests.
  const limiter = new RateLimiterRedis({ ...settings, storeClient: redis, insuranceLimiter: new RateLimiterMemory(settings) });
  return { limiter, close: async () => void (await redis.quit().catch(() => undefined)) };
}

const CLIENT_CODES = new Set([
  'QUERY_TOO_COSTLY',
  'RATE_LIMITED',
  'REQUEST_TIMEOUT',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'NOT_FOUND',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'CONFLICT',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

/**
 * The one place errors are shaped for clients: client errors pass through
 * (validation errors get the field names), anything else is logged with its
 * stack and masked, so no stack trace or SQL ever reaches a client.
 */
function formatError(formatted: GraphQLFormattedError, error: unknown, logError: (error: unknown) => void, production: boolean): GraphQLFormattedError {
  // In production, "Did you mean ...?" would help strangers map the schema.
  if (production && / Did you mean .*\?$/.test(formatted.message)) formatted = { ...formatted, message: formatted.message.replace(/ Did you mean .*\?$/, '') };
  const original = unwrapResolverError(error);
  if (original instanceof ArgumentValidationError) {
    // Every input validated by class-validator is a mutation's `input` argument.
    const fields = flattenValidationErrors(original.extensions.validationErrors as ValidationError[], 'input');
    return {
      message: `Invalid input: ${fields.map((f) => `"${f.field}" ${f.message}`).join('; ')}`,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'BAD_USER_INPUT', field: fields[0]?.field, fields },
    };
  }
  // graphql-js stops coercing variables after 50 errors with a message and no code.
  if (/^Too many errors processing variables/.test(formatted.message)) {
    return { message: formatted.message, extensions: { code: 'BAD_USER_INPUT', field: 'variables', fields: [{ field: 'variables', message: formatted.message }] } };
  }
  const code = formatted.extensions?.code;
  if (code === 'BAD_USER_INPUT' && formatted.extensions?.field === undefined) {
    const field = variableErrorField(formatted.message);
    if (field) return { ...formatted, extensions: { ...formatted.extensions, field, fields: [{ field, message: formatted.message }] } };
  }
  if (typeof code === 'string' && CLIENT_CODES.has(code)) return formatted;
  logError(original);
  return { message: 'Internal server error', locations: formatted.locations, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

/** class-validator's nested errors as `input.locations[0].schedules[1].opensAt` paths. */
function flattenValidationErrors(errors: ValidationError[], prefix: string): Array<{ field: string; message: string }> {
  return errors.flatMap((error) => {
    const field = /^\d+$/.test(error.property) ? `${prefix}[${error.property}]` : `${prefix}.${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/**
 * The field a GraphQL variable-coercion error is about, from graphql-js's
 * message: 'Variable "$input" got invalid value 5 at "input.minimumAge"; ...'
 * or '...; Field "name" of required type "String!" was not provided.'
 */
function variableErrorField(message: string): string | undefined {
  const variable = /^Variable "\$(\w+)" got invalid value/.exec(message);
  if (!variable) return undefined;
  const at = / at "([^"]+)"/.exec(message)?.[1] ?? variable[1];
  const missing = /Field "(\w+)" of required type/.exec(message)?.[1];
  return missing ? `${at}.${missing}` : at;
}

/** Malformed JSON, oversized bodies and the like: a GraphQL-shaped error, never an HTML page. */
const jsonErrorHandler = (logger: Logger): ErrorRequestHandler => (error, _req, res, _next) => {
  const status = typeof error?.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
  const message =
    error?.type === 'entity.parse.failed'
      ? 'The request body is not valid JSON.'
      : error?.type === 'entity.too.large'
        ? 'The request body is too large.'
        : status < 500
          ? 'The request could not be read.'
          : 'Internal server error';
  if (status >= 500) logger.error({ err: error }, 'http error');
  res.status(status).json({ errors: [{ message, extensions: { code: status < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR' } }] });
};
