import type { Knex } from '@mikro-orm/knex';
import { rawRows } from '../common/dialect';
import { enumSetPattern } from '../common/enum-set.type';
import { afterCondition, orderByColumns, type OrderTerm, type PageRequest, type Row } from '../common/pagination';
import type { SearchCriteria } from './search-criteria';
import { DeliveryMode, ReferralRoute, type ServiceReach } from './service.enums';
import { ServiceOrder } from './service.inputs';
import { facetCondition, FACETS, REACH_CODES, sharedQuery, withSortColumns, type Facet, type SearchSql } from './service.queries';

export interface FacetCount<T> {
  value: T;
  count: number;
}

/** The total and every facet of one search, from ONE statement (see loadSummary). */
export interface SearchSummary {
  total: number;
  categories: Array<FacetCount<number>>;
  criteria: Array<FacetCount<number>>;
  referralRoutes: Array<FacetCount<ReferralRoute>>;
  deliveryModes: Array<FacetCount<DeliveryMode>>;
  /** With `near`: how many services reach the person each way. */
  reaches: Array<FacetCount<ServiceReach>>;
}

/**
 * Counts the matches and all four facets in one statement. The expensive
 * part (near, open at, text, person) is evaluated once into a materialised
 * `base`, with one 0/1 column per facet filter; each count then applies
 * every facet filter but its own. A category counts its subcategories'
 * services too.
 */
