import { createHmac, timingSafeEqual } from 'node:crypto';
import { BadUserInputError } from '../../errors';

/**
 * Cursors are opaque to clients: base64url(JSON([sortValues, signature])).
 * The signature is an HMAC-SHA256, under the server's cursor secret, of the
 * sort values together with the query's scope (which connection, which
 * filter, which order). A cursor from another query, one edited by hand, or
 * one forged by someone who can read this code is refused instead of
 * silently returning a wrong page, and only values this server wrote ever
 * reach SQL as bindings.
 */
export type CursorValues = Array<string | number | null>;

export class CursorCodec {
  constructor(private readonly secret: Buffer) {
    if (secret.length < 32) throw new Error('The cursor secret must be at least 32 bytes.');
  }

  encode(scope: string, values: CursorValues): string {
    return Buffer.from(JSON.stringify([values, this.sign(scope, values)]), 'utf8').toString('base64url');
  }

  decode(cursor: string, scope: string, argument = 'after'): CursorValues {
    let parsed: unknown;
    try {
      parsed = /^[A-Za-z0-9_-]{1,2048}$/.test(cursor) ? JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!isCursorPayload(parsed)) {
      throw new BadUserInputError(argument, 'this is not a cursor returned by this API.');
    }
    const [values, signature] = parsed;
    const expected = Buffer.from(this.sign(scope, values), 'base64url');
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new BadUserInputError(argument, 'this cursor belongs to a different query (other filters or ordering) or was altered; start again without "after".');
    }
    return values;
  }

  private sign(scope: string, values: CursorValues): string {
    return createHmac('sha256', this.secret).update(scope).update('\u0000').update(JSON.stringify(values)).digest('base64url').slice(0, 22);
  }
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
