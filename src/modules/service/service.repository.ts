import type { Knex } from '@mikro-orm/knex';
import type { Connection, PageArgs } from '../common/connection';
import { scopeOf } from '../common/cursor';
import { connectionOf, entityLoader, groupedLoader, NestedConnectionLoader, offsetPage, paginate, uuidLoader, type GroupedLoader, type NestedListSpec, type PageChildren, type Reader } from '../common/loaders';
import { dialectOf } from '../common/dialect';
import { boundingBox, distanceSql } from '../place/geo';
import { countQuery, orderOf, pageQuery, readPageRequest, toRowPage, type OrderTerm, type PageRequest, type Row } from '../common/pagination';
import { mappedRow, mapRow } from '../common/row-mapper';
import { jsonRowSql, jsonRowsSql, parseJsonRows } from '../common/json-rows';
import { Hub } from '../hub/hub.entity';
import { Provider } from '../provider/provider.entity';
import type { Viewer } from '../common/viewer';
import { Category, CATEGORY_ORDER } from '../category/category.entity';
import { CRITERION_ORDER, EligibilityCriterion } from '../eligibility/criterion.entity';
import { resolveOrder, type SearchCriteria } from './search-criteria';
import { Service } from './service.entity';
import { ServiceLocation } from './service-location.entity';
import { ServiceArea } from './service-area.entity';
import { areasContaining } from './service-area';
import { lexiconOf, type Lexicon } from '../search/lexicon';
import type { GeoPoint } from '../place/geo';
import { Schedule } from './schedule.entity';
import type { ServiceOrder } from './service.inputs';
import { matchQuery, ORDER_TERMS, REACH_CODES, withSortColumns, type SearchSql, type SearchTuning } from './service.queries';
import { loadSummary, type SearchSummary } from './service-summary';
import { isVisible, restrictToVisible } from './service.visibility';
import { staleBefore, type ReviewPolicy } from './review-policy';

/** Lists of services (as `s`) are ordered by name. */
export const SERVICE_ORDER: OrderTerm[] = orderOf('s', 'name');

/** What a page of services can bring along in its own statement (ServiceRepository.search's `include`). */
export type ServiceChild = 'provider' | 'eligibility' | 'categories';

/** What the root `services` field resolves to: a page, and its total and facets (computed together, once, when first asked for). */
export type ServiceSearchResult = Connection<Service> & { summary: () => Promise<SearchSummary> };

/**
 * Every read of services, their locations, schedules, criteria and
 * categories, as the request's viewer may see them (service.visibility.ts):
 * search, lookups by id, and the nested lists of services under a hub, a
 * provider, a category or a criterion. Built per request (see
 * repositories.ts).
 */
export class ServiceRepository {
  readonly byId;
  readonly locationById;
  readonly scheduleById;
  /** Nested lists, each one page per parent for a whole batch of parents: `.load(parentId, { first, after })`. */
  readonly locations;
  readonly eligibility;
  readonly categories;
  /** Services that run at a hub, by name (every status the viewer may see). */
  readonly atHub;
  /** Services tagged with exactly this category, by name. */
  readonly inCategory;
  readonly withCriterion;
  readonly ofProvider;
  /** A location's schedules are a short plain list: every rule, in the order entered. */
  readonly schedulesOf;
  /** By UUID (the Open Referral UK feed's ids), as the viewer may see them. */
  readonly byUuid;
  readonly locationByUuid;
  /** Whole lists, not paged (the feed's nested documents): every location of a service, and its terms. */
  readonly allLocationsOf;
  readonly allCategoriesOf;
  readonly allCriteriaOf;
  /** Every area a service serves, in the order given. */
  readonly areasOf;
  private readonly sql: SearchSql;
  private readonly hiddenBefore: Date | undefined;

