import { Migration } from '@mikro-orm/migrations';

/** How to refer someone to a service: a form, an email, a phone number, what to include; or signposting only. */
export class Migration20261201160000_HowToRefer extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "service" add column "referral_form_url" varchar(500) null, add column "referral_email" varchar(254) null, add column "referral_phone" varchar(40) null, add column "referral_instructions" text null, add column "signposting_only" boolean not null default false;`);
  }

  override async down(): Promise<void> {
    for (const column of ['referral_form_url', 'referral_email', 'referral_phone', 'referral_instructions', 'signposting_only']) this.addSql(`alter table "service" drop column "${column}";`);
  }
}
