import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import type { ValidationError } from 'class-validator';
import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { ClientError, RequestTimeoutError } from './client-errors';
import { clientErrorOf, type ConvertDriverError } from './library-errors';

export interface ErrorMaskOptions {
  /** The database platform's converter of raw driver errors (see library-errors.ts). */
  convert: ConvertDriverError;
  /** Where masked internal errors are reported, with their stack. */
  report: (error: unknown) => void;
  /** Production: no "Did you mean ...?" suggestions, which would help strangers map the schema. */
  production: boolean;
  /**
   * Whether the request's deadline stopped one of its statements. That stop is thrown from inside the driver,
   * and what reaches the resolver may be another error it caused (MikroORM's "Transaction query already
   * complete" after a transaction stopped at its first statement): REQUEST_TIMEOUT, not an internal error.
   */
  timedOut?: () => boolean;
}

/**
 * The one place errors are shaped for clients, by class (after graphql-yoga's
 * mask-error): a ClientError passes as it is; a library error a client can act
 * on (a unique value taken, a read-only database) becomes its client error;
 * the errors graphql-js and Apollo raise themselves about a request (parse,
 * validation, variables) pass; anything else is reported with its stack and
 * masked, so no stack trace or SQL ever reaches a client.
 */
export function createErrorMask({ convert, report, production, timedOut = () => false }: ErrorMaskOptions) {
  /** The client error a library error (or the deadline's stop) stands for, if any. */
  const clientErrorFor = (original: unknown): ClientError | undefined => {
    if (original instanceof ClientError) return undefined;
    return timedOut() ? new RequestTimeoutError() : clientErrorOf(original, convert);
  };

  const formatError = (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    if (production && / Did you mean .*\?$/.test(formatted.message)) formatted = { ...formatted, message: formatted.message.replace(/ Did you mean .*\?$/, '') };
    const original = unwrapResolverError(error);
    if (original instanceof ArgumentValidationError) return validationFailure(formatted, original);
    // graphql-js stops coercing variables after 50 errors with a message and no code.
    if (/^Too many errors processing variables/.test(formatted.message)) {
      return { message: formatted.message, extensions: { code: 'BAD_USER_INPUT', field: 'variables', fields: [{ field: 'variables', message: formatted.message }] } };
    }
    const mapped = clientErrorFor(original);
    if (mapped) {
      const { http: _http, ...extensions } = mapped.extensions;
      return { message: mapped.message, locations: formatted.locations, path: formatted.path, extensions };
    }
    if (!isRequestError(error, original)) {
      report(original);
      return { message: 'Internal server error', locations: formatted.locations, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    }
    if (formatted.extensions?.code === 'BAD_USER_INPUT' && formatted.extensions.field === undefined) {
      const field = variableErrorField(formatted.message);
      if (field) return { ...formatted, extensions: { ...formatted.extensions, field, fields: [{ field, message: formatted.message }] } };
    }
    // A request error raised without a code of its own (Apollo's "provided sha does not match query",
    // "Unsupported persisted query version") is the client's: BAD_REQUEST, not Apollo's default INTERNAL_SERVER_ERROR.
    if (formatted.extensions?.code === 'INTERNAL_SERVER_ERROR') return { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_REQUEST' } };
    return formatted;
  };

  /** A mapped library error carries its HTTP status (503 for SERVICE_UNAVAILABLE) to the response, as a thrown ClientError does. */
  const plugin: ApolloServerPlugin = {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, response }) {
          for (const error of errors) {
            const original = unwrapResolverError(error);
            const http = clientErrorFor(original)?.extensions.http as { status?: number; headers?: Map<string, string> } | undefined;
            if (!http) continue;
            response.http.status = http.status;
            for (const [name, value] of http.headers ?? []) response.http.headers.set(name, value);
          }
        },
      };
    },
  };

  /** A GraphQLError thrown (not by the server's code) as a Tier 3 failure, e.g. by Apollo's context step, gets the same treatment. */
  const mapThrown = (error: unknown): unknown => (error instanceof GraphQLError ? error : (clientErrorOf(error, convert) ?? error));

  return { formatError, plugin, mapThrown };
}

/** Our own client errors, and the errors graphql-js and Apollo raise about the request itself (they carry no cause of another kind). */
function isRequestError(error: unknown, original: unknown): boolean {
  if (original instanceof ClientError) return true;
  if (!(error instanceof GraphQLError) || original !== error) return false;
  if (error.extensions.code === 'INTERNAL_SERVER_ERROR') return false;
  return error.originalError === undefined || error.originalError === null || error.originalError instanceof GraphQLError;
}

/** Every input validated by class-validator is a mutation's `input` argument: each problem named by its path. */
function validationFailure(formatted: GraphQLFormattedError, error: ArgumentValidationError): GraphQLFormattedError {
  const fields = flattenValidationErrors(error.extensions.validationErrors as ValidationError[], 'input');
  return {
    message: `Invalid input: ${fields.map((f) => `"${f.field}" ${f.message}`).join('; ')}`,
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: 'BAD_USER_INPUT', field: fields[0]?.field, fields },
  };
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
export function responseTooLarge(bytes: number, limit: number): GraphQLFormattedError {
  return {
    message: `The response would be ${Math.ceil(bytes / 1024)} kB; the limit is ${Math.floor(limit / 1024)} kB. Ask for less (smaller pages, fewer fields or nested lists).`,
    extensions: { code: 'RESPONSE_TOO_LARGE', bytes, limit },
  };
}

/** Malformed JSON, oversized bodies and the like: a GraphQL-shaped error, never an HTML page. */
export const jsonErrorHandler =
  (logger: Logger): ErrorRequestHandler =>
  (error, _req, res, _next) => {
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
