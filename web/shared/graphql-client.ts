import { Client, fetchExchange } from '@urql/core';
import { cacheExchange } from '@urql/exchange-graphcache';

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
] as const;

/** One client per page: normalised cache (a service read in the list is the same object on its own page), same-origin GraphQL. */
export function createDirectoryClient(url = '/graphql'): Client {
  return new Client({
    url,
    exchanges: [
      cacheExchange({
        keys: {
          ...Object.fromEntries(EMBEDDED.map((type) => [type, () => null])),
          ServiceArea: (area) => (typeof area.uuid === 'string' ? area.uuid : null),
        },
      }),
      fetchExchange,
    ],
    // Queries go as GET when short enough, so the server's public Cache-Control (CACHE_MAX_AGE_SECONDS) applies;
    // the header satisfies Apollo's CSRF prevention for GET requests.
    preferGetMethod: 'within-url-limit',
    fetchOptions: { headers: { 'apollo-require-preflight': 'true' } },
  });
}
