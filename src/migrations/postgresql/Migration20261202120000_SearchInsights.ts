import { Migration } from '@mikro-orm/migrations';

/**
 * What people search for, counted without personal data (src/modules/insights): one row per week,
 * normalised text, postcode district, categories and outcome, with how many searches shared them.
 * '' for an absent value, so the key is unique (NULLs never conflict in an upsert).
 */
export class Migration20261202120000_SearchInsights extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "search_count" ("week" date not null, "text" varchar(100) not null default '', "district" varchar(4) not null default '', "categories" text not null default '', "zero_results" boolean not null, "searches" integer not null, primary key ("week", "text", "district", "categories", "zero_results"));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "search_count";');
  }
}
