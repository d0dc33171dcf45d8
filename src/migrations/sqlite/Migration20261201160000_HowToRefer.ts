import { Migration } from '@mikro-orm/migrations';

/** How to refer someone to a service: a form, an email, a phone number, what to include; or signposting only. */
export class Migration20261201160000_HowToRefer extends Migration {
  override async up(): Promise<void> {
    for (const column of ['referral_form_url', 'referral_email', 'referral_phone', 'referral_instructions']) this.addSql(`alter table \`service\` add column \`${column}\` text null;`);
    this.addSql('alter table `service` add column `signposting_only` integer not null default false;');
  }

  override async down(): Promise<void> {
    for (const column of ['referral_form_url', 'referral_email', 'referral_phone', 'referral_instructions', 'signposting_only']) this.addSql(`alter table \`service\` drop column \`${column}\`;`);
  }
}
