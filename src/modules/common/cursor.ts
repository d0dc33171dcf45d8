import { createHash } from 'node:crypto';
import { BadUserInputError } from '../../errors';

/**
 * Cursors are opaque to clients: base64url(JSON([sortValues, check])).
 * `check` hashes the sort values together with the query's scope (which
 * connection, which filter, which order), so a cursor from another query, or
 * one edited by hand, is refused instead of silently returning a wrong page.
 */
export type CursorValues = Array<string | number | null>;

export function encodeCursor(scope: string, values: CursorValues): string {
  return Buffer.from(JSON.stringify([values, checksum(scope, values)]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, scope: string, argument = 'after'): CursorValues {
  let parsed: unknown;
  try {
    parsed = /^[A-Za-z0-9_-]{1,2048}$/.test(cursor) ? JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!isCursorPayload(parsed)) {
    throw new BadUserInputError(argument, 'this is not a cursor returned by this API.');
  }
  const [values, check] = parsed;
  if (check !== checksum(scope, values)) {
    throw new BadUserInputError(argument, 'this cursor belongs to a different query (other filters or ordering) or was altered; start again without "after".');
  }
  return values;
}

/** Stable text for a filter object, independent of key order. */
export function scopeOf(connection: string, ...parts: unknown[]): string {
  return `${connection}|${parts.map((part) => stableStringify(part)).join('|')}`;
}

function stableStringify(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && v !== null)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function checksum(scope: string, values: CursorValues): string {
  return createHash('sha256').update(scope).update('\u0000').update(JSON.stringify(values)).digest('base64url').slice(0, 12);
}

function isCursorPayload(value: unknown): value is [CursorValues, string] {
  return (
    Array.isArray(value) &&
    value.length === 2 &&
    typeof value[1] === 'string' &&
    Array.isArray(value[0]) &&
    value[0].length > 0 &&
    value[0].every((v) => v === null || typeof v === 'string' || typeof v === 'number')
  );
}
