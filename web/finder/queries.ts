import { gql } from '@urql/core';

const CRITERIA_FIELDS = 'eligibilityCriteria(first: 100) { nodes { id code label kind } }';

/**
 * One search is one request: the page of services, the facet counts that are
 * the filters, the hubs that are the map's markers (each with how many of the
 * matching services run there), and the directory's eligibility criteria (the
 * circumstances a person can say they meet). "Show more results" is the same
 * request with `after`: graphcache's relayPagination (main.tsx) appends its
 * page to the ones before, so a search read again later has them all.
 */
export const SEARCH_QUERY = gql`
  query FinderSearch($first: Int!, $after: String, $near: NearInput, $filter: ServiceFilter) {
    services(first: $first, after: $after, near: $near, filter: $filter) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        distanceKm
        reach
        node {
          id
          name
          description
          nationalScope
          provider { id name }
          capacity { status waitDays isStale }
          review { lastVerifiedAt isStale }
          howToRefer { formUrl signpostingOnly }
          locations(first: 10) {
            nodes {
              id
              openNow
              nextOpen
              hub { id name kind latitude longitude address { town postcode } }
            }
          }
        }
      }
      facets {
        categories { count category { id name } }
        reaches { reach count }
      }
    }
    hubs(first: 100, near: $near, serviceFilter: $filter) {
      totalCount
      edges { serviceCount node { id name kind latitude longitude } }
    }
    ${CRITERIA_FIELDS}
  }
`;

/** The criteria alone, for "More filters" opened before any search (a search brings them itself). */
export const CRITERIA_QUERY = gql`
  query FinderCriteria {
    ${CRITERIA_FIELDS}
  }
`;

/**
 * A shortlist: the services of a shared link, in one request, with what a link
 * worker hands over (how to refer, where and when, contact).
 */
export const SHORTLIST_QUERY = gql`
  query Shortlist($ids: [ID!]!) {
    nodes(ids: $ids) {
      __typename
      id
      ... on Service {
        name
        description
        minimumAge
        maximumAge
        nationalScope
        cost { free description }
        contact { phone email url }
        howToRefer { routes formUrl email phone instructions signpostingOnly }
        provider { id name website phone }
        capacity { status waitDays isStale }
        review { lastVerifiedAt isStale }
        eligibility(first: 20) { nodes { id label } }
        locations(first: 10) {
          nodes {
            id
            nextOpen
            openNow
            schedules { id days opensAt closesAt notes }
            hub { id name kind address { lines town postcode } }
          }
        }
      }
    }
  }
`;

export const SERVICE_QUERY = gql`
  query ServicePage($id: ID!) {
    service(id: $id) {
      id
      name
      description
      minimumAge
      maximumAge
      referralRoutes
      deliveryModes
      languages
      nationalScope
      cost { free description }
      contact { phone email url }
      howToRefer { routes formUrl email phone instructions signpostingOnly }
      provider { id name website phone }
      capacity { status waitDays note setAt isStale }
      review { lastVerifiedAt isDue isStale }
      areas { uuid name postcodes }
      eligibility(first: 20) { nodes { id label description } }
      categories(first: 20) { nodes { id name } }
      locations(first: 20) {
        nodes {
          id
          description
          openNow
          openUntil
          nextOpen
          schedules { id days opensAt closesAt notes }
          hub { id name kind latitude longitude accessibility accessibilityFeatures address { lines town postcode } }
        }
      }
    }
  }
`;

export const REPORT_PROBLEM_MUTATION = gql`
  mutation ReportProblem($input: ReportProblemInput!) {
    reportProblem(input: $input) { report { id kind createdAt } }
  }
`;

export type Reach = 'AT_HUB' | 'AREA' | 'NATIONAL';
export type CapacityStatus = 'TAKING_REFERRALS' | 'WAITING_LIST' | 'NOT_TAKING_REFERRALS' | 'UNKNOWN';

export interface HubRef {
  id: string;
  name: string;
  kind: string;
  latitude: number;
  longitude: number;
}

