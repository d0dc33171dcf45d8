import type { Connection, PageArgs } from '../common/connection';
import { entityLoader, paginate, uuidLoader, type Reader } from '../common/loaders';
import { orderOf, type OrderTerm } from '../common/pagination';
import { Provider } from './provider.entity';

const PROVIDER_ORDER: OrderTerm[] = orderOf('p', 'name');

/** Providers are public: every read of them. Their services are read through the service repository. */
export class ProviderRepository {
  readonly byId;
  readonly byUuid;

  constructor(private readonly reader: Reader) {
    this.byId = entityLoader(reader, Provider);
    this.byUuid = uuidLoader(reader, Provider);
  }

  /** Every provider, by name. */
  list(page: PageArgs): Promise<Connection<Provider>> {
    const query = this.reader.em.getKnex().from('provider as p').select('p.*');
    return paginate(this.reader, { entity: Provider, query, order: PROVIDER_ORDER, scope: ['providers'] }, page);
  }
}
