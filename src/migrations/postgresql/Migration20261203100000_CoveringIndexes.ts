import { Migration } from '@mikro-orm/migrations';

/**
 * Covering indexes for the place search (EXPLAIN ANALYZE of the link-worker query on 50,000
 * services, bench/profile-sql.ts --explain): the search reads every location of the hubs in the
 * circle (3,400 near LS7) and probes each one's schedules for "open then". Both lookups went to the
 * heap, a block a row (3,077 blocks for 3,398 locations); with the columns the search reads in
 * the index, both are index-only scans, and the hub branch took 27 ms -> 16 ms. The covering
 * indexes replace the plain ones (same leading column: foreign keys stay indexed, cascades too).
 *
 * National services (one in 40) are found by scope and pass the search's own filters (visibility,
 * age) before their opening times are probed: with those columns in a partial index, the 720
 * candidates are read from the index instead of 1,237 scattered blocks of the service table.
 */
export class Migration20261203100000_CoveringIndexes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index "service_location_hub_id_covering_index" on "service_location" ("hub_id") include ("id", "service_id");`);
    this.addSql(`drop index if exists "service_location_hub_id_index";`);
    this.addSql(
      `create index "schedule_service_location_id_covering_index" on "schedule" ("service_location_id") include ("days", "opens_at", "closes_at", "valid_from", "valid_to");`,
    );
    this.addSql(`drop index if exists "schedule_service_location_id_index";`);
    this.addSql(
      `create index "service_national_covering_index" on "service" ("national_scope") include ("id", "status", "draft", "archived_at", "verified_at", "min_age", "max_age") where "national_scope" is not null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "service_national_covering_index";`);
    this.addSql(`create index "schedule_service_location_id_index" on "schedule" ("service_location_id");`);
    this.addSql(`drop index if exists "schedule_service_location_id_covering_index";`);
    this.addSql(`create index "service_location_hub_id_index" on "service_location" ("hub_id");`);
    this.addSql(`drop index if exists "service_location_hub_id_covering_index";`);
  }
}
