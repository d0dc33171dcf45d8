import { GraphQLError } from 'graphql';

/**
 * Tier 1 errors: caused by the client, safe to show, each with a stable
 * `extensions.code`. Anything else thrown inside a resolver is masked to
 * INTERNAL_SERVER_ERROR by `formatError` (see app.ts).
 */
/**
 * Every BAD_USER_INPUT error names what is wrong in `extensions.field`: the
 * path of the argument or input field, e.g. "first", "near.radiusKm" or
 * "input.locations[1].schedules[0].opensAt". When several input fields are
 * wrong at once, `extensions.fields` lists them all ({ field, message }).
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
