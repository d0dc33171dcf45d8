import { Migration } from '@mikro-orm/migrations';

/**
 * The status index made SQLite drive searches from "every ACTIVE service"
 * (85% of rows) instead of from the few services near a point: dropping it
 * halves the link-worker search (measured with bench/profile-sql.ts).
 */
export class Migration20261122194000_DropStatusIndex extends Migration {
  override async up(): Promise<void> {
    this.addSql('drop index if exists `service_status_index`;');
  }

  override async down(): Promise<void> {
    this.addSql('create index `service_status_index` on `service` (`status`);');
  }
}