  constructor(
    private readonly reader: Reader,
    private readonly viewer: Viewer,
    tuning: SearchTuning,
    review: ReviewPolicy,
  ) {
    const { em } = reader;
    const hiddenBefore = review.hideStale ? staleBefore(reader.now, review) : undefined;
    this.hiddenBefore = hiddenBefore;
    this.sql = { knex: em.getKnex(), tuning, now: reader.now, review, hiddenBefore };
    this.byId = entityLoader(reader, Service, (service) => isVisible(service, viewer, hiddenBefore));
    this.locationById = entityLoader(reader, ServiceLocation);
    this.scheduleById = entityLoader(reader, Schedule);
    this.schedulesOf = groupedLoader<Schedule>(reader, async (locationIds) => {
      const rows: Row[] = await em.getKnex().from('schedule').select('*').whereIn('service_location_id', locationIds as number[]).orderBy('id');
      return rows.map((row) => ({ parent: Number(row.service_location_id), item: mapRow(em, Schedule, row) }));
    });
    this.byUuid = uuidLoader(reader, Service, (service) => isVisible(service, viewer, hiddenBefore));
    this.locationByUuid = uuidLoader(reader, ServiceLocation);
    this.allLocationsOf = groupedLoader<ServiceLocation>(reader, async (serviceIds) => {
      const rows: Row[] = await em.getKnex().from('service_location').select('*').whereIn('service_id', serviceIds as number[]).orderBy('id');
      return rows.map((row) => ({ parent: Number(row.service_id), item: mapRow(em, ServiceLocation, row) }));
    });
    this.areasOf = groupedLoader<ServiceArea>(reader, async (serviceIds) => {
      const rows: Row[] = await em.getKnex().from('service_area').select('*').whereIn('service_id', serviceIds as number[]).orderBy('id');
      return rows.map((row) => ({ parent: Number(row.service_id), item: mapRow(em, ServiceArea, row) }));
    });
    this.allCategoriesOf = allTermsOf(reader, Category, 'category', 'service_category', 'category_id', CATEGORY_ORDER);
    this.allCriteriaOf = allTermsOf(reader, EligibilityCriterion, 'eligibility_criterion', 'service_criterion', 'criterion_id', CRITERION_ORDER);
    this.locations = new NestedConnectionLoader(reader, locationsOfService(reader, this.schedulesOf));
    this.eligibility = new NestedConnectionLoader(reader, CRITERIA_OF_SERVICE);
    this.categories = new NestedConnectionLoader(reader, CATEGORIES_OF_SERVICE);
    this.atHub = new NestedConnectionLoader(reader, this.servicesVia('Hub.services', 'service_location', 'hub_id'));
    this.inCategory = new NestedConnectionLoader(reader, this.servicesVia('Category.services', 'service_category', 'category_id'));
    this.withCriterion = new NestedConnectionLoader(reader, this.servicesVia('EligibilityCriterion.services', 'service_criterion', 'criterion_id'));
    this.ofProvider = new NestedConnectionLoader(reader, {
      name: 'Provider.services',
      entity: Service,
      order: SERVICE_ORDER,
      parentColumn: 's.provider_id',
      query: (knex, providerIds) => restrictToVisible(knex.from('service as s').select('s.*', 's.provider_id as __parent').whereIn('s.provider_id', providerIds as number[]), 's', viewer, hiddenBefore),
    });
  }

  /**
   * Services (as `s`) matching every criterion, for other read paths to
   * build on (the hub map counts them per hub). `nd.distance` with `near`.
   */
  matching(c: SearchCriteria): Knex.QueryBuilder {
    return matchQuery(this.sql, c);
  }

  /** What text search knows of the directory's words (synonyms, vocabulary, towns), kept a minute per database. */
  lexicon(): Promise<Lexicon> {
    return lexiconOf(this.sql.knex);
  }

  /** The ids of the service areas whose GeoJSON extent holds the point. */
  areasContaining(point: GeoPoint): Promise<number[]> {
    return areasContaining(this.sql.knex, point);
  }

