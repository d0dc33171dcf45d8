import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/knex';

/**
 * A secret the server needs the same on every instance (the cursor-signing
 * key): the configured value when there is one, else the one stored in the
 * database, made on first start. Two instances starting at once both try to
 * store theirs; the first insert wins and both read it back.
 */
export async function serverSecret(em: EntityManager, name: string, configured?: string): Promise<Buffer> {
  if (configured) return Buffer.from(configured, 'utf8');
  const knex = em.getKnex();
  await knex('server_secret').insert({ name, value: randomBytes(32).toString('base64url') }).onConflict('name').ignore();
  const row = await knex('server_secret').where('name', name).first('value');
  return Buffer.from(row.value, 'base64url');
}
