import { Migration } from '@mikro-orm/migrations';

/** The areas a service serves (postcode districts and areas, a GeoJSON extent with its bounding box), and national services. */
export class Migration20261201170000_ServiceAreas extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "service_area" ("id" serial primary key, "uuid" uuid not null default gen_random_uuid(), "source" text null, "created_at" timestamptz not null default current_timestamp, "updated_at" timestamptz not null default current_timestamp, "service_id" int not null, "name" varchar(200) not null, "gss_code" varchar(9) null, "postcodes" text not null default '', "extent" text null, "south" double precision null, "north" double precision null, "west" double precision null, "east" double precision null);`,
    );
    this.addSql(`create unique index "service_area_uuid_unique" on "service_area" ("uuid");`);
    this.addSql(`create index "service_area_service_id_index" on "service_area" ("service_id");`);
    this.addSql(`alter table "service_area" add constraint "service_area_service_id_foreign" foreign key ("service_id") references "service" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "service" add column "national_scope" text check ("national_scope" in ('ENGLAND', 'UK')) null;`);
    this.addSql(`create index "service_national_scope_index" on "service" ("national_scope");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "service_national_scope_index";`);
    this.addSql(`alter table "service" drop column "national_scope";`);
    this.addSql(`drop table if exists "service_area";`);
  }
}