  /**
   * A page of search results. When the request also asks for `totalCount` or
   * `facets` (`withSummary`), the page comes out of the same statement as the
   * summary, so the expensive match (circle, opening time, person) is
   * evaluated once per request instead of twice; otherwise the summary is
   * computed only if something asks for it after all.
   */
  async search(
    c: SearchCriteria,
    orderBy: ServiceOrder | null | undefined,
    page: PageArgs,
    { withSummary = false, include = [] }: { withSummary?: boolean; include?: readonly ServiceChild[] } = {},
  ): Promise<ServiceSearchResult> {
    const order = resolveOrder(c, orderBy);
    const terms = ORDER_TERMS[order];
    const edgeFields = (row: Row) => ({
      distanceKm: row.__distance === undefined || row.__distance === null ? null : Number(row.__distance),
      reach: c.reach && row.__reach !== undefined && row.__reach !== null ? REACH_CODES[Number(row.__reach)] : null,
    });
    if (withSummary) {
      const request = readPageRequest(page.first, page.after, scopeOf('services', c, order), terms, this.reader.cursors);
      const children = this.childrenOf(include);
      const { summary, rows } = await loadSummary(this.sql, c, { order, terms, request, children: children?.columns });
      const connection = connectionOf(this.reader, Service, toRowPage(rows, terms, request), summary.total, edgeFields, children?.withRow);
      return Object.assign(connection, { summary: () => Promise.resolve(summary) });
    }
    let summary: Promise<SearchSummary> | undefined;
    const loadOnce = () => (summary ??= loadSummary(this.sql, c).then((result) => result.summary));
    const connection = await paginate(
      this.reader,
      { entity: Service, query: this.listQuery(c, order), order: terms, scope: ['services', c, order], count: () => loadOnce().then((s) => s.total), edgeFields, children: this.childrenOf(include) },
      page,
    );
    return Object.assign(connection, { summary: loadOnce });
  }

  /**
   * The statements of a page of search results without the page's fields
   * (the reads compiled to one statement build those, modules/compiled):
   * its rows (first+1, in order, each with its sort columns, as `search`
   * reads them), how many match in all, the order and the cursors' scope.
   */
  pageStatements(c: SearchCriteria, orderBy: ServiceOrder | null | undefined, page: PageArgs): { rows: Knex.QueryBuilder; count: Knex.QueryBuilder; order: OrderTerm[]; request: PageRequest } {
    const order = resolveOrder(c, orderBy);
    const terms = ORDER_TERMS[order];
    const request = readPageRequest(page.first, page.after, scopeOf('services', c, order), terms, this.reader.cursors);
    const query = this.listQuery(c, order);
    return { rows: pageQuery(query, terms, request), count: countQuery(query), order: terms, request };
  }

  /** Every service matching the criteria (as `r`), with the sort columns of `order`. */
  private listQuery(c: SearchCriteria, order: ServiceOrder): Knex.QueryBuilder {
    return this.sql.knex.select('*').from(withSortColumns(this.sql, matchQuery(this.sql, c).select('s.*'), c, order).as('r'));
  }

  /** Services matching the criteria, by name, by page number (the ORUK feed), with how many match in all. */
  page(c: SearchCriteria, offset: number, limit: number): Promise<{ items: Service[]; total: number }> {
    return offsetPage(this.reader, Service, matchQuery(this.sql, c).select('s.*'), SERVICE_ORDER, offset, limit);
  }

