import { Migration } from '@mikro-orm/migrations';

/** Other directories' taxonomies, kept as they are on import; a category may belong to one. */
export class Migration20261201140000_Taxonomies extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "taxonomy" ("id" serial primary key, "uuid" uuid not null default gen_random_uuid(), "source" text null, "created_at" timestamptz not null default current_timestamp, "updated_at" timestamptz not null default current_timestamp, "name" varchar(200) not null, "description" text not null default '', "uri" varchar(500) null, "version" varchar(50) null);`,
    );
    this.addSql(`create unique index "taxonomy_uuid_unique" on "taxonomy" ("uuid");`);
    this.addSql(`alter table "category" add column "taxonomy_id" int null references "taxonomy" ("id") on delete restrict;`);
    this.addSql(`create index "category_taxonomy_id_index" on "category" ("taxonomy_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "category" drop column "taxonomy_id";`);
    this.addSql(`drop table if exists "taxonomy";`);
  }
}
