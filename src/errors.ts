import { GraphQLError } from 'graphql';

/**
 * Tier 1 errors: caused by the client, safe to show, each with a stable
 * `extensions.code`. Anything else thrown inside a resolver is masked to
 * INTERNAL_SERVER_ERROR by `formatError` (see app.ts).
 */
/**
 * Every BAD_USER_INPUT error names what is wrong in `extensions.field`: the
 * path of the argument or input field, e.g. "first", "near.radiusKm" or
 * "input.locations[1].schedules[0].opensAt". `extensions.fields` lists every
 * problem found ({ field, message }): all format problems (lengths, email,
 * times...) together; once the formats are right, all the problems across
 * fields and with ids (ages, duplicate hubs, unknown categories) together.
 */
export class BadUserInputError extends GraphQLError {
  constructor(field: string, message: string) {
    super(`Invalid value for "${field}": ${message}`, {
      extensions: { code: 'BAD_USER_INPUT', field, fields: [{ field, message }] },
    });
  }
}

export class NotFoundError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: 'NOT_FOUND' } });
  }
}

/** A key that is missing its scheme, malformed, unknown or revoked: never silently treated as anonymous. */
export class UnauthenticatedError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
  }
}

export class ForbiddenError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: 'FORBIDDEN' } });
  }
}

/** An update sent with a version that is no longer current; nothing was written. */
export class ConflictError extends GraphQLError {
  constructor(what: string, sentVersion: number, currentVersion: number) {
    super(
      `${what} has changed since you read it: you sent version ${sentVersion}, the current version is ${currentVersion}. Nothing was changed; read it again and reapply your edit.`,
      { extensions: { code: 'CONFLICT', field: 'input.version', currentVersion } },
    );
  }
}

export interface FieldProblem {
  field: string;
  message: string;
}

/** Several input fields wrong at once: all are listed, so a form can mark every one. Nothing is written. */
export class InvalidInputError extends GraphQLError {
  constructor(readonly problems: FieldProblem[]) {
    super(`Invalid input: ${problems.map((p) => `"${p.field}" ${p.message}`).join('; ')}`, {
      extensions: { code: 'BAD_USER_INPUT', field: problems[0]?.field, fields: problems },
    });
  }
}
