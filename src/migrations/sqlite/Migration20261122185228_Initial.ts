import { Migration } from '@mikro-orm/migrations';

export class Migration20261122185228_Initial extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`category\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null default current_timestamp, \`updated_at\` datetime not null default current_timestamp, \`code\` text not null, \`name\` text not null, \`description\` text not null default '', \`parent_id\` integer null, constraint \`category_parent_id_foreign\` foreign key(\`parent_id\`) references \`category\`(\`id\`) on delete restrict on update cascade);`);
    this.addSql(`create unique index \`category_code_unique\` on \`category\` (\`code\`);`);
    this.addSql(`create index \`category_parent_id_index\` on \`category\` (\`parent_id\`);`);

    this.addSql(`create table \`eligibility_criterion\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null default current_timestamp, \`updated_at\` datetime not null default current_timestamp, \`code\` text not null, \`label\` text not null, \`kind\` text check (\`kind\` in ('AGE_GROUP', 'HEALTH_CONDITION', 'CIRCUMSTANCE', 'NEED', 'AREA', 'OTHER')) not null, \`description\` text not null default '');`);
    this.addSql(`create unique index \`eligibility_criterion_code_unique\` on \`eligibility_criterion\` (\`code\`);`);

    this.addSql(`create table \`hub\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null default current_timestamp, \`updated_at\` datetime not null default current_timestamp, \`name\` text not null, \`kind\` text check (\`kind\` in ('HEALTH_CENTRE', 'GP_SURGERY', 'GREEN_SPACE', 'COMMUNITY_HUB', 'LIBRARY', 'HOSPITAL', 'PHARMACY', 'ONLINE', 'OTHER')) not null, \`description\` text not null default '', \`address1\` text not null, \`address2\` text null, \`town\` text not null, \`postcode\` text not null, \`region\` text check (\`region\` in ('NORTH_EAST', 'NORTH_WEST', 'YORKSHIRE_AND_THE_HUMBER', 'EAST_MIDLANDS', 'WEST_MIDLANDS', 'EAST_OF_ENGLAND', 'LONDON', 'SOUTH_EAST', 'SOUTH_WEST')) not null, \`latitude\` double not null, \`longitude\` double not null, \`accessibility\` text null, \`operator\` text not null);`);
    this.addSql(`create index \`hub_name_index\` on \`hub\` (\`name\`);`);
    this.addSql(`create index \`hub_postcode_index\` on \`hub\` (\`postcode\`);`);
    this.addSql(`create index \`hub_region_index\` on \`hub\` (\`region\`);`);
    this.addSql(`create index \`hub_latitude_longitude_index\` on \`hub\` (\`latitude\`, \`longitude\`);`);

    this.addSql(`create table \`provider\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null default current_timestamp, \`updated_at\` datetime not null default current_timestamp, \`name\` text not null, \`description\` text not null default '', \`charity_number\` text null, \`website\` text null, \`email\` text null, \`phone\` text null, \`logo_url\` text null);`);
    this.addSql(`create index \`provider_name_index\` on \`provider\` (\`name\`);`);

    this.addSql(`create table \`service\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null default current_timestamp, \`updated_at\` datetime not null default current_timestamp, \`name\` text not null, \`description\` text not null default '', \`status\` text check (\`status\` in ('ACTIVE', 'INACTIVE', 'TEMPORARILY_CLOSED', 'DEFUNCT')) not null default 'ACTIVE', \`provider_id\` integer not null, \`min_age\` integer null, \`max_age\` integer null, \`referral_routes\` text not null default '', \`delivery_modes\` text not null default '', \`cost_free\` integer not null default true, \`cost_description\` text null, \`contact_phone\` text null, \`contact_email\` text null, \`contact_url\` text null, \`languages\` text not null default '', constraint \`service_provider_id_foreign\` foreign key(\`provider_id\`) references \`provider\`(\`id\`) on delete restrict on update cascade);`);
    this.addSql(`create index \`service_name_index\` on \`service\` (\`name\`);`);
    this.addSql(`create index \`service_status_index\` on \`service\` (\`status\`);`);
    this.addSql(`create index \`service_provider_id_index\` on \`service\` (\`provider_id\`);`);

    this.addSql(`create table \`service_category\` (\`service_id\` integer not null, \`category_id\` integer not null, constraint \`service_category_service_id_foreign\` foreign key(\`service_id\`) references \`service\`(\`id\`) on delete cascade on update cascade, constraint \`service_category_category_id_foreign\` foreign key(\`category_id\`) references \`category\`(\`id\`) on delete cascade on update cascade, primary key (\`service_id\`, \`category_id\`));`);
    this.addSql(`create index \`service_category_service_id_index\` on \`service_category\` (\`service_id\`);`);
    this.addSql(`create index \`service_category_category_id_index\` on \`service_category\` (\`category_id\`);`);

    this.addSql(`create table \`service_criterion\` (\`service_id\` integer not null, \`criterion_id\` integer not null, constraint \`service_criterion_service_id_foreign\` foreign key(\`service_id\`) references \`service\`(\`id\`) on delete cascade on update cascade, constraint \`service_criterion_criterion_id_foreign\` foreign key(\`criterion_id\`) references \`eligibility_criterion\`(\`id\`) on delete cascade on update cascade, primary key (\`service_id\`, \`criterion_id\`));`);
    this.addSql(`create index \`service_criterion_service_id_index\` on \`service_criterion\` (\`service_id\`);`);
    this.addSql(`create index \`service_criterion_criterion_id_index\` on \`service_criterion\` (\`criterion_id\`);`);

    this.addSql(`create table \`service_location\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null default current_timestamp, \`updated_at\` datetime not null default current_timestamp, \`service_id\` integer not null, \`hub_id\` integer not null, \`description\` text null, constraint \`service_location_service_id_foreign\` foreign key(\`service_id\`) references \`service\`(\`id\`) on delete cascade on update cascade, constraint \`service_location_hub_id_foreign\` foreign key(\`hub_id\`) references \`hub\`(\`id\`) on delete restrict on update cascade);`);
    this.addSql(`create index \`service_location_service_id_index\` on \`service_location\` (\`service_id\`);`);
    this.addSql(`create index \`service_location_hub_id_index\` on \`service_location\` (\`hub_id\`);`);
    this.addSql(`create unique index \`service_location_service_id_hub_id_unique\` on \`service_location\` (\`service_id\`, \`hub_id\`);`);

    this.addSql(`create table \`schedule\` (\`id\` integer not null primary key autoincrement, \`created_at\` datetime not null default current_timestamp, \`updated_at\` datetime not null default current_timestamp, \`service_location_id\` integer not null, \`days\` text not null, \`opens_at\` text not null, \`closes_at\` text not null, \`valid_from\` text null, \`valid_to\` text null, \`notes\` text null, constraint \`schedule_service_location_id_foreign\` foreign key(\`service_location_id\`) references \`service_location\`(\`id\`) on delete cascade on update cascade);`);
    this.addSql(`create index \`schedule_service_location_id_index\` on \`schedule\` (\`service_location_id\`);`);
  }

}
