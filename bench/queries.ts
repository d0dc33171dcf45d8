/** The requests the benchmarks time, shared so every tool measures the same thing. */
import type { Knex } from '@mikro-orm/knex';
import { toGlobalId } from '../src/modules/common/global-id';

export const LINK_WORKER_QUERY = /* GraphQL */ `
  query LinkWorker($person: PersonInput, $near: NearInput, $openAt: DateTime, $text: String) {
    services(first: 20, near: $near, filter: { person: $person, openAt: $openAt, text: $text, referralRoutes: [SELF_REFERRAL, GP, LINK_WORKER] }) {
      totalCount
      edges {
        distanceKm
        reach
        node {
          id name
          capacity { status waitDays }
          provider { name }
          locations { nodes { hub { name address { postcode } } schedules { days opensAt closesAt } nextOpen } }
        }
      }
      facets {
        categories { category { name } count }
        criteria { criterion { label } count }
        referralRoutes { referralRoute count }
        deliveryModes { deliveryMode count }
        reaches { reach count }
      }
    }
  }
`;

/** A 72-year-old near LS7 (Chapeltown, Leeds) on a Monday morning. */
export const LINK_WORKER_VARIABLES = {
  person: { age: 72, criteria: [] as string[] },
  near: { postcode: 'LS7 4SA', radiusKm: 10 },
  openAt: '2026-11-23T10:00:00Z',
};

/** A map of Leeds and Bradford: hubs in the viewport with their count of free services. */
export const MAP_QUERY = /* GraphQL */ `
  query Map {
    hubs(first: 100, within: { north: 54.0, south: 53.6, east: -1.2, west: -1.9 }, serviceFilter: { freeOnly: true }) {
      totalCount
      edges { serviceCount node { id name kind latitude longitude } }
    }
  }
`;

/** One service's page: everything about it. */
export const SERVICE_QUERY = /* GraphQL */ `
  query Service($id: ID!) {
    service(id: $id) {
      id name description status minimumAge maximumAge referralRoutes deliveryModes languages
      cost { free description } contact { phone email url }
      provider { name website phone }
      locations { nodes { hub { name address { lines town postcode } latitude longitude } schedules { days opensAt closesAt notes } openNow nextOpen } }
      eligibility { nodes { label kind } }
      categories { nodes { name parent { name } } }
    }
  }
`;

/** The deep slice front ends ask for. */
export const DEEP_SLICE_QUERY = /* GraphQL */ `
  query Deep {
    services(first: 100) {
      edges { node {
        id name
        provider { name }
        locations { nodes { hub { name } schedules { days opensAt closesAt } } }
        eligibility { nodes { label } }
        categories { nodes { name } }
      } }
    }
  }
`;

export const VERSION_QUERY = `query Version($id: ID!) { service(id: $id) { version } }`;
export const UPDATE_MUTATION = `mutation Update($input: UpdateServiceInput!) { updateService(input: $input) { service { id version } } }`;

/** The reads `npm run bench` and `npm run bench:versus` time, by name; `richest` is the service with the most locations (`richestService`). */
export function benchReads(richest: number): Array<{ name: string; query: string; variables: Record<string, unknown> }> {
  return [
    { name: 'link-worker search', query: LINK_WORKER_QUERY, variables: LINK_WORKER_VARIABLES },
    { name: 'map viewport', query: MAP_QUERY, variables: {} },
    { name: 'one service, everything nested', query: SERVICE_QUERY, variables: { id: toGlobalId('Service', richest) } },
    { name: 'deep slice, services(first: 100)', query: DEEP_SLICE_QUERY, variables: {} },
  ];
}

/** The id of the service with the most locations: the one-service page's heaviest case. */
export async function richestService(knex: Knex): Promise<number> {
  const [{ id }] = await knex('service_location').select('service_id as id').groupBy('service_id').orderByRaw('count(*) desc').limit(1);
  return Number(id);
}

/** The Open Referral UK feed's page of 100 full services, timed beside the deep slice of 100 services. */
export const ORUK_PAGE = '/oruk/services?per_page=100';
