import { Migration } from '@mikro-orm/migrations';

/** Secrets the server makes for itself once (the cursor-signing key), kept in the database so every instance agrees. */
export class Migration20261201090000_ServerSecret extends Migration {
  override async up(): Promise<void> {
    this.addSql('create table `server_secret` (`name` text not null primary key, `value` text not null, `created_at` datetime not null default current_timestamp);');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists `server_secret`;');
  }
}
