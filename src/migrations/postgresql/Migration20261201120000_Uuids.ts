import { Migration } from '@mikro-orm/migrations';
import { UUID_TABLES } from '../uuid-tables';

/** A stable UUID on every record: its id in the Open Referral UK feed. Existing rows get a random one, once. */
export class Migration20261201120000_Uuids extends Migration {
  override async up(): Promise<void> {
    for (const table of UUID_TABLES) {
      this.addSql(`alter table "${table}" add column "uuid" uuid not null default gen_random_uuid();`);
      this.addSql(`create unique index "${table}_uuid_unique" on "${table}" ("uuid");`);
    }
  }

  override async down(): Promise<void> {
    for (const table of UUID_TABLES) this.addSql(`alter table "${table}" drop column "uuid";`);
  }
}
