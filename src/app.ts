import 'reflect-metadata';
import { ApolloServer, type GraphQLRequest } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { unwrapResolverError } from '@apollo/server/errors';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import type { ValidationError } from 'class-validator';
import express, { type ErrorRequestHandler, type Express } from 'express';
import cors from 'cors';
import { createContext, type Context } from './context';
import { openDatabase, type Orm } from './orm';
import { buildDirectorySchema } from './schema';
import { withSqlStats, type SqlStats } from './modules/common/sql-stats';
import { DistrictCentroidGeocoder, type Geocoder } from './modules/hub/postcode';

export interface AppOptions {
  sqlitePath: string;
  playground?: boolean;
  /** Turns postcodes into coordinates; defaults to the offline district-centroid table in geodata/. */
  geocoder?: Geocoder;
  /** Where masked internal errors are reported (with their stack); defaults to stderr. */
  logError?: (error: unknown) => void;
}

export interface App {
  orm: Orm;
  apollo: ApolloServer<Context>;
  http: Express;
  /** Runs one operation in-process, as a request would (with an Authorization header if given), counting its SQL statements. */
  execute(request: GraphQLRequest, options?: { stats?: SqlStats; authorization?: string }): Promise<ExecuteResult>;
  close(): Promise<void>;
}

export interface ExecuteResult {
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLFormattedError[];
}

/** Builds database, schema, GraphQL server and HTTP routes, without listening. */
export async function createApp(options: AppOptions): Promise<App> {
  const orm = await openDatabase(options.sqlitePath);
  const logError = options.logError ?? ((error: unknown) => console.error(error));
  const geocoder = options.geocoder ?? DistrictCentroidGeocoder.fromFile();
  const apollo = new ApolloServer<Context>({
    schema: await buildDirectorySchema(),
    includeStacktraceInErrorResponses: false,
    formatError: (formatted, error) => formatError(formatted, error, logError),
    plugins: [
      options.playground ? ApolloServerPluginLandingPageLocalDefault({ embed: true }) : ApolloServerPluginLandingPageDisabled(),
    ],
  });
  await apollo.start();

  const http = express();
  http.disable('x-powered-by');
  http.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  http.use(
    '/graphql',
    cors(),
    express.json({ limit: '100kb' }),
    (_req, _res, next) => withSqlStats({ statements: 0 }, next),
    expressMiddleware(apollo, { context: async ({ req }) => createContext(orm, geocoder, req.headers.authorization) }),
  );
  http.use(jsonErrorHandler);

  return {
    orm,
    apollo,
    http,
    async execute(request, { stats = { statements: 0 }, authorization } = {}) {
      const response = await withSqlStats(stats, async () => {
        let contextValue: Context;
        try {
          contextValue = await createContext(orm, geocoder, authorization);
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
      await orm.close(true);
    },
  };
}

const CLIENT_CODES = new Set([
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
function formatError(formatted: GraphQLFormattedError, error: unknown, logError: (error: unknown) => void): GraphQLFormattedError {
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
const jsonErrorHandler: ErrorRequestHandler = (error, _req, res, _next) => {
  const status = typeof error?.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
  const message =
    error?.type === 'entity.parse.failed'
      ? 'The request body is not valid JSON.'
      : error?.type === 'entity.too.large'
        ? 'The request body is too large.'
        : status < 500
          ? 'The request could not be read.'
          : 'Internal server error';
  if (status >= 500) console.error(error);
  res.status(status).json({ errors: [{ message, extensions: { code: status < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR' } }] });
};
