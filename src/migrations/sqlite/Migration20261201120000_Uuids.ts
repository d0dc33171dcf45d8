import { Migration } from '@mikro-orm/migrations';
import { UUID_TABLES } from '../uuid-tables';

/**
 * A stable UUID on every record: its id in the Open Referral UK feed. New rows get theirs from the
 * application (BaseEntity); existing rows get a random version 4 UUID here, once. SQLite cannot add
 * a column with a computed default, so the column's default is '' and the unique index refuses a
 * second row without one.
 */
const RANDOM_UUID =
  "lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))";

export class Migration20261201120000_Uuids extends Migration {
  override async up(): Promise<void> {
    for (const table of UUID_TABLES) {
      this.addSql(`alter table \`${table}\` add column \`uuid\` text not null default '';`);
      this.addSql(`update \`${table}\` set \`uuid\` = ${RANDOM_UUID};`);
      this.addSql(`create unique index \`${table}_uuid_unique\` on \`${table}\` (\`uuid\`);`);
    }
  }

  override async down(): Promise<void> {
    for (const table of UUID_TABLES) {
      this.addSql(`drop index if exists \`${table}_uuid_unique\`;`);
      this.addSql(`alter table \`${table}\` drop column \`uuid\`;`);
    }
  }
}
