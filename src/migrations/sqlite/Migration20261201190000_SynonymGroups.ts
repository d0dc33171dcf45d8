import { Migration } from '@mikro-orm/migrations';
import { DEFAULT_SYNONYMS } from '../../modules/search/default-synonyms';

/** Synonym groups for text search, with the groups a new directory starts with. */
export class Migration20261201190000_SynonymGroups extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table \`synonym_group\` (\`id\` integer not null primary key autoincrement, \`terms\` text not null, \`updated_at\` datetime not null default current_timestamp);`);
    for (const group of DEFAULT_SYNONYMS) this.addSql(this.getKnex().insert({ terms: group.join('\n') }).into('synonym_group').toQuery());
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists `synonym_group`;');
  }
}
