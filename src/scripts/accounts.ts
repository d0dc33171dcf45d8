/**
 * Accounts and API keys from the command line (for the first admin, and for
 * directory teams who prefer a terminal):
 *
 *   npm run accounts -- list
 *   npm run accounts -- create-admin --name "Directory team" [--email x@y]
 *   npm run accounts -- create-partner --name "Age UK Leeds" --provider "Age UK" [--email x@y]
 *   npm run accounts -- issue-key --account 3 --label "Website sync"
 *   npm run accounts -- revoke-key --prefix spd_3f9a2c1b4d5e
 *
 * The database is DATABASE_URL's (default data/directory.sqlite), or --database.
 * A new key is printed once; only its hash is stored.
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import type { EntityManager } from '@mikro-orm/knex';
import { readConfig, readDatabaseOption } from '../config';
import { openDatabase } from '../orm';
import { AccountRole } from '../modules/common/viewer';
import { createAccount, issueApiKey, revokeApiKey } from '../modules/account/account.commands';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      database: { type: 'string' },
      name: { type: 'string' },
      email: { type: 'string' },
      provider: { type: 'string' },
      account: { type: 'string' },
      label: { type: 'string', default: 'default' },
      prefix: { type: 'string' },
    },
  });
  const command = positionals[0];
  const orm = await openDatabase(values.database ? readDatabaseOption(values.database) : readConfig().database);
  const em = orm.em.fork() as EntityManager;
  const knex = em.getKnex();
  try {
    switch (command) {
      case 'list': {
        const rows = await knex('account as a')
          .leftJoin('provider as p', 'p.id', 'a.provider_id')
          .leftJoin('api_key as k', 'k.account_id', 'a.id')
          .select('a.id', 'a.name', 'a.role', 'p.name as provider', 'a.disabled', 'k.prefix', 'k.label', 'k.revoked_at', 'k.last_used_at')
          .orderBy(['a.id', 'k.id']);
        console.table(
          rows.map((r) => ({ ...r, revoked_at: r.revoked_at && new Date(Number(r.revoked_at)).toISOString(), last_used_at: r.last_used_at && new Date(Number(r.last_used_at)).toISOString() })),
        );
        break;
      }
      case 'create-admin':
      case 'create-partner': {
        if (!values.name) throw new Error('--name is required.');
        let providerId: number | null = null;
        if (command === 'create-partner') {
          if (!values.provider) throw new Error('--provider (an id or the exact name) is required for a partner.');
          const provider = await knex('provider').where('id', Number(values.provider) || -1).orWhere('name', values.provider).first('id', 'name');
          if (!provider) throw new Error(`No provider "${values.provider}".`);
          providerId = provider.id;
        }
        const account = await createAccount(em, 'command line', {
          name: values.name,
          email: values.email ?? null,
          role: command === 'create-admin' ? AccountRole.ADMIN : AccountRole.PARTNER,
          providerId,
        });
        console.log(`Created ${account.role.toLowerCase()} account ${account.id} "${account.name}". Issue it a key with: npm run accounts -- issue-key --account ${account.id}`);
        break;
      }
      case 'issue-key': {
        if (!values.account) throw new Error('--account <id> is required.');
        const { key, apiKey } = await issueApiKey(em, 'command line', Number(values.account), values.label!);
        console.log(`API key ${apiKey.prefix} ("${apiKey.label}") for account ${values.account}. It is shown only now:\n\n  ${key}\n`);
        break;
      }
      case 'revoke-key': {
        if (!values.prefix) throw new Error('--prefix <spd_...> is required.');
        const apiKey = await revokeApiKey(em, 'command line', { prefix: values.prefix });
        console.log(`Revoked ${apiKey.prefix} at ${apiKey.revokedAt!.toISOString()}.`);
        break;
      }
      default:
        throw new Error('Usage: npm run accounts -- list | create-admin | create-partner | issue-key | revoke-key (see src/scripts/accounts.ts).');
    }
  } finally {
    await orm.close(true);
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
