import type { CategoryRepository } from '../category/category.repository';
import type { CriterionRepository } from '../eligibility/criterion.repository';
import type { HubRepository } from '../hub/hub.repository';
import type { ProviderRepository } from '../provider/provider.repository';
import type { Category } from '../category/category.entity';
import type { SearchCriteria } from '../service/search-criteria';
import type { ServiceLocation } from '../service/service-location.entity';
import type { Service } from '../service/service.entity';
import type { ServiceRepository } from '../service/service.repository';
import { categoryTermDoc, criterionTermDoc, enumTermDoc, serviceAtLocationDoc, serviceDoc, taxonomyDoc, type Doc } from './oruk.documents';
import { ENUM_TERM_BY_ID, ENUM_TERMS, TAXONOMIES } from './oruk.ids';
import type { PageParams } from './oruk.params';

/** The repositories of one request the feed reads through (anonymous: public data only). */
export interface FeedRepositories {
  service: ServiceRepository;
  hub: HubRepository;
  provider: ProviderRepository;
  category: CategoryRepository;
  criterion: CriterionRepository;
}

/** The paged envelope of every ORUK list. */
export interface FeedPage {
  total_items: number;
  total_pages: number;
  page_number: number;
  size: number;
  first_page: boolean;
  last_page: boolean;
  empty: boolean;
  contents: Doc[];
}

export function envelope(contents: Doc[], total: number, { page, perPage }: PageParams): FeedPage {
  const totalPages = Math.max(1, Math.ceil(total / perPage));
  return { total_items: total, total_pages: totalPages, page_number: page, size: contents.length, first_page: page === 1, last_page: page >= totalPages, empty: contents.length === 0, contents };
}

const offsetOf = ({ page, perPage }: PageParams) => (page - 1) * perPage;

/**
 * The Open Referral UK documents of one request, read through the
 * request's repositories: every relation of a page's records comes from a
 * DataLoader batch, so the statements for a page do not grow with its size.
 */
export class OrukFeed {
  constructor(private readonly repos: FeedRepositories) {}

  async services(criteria: SearchCriteria, page: PageParams): Promise<FeedPage> {
    const { items, total } = await this.repos.service.page(criteria, offsetOf(page), page.perPage);
    return envelope(await Promise.all(items.map((service) => this.fullService(service))), total, page);
  }

  async service(uuid: string): Promise<Doc | undefined> {
    const service = await this.repos.service.byUuid.load(uuid);
    return service ? this.fullService(service) : undefined;
  }

  async serviceAtLocations(criteria: SearchCriteria, page: PageParams): Promise<FeedPage> {
    const { items, total } = await this.repos.service.locationPage(criteria, offsetOf(page), page.perPage);
    return envelope(await Promise.all(items.map((location) => this.serviceAtLocation(location))), total, page);
  }

  async serviceAtLocationById(uuid: string): Promise<Doc | undefined> {
    const location = await this.repos.service.locationByUuid.load(uuid);
    if (!location) return undefined;
    // A location of a draft or archived service is not public.
    const visible = await this.repos.service.byId.load(location.service.id);
    return visible ? this.serviceAtLocation(location) : undefined;
  }

  /** The directory's own taxonomies, then those imported with other directories' feeds. */
  async taxonomies(page: PageParams): Promise<FeedPage> {
    const all = [...TAXONOMIES, ...(await this.repos.category.taxonomies())];
    return envelope(all.slice(offsetOf(page), offsetOf(page) + page.perPage).map(taxonomyDoc), all.length, page);
  }

  async taxonomy(uuid: string): Promise<Doc | undefined> {
    const found = TAXONOMIES.find((t) => t.id === uuid) ?? (await this.repos.category.taxonomyByUuid.load(uuid));
    return found ? taxonomyDoc(found) : undefined;
  }

  /** Every term of every taxonomy: categories, then criteria, then referral routes and delivery modes. */
  async taxonomyTerms(page: PageParams): Promise<FeedPage> {
    const offset = offsetOf(page);
    const categories = await this.repos.category.page(offset, page.perPage);
    const criteriaOffset = Math.max(0, offset - categories.total);
    const criteria = await this.repos.criterion.page(criteriaOffset, page.perPage - categories.items.length);
    const enumOffset = Math.max(0, offset - categories.total - criteria.total);
    const enums = ENUM_TERMS.slice(enumOffset, enumOffset + page.perPage - categories.items.length - criteria.items.length);
    const contents = [...(await Promise.all(categories.items.map((c) => this.categoryTerm(c)))), ...criteria.items.map(criterionTermDoc), ...enums.map(enumTermDoc)];
    return envelope(contents, categories.total + criteria.total + ENUM_TERMS.length, page);
  }

  async taxonomyTerm(uuid: string): Promise<Doc | undefined> {
    const enumTerm = ENUM_TERM_BY_ID.get(uuid);
    if (enumTerm) return enumTermDoc(enumTerm);
    const [category, criterion] = await Promise.all([this.repos.category.byUuid.load(uuid), this.repos.criterion.byUuid.load(uuid)]);
    if (category) return this.categoryTerm(category);
    return criterion ? criterionTermDoc(criterion) : undefined;
  }

  private async categoryTerm(category: Category): Promise<Doc> {
    const [parent, taxonomy] = await this.parentAndTaxonomy(category);
    return categoryTermDoc(category, parent?.uuid, taxonomy);
  }

  private parentAndTaxonomy(category: Category) {
    const { category: categories } = this.repos;
    return Promise.all([category.parent ? categories.byId.load(category.parent.id) : null, category.taxonomy ? categories.taxonomyById.load(category.taxonomy.id) : null]);
  }

  private async fullService(service: Service): Promise<Doc> {
    const { repos } = this;
    const [provider, locations, categories, criteria, areas] = await Promise.all([
      repos.provider.byId.load(service.provider.id),
      repos.service.allLocationsOf.load(service.id),
      repos.service.allCategoriesOf.load(service.id),
      repos.service.allCriteriaOf.load(service.id),
      repos.service.areasOf.load(service.id),
    ]);
    const [places, parents] = await Promise.all([
      Promise.all(
        locations.map(async (location) => {
          const [hub, schedules] = await Promise.all([repos.hub.byId.load(location.hub.id), repos.service.schedulesOf.load(location.id)]);
          return { location, hub: hub!, schedules };
        }),
      ),
      Promise.all(categories.map((category) => this.parentAndTaxonomy(category))),
    ]);
    return serviceDoc(service, {
      provider: provider!,
      locations: places,
      categories: categories.map((category, index) => ({ category, parentUuid: parents[index][0]?.uuid, taxonomy: parents[index][1] })),
      criteria,
      areas,
    });
  }

  private async serviceAtLocation(location: ServiceLocation): Promise<Doc> {
    const { repos } = this;
    const [service, hub, schedules] = await Promise.all([repos.service.byId.load(location.service.id), repos.hub.byId.load(location.hub.id), repos.service.schedulesOf.load(location.id)]);
    const provider = await repos.provider.byId.load(service!.provider.id);
    return serviceAtLocationDoc(location, service!, provider!, hub!, schedules);
  }
}