  /**
   * The locations of services matching the criteria (the ORUK feed's
   * service_at_locations), by page number: with `near`, only those at hubs
   * inside the circle, nearest first; otherwise by service name.
   */
  locationPage(c: SearchCriteria, offset: number, limit: number): Promise<{ items: ServiceLocation[]; total: number }> {
    const { knex } = this.sql;
    const { near, ...rest } = c;
    const services = matchQuery(this.sql, rest).select('s.id', 's.name');
    const query = knex.from('service_location as sl').join(services.as('ms'), 'ms.id', 'sl.service_id').select('sl.*');
    if (!near) {
      const byServiceName = [
        { column: 'ms.name', key: 'name' },
        { column: 'sl.id', key: 'id' },
      ];
      return offsetPage(this.reader, ServiceLocation, query, byServiceName, offset, limit);
    }
    const box = boundingBox(near);
    const distance = distanceSql(dialectOf(knex), 'h.latitude', 'h.longitude', near);
    query
      .join('hub as h', 'h.id', 'sl.hub_id')
      .whereBetween('h.latitude', [box.south, box.north])
      .whereBetween('h.longitude', [box.west, box.east])
      .whereRaw(`${distance.sql} <= ?`, [...distance.bindings, near.radiusKm])
      .select(knex.raw(`${distance.sql} as __distance`, distance.bindings));
    const inner = knex.select('*').from(query.as('r'));
    return offsetPage(this.reader, ServiceLocation, inner, orderOf('r', '__distance'), offset, limit);
  }

  /**
   * One service as the viewer may see it, or null; with `include`, in one
   * statement with its provider and the first page of its criteria and
   * categories (the one-service page of bench/queries.ts: 6 statements to 3).
   */
  async one(id: number, include: readonly ServiceChild[]): Promise<Service | null> {
    const children = this.childrenOf(include);
    const { em } = this.reader;
    if (!children || mappedRow(em, Service, id)) return this.byId.load(id);
    const knex = em.getKnex();
    const [row] = (await knex.from('service as p').select('p.*', ...children.columns('p').map((sql) => knex.raw(sql))).where('p.id', id)) as Row[];
    if (!row) return null;
    const service = mapRow(em, Service, row);
    if (!isVisible(service, this.viewer, this.hiddenBefore)) return null;
    children.withRow(row, service);
    return service;
  }

  /** The statement of one service's row (as `s`) if the viewer may see it. */
  visibleById(id: number): Knex.QueryBuilder {
    return restrictToVisible(this.sql.knex.from('service as s').select('s.*').where('s.id', id), 's', this.viewer, this.hiddenBefore);
  }

  /**
   * What a page of services brings along in its own statement, as JSON
   * (json-rows.ts): each service's provider, and the first page of its
   * criteria and of its categories, handed to their loaders.
   */
  private childrenOf(include: readonly ServiceChild[]): PageChildren<Service> | undefined {
    if (include.length === 0) return undefined;
    const { em } = this.reader;
    const columns: Record<ServiceChild, (s: string) => string> = {
      provider: (s) => `${jsonRowSql(em, Provider, 'pp', `pp.id = ${s}.provider_id`)} as __provider`,
      eligibility: (s) => `${jsonRowsSql(em, EligibilityCriterion, 'pc', `eligibility_criterion pc join service_criterion pcl on pcl.criterion_id = pc.id where pcl.service_id = ${s}.id`, 'pc.label, pc.id')} as __eligibility`,
      categories: (s) => `${jsonRowsSql(em, Category, 'pt', `category pt join service_category ptl on ptl.category_id = pt.id where ptl.service_id = ${s}.id`, 'pt.name, pt.id')} as __categories`,
    };
    return {
      columns: (alias) => include.map((child) => columns[child](alias)),
      withRow: (row, service) => {
        if (row.__provider !== undefined) for (const provider of parseJsonRows(row.__provider)) mapRow(em, Provider, provider);
        if (row.__eligibility !== undefined) this.eligibility.primeFirstPage(service.id, parseJsonRows(row.__eligibility));
        if (row.__categories !== undefined) this.categories.primeFirstPage(service.id, parseJsonRows(row.__categories));
      },
    };
  }

