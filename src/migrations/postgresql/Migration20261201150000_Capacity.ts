import { Migration } from '@mikro-orm/migrations';

/** Whether a service is taking referrals, as its provider last said, and when. */
export class Migration20261201150000_Capacity extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "service" add column "capacity_status" text check ("capacity_status" in ('TAKING_REFERRALS', 'WAITING_LIST', 'NOT_TAKING_REFERRALS')) null;`);
    this.addSql(`alter table "service" add column "capacity_wait_days" int null;`);
    this.addSql(`alter table "service" add column "capacity_note" text null;`);
    this.addSql(`alter table "service" add column "capacity_set_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    for (const column of ['capacity_status', 'capacity_wait_days', 'capacity_note', 'capacity_set_at']) this.addSql(`alter table "service" drop column "${column}";`);
  }
}
