import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';

/**
 * Tier 1 errors: caused by the client (or by a state of the server the
 * client can wait out), safe to show, each with a stable `extensions.code`.
 * Masking is by class (see mask.ts): a ClientError reaches the client as it
 * is; anything else thrown inside a resolver is mapped (library-errors.ts)
 * or masked to INTERNAL_SERVER_ERROR.
 */
export class ClientError extends GraphQLError {}

export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * Every BAD_USER_INPUT error names what is wrong in `extensions.field`: the
 * path of the argument or input field, e.g. "first", "near.radiusKm" or
 * "input.locations[1].schedules[0].opensAt". `extensions.fields` lists every
 * problem found ({ field, message }): all format problems (lengths, email,
 * times...) together; once the formats are right, all the problems across
 * fields and with ids (ages, duplicate hubs, unknown categories) together.
 */
export class BadUserInputError extends ClientError {
  /** `httpStatus` for errors raised before execution (a refused request rather than a partial answer). */
  constructor(field: string, message: string, httpStatus?: number) {
    super(`Invalid value for "${field}": ${message}`, {
      extensions: { code: 'BAD_USER_INPUT', field, fields: [{ field, message }], ...(httpStatus ? { http: { status: httpStatus } } : {}) },
    });
  }
}

/** Several input fields wrong at once: all are listed, so a form can mark every one. Nothing is written. */
export class InvalidInputError extends ClientError {
  constructor(readonly problems: FieldProblem[]) {
    super(`Invalid input: ${problems.map((p) => `"${p.field}" ${p.message}`).join('; ')}`, {
      extensions: { code: 'BAD_USER_INPUT', field: problems[0]?.field, fields: problems },
    });
  }
}

export class NotFoundError extends ClientError {
  constructor(message: string) {
    super(message, { extensions: { code: 'NOT_FOUND' } });
  }
}

/** A key that is missing its scheme, malformed, unknown or revoked: never silently treated as anonymous. */
export class UnauthenticatedError extends ClientError {
  constructor(message: string) {
    super(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
  }
}

export class ForbiddenError extends ClientError {
  constructor(message: string) {
    super(message, { extensions: { code: 'FORBIDDEN' } });
  }
}

/** An update sent with a version that is no longer current; nothing was written. */
export class ConflictError extends ClientError {
  constructor(what: string, sentVersion: number, currentVersion: number) {
    super(
      `${what} has changed since you read it: you sent version ${sentVersion}, the current version is ${currentVersion}. Nothing was changed; read it again and reapply your edit.`,
      { extensions: { code: 'CONFLICT', field: 'input.version', currentVersion } },
    );
  }
}

/** The database cannot do what the request needs right now (read-only, locked, unreachable): try again later. */
export class ServiceUnavailableError extends ClientError {
  constructor(message = 'The directory cannot do this right now (its database is unavailable or read-only). Nothing was changed; try again later.') {
    super(message, { extensions: { code: 'SERVICE_UNAVAILABLE', http: { status: 503, headers: new HeaderMap([['retry-after', '5']]) } } });
  }
}

/** A request past its deadline, stopped at its next SQL statement. */
export class RequestTimeoutError extends ClientError {
  constructor() {
    super('The request took too long and was stopped. Ask for less (smaller pages, fewer nested lists).', {
      extensions: { code: 'REQUEST_TIMEOUT', http: { status: 503 } },
    });
  }
}

export class QueryTooCostlyError extends ClientError {
  constructor(cost: number, limit: number) {
    super(`This query could return ${cost} objects; the limit is ${limit}. Ask for smaller pages (first) or fewer nested lists.`, {
      extensions: { code: 'QUERY_TOO_COSTLY', cost, limit, http: { status: 400 } },
    });
  }
}

export class RateLimitedError extends ClientError {
  constructor(limit: number, retryAfter: number, reason = 'Each request spends its cost (extensions.cost) from a budget per API key, or per address without one.') {
    const headers = new HeaderMap([
      ['retry-after', String(retryAfter)],
      ['ratelimit-limit', String(limit)],
      ['ratelimit-remaining', '0'],
      ['ratelimit-reset', String(retryAfter)],
    ]);
    super(`Rate limit reached: try again in ${retryAfter} s. ${reason}`, {
      extensions: { code: 'RATE_LIMITED', retryAfterSeconds: retryAfter, http: { status: 429, headers } },
    });
  }
}

export class ServerBusyError extends ClientError {
  constructor(retryAfter: number) {
    super(`The server is busy with other large queries: try again in ${retryAfter} s, or ask for less (smaller pages, fewer nested lists) to skip the queue.`, {
      extensions: { code: 'SERVER_BUSY', retryAfterSeconds: retryAfter, http: { status: 503, headers: new HeaderMap([['retry-after', String(retryAfter)]]) } },
    });
  }
}

/** A document too large to validate safely, refused before graphql-js validates it; `message` says what was counted. */
export class DocumentTooLargeError extends ClientError {
  constructor(message: string, limit: number, found?: number) {
    super(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit, found, http: { status: 400 } } });
  }
}
