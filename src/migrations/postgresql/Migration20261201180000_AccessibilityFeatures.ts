import { Migration } from '@mikro-orm/migrations';

/** A hub's accessibility as a coded list (step-free access, hearing loop, ...), beside the free text. */
export class Migration20261201180000_AccessibilityFeatures extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "hub" add column "accessibility_features" text not null default '';`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "hub" drop column "accessibility_features";`);
  }
}
