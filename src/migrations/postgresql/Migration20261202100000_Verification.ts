import { Migration } from '@mikro-orm/migrations';

/**
 * The review cycle: when each service was last verified and by whom (every
 * existing service counts as verified when it last changed), and the
 * reminders sent for it.
 */
export class Migration20261202100000_Verification extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "service" add column "verified_at" timestamptz not null default current_timestamp;`);
    this.addSql(`update "service" set "verified_at" = "updated_at";`);
    this.addSql(`create index "service_verified_at_index" on "service" ("verified_at");`);
    this.addSql(`alter table "service" add column "verified_by" text check ("verified_by" in ('PROVIDER', 'DIRECTORY_TEAM', 'SOURCE_FEED')) null;`);
    this.addSql(`alter table "service" add column "verified_by_name" varchar(200) null;`);
    this.addSql(
      `create table "review_reminder" ("id" serial primary key, "service_id" int not null references "service" ("id") on delete cascade, "account_id" int not null references "account" ("id") on delete cascade, "due_at" timestamptz not null, "email" varchar(254) not null, "sent_at" timestamptz not null, "expires_at" timestamptz not null, "used_at" timestamptz null);`,
    );
    this.addSql(`create index "review_reminder_service_id_index" on "review_reminder" ("service_id");`);
    this.addSql(`create index "review_reminder_account_id_index" on "review_reminder" ("account_id");`);
    this.addSql(`alter table "review_reminder" add constraint "review_reminder_service_id_account_id_due_at_unique" unique ("service_id", "account_id", "due_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "review_reminder";`);
    for (const column of ['verified_at', 'verified_by', 'verified_by_name']) this.addSql(`alter table "service" drop column "${column}";`);
  }
}
