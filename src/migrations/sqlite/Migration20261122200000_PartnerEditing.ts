import { Migration } from '@mikro-orm/migrations';

/**
 * Partner editing: versions for optimistic locking, drafts and archiving,
 * accounts with API keys, and the audit trail. Written by hand: MikroORM's
 * SQLite schema diff cannot read a database that has FTS5 tables.
 */
export class Migration20261122200000_PartnerEditing extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table `service` add column `version` integer not null default 1;');
    this.addSql('alter table `service` add column `draft` integer not null default false;');
    this.addSql('alter table `service` add column `archived_at` datetime null;');
    this.addSql('alter table `provider` add column `version` integer not null default 1;');
    this.addSql('alter table `hub` add column `version` integer not null default 1;');

    this.addSql(
      "create table `account` (`id` integer not null primary key autoincrement, `created_at` datetime not null default current_timestamp, `updated_at` datetime not null default current_timestamp, `name` text not null, `email` text null, `role` text check (`role` in ('PARTNER', 'ADMIN')) not null, `provider_id` integer null, `disabled` integer not null default false, constraint `account_provider_id_foreign` foreign key(`provider_id`) references `provider`(`id`) on delete restrict on update cascade);",
    );
    this.addSql('create index `account_provider_id_index` on `account` (`provider_id`);');

    this.addSql(
      'create table `api_key` (`id` integer not null primary key autoincrement, `created_at` datetime not null default current_timestamp, `updated_at` datetime not null default current_timestamp, `account_id` integer not null, `prefix` text not null, `secret_hash` text not null, `label` text not null, `last_used_at` datetime null, `revoked_at` datetime null, constraint `api_key_account_id_foreign` foreign key(`account_id`) references `account`(`id`) on delete cascade on update cascade);',
    );
    this.addSql('create unique index `api_key_prefix_unique` on `api_key` (`prefix`);');
    this.addSql('create index `api_key_account_id_index` on `api_key` (`account_id`);');

    this.addSql(
      'create table `audit_entry` (`id` integer not null primary key autoincrement, `at` datetime not null, `account_id` integer null, `actor` text not null, `provider_id` integer null, `entity_type` text not null, `entity_id` integer not null, `action` text not null, `changes` json not null, `version` integer null);',
    );
    this.addSql('create index `audit_entry_entity_type_entity_id_index` on `audit_entry` (`entity_type`, `entity_id`);');
    this.addSql('create index `audit_entry_account_id_index` on `audit_entry` (`account_id`);');
    this.addSql('create index `audit_entry_provider_id_index` on `audit_entry` (`provider_id`);');
  }
}