export interface Criterion {
  id: string;
  code: string;
  label: string;
  kind: 'AGE_GROUP' | 'AREA' | 'CIRCUMSTANCE' | 'HEALTH_CONDITION' | 'NEED' | 'OTHER';
}

export interface CriteriaResult {
  eligibilityCriteria: { nodes: Criterion[] } | null;
}

export interface SearchResult extends CriteriaResult {
  services: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: Array<{
      distanceKm: number | null;
      reach: Reach | null;
      node: {
        id: string;
        name: string;
        description: string;
        nationalScope: string | null;
        provider: { id: string; name: string };
        capacity: { status: CapacityStatus; waitDays: number | null; isStale: boolean };
        review: { lastVerifiedAt: string; isStale: boolean };
        howToRefer: { formUrl: string | null; signpostingOnly: boolean };
        locations: { nodes: Array<{ id: string; openNow: boolean; nextOpen: string | null; hub: HubRef & { address: { town: string; postcode: string } } }> };
      };
    }>;
    facets: {
      categories: Array<{ count: number; category: { id: string; name: string } }>;
      reaches: Array<{ reach: Reach; count: number }>;
    };
  } | null;
  hubs: { totalCount: number; edges: Array<{ serviceCount: number; node: HubRef }> } | null;
}

export type ServiceDetails = NonNullable<ServicePageResult['service']>;

export interface ServicePageResult {
  service: {
    id: string;
    name: string;
    description: string;
    minimumAge: number | null;
    maximumAge: number | null;
    referralRoutes: string[];
    deliveryModes: string[];
    languages: string[];
    nationalScope: 'ENGLAND' | 'UK' | null;
    cost: { free: boolean; description: string | null };
    contact: { phone: string | null; email: string | null; url: string | null };
    howToRefer: { routes: string[]; formUrl: string | null; email: string | null; phone: string | null; instructions: string | null; signpostingOnly: boolean };
    provider: { id: string; name: string; website: string | null; phone: string | null };
    capacity: { status: CapacityStatus; waitDays: number | null; note: string | null; setAt: string | null; isStale: boolean };
    review: { lastVerifiedAt: string; isDue: boolean; isStale: boolean };
    areas: Array<{ uuid: string; name: string; postcodes: string[] }>;
    eligibility: { nodes: Array<{ id: string; label: string; description: string }> };
    categories: { nodes: Array<{ id: string; name: string }> };
    locations: {
      nodes: Array<{
        id: string;
        description: string | null;
        openNow: boolean;
        openUntil: string | null;
        nextOpen: string | null;
        schedules: Array<{ id: string; days: string[]; opensAt: string; closesAt: string; notes: string | null }>;
        hub: HubRef & { accessibility: string | null; accessibilityFeatures: string[]; address: { lines: string[]; town: string; postcode: string } };
      }>;
    };
  } | null;
}

export interface ShortlistService {
  __typename: 'Service';
  id: string;
  name: string;
  description: string;
  minimumAge: number | null;
  maximumAge: number | null;
  nationalScope: 'ENGLAND' | 'UK' | null;
  cost: { free: boolean; description: string | null };
  contact: { phone: string | null; email: string | null; url: string | null };
  howToRefer: { routes: string[]; formUrl: string | null; email: string | null; phone: string | null; instructions: string | null; signpostingOnly: boolean };
  provider: { id: string; name: string; website: string | null; phone: string | null };
  capacity: { status: CapacityStatus; waitDays: number | null; isStale: boolean };
  review: { lastVerifiedAt: string; isStale: boolean };
  eligibility: { nodes: Array<{ id: string; label: string }> };
  locations: {
    nodes: Array<{
      id: string;
      nextOpen: string | null;
      openNow: boolean;
      schedules: Array<{ id: string; days: string[]; opensAt: string; closesAt: string; notes: string | null }>;
      hub: { id: string; name: string; kind: string; address: { lines: string[]; town: string; postcode: string } };
    }>;
  };
}

export interface ShortlistResult {
  /** In the order asked; null for an id the directory no longer has (or another type's, which carries no name). */
  nodes: Array<ShortlistService | { __typename: string; id: string } | null> | null;
}
