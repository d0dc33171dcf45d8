import { Client, fetchExchange } from '@urql/core';
import { cacheExchange, type ResolverConfig } from '@urql/exchange-graphcache';
import { relayPagination } from '@urql/exchange-graphcache/extras';

/**
 * The directory's objects carry global ids (`id`); the types below do not:
 * connections, edges, facets and value objects. Graphcache keeps them inside
 * their parent rather than as entities of their own (null key = embedded).
 * A ServiceArea has a stable uuid instead.
 */
const EMBEDDED = [
  'ServiceSearchConnection',
  'ServiceSearchEdge',
  'ServiceFacets',
  'CategoryFacet',
  'CriterionFacet',
  'ReachFacet',
  'ReferralRouteFacet',
  'DeliveryModeFacet',
  'HubSearchConnection',
  'HubSearchEdge',
  'ServiceLocationConnection',
  'EligibilityCriterionConnection',
  'CategoryConnection',
  'PageInfo',
  'Cost',
  'HowToRefer',
  'Contact',
  'Capacity',
  'ServiceReview',
  'Address',
  'ReportProblemPayload',
  // The partner page's (web/partners): lists, payloads and the viewer.
  'ViewerInfo',
  'ServiceConnection',
  'ServiceEdge',
  'ServicePayload',
  'ProblemReportConnection',
  'ProblemReportEdge',
  'ProblemReportPayload',
  'AuditEntryConnection',
  'AuditEntryEdge',
  'AuditFieldChange',
] as const;

export interface DirectoryClientOptions {
  /** Sent with every request, e.g. a partner's `Authorization: Bearer <key>`. */
  headers?: Record<string, string>;
  /**
   * `POST` sends every request as POST. Default: queries as GET when short enough, so the server's public
   * Cache-Control applies to them; a keyed answer is private anyway, and a key has no place in a URL.
   */
  method?: 'GET' | 'POST';
  /**
   * Connection fields read as one growing list, as "Type.field" ("Query.services"): a page fetched
   * with `after` is appended to the pages before it (graphcache's relayPagination), so a query for
   * the first page reads every page fetched so far. None by default: each page is a result of its own.
   */
  relayPaginated?: string[];
}

/**
 * One client per page: normalised cache (a service read in the list is the same object on its own page), same-origin GraphQL.
 * A client's cache belongs to whoever it was made for: a page that signs someone out makes a new one.
 */
export function createDirectoryClient(url = '/graphql', options: DirectoryClientOptions = {}): Client {
  const resolvers: ResolverConfig = {};
  for (const path of options.relayPaginated ?? []) {
    const [type, field] = path.split('.');
    resolvers[type] = { ...resolvers[type], [field]: relayPagination() };
  }
  return new Client({
    url,
    exchanges: [
      cacheExchange({
        keys: {
          ...Object.fromEntries(EMBEDDED.map((type) => [type, () => null])),
          ServiceArea: (area) => (typeof area.uuid === 'string' ? area.uuid : null),
        },
        resolvers,
      }),
      fetchExchange,
    ],
    // Queries go as GET when short enough, so the server's public Cache-Control (CACHE_MAX_AGE_SECONDS) applies;
    // the header satisfies Apollo's CSRF prevention for GET requests.
    preferGetMethod: options.method === 'POST' ? false : 'within-url-limit',
    fetchOptions: { headers: { 'apollo-require-preflight': 'true', ...options.headers } },
  });
}
