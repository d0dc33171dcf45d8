import type { CombinedError } from '@urql/core';

/** One problem with one field of a form, named by its path in the mutation's input (`contact.email`). */
export interface FieldProblem {
  path: string;
  message: string;
}

/**
 * What the page does with a failed request, read from the GraphQL error's
 * `extensions.code` (README, "Ids, cursors and errors"):
 * - `invalid`: BAD_USER_INPUT; each problem of `extensions.fields` (paths like
 *   `input.contact.email`) is shown at its field;
 * - `conflict`: CONFLICT, the version sent is stale: someone else saved first;
 * - `signed-out`: UNAUTHENTICATED, the key is no longer accepted;
 * - `failed`: anything else, in a sentence a partner can act on.
 */
export type Failure = { kind: 'invalid'; problems: FieldProblem[] } | { kind: 'conflict' } | { kind: 'signed-out' } | { kind: 'failed'; message: string };

export function readFailure(error: CombinedError): Failure {
  const first = error.graphQLErrors[0];
  if (!first) return { kind: 'failed', message: 'The directory could not be reached, so nothing was saved. Check your connection and try again.' };
  const code = first.extensions?.code;
  if (code === 'CONFLICT') return { kind: 'conflict' };
  if (code === 'UNAUTHENTICATED') return { kind: 'signed-out' };
  if (code === 'BAD_USER_INPUT') {
    const listed = Array.isArray(first.extensions.fields) ? (first.extensions.fields as Array<{ field?: unknown; message?: unknown }>) : [];
    const problems = listed
      .filter((problem) => typeof problem.field === 'string' && typeof problem.message === 'string')
      .map((problem) => ({ path: inputPath(problem.field as string), message: problem.message as string }));
    if (problems.length > 0) return { kind: 'invalid', problems };
    const field = typeof first.extensions.field === 'string' ? inputPath(first.extensions.field) : '';
    return { kind: 'invalid', problems: [{ path: field, message: first.message }] };
  }
  if (code === 'FORBIDDEN') return { kind: 'failed', message: first.message };
  if (code === 'NOT_FOUND') return { kind: 'failed', message: 'This is no longer in the directory, or no longer yours to change.' };
  if (code === 'RATE_LIMITED') return { kind: 'failed', message: 'Too many requests from this connection just now. Wait a minute and try again; nothing was saved.' };
  return { kind: 'failed', message: 'Something went wrong, and nothing was saved. Try again in a moment.' };
}

/** `input.contact.email` → `contact.email`: the form names its fields by their path inside `input`. */
export function inputPath(field: string): string {
  return field.replace(/^input\./, '');
}

/**
 * A server message made to read at its field: class-validator starts with the property's own name
 * ("email must be an email address"), other rules with the rule ("must not be above the maximum age
 * (60)."); either way the sentence starts with the field's label as the partner sees it.
 */
export function fieldMessage(path: string, label: string, message: string): string {
  const property = path.split('.').pop()?.replace(/\[\d+\]$/, '') ?? '';
  let text = message;
  if (property && text.startsWith(`${property} `)) text = `${label} ${text.slice(property.length + 1)}`;
  else if (/^[a-z]/.test(text)) text = `${label} ${text}`;
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
