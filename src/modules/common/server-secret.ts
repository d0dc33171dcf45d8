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
  const read = async () => (await knex('server_secret').where('name', name).first('value'))?.value as string | undefined;
  // Only the first start writes; every later one only reads.
  let value = await read();
  if (value === undefined) {
    await knex('server_secret').insert({ name, value: randomBytes(32).toString('base64url') }).onConflict('name').ignore();
    value = (await read())!;
  }
  return Buffer.from(value, 'base64url');
}
