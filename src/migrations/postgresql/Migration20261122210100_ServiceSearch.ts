import { Migration } from '@mikro-orm/migrations';

/**
 * Full-text search over services (PostgreSQL), the counterpart of SQLite's
 * FTS5 table: `service_search` holds one `tsvector` per service, with a GIN
 * index, built from four weighted parts:
 *
 * - A: the service's name;  B: its provider's name;
 * - C: its taxonomy text (category names with their parents' names, and
 *   eligibility criterion labels);  D: its description.
 *
 * The `directory_english` configuration stems English words ("gardening" and
 * "gardens" both match "garden") and folds accents with the standard
 * `unaccent` extension, as SQLite's `porter unicode61 remove_diacritics`
 * tokenizer does. Statement-level triggers refresh the documents of every
 * service a statement touched, in the same transaction, so an edit is
 * searchable at once and a bulk load refreshes each batch once.
 */
export class Migration20261122210100_ServiceSearch extends Migration {
  override async up(): Promise<void> {
    // The extension is database-wide; two schemas migrating at once may race to create it.
    this.addSql(`do $$ begin
      create extension if not exists unaccent with schema public;
    exception when unique_violation or duplicate_object then null;
    end $$;`);
    this.addSql(`create text search configuration directory_english (copy = pg_catalog.english);`);
    this.addSql(`alter text search configuration directory_english
      alter mapping for hword, hword_part, word with public.unaccent, english_stem;`);

    this.addSql(`create table service_search (
      service_id int primary key references service (id) on delete cascade,
      document tsvector not null);`);
    this.addSql(`create index service_search_document_index on service_search using gin (document);`);

    this.addSql(`create function refresh_service_search(ids int[]) returns void language sql as $$
      delete from service_search where service_id = any(ids);
      insert into service_search (service_id, document)
      select s.id,
        setweight(to_tsvector('directory_english', s.name), 'A') ||
        setweight(to_tsvector('directory_english', p.name), 'B') ||
        setweight(to_tsvector('directory_english',
          coalesce((select string_agg(c.name || coalesce(' ' || parent.name, ''), ' ')
                    from service_category sc join category c on c.id = sc.category_id
                    left join category parent on parent.id = c.parent_id
                    where sc.service_id = s.id), '') || ' ' ||
          coalesce((select string_agg(ec.label, ' ')
                    from service_criterion scr join eligibility_criterion ec on ec.id = scr.criterion_id
                    where scr.service_id = s.id), '')), 'C') ||
        setweight(to_tsvector('directory_english', s.description), 'D')
      from service s join provider p on p.id = s.provider_id
      where s.id = any(ids);
    $$;`);

    // Services: new rows, and rows whose searchable text or provider changed (not every version bump).
    this.addSql(`create function service_search_service_inserted() returns trigger language plpgsql as $$ begin
      perform refresh_service_search(array(select id from new_rows));
      return null;
    end $$;`);
    this.addSql(`create function service_search_service_updated() returns trigger language plpgsql as $$ begin
      perform refresh_service_search(array(
        select n.id from new_rows n join old_rows o on o.id = n.id
        where n.name is distinct from o.name or n.description is distinct from o.description or n.provider_id is distinct from o.provider_id));
      return null;
    end $$;`);
    this.addSql(`create trigger service_search_insert after insert on service
      referencing new table as new_rows for each statement execute function service_search_service_inserted();`);
    this.addSql(`create trigger service_search_update after update on service
      referencing new table as new_rows old table as old_rows for each statement execute function service_search_service_updated();`);

    // Category and criterion links, added or removed.
    this.addSql(`create function service_search_links_added() returns trigger language plpgsql as $$ begin
      perform refresh_service_search(array(select distinct service_id from new_rows));
      return null;
    end $$;`);
    this.addSql(`create function service_search_links_removed() returns trigger language plpgsql as $$ begin
      perform refresh_service_search(array(select distinct service_id from old_rows));
      return null;
    end $$;`);
    for (const table of ['service_category', 'service_criterion']) {
      this.addSql(`create trigger ${table}_search_insert after insert on ${table}
        referencing new table as new_rows for each statement execute function service_search_links_added();`);
      this.addSql(`create trigger ${table}_search_delete after delete on ${table}
        referencing old table as old_rows for each statement execute function service_search_links_removed();`);
    }

    // Renames reach every service that shows the name.
    this.addSql(`create function service_search_provider_renamed() returns trigger language plpgsql as $$ begin
      perform refresh_service_search(array(
        select s.id from service s join new_rows n on n.id = s.provider_id join old_rows o on o.id = n.id
        where n.name is distinct from o.name));
      return null;
    end $$;`);
    this.addSql(`create function service_search_category_renamed() returns trigger language plpgsql as $$ begin
      perform refresh_service_search(array(
        select distinct sc.service_id from service_category sc join category c on c.id = sc.category_id
        where c.id in (select n.id from new_rows n join old_rows o on o.id = n.id
                       where n.name is distinct from o.name or n.parent_id is distinct from o.parent_id)
           or c.parent_id in (select n.id from new_rows n join old_rows o on o.id = n.id where n.name is distinct from o.name)));
      return null;
    end $$;`);
    this.addSql(`create function service_search_criterion_renamed() returns trigger language plpgsql as $$ begin
      perform refresh_service_search(array(
        select distinct scr.service_id from service_criterion scr
        join new_rows n on n.id = scr.criterion_id join old_rows o on o.id = n.id
        where n.label is distinct from o.label));
      return null;
    end $$;`);
    for (const [table, fn] of [
      ['provider', 'service_search_provider_renamed'],
      ['category', 'service_search_category_renamed'],
      ['eligibility_criterion', 'service_search_criterion_renamed'],
    ]) {
      this.addSql(`create trigger ${table}_search_rename after update on ${table}
        referencing new table as new_rows old table as old_rows for each statement execute function ${fn}();`);
    }
  }

  override async down(): Promise<void> {
    for (const [table, trigger] of [
      ['service', 'service_search_insert'],
      ['service', 'service_search_update'],
      ['service_category', 'service_category_search_insert'],
      ['service_category', 'service_category_search_delete'],
      ['service_criterion', 'service_criterion_search_insert'],
      ['service_criterion', 'service_criterion_search_delete'],
      ['provider', 'provider_search_rename'],
      ['category', 'category_search_rename'],
      ['eligibility_criterion', 'eligibility_criterion_search_rename'],
    ]) {
      this.addSql(`drop trigger if exists ${trigger} on ${table};`);
    }
    for (const fn of [
      'service_search_service_inserted',
      'service_search_service_updated',
      'service_search_links_added',
      'service_search_links_removed',
      'service_search_provider_renamed',
      'service_search_category_renamed',
      'service_search_criterion_renamed',
    ]) {
      this.addSql(`drop function if exists ${fn}();`);
    }
    this.addSql('drop function if exists refresh_service_search(int[]);');
    this.addSql('drop table if exists service_search;');
    this.addSql('drop text search configuration if exists directory_english;');
  }
}
