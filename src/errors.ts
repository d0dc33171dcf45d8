import { GraphQLError } from 'graphql';

/**
 * Tier 1 errors: caused by the client, safe to show, each with a stable
 * `extensions.code`. Anything else thrown inside a resolver is masked to
 * INTERNAL_SERVER_ERROR by `formatError` (see app.ts).
 */
export class BadUserInputError extends GraphQLError {
  /** @param argument the argument or input field at fault, e.g. "first" or "filter.hubIds" */
  constructor(argument: string, message: string) {
    super(`Invalid value for "${argument}": ${message}`, {
      extensions: { code: 'BAD_USER_INPUT', argumentName: argument },
    });
  }
}

export class NotFoundError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: 'NOT_FOUND' } });
  }
}
