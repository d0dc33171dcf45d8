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
import { pino, type Logger } from 'pino';
import type { EntityManager } from '@mikro-orm/knex';
import { createContext, type AppServices, type Context, type RequestInfo } from './context';
import { DEFAULT_CAPACITY, LIMITS, RateLimitedError, refuseSpentBudget, requestLimitsPlugin, screenDocument, type CapacityLimits } from './limits/limits';
import { Admission } from './limits/admission';
import { RateLimits } from './limits/rate-limit';
import { openDatabase, type Orm } from './orm';
import type { DatabaseTarget } from './config';
import { buildDirectorySchema } from './schema';
import { currentSqlStats, withSqlStats, type SqlStats } from './modules/common/sql-stats';
import { DistrictCentroidGeocoder, type Geocoder } from './modules/hub/postcode';
import { CursorCodec } from './modules/common/cursor';
import { serverSecret } from './modules/common/server-secret';
import { keyPrefixOf } from './modules/account/auth';
import { UnauthenticatedError } from './errors';

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
  /** Cost limit, admission control and response size (defaults: DEFAULT_CAPACITY). */
  capacity?: Partial<CapacityLimits>;
  /** Failed sign-ins an address may make per rate-limit window. */
  signInFailuresPerWindow?: number;
  /** Signs cursors; by default a secret made once and stored in the database. */
  cursorSecret?: string;
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
  const capacity: CapacityLimits = { ...DEFAULT_CAPACITY, ...options.capacity };
  const rateLimits = RateLimits.create({
    redisUrl: options.redisUrl,
    points: options.rateLimitPoints ?? 2_000_000,
    windowSeconds: options.rateLimitWindowSeconds ?? 60,
    keyPrefix: options.rateLimitKeyPrefix ?? 'spd-rate',
    authFailures: options.signInFailuresPerWindow ?? 20,
  });
  const admission = new Admission(capacity.maxExpensiveInFlight, capacity.maxExpensiveQueued, capacity.maxQueueWaitMs);
  const services: AppServices = { geocoder, cursors: new CursorCodec(await serverSecret(orm.em.fork() as EntityManager, 'cursor', options.cursorSecret)) };
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
    stringifyResult: (result) => {
      const body = JSON.stringify(result);
      if (body.length <= capacity.maxResponseBytes) return body;
      logger.warn({ bytes: body.length, limit: capacity.maxResponseBytes }, 'response too large');
      return JSON.stringify({ errors: [responseTooLarge(body.length, capacity.maxResponseBytes)] });
    },
    plugins: [
      requestLimitsPlugin({ schema, rateLimits, capacity, admission, logger }),
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
        throw refusal ? new RateLimitedError(rateLimits.points, refusal, 'Too many failed sign-ins from this address.') : error;
      }
    } catch (error) {
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
        admitRequest(
          req.method === 'GET' ? req.query.query : (req.body as { query?: unknown } | undefined)?.query,
          requestInfo(currentSqlStats() ?? { statements: 0 }, req.headers.authorization, res.locals.requestId, req.ip ?? 'unknown'),
        ),
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
          contextValue = await admitRequest(request.query, requestInfo(stats, authorization, randomUUID(), 'in-process'));
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
      await rateLimits.close();
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

const CLIENT_CODES = new Set([
  'QUERY_TOO_COSTLY',
  'RATE_LIMITED',
  'SERVER_BUSY',
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

/** What replaces a response body larger than the limit: the query was allowed, but its answer is too big to send. */
function responseTooLarge(bytes: number, limit: number): GraphQLFormattedError {
  return {
    message: `The response would be ${Math.ceil(bytes / 1024)} kB; the limit is ${Math.floor(limit / 1024)} kB. Ask for less (smaller pages, fewer fields or nested lists).`,
    extensions: { code: 'RESPONSE_TOO_LARGE', bytes, limit },
  };
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