  /**
   * Services linked to a parent through a table with a `service_id` column,
   * e.g. `servicesVia('Hub.services', 'service_location', 'hub_id')`.
   */
  private servicesVia(name: string, linkTable: string, parentIdColumn: string): NestedListSpec<Service> {
    return {
      name,
      entity: Service,
      order: SERVICE_ORDER,
      parentColumn: `l.${parentIdColumn}`,
      query: (knex, parentIds) =>
        restrictToVisible(
          knex
            .from('service as s')
            .join(`${linkTable} as l`, 'l.service_id', 's.id')
            .select('s.*', `l.${parentIdColumn} as __parent`)
            .whereIn(`l.${parentIdColumn}`, parentIds as number[]),
          's',
          this.viewer,
          this.hiddenBefore,
        ),
    };
  }
}

/**
 * A service's locations; with `include` 'hub' and 'schedules', each brings
 * its hub and its schedules as JSON in the same statement (json-rows.ts),
 * handed to the hub and schedule loaders: the deep slice's 7 statements
 * become 5.
 */
function locationsOfService(reader: Reader, schedulesOf: GroupedLoader<Schedule>): NestedListSpec<ServiceLocation> {
  const { em } = reader;
  return {
    name: 'Service.locations',
    entity: ServiceLocation,
    order: [{ column: 'sl.id', key: 'id' }],
    parentColumn: 'sl.service_id',
    query: (knex, serviceIds, include) => {
      const q = knex.from('service_location as sl').select('sl.*', 'sl.service_id as __parent').whereIn('sl.service_id', serviceIds as number[]);
      if (include.includes('hub')) q.select(knex.raw(`${jsonRowSql(em, Hub, 'lh', 'lh.id = sl.hub_id')} as __hub`));
      if (include.includes('schedules')) q.select(knex.raw(`${jsonRowsSql(em, Schedule, 'ls', 'schedule ls where ls.service_location_id = sl.id', 'ls.id')} as __schedules`));
      return q;
    },
    withRow: (row, location) => {
      if (row.__hub !== undefined) for (const hub of parseJsonRows(row.__hub)) mapRow(em, Hub, hub);
      if (row.__schedules !== undefined) schedulesOf.primeNow(location.id, parseJsonRows(row.__schedules).map((schedule) => mapRow(em, Schedule, schedule)));
    },
  };
}

/** The terms linked to each service through `link` (service_criterion, service_category). */
function termsOfService<T extends object>(name: string, entity: { new (...args: never[]): T }, table: string, link: string, termColumn: string, order: OrderTerm[]): NestedListSpec<T> {
  return {
    name,
    entity,
    order,
    parentColumn: 'l.service_id',
    query: (knex, serviceIds) => knex.from(`${table} as c`).join(`${link} as l`, `l.${termColumn}`, 'c.id').select('c.*', 'l.service_id as __parent').whereIn('l.service_id', serviceIds as number[]),
  };
}

/** Every term linked to each service (not paged), in list order. */
function allTermsOf<T extends object>(reader: Reader, entity: { new (...args: never[]): T }, table: string, link: string, termColumn: string, order: OrderTerm[]) {
  return groupedLoader<T>(reader, async (serviceIds) => {
    const rows: Row[] = await reader.em
      .getKnex()
      .from(`${table} as c`)
      .join(`${link} as l`, `l.${termColumn}`, 'c.id')
      .select('c.*', 'l.service_id as __parent')
      .whereIn('l.service_id', serviceIds as number[])
      .orderBy(order.map((term) => ({ column: term.column, order: 'asc' })));
    return rows.map((row) => ({ parent: Number(row.__parent), item: mapRow(reader.em, entity, row) }));
  });
}

const CRITERIA_OF_SERVICE = termsOfService('Service.eligibility', EligibilityCriterion, 'eligibility_criterion', 'service_criterion', 'criterion_id', CRITERION_ORDER);
const CATEGORIES_OF_SERVICE = termsOfService('Service.categories', Category, 'category', 'service_category', 'category_id', CATEGORY_ORDER);
