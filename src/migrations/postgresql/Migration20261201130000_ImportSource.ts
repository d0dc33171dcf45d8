import { Migration } from '@mikro-orm/migrations';
import { UUID_TABLES } from '../uuid-tables';

/** Where a record was imported from (an Open Referral UK feed's URL or a file); null for records made here. */
export class Migration20261201130000_ImportSource extends Migration {
  override async up(): Promise<void> {
    for (const table of UUID_TABLES) this.addSql(`alter table "${table}" add column "source" text null;`);
  }

  override async down(): Promise<void> {
    for (const table of UUID_TABLES) this.addSql(`alter table "${table}" drop column "source";`);
  }
}
