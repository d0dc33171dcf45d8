import { Migration } from '@mikro-orm/migrations';

/**
 * The review cycle: when each service was last verified and by whom (every
 * existing service counts as verified when it last changed), and the
 * reminders sent for it.
 */
export class Migration20261202100000_Verification extends Migration {
  override async up(): Promise<void> {
    // SQLite cannot add a column with a non-constant default: added empty, then filled; the entity always writes it.
    this.addSql('alter table `service` add column `verified_at` datetime null;');
    this.addSql('update `service` set `verified_at` = `updated_at`;');
    this.addSql('create index `service_verified_at_index` on `service` (`verified_at`);');
    this.addSql("alter table `service` add column `verified_by` text check (`verified_by` in ('PROVIDER', 'DIRECTORY_TEAM', 'SOURCE_FEED')) null;");
    this.addSql('alter table `service` add column `verified_by_name` text null;');
    this.addSql(
      'create table `review_reminder` (`id` integer not null primary key autoincrement, `service_id` integer not null references `service` (`id`) on delete cascade, `account_id` integer not null references `account` (`id`) on delete cascade, `due_at` datetime not null, `email` text not null, `sent_at` datetime not null, `expires_at` datetime not null, `used_at` datetime null);',
    );
    this.addSql('create index `review_reminder_service_id_index` on `review_reminder` (`service_id`);');
    this.addSql('create index `review_reminder_account_id_index` on `review_reminder` (`account_id`);');
    this.addSql('create unique index `review_reminder_service_id_account_id_due_at_unique` on `review_reminder` (`service_id`, `account_id`, `due_at`);');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists `review_reminder`;');
    this.addSql('drop index if exists `service_verified_at_index`;');
    for (const column of ['verified_at', 'verified_by', 'verified_by_name']) this.addSql(`alter table \`service\` drop column \`${column}\`;`);
  }
}
