/** The requests the benchmarks time, shared so every tool measures the same thing. */
export const LINK_WORKER_QUERY = /* GraphQL */ `
  query LinkWorker($person: PersonInput, $near: NearInput, $openAt: DateTime, $text: String) {
    services(first: 20, near: $near, filter: { person: $person, openAt: $openAt, text: $text, referralRoutes: [SELF_REFERRAL, GP, LINK_WORKER] }) {
      totalCount
      edges {
        distanceKm
        node {
          id name
          provider { name }
          locations { nodes { hub { name address { postcode } } schedules { days opensAt closesAt } nextOpen } }
        }
      }
      facets {
        categories { category { name } count }
        criteria { criterion { label } count }
        referralRoutes { referralRoute count }
        deliveryModes { deliveryMode count }
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
