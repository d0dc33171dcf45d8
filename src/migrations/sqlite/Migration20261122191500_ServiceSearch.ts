import { Migration } from '@mikro-orm/migrations';

/**
 * Full-text search over services (SQLite FTS5).
 *
 * `service_search` has one row per service (rowid = service.id) with four
 * columns: the service's name, its description, its provider's name, and its
 * taxonomy text (category names with their parents' names, and eligibility
 * criterion labels). The tokenizer stems English words ("gardening" and
 * "gardens" both match "garden") and folds case and accents.
 *
 * Triggers rebuild a service's row whenever anything that feeds it changes,
 * in the same transaction as the change, so an edit is searchable at once.
 */
/** Inserts the search rows of the services chosen by `where` (over `service s`). */
const SEARCH_ROWS = (where: string) => `
  insert into service_search (rowid, name, description, provider, taxonomy)
  select s.id, s.name, s.description, p.name,
    coalesce((select group_concat(c.name || coalesce(' ' || parent.name, ''), ' ')
              from service_category sc join category c on c.id = sc.category_id
              left join category parent on parent.id = c.parent_id
              where sc.service_id = s.id), '') || ' ' ||
    coalesce((select group_concat(ec.label, ' ')
              from service_criterion scr join eligibility_criterion ec on ec.id = scr.criterion_id
              where scr.service_id = s.id), '')
  from service s join provider p on p.id = s.provider_id
  where ${where};`;

const REFRESH = (serviceId: string) => `delete from service_search where rowid = ${serviceId};${SEARCH_ROWS(`s.id = ${serviceId}`)}`;

export class Migration20261122191500_ServiceSearch extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create virtual table service_search using fts5(name, description, provider, taxonomy, tokenize = 'porter unicode61 remove_diacritics 2');`,
    );
    this.addSql(`create trigger service_search_insert after insert on service begin ${SEARCH_ROWS('s.id = new.id')} end;`);
    this.addSql(
      `create trigger service_search_update after update of name, description, provider_id on service begin ${REFRESH('new.id')} end;`,
    );
    this.addSql(`create trigger service_search_delete after delete on service begin delete from service_search where rowid = old.id; end;`);
    this.addSql(`create trigger service_search_category_insert after insert on service_category begin ${REFRESH('new.service_id')} end;`);
    this.addSql(`create trigger service_search_category_delete after delete on service_category begin ${REFRESH('old.service_id')} end;`);
    this.addSql(`create trigger service_search_criterion_insert after insert on service_criterion begin ${REFRESH('new.service_id')} end;`);
    this.addSql(`create trigger service_search_criterion_delete after delete on service_criterion begin ${REFRESH('old.service_id')} end;`);
    // Renames reach every service that shows the name.
    this.addSql(`create trigger service_search_provider_rename after update of name on provider begin
      delete from service_search where rowid in (select id from service where provider_id = new.id);
      ${SEARCH_ROWS('s.provider_id = new.id')}
    end;`);
    this.addSql(`create trigger service_search_category_rename after update of name, parent_id on category begin
      delete from service_search where rowid in (select service_id from service_category where category_id in (select id from category where id = new.id or parent_id = new.id));
      ${SEARCH_ROWS('s.id in (select service_id from service_category where category_id in (select id from category where id = new.id or parent_id = new.id))')}
    end;`);
    this.addSql(`create trigger service_search_criterion_rename after update of label on eligibility_criterion begin
      delete from service_search where rowid in (select service_id from service_criterion where criterion_id = new.id);
      ${SEARCH_ROWS('s.id in (select service_id from service_criterion where criterion_id = new.id)')}
    end;`);
    // Rows that existed before this migration.
    this.addSql(SEARCH_ROWS('1 = 1'));
  }

  override async down(): Promise<void> {
    for (const trigger of [
      'service_search_insert',
      'service_search_update',
      'service_search_delete',
      'service_search_category_insert',
      'service_search_category_delete',
      'service_search_criterion_insert',
      'service_search_criterion_delete',
      'service_search_provider_rename',
      'service_search_category_rename',
      'service_search_criterion_rename',
    ]) {
      this.addSql(`drop trigger if exists ${trigger};`);
    }
    this.addSql('drop table if exists service_search;');
  }
}
