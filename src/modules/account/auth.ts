import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/knex';
import { UnauthenticatedError } from '../../errors';
import { ANONYMOUS, type Viewer } from '../common/viewer';
import { serializeWrite } from '../common/write-lock';
import { toDate } from '../common/row-mapper';

/** Keys look like spd_3f9a2c1b4d5e_<43 base64url characters>: a visible prefix, then 256 random bits. */
const KEY_PATTERN = /^(spd_[0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;
/** lastUsedAt is written at most this often per key, so reads do not all become writes. */
const LAST_USED_RESOLUTION_MS = 60_000;

export interface NewApiKey {
  key: string;
  prefix: string;
  secretHash: string;
}

export function generateApiKey(): NewApiKey {
  const prefix = `spd_${randomBytes(6).toString('hex')}`;
  const secret = randomBytes(32).toString('base64url');
  return { key: `${prefix}_${secret}`, prefix, secretHash: hashSecret(secret) };
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** The visible prefix of the key an Authorization header carries, when it carries a well-formed one. */
export function keyPrefixOf(header: string | undefined): string | undefined {
  const token = header === undefined ? undefined : /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
  return token === undefined ? undefined : KEY_PATTERN.exec(token)?.[1];
}

/**
 * Turns an Authorization header into a viewer. No header: anonymous. Anything
 * else that is not a live key (wrong scheme, malformed, unknown, revoked, of a
 * disabled account) is UNAUTHENTICATED: a caller who meant to sign in must
 * never be served quietly as anonymous.
 */
export async function authenticate(
  em: EntityManager,
  header: string | undefined,
  now = new Date(),
  /** Told when the last-used time could not be recorded (a read-only or busy database): the request goes on. */
  warn: (error: unknown, message: string) => void = () => undefined,
): Promise<Viewer> {
  if (header === undefined) return ANONYMOUS;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new UnauthenticatedError('The Authorization header must be "Bearer <API key>".');
  const parts = KEY_PATTERN.exec(match[1]);
  if (!parts) throw new UnauthenticatedError('That is not a directory API key (they look like spd_xxxxxxxxxxxx_...).');
  const [, prefix, secret] = parts;
  const knex = em.getKnex();
  const row = await knex
    .from('api_key as k')
    .join('account as a', 'a.id', 'k.account_id')
    .where('k.prefix', prefix)
    .first('k.id', 'k.secret_hash', 'k.revoked_at', 'k.last_used_at', 'a.id as account_id', 'a.name', 'a.role', 'a.provider_id', 'a.disabled');
  const expected = Buffer.from(row?.secret_hash ?? '0'.repeat(64), 'hex');
  const matches = timingSafeEqual(expected, Buffer.from(hashSecret(secret), 'hex')) && row !== undefined;
  if (!matches) throw new UnauthenticatedError('This API key is not valid.');
  if (row.revoked_at !== null) throw new UnauthenticatedError(`The API key ${prefix} was revoked.`);
  if (row.disabled) throw new UnauthenticatedError('The account this API key belongs to is disabled.');
  if (row.last_used_at === null || now.getTime() - toDate(row.last_used_at)!.getTime() > LAST_USED_RESOLUTION_MS) {
    // Bookkeeping, not the request's purpose: a database that refuses the write still serves the read.
    await serializeWrite(em, () => knex('api_key').where('id', row.id).update({ last_used_at: now })).catch((error: unknown) => warn(error, 'could not record when an API key was last used'));
  }
  return {
    kind: 'account',
    accountId: row.account_id,
    name: row.name,
    role: row.role,
    providerId: row.provider_id,
    keyId: row.id,
    keyPrefix: prefix,
  };
}