export async function loadSummary(
  db: SearchSql,
  c: SearchCriteria,
  page?: { order: ServiceOrder; terms: OrderTerm[]; request: PageRequest; children?: (alias: string) => string[] },
): Promise<{ summary: SearchSummary; rows: Row[] }> {
  const { knex } = db;
  const base = sharedQuery(db, c).select('s.id', 's.referral_routes', 's.delivery_modes', knex.raw(c.near && c.reach ? 'nd.reach as reach' : 'null as reach'));
  if (page) withSortColumns(db, base.select('s.name', 's.updated_at'), c, page.order);
  for (const facet of FACETS) {
    const condition = facetCondition(knex, c, facet);
    base.select(condition ? knex.raw(`case when ? then 1 else 0 end as f_${facet}`, [condition]) : knex.raw(`1 as f_${facet}`));
  }
  const others = (except?: Facet) => FACETS.filter((f) => f !== except).map((f) => `f_${f} = 1`).join(' and ');
  const bindings: Knex.RawBinding[] = [];
  // Every part has the same columns: which facet, its value and count, then (page rows only) the sort columns:
  // distance key, rank (`real`, ts_rank's own type on PostgreSQL, so cursors read the same as the page query's;
  // a double on SQLite), reach and open rank. Page rows give the service id as the value and its position as the count.
  const none = 'null, null, null, null, null';
  const parts = [
    `select cast('total' as varchar(20)) as facet, cast(null as varchar(40)) as value, count(*) as n, cast(null as double precision) as distance, cast(null as real) as rank, cast(null as integer) as reach, cast(null as integer) as open, cast(null as integer) as stale from base where ${others()}`,
  ];
  if (page) {
    const { order, terms, request } = page;
    const after = request.after ? ` and ${afterCondition(terms)}` : '';
    const [distance, reach, open] = c.near ? ['r.__distance_key', 'r.__reach', 'r.__open'] : ['null', 'null', 'null'];
    const rank = order === ServiceOrder.RELEVANCE ? 'r.__rank' : 'null';
    const stale = order === ServiceOrder.RELEVANCE || order === ServiceOrder.DISTANCE ? 'r.__stale' : 'null';
    const orderSql = orderByColumns(terms);
    parts.push(
      `select 'page', cast(id as varchar(40)), position, distance, rank, reach, open, stale from (select r.id, row_number() over (order by ${orderSql}) as position, cast(${distance} as double precision) as distance, cast(${rank} as real) as rank, cast(${reach} as integer) as reach, cast(${open} as integer) as open, cast(${stale} as integer) as stale from base r where ${others()}${after} order by ${orderSql} limit ${request.first + 1}) as page_ids`,
    );
    if (request.after) bindings.push(...request.after);
  }
  for (const [facet, column, members] of [
    ['referralRoutes', 'referral_routes', Object.values(ReferralRoute)],
    ['deliveryModes', 'delivery_modes', Object.values(DeliveryMode)],
  ] as const) {
    for (const member of members) {
      parts.push(`select '${facet}', cast(? as varchar(40)), count(*), ${none} from base where ${column} like ? and ${others(facet)}`);
      bindings.push(member, enumSetPattern(member));
    }
  }
  if (c.near && c.reach) {
    REACH_CODES.forEach((member, code) => {
      parts.push(`select 'reaches', cast(? as varchar(40)), count(*), ${none} from base where reach = ? and ${others('reaches')}`);
      bindings.push(member, code);
    });
  }
  parts.push(
    // `service_id in (...)` rather than a join, so the planner walks the few matches, not the whole link table.
    `select 'criteria', cast(sc.criterion_id as varchar(20)), count(*), ${none} from service_criterion sc where sc.service_id in (select id from base where ${others('criteria')}) group by sc.criterion_id`,
    `select 'categories', cast(tree.ancestor as varchar(20)), count(distinct sc.service_id), ${none} from service_category sc join tree on tree.id = sc.category_id where sc.service_id in (select id from base where ${others('categories')}) group by tree.ancestor`,
  );
  const baseSql = base.toSQL();
  const rows = await rawRows<{ facet: string; value: string | null; n: number | string; distance: number | null; rank: number | null; reach: number | null; open: number | null; stale: number | null }>(
    knex,
    `with recursive base as materialized (${baseSql.sql}),
       tree(ancestor, id) as (select id, id from category union all select tree.ancestor, c.id from category c join tree on c.parent_id = tree.id)
     ${parts.join(' union all ')}`,
    [...(baseSql.bindings as Knex.RawBinding[]), ...bindings],
  );
  const summary: SearchSummary = { total: 0, categories: [], criteria: [], referralRoutes: [], deliveryModes: [], reaches: [] };
  const pageIds: PageRow[] = [];
  for (const row of rows) {
    const count = Number(row.n);
    if (row.facet === 'page') {
      const reach = row.reach === null ? null : Number(row.reach);
      pageIds[count - 1] = {
        id: Number(row.value),
        __distance_key: row.distance,
        __distance: reach === 0 ? row.distance : null,
        __reach: reach,
        __open: row.open === null ? null : Number(row.open),
        __stale: row.stale === null ? null : Number(row.stale),
        __rank: row.rank,
      };
    }
    else if (row.facet === 'total') summary.total = count;
    else if (count === 0) continue;
    else if (row.facet === 'categories' || row.facet === 'criteria') summary[row.facet].push({ value: Number(row.value), count });
    else if (row.facet === 'referralRoutes') summary.referralRoutes.push({ value: row.value as ReferralRoute, count });
    else if (row.facet === 'deliveryModes') summary.deliveryModes.push({ value: row.value as DeliveryMode, count });
    else if (row.facet === 'reaches') summary.reaches.push({ value: row.value as ServiceReach, count });
  }
  for (const facet of FACETS) summary[facet].sort(byCount);
  return { summary, rows: page ? await pageRows(knex, pageIds, page.children?.('p') ?? []) : [] };
}

/** A page row's service and the sort columns its cursor and edge need. */
interface PageRow {
  id: number;
  __distance_key: number | null;
  __distance: number | null;
  __reach: number | null;
  __open: number | null;
  __stale: number | null;
  __rank: number | null;
}

/** The page's services in order, each with the sort columns its cursor and edge need (and the children's columns asked for, over `p`). */
async function pageRows(knex: Knex, page: PageRow[], children: string[]): Promise<Row[]> {
  if (page.length === 0) return [];
  const found = new Map<number, Row>();
  const query = knex.from('service as p').select('p.*', ...children.map((sql) => knex.raw(sql))).whereIn('p.id', page.map((p) => p.id));
  for (const row of await query) found.set(Number(row.id), row);
  return page.map(({ id, ...sort }) => ({ ...found.get(id)!, ...sort }));
}

function byCount<T extends string | number>(a: FacetCount<T>, b: FacetCount<T>): number {
  return b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0);
}
