import { Migration } from '@mikro-orm/migrations';

/** Reports from the public that a listing is wrong, and how its provider or an admin closed them. */
export class Migration20261202110000_ProblemReports extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      "create table `problem_report` (`id` integer not null primary key autoincrement, `service_id` integer not null, `kind` text check (`kind` in ('CLOSED', 'WRONG_TIMES', 'WRONG_CONTACT', 'OTHER')) not null, `message` text not null, `contact_email` text null, `status` text check (`status` in ('OPEN', 'RESOLVED', 'DISMISSED')) not null default 'OPEN', `created_at` datetime not null default current_timestamp, `resolved_at` datetime null, `resolved_by_account_id` integer null, `resolution_note` text null, constraint `problem_report_service_id_foreign` foreign key(`service_id`) references `service`(`id`) on delete cascade on update cascade);",
    );
    // Open reports per service (the review-due count, Service.openProblemReports); its leading column indexes the foreign key.
    this.addSql('create index `problem_report_service_id_status_index` on `problem_report` (`service_id`, `status`);');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists `problem_report`;');
  }
}
