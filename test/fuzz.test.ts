import { seededRandom } from '../seeds/random';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeys, createTestApp, type Keys, listen, type Listening, type TestApp } from './utils';

/**
 * Bad input at volume: a few thousand malformed requests, generated from a
 * seeded PRNG and sent over HTTP, must each get an answer below 500 with no
 * stack trace or SQL in it, every GraphQL error must carry a code, and no
 * request may end in a masked internal error. `FUZZ_SEED=<n>` replays
 * another stream; the default seed makes every run send the same requests.
 *
 * The generated inputs never contain the words the leak checks look for
 * (select, from-clauses, sqlite, knex, mikro), because error messages
 * legitimately quote what the client sent.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261124);
const REQUESTS = 2_400;
const CONCURRENCY = 20;

let app: TestApp;
let keys: Keys;
let world: World;
let http: Listening;
let origin: string;

beforeAll(async () => {
  // A budget no fuzz run can spend, and room for every request at once: rate limiting and admission
  // control would turn the stream into 429s and 503s and hide everything else (limits.test.ts tests them).
  app = await createTestApp({ app: { rateLimitPoints: 1_000_000_000, signInFailuresPerWindow: 1_000_000, capacity: { maxExpensiveInFlight: 100 } } });
  keys = await createKeys(app);
  world = await exploreWorld();
  http = await listen(app);
  origin = http.origin;
});
afterAll(async () => {
  await http?.close();
  await app?.close();
});

// ---------------------------------------------------------------------------
// Deterministic randomness

function createRandom(seed: number) {
  const next = seededRandom(seed);
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    chance: (p: number): boolean => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
    string: (alphabet: string, length: number): string => Array.from({ length }, () => alphabet[int(0, alphabet.length - 1)]).join(''),
  };
}
type Random = ReturnType<typeof createRandom>;

// ---------------------------------------------------------------------------
// The world the valid queries come from

interface World {
  serviceId: string;
  serviceVersion: number;
  hubIds: string[];
  categoryIds: string[];
  criterionIds: string[];
  providerId: string;
  /** Valid operations, each answered without errors as written; the mutators start from these. */
  corpus: Operation[];
}

interface Operation {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  /** Sent with this partner's or admin's key. */
  as?: 'ageUk' | 'admin';
}

async function exploreWorld(): Promise<World> {
  const data = await app.query<any>(
    `query ($p: [ID!]) {
      services(first: 3, filter: { providerIds: $p }) { nodes { id version } }
      hubs(first: 5) { nodes { id } }
      categories(first: 5) { nodes { id } }
      eligibilityCriteria(first: 5) { nodes { id } }
    }`,
    { p: [keys.ageUkProviderId] },
  );
  const service = data.services.nodes[0];
  const hubIds: string[] = data.hubs.nodes.map((n: { id: string }) => n.id);
  const categoryIds: string[] = data.categories.nodes.map((n: { id: string }) => n.id);
  const criterionIds: string[] = data.eligibilityCriteria.nodes.map((n: { id: string }) => n.id);
  const corpus: Operation[] = [
    { name: 'hub count', query: '{ hubs(first: 1) { totalCount } }' },
    {
      name: 'link worker search',
      query: `query LinkWorker { services(first: 20, near: { postcode: "LS7 4SA", radiusKm: 10 }, filter: { person: { age: 72, criteria: ["${criterionIds[0]}", "${criterionIds[1]}"] }, openAt: "2026-11-24T10:00:00Z", referralRoutes: [SELF_REFERRAL, LINK_WORKER] }) {
        totalCount pageInfo { hasNextPage endCursor }
        edges { distanceKm node { id name description cost { free description } provider { name phone website }
          locations { nodes { hub { name address { lines town postcode } latitude longitude } schedules { days opensAt closesAt notes } openNow nextOpen } } } }
        facets { categories { category { id name } count } criteria { criterion { id label } count } referralRoutes { referralRoute count } deliveryModes { deliveryMode count } } } }`,
    },
    {
      name: 'map',
      query: `{ hubs(first: 100, within: { north: 53.9, south: 53.7, east: -1.4, west: -1.7 }, serviceFilter: { categoryIds: ["${categoryIds[0]}"], freeOnly: true }) { totalCount edges { serviceCount node { id name kind latitude longitude } } } }`,
    },
    { name: 'taxonomy and node', query: `{ categories(filter: { topLevel: true }) { nodes { name children { nodes { id name } } } } node(id: "${hubIds[0]}") { id ... on Hub { name services(first: 5) { nodes { name } } } } }` },
    {
      name: 'nodes by id',
      query: `query ($ids: [ID!]!) { nodes(ids: $ids) { id ...HubFields ... on Service { name status } } } fragment HubFields on Hub { name kind }`,
      variables: { ids: [hubIds[1], service.id, keys.ageUkProviderId] },
    },
    {
      name: 'text search',
      query: `query Search($text: String, $first: Int) { services(first: $first, orderBy: RELEVANCE, filter: { text: $text }) { totalCount pageInfo { endCursor hasNextPage } edges { cursor node { name } } } }`,
      variables: { text: 'garden walking', first: 5 },
    },
    { name: 'providers', query: '{ providers(first: 3) { totalCount nodes { id name website services(first: 2) { totalCount nodes { name } } } } }' },
    { name: 'near hubs', query: 'query ($lat: Float, $lng: Float) { hubs(first: 5, orderBy: DISTANCE, near: { latitude: $lat, longitude: $lng, radiusKm: 25 }) { edges { distanceKm node { name } } } }', variables: { lat: 53.8, lng: -1.55 } },
    { name: 'viewer', query: '{ viewer { role account { name provider { name } } } }', as: 'ageUk' },
    { name: 'audit trail', query: '{ auditTrail(first: 5) { nodes { at actor action objectId version changes { field from to } } } }', as: 'ageUk' },
    {
      name: 'create service',
      query: 'mutation Create($input: CreateServiceInput!) { createService(input: $input) { service { id name version isDraft } } }',
      variables: {
        input: {
          name: 'Fuzz seed service',
          description: 'A walking group',
          minimumAge: 18,
          referralRoutes: ['SELF_REFERRAL'],
          contact: { email: 'walks@example.org' },
          categoryIds: [categoryIds[0]],
          locations: [{ hubId: hubIds[0], schedules: [{ days: ['TUESDAY'], opensAt: '10:00', closesAt: '12:00' }] }],
        },
      },
      as: 'ageUk',
    },
    {
      name: 'update service',
      query: 'mutation Update($input: UpdateServiceInput!) { updateService(input: $input) { service { id version description } } }',
      variables: { input: { id: service.id, version: service.version, description: 'Updated before the fuzz run' } },
      as: 'ageUk',
    },
  ];
  return { serviceId: service.id, serviceVersion: service.version, hubIds, categoryIds, criterionIds, providerId: keys.ageUkProviderId, corpus };
}

// ---------------------------------------------------------------------------
// Generators: one per kind of bad input

interface FuzzRequest {
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

const JSON_TYPE = { 'content-type': 'application/json' };

function post(kind: string, body: string | Uint8Array, headers: Record<string, string> = JSON_TYPE, path = '/graphql'): FuzzRequest {
  return { kind, method: 'POST', path, headers, body };
}

function bodyOf(operation: Operation, variables = operation.variables): string {
  return JSON.stringify({ query: operation.query, variables, operationName: undefined });
}

function authFor(operation: Operation): Record<string, string> {
  return operation.as ? { authorization: `Bearer ${keys[operation.as]}` } : {};
}

/** Values of every wrong type, and right types at their edges. */
function oddValue(r: Random, depth = 0): unknown {
  const scalars: unknown[] = [
    'ten', '', ' ', 'NaN', 'Infinity', '-Infinity', '1e999', '0x1F', ' 5 ', '5', '-0', 'null', 'true', '[]', '{}',
    -1, 0, 1, 1.5, -2147483649, 2147483648, 2 ** 53 + 2, 1e308, -1e308, 5e-324,
    true, false, null,
    "' OR '1'='1", '1; DROP TABLE service --', '%', '_', '\\', '"', '*', 'NEAR(a b)', 'a OR b', '-a', '^b', 'col:x',
    'U2VydmljZTox', 'SHViOjE', 'SHViOi0x', 'SHViOjk5OTk5OTk5OTk5OTk5OTk5OTk5', 'Tm9wZTox', '!!!', 'SHViOjEuNQ',
    '2026-02-30T10:00:00Z', '2026-11-24T10:00:00Z', '99999-01-01T00:00:00Z', '1969-12-31T23:59:59Z', '25:00', '23:59', '24:00', '10:0', '00:00',
    'LS7 4SA', 'ZZ99 9ZZ', 'LS7', 'ls74sa', 'SW1A 1AA', 'x@y', 'not an email', 'javascript:alert(1)', 'https://example.org', '+44 113 000 0000',
    'MONDAY', 'SUNDAY', 'FUNDAY', 'ACTIVE', 'SELF_REFERRAL',
    '\u0000', '\ud800', '\udfff', '\u202e\u202d', '👩‍👩‍👧‍👦', 'e\u0301\u0301\u0301', '\ufeff',
  ];
  if (depth > 2 || r.chance(0.6)) return r.pick(scalars);
  if (r.chance(0.5)) return Array.from({ length: r.int(0, 4) }, () => oddValue(r, depth + 1));
  const fields = ['id', 'version', 'name', 'text', 'first', 'latitude', 'radiusKm', 'postcode', 'age', 'criteria', 'hubId', 'days', 'opensAt', '__proto__', 'constructor'];
  return Object.fromEntries(Array.from({ length: r.int(0, 4) }, () => [r.pick(fields), oddValue(r, depth + 1)]));
}

/**
 * A plausible input object: most fields from the shape's own values (valid
 * types, values at and past the edges of their rules), so the input gets
 * past coercion to the resolvers' checks; a few of any type at all.
 */
function oddObject(r: Random, shape: Record<string, (r: Random) => unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [field, plausible] of Object.entries(shape)) {
    if (r.chance(0.45)) continue;
    result[field] = r.chance(0.9) ? plausible(r) : oddValue(r);
  }
  return result;
}

function scheduleShape(): Record<string, (r: Random) => unknown> {
  return {
    days: (r) => r.pick([['MONDAY'], [], ['MONDAY', 'MONDAY'], ['FRIDAY', 'SATURDAY']]),
    opensAt: (r) => r.pick(['10:00', '22:00', '00:00', '23:59']),
    closesAt: (r) => r.pick(['12:00', '02:00', '10:00', '00:00']),
    validFrom: (r) => r.pick(['2026-01-01', '2026-02-30', '2027-01-01']),
    validTo: (r) => r.pick(['2025-12-31', '2026-12-31', 'tomorrow']),
    notes: (r) => r.string('ab c', r.int(0, 600)),
  };
}

function serviceInputShape(operation: 'create' | 'update'): Record<string, (r: Random) => unknown> {
  const identity: Record<string, (r: Random) => unknown> =
    operation === 'update'
      ? { id: (r) => r.pick([world.serviceId, world.hubIds[0], 'U2VydmljZTo5OTk5OTk']), version: (r) => r.pick([world.serviceVersion, world.serviceVersion + 1, 0, -1, 2147483647]) }
      : { providerId: (r) => r.pick([world.providerId, keys.mensShedsProviderId]), draft: (r) => r.chance(0.5) };
  return {
    ...identity,
    name: (r) => r.string('Walk ', r.int(0, 300)),
    description: (r) => r.string('abc \n', r.int(0, 6000)),
    status: (r) => r.pick(['ACTIVE', 'DEFUNCT', 'TEMPORARILY_CLOSED']),
    minimumAge: (r) => r.pick([0, 18, 65, 130, 131, -1]),
    maximumAge: (r) => r.pick([0, 17, 64, 130, 200]),
    referralRoutes: (r) => r.pick([[], ['GP'], ['GP', 'GP']]),
    deliveryModes: (r) => r.pick([['IN_PERSON'], ['ONLINE', 'PHONE']]),
    cost: (r) => oddObject(r, { free: (q) => q.chance(0.5), description: (q) => q.string('£ 5', q.int(0, 400)) }),
    contact: (r) => oddObject(r, { phone: (q) => q.pick(['0113 496 0000', '999', '+1 202 555 0100']), email: (q) => q.pick(['a@b.org', 'a@', '@b']), url: (q) => q.pick(['https://x.org', 'ftp://x', 'x']) }),
    languages: (r) => r.pick([['en'], ['English', 'Cymraeg'], [''], Array.from({ length: 60 }, () => 'en')]),
    categoryIds: (r) => r.pick([[world.categoryIds[0]], [world.hubIds[0]], [world.categoryIds[1], world.categoryIds[1]]]),
    criterionIds: (r) => r.pick([[world.criterionIds[0]], ['RWxpZ2liaWxpdHlDcml0ZXJpb246OTk5']]),
    locations: (r) =>
      Array.from({ length: r.int(0, 3) }, () =>
        oddObject(r, {
          hubId: (q) => q.pick(world.hubIds),
          description: (q) => q.string('room ', q.int(0, 50)),
          schedules: (q) => Array.from({ length: q.int(0, 3) }, () => oddObject(q, scheduleShape())),
        }),
      ),
  };
}

function filterShape(): Record<string, (r: Random) => unknown> {
  return {
    text: (r) => r.pick(['garden', 'walk*', '"unclosed', 'a AND', 'NOT', '(', 'x'.repeat(201), 'ünïcödé', '-', 'OR OR', 'a"b', '*']),
    providerIds: (r) => r.pick([[world.providerId], [world.hubIds[0]], Array.from({ length: 101 }, () => world.providerId)]),
    hubIds: (r) => r.pick([world.hubIds, ['SHViOjA'], []]),
    categoryIds: (r) => r.pick([world.categoryIds, []]),
    criterionIds: (r) => r.pick([world.criterionIds, ['Q2F0ZWdvcnk6MQ']]),
    person: (r) => oddObject(r, { age: (q) => q.pick([0, 72, 130, -5, 131]), criteria: (q) => q.pick([[], world.criterionIds, [world.hubIds[0]]]) }),
    referralRoutes: (r) => r.pick([['GP', 'SELF_REFERRAL'], []]),
    deliveryModes: (r) => r.pick([['PHONE'], []]),
    freeOnly: (r) => r.chance(0.5),
    statuses: (r) => r.pick([[], ['ACTIVE', 'DEFUNCT']]),
    modifiedAfter: (r) => r.pick(['2000-01-01T00:00:00Z', '2100-01-01T00:00:00Z', '0001-01-01T00:00:00Z']),
    openAt: (r) => r.pick(['2026-03-29T01:30:00Z', '2026-10-25T01:30:00Z', '2026-11-24T23:59:59Z']),
    openNow: (r) => r.chance(0.5),
  };
}

function nearShape(): Record<string, (r: Random) => unknown> {
  return {
    latitude: (r) => r.pick([53.8, 90, -90, 91, 0]),
    longitude: (r) => r.pick([-1.5, 180, -181, 0]),
    postcode: (r) => r.pick(['LS7 4SA', 'LS7', 'ZZ99 9ZZ', 'ls7  4sa', '']),
    radiusKm: (r) => r.pick([10, 0, -1, 200, 200.0001, 1e-9]),
  };
}

/** Typed variables, each sent values of the wrong type or at the edge of its range. */
const TYPED_OPERATIONS: Array<{ query: string; variables: (r: Random) => Record<string, unknown>; as?: 'ageUk' | 'admin' }> = [
  { query: 'query ($first: Int) { hubs(first: $first) { totalCount } }', variables: (r) => ({ first: oddValue(r) }) },
  { query: 'query ($first: Int, $after: String) { services(first: $first, after: $after) { totalCount edges { cursor } } }', variables: (r) => ({ first: r.pick([5, 0, 100, 101, -1]), after: oddValue(r) }) },
  { query: 'query ($id: ID!) { node(id: $id) { id } }', variables: (r) => ({ id: oddValue(r) }) },
  { query: 'query ($id: ID!) { hub(id: $id) { name } service(id: $id) { name } provider(id: $id) { name } }', variables: (r) => ({ id: oddValue(r) }) },
  { query: 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', variables: (r) => ({ ids: r.chance(0.5) ? oddValue(r) : Array.from({ length: r.int(0, 120) }, () => oddValue(r)) }) },
  // More than graphql-js's 50 coercion errors for one request.
  { query: 'query ($ids: [ID!]!, $first: Int) { nodes(ids: $ids) { id } hubs(first: $first) { totalCount } }', variables: (r) => ({ ids: Array.from({ length: r.int(40, 120) }, () => r.pick([null, true, 1.5, {}, [], -0.5])), first: 'x' }) },
  { query: 'query ($free: Boolean) { services(filter: { freeOnly: $free }) { totalCount } }', variables: (r) => ({ free: oddValue(r) }) },
  {
    query: 'query ($near: NearInput, $filter: ServiceFilter, $order: ServiceOrder) { services(first: 3, near: $near, filter: $filter, orderBy: $order) { totalCount edges { distanceKm node { name } } facets { criteria { count } } } }',
    variables: (r) => ({ near: r.chance(0.5) ? oddObject(r, nearShape()) : undefined, filter: oddObject(r, filterShape()), order: r.pick(['NAME', 'RELEVANCE', 'DISTANCE', 'UPDATED_AT', 'SIDEWAYS', 3]) }),
  },
  {
    query: 'query ($within: BoundsInput, $near: NearInput, $filter: ServiceFilter) { hubs(first: 10, within: $within, near: $near, serviceFilter: $filter) { totalCount edges { serviceCount distanceKm } } }',
    variables: (r) => ({
      within: r.chance(0.5) ? oddObject(r, { north: (q) => q.pick([53.9, -91, 90]), south: (q) => q.pick([53.7, 54, 90]), east: (q) => q.pick([-1.4, 180, -200]), west: (q) => q.pick([-1.7, 179, 181]) }) : undefined,
      near: r.chance(0.3) ? oddObject(r, nearShape()) : undefined,
      filter: r.chance(0.5) ? oddObject(r, filterShape()) : undefined,
    }),
  },
  { query: 'query ($at: DateTime) { services(filter: { openAt: $at }) { totalCount } }', variables: (r) => ({ at: oddValue(r) }) },
  { query: 'mutation ($input: UpdateServiceInput!) { updateService(input: $input) { service { version } } }', variables: (r) => ({ input: r.chance(0.8) ? oddObject(r, serviceInputShape('update')) : oddValue(r) }), as: 'ageUk' },
  { query: 'mutation ($input: CreateServiceInput!) { createService(input: $input) { service { id } } }', variables: (r) => ({ input: r.chance(0.8) ? oddObject(r, serviceInputShape('create')) : oddValue(r) }), as: 'ageUk' },
  { query: 'mutation ($input: ServiceVersionInput!) { publishService(input: $input) { service { isDraft } } }', variables: (r) => ({ input: oddObject(r, { id: (q) => q.pick([world.serviceId, world.hubIds[0]]), version: (q) => q.pick([1, 0, -1]) }) }), as: 'ageUk' },
  { query: 'query ($f: AuditFilter) { auditTrail(first: 5, filter: $f) { nodes { action } } }', variables: (r) => ({ f: oddObject(r, { objectId: (q) => q.pick([world.serviceId, 'x']), providerId: (q) => q.pick([keys.mensShedsProviderId, world.providerId]), accountId: (q) => q.pick(['QWNjb3VudDox', 'x']) }) }), as: 'ageUk' },
];

const VOCABULARY = [
  '{', '}', '{', '}', '(', ')', '[', ']', ':', '...', '$', '@', '!', '=', '|', '&', ',', '$first', '$id', '@include(if: true)', '@skip(if: $x)',
  'query', 'mutation', 'subscription', 'fragment', 'on', 'true', 'false', 'null', 'Hub', 'Service', '__typename', '__schema', '__type(name: "Hub")',
  'hubs', 'services', 'node', 'nodes', 'id', 'edges', 'totalCount', 'first:', 'after:', 'filter:', 'near:', 'text:', 'name', 'updateService', 'input:',
  '-1', '1e999', '0x10', '007', '3.', '.5', '"abc"', '"""block"""', '"unterminated', '"\\u{1F600}"', '"\\uD800"', '# comment\n', '\u00e9', '\u202e', '\u0000', '\ufeff',
];

function randomQueryText(r: Random): string {
  const parts = Array.from({ length: r.int(1, 60) }, () => r.pick(VOCABULARY));
  return parts.join(r.chance(0.3) ? '' : ' ');
}

const ODD_LITERALS = ['-1', '0', '2147483648', '1e308', '-0.0', '""', '"\\u0000"', '"\\uD800"', '"x"', '"SHViOjA"', '"U2VydmljZTox"', '"2026-13-45T99:00:00Z"', '"ZZ99 9ZZ"', '"%"', '"*"', 'null', 'true', '[]', '{}'];

const TOKEN = /[A-Za-z_]\w*|\$\w+|"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|\.\.\.|\S/g;

/** Deletes, duplicates and swaps characters and tokens of a valid query. */
function mutateQuery(r: Random, text: string): string {
  let out = text;
  for (let n = r.chance(0.6) ? 1 : r.int(2, 4); n > 0; n--) {
    const i = r.int(0, Math.max(0, out.length - 2));
    const tokens = out.match(TOKEN) ?? [];
    const t = r.int(0, Math.max(0, tokens.length - 1));
    const u = r.int(0, Math.max(0, tokens.length - 1));
    switch (r.int(0, 7)) {
      case 7: {
        // A literal swapped for an odd one: still parses, so it reaches validation and the resolvers.
        const literals = tokens.map((token, index) => (/^(-?\d|")/.test(token) ? index : -1)).filter((index) => index >= 0);
        if (literals.length > 0) tokens[r.pick(literals)] = r.pick(ODD_LITERALS);
        out = tokens.join(' ');
        break;
      }
      case 0:
        out = out.slice(0, i) + out.slice(i + 1);
        break;
      case 1:
        out = out.slice(0, i) + out[i] + out.slice(i);
        break;
      case 2:
        out = out.slice(0, i) + out[i + 1] + out[i] + out.slice(i + 2);
        break;
      case 3:
        tokens.splice(t, 1);
        out = tokens.join(' ');
        break;
      case 4:
        tokens.splice(t, 0, tokens[t]);
        out = tokens.join(' ');
        break;
      case 5:
        [tokens[t], tokens[u]] = [tokens[u], tokens[t]];
        out = tokens.join(' ');
        break;
      default:
        tokens[t] = r.pick(VOCABULARY);
        out = tokens.join(' ');
    }
  }
  return out;
}

function nested(open: string, close: string, depth: number, inner: string): string {
  return open.repeat(depth) + inner + close.repeat(depth);
}

const GENERATORS: Record<string, (r: Random) => FuzzRequest> = {
  'broken JSON': (r) => {
    const valid = bodyOf(r.pick(world.corpus));
    const cut = r.int(0, valid.length - 1);
    const bodies = [
      valid.slice(0, cut),
      valid + r.pick(['}', ']', ',', 'garbage', '\u0000', '{}', ' "x"', '\n\n{']),
      valid.replace(/\{/g, r.chance(0.5) ? '[' : '{{').replace(/"query"/, '"query":'),
      valid.replace(/"/g, "'"),
      valid.replace(/:/, r.pick([': NaN,', ': Infinity,', ': undefined,', '::'])),
      `\ufeff${valid}`,
      `// comment\n${valid}`,
      `[${valid}, ${valid}]`,
      r.pick(['', ' ', 'null', 'true', '0', '"query"', '[]', '{}', '{"query": 5}', '{"query": null}', '{"query": {"a": 1}}', '{"query": ["{ hubs { totalCount } }"]}']),
      `{"query": "{ hubs(first: 1) { totalCount } }", "variables": ${r.pick(['"x"', '5', '[]', 'null', '"{\\"first\\": 1}"'])}}`,
      `{"query": "{ hubs(first: 1) { totalCount } }", "extensions": ${r.pick(['"x"', '[1]', '{"persistedQuery": {"version": 1, "sha256Hash": "abc"}}', '{"persistedQuery": 5}'])}}`,
      `{"query": "{ hubs(first: 1) { totalCount } }", "operationName": ${r.pick(['7', '[]', '"Nope"', '{}'])}}`,
      `{"query": "{ hubs(first: 1) { totalCount } }", "query": "{ nope }"}`,
      `{"query": "\\x41"}`,
      `{"query": "${'\\'.repeat(r.int(1, 5))}"}`,
    ];
    return post('broken JSON', r.pick(bodies));
  },
  'wrong content type': (r) => {
    const operation = r.pick(world.corpus);
    const body = bodyOf(operation);
    const choice = r.int(0, 13);
    const headers: Record<string, string> = { ...authFor(operation) };
    if (choice === 0) return post('wrong content type', new TextEncoder().encode(body), headers); // no content-type at all
    if (choice === 1) return post('wrong content type', `query=${encodeURIComponent(operation.query)}`, { ...headers, 'content-type': 'application/x-www-form-urlencoded' });
    if (choice === 2) {
      const form = `--xyz\r\ncontent-disposition: form-data; name="operations"\r\n\r\n${body}\r\n--xyz\r\ncontent-disposition: form-data; name="map"\r\n\r\n{}\r\n--xyz--\r\n`;
      return post('wrong content type', form, { ...headers, 'content-type': r.pick(['multipart/form-data; boundary=xyz', 'multipart/form-data', 'multipart/mixed; boundary=xyz']), 'apollo-require-preflight': 'true' });
    }
    if (choice === 3) return post('wrong content type', body, { ...headers, 'content-type': 'application/json', 'content-encoding': r.pick(['gzip', 'deflate', 'br', 'zstd', 'identity', 'x-unknown']) });
    if (choice === 4) return post('wrong content type', operation.query, { ...headers, 'content-type': 'application/graphql' });
    const type = r.pick([
      'text/plain',
      'text/plain; charset=utf-8',
      'application/json; charset=utf-16',
      'application/json; charset=latin1',
      'application/json; charset=utf-7',
      'application/json; charset="utf-8"',
      'application/json; charset=',
      'application/json;;;charset=utf-8',
      'APPLICATION/JSON',
      'application/json, text/plain',
      'application/graphql-response+json',
      'application/jsonx',
      'application/vnd.api+json',
      '*/*',
      'application/',
      'json',
      'text/html',
    ]);
    return post('wrong content type', body, { ...headers, 'content-type': type });
  },
  'GET with a query string': (r) => {
    const operation = r.pick(world.corpus);
    const q = encodeURIComponent(operation.query);
    const strings = [
      `query=${q}`,
      `query=${q}&variables=${encodeURIComponent(JSON.stringify(operation.variables ?? {}))}`,
      `query=${q}&variables=${r.pick(['notjson', '%7B', '%5B%5D', '5', encodeURIComponent('{"first":"x"}')])}`,
      `query=${q}&query=${q}`,
      `query=${q}&extensions=${r.pick(['x', encodeURIComponent('{"persistedQuery":{"version":1,"sha256Hash":"0"}}')])}`,
      `query=${r.pick(['%E0%A4%A', '%', '%%', '%zz', '%C0%AF', '%ED%A0%80', '%00', '%FF%FE'])}`,
      `query[]=${q}`,
      `variables=${encodeURIComponent('{"first":1}')}`,
      `query=${encodeURIComponent(mutateQuery(r, operation.query))}`,
      `query=${encodeURIComponent('mutation { publishService(input: { id: "x", version: 1 }) { service { id } } }')}`,
      `query=${encodeURIComponent(`{ hubs(first: 1) { totalCount } } # ${'x'.repeat(r.int(8_000, 40_000))}`)}`,
      `${r.string('abc=&%?#;+', r.int(1, 200))}`,
      '',
    ];
    const headers: Record<string, string> = { ...authFor(operation) };
    if (r.chance(0.6)) headers['apollo-require-preflight'] = 'true';
    if (r.chance(0.3)) headers['content-type'] = r.pick(['application/json', 'text/plain']);
    return { kind: 'GET with a query string', method: 'GET', path: `/graphql?${r.pick(strings)}`, headers };
  },
  'random query text': (r) => post('random query text', JSON.stringify({ query: randomQueryText(r), variables: r.chance(0.3) ? { x: oddValue(r) } : undefined })),
  'mutated valid query': (r) => {
    const operation = r.pick(world.corpus);
    const variables = operation.variables && r.chance(0.3) ? { ...operation.variables, [r.pick(Object.keys(operation.variables))]: oddValue(r) } : operation.variables;
    return post('mutated valid query', JSON.stringify({ query: mutateQuery(r, operation.query), variables }), { ...JSON_TYPE, ...authFor(operation) });
  },
  'wrong variable types': (r) => {
    const operation = r.pick(TYPED_OPERATIONS);
    return post('wrong variable types', JSON.stringify({ query: operation.query, variables: operation.variables(r) }), { ...JSON_TYPE, ...(operation.as ? { authorization: `Bearer ${keys[operation.as]}` } : {}) });
  },
  'huge input': (r) => {
    switch (r.int(0, 6)) {
      case 0: // just under the body limit: parsed, then refused for what it says
        return post('huge input', JSON.stringify({ query: 'query ($t: String) { services(filter: { text: $t }) { totalCount } }', variables: { t: r.string('garden walk ', r.int(90_000, 100_000)) } }));
      case 1: // over it
        return post('huge input', JSON.stringify({ query: `{ hubs { totalCount } } # ${'x'.repeat(r.int(100_000, 400_000))}` }));
      case 2:
        return post('huge input', JSON.stringify({ query: `{ hubs(first: 1) { ${'totalCount '.repeat(r.int(5_000, 9_000))} } }` }));
      case 3:
        return post('huge input', JSON.stringify({ query: `{ hubs(first: ${'9'.repeat(r.int(20, 5_000))}) { totalCount } }` }));
      case 4:
        return post('huge input', JSON.stringify({ query: `{ services(filter: { text: "${'a'.repeat(r.int(201, 60_000))}" }) { totalCount } }` }));
      case 5:
        return post('huge input', JSON.stringify({ query: `{ ${Array.from({ length: r.int(31, 400) }, (_, i) => `a${i}: hubs(first: 100) { totalCount nodes { services(first: 100) { nodes { name } } } }`).join(' ')} }` }));
      default:
        return post(
          'huge input',
          JSON.stringify({ query: 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', variables: { ids: Array.from({ length: r.int(101, 8_000) }, () => r.pick(world.hubIds)) } }),
        );
    }
  },
  'deep nesting': (r) => {
    const depth = r.pick([16, 50, 200, 1_000]);
    switch (r.int(0, 6)) {
      case 0:
        return post('deep nesting', JSON.stringify({ query: `{ ${nested('hubs { nodes { services { nodes { provider { services { nodes { locations { nodes { hub { ', '} } } } } } } } } } } ', Math.ceil(depth / 11), 'id')} }` }));
      case 1:
        return post('deep nesting', JSON.stringify({ query: nested('{ a ', '} ', depth, '{ b }') }));
      case 2:
        return post('deep nesting', JSON.stringify({ query: `{ hubs(filter: { regions: ${nested('[', ']', depth, 'LONDON')} }) { totalCount } }` }));
      case 3:
        return post('deep nesting', JSON.stringify({ query: `{ services(filter: ${nested('{ person: ', '}', depth, '{ age: 3 }')}) { totalCount } }` }));
      case 4: {
        const variable = r.chance(0.5) ? nested('{"a":', '}', depth * 5, '1') : nested('[', ']', depth * 5, '1');
        return post('deep nesting', `{"query": "query ($filter: ServiceFilter) { services(filter: $filter) { totalCount } }", "variables": {"filter": ${variable}}}`);
      }
      case 5: {
        const count = Math.min(depth, 300);
        const fragments = Array.from({ length: count }, (_, i) => `fragment F${i} on Query { ${i + 1 < count ? `...F${i + 1}` : 'hubs(first: 1) { totalCount }'} }`);
        return post('deep nesting', JSON.stringify({ query: `{ ...F0 } ${fragments.join(' ')}` }));
      }
      default:
        return post('deep nesting', JSON.stringify({ query: '{ ...A } fragment A on Query { ...B } fragment B on Query { ...A hubs { totalCount } }' }));
    }
  },
  'odd unicode': (r) => {
    const odd = r.pick(['\ud800', '\udc00abc', '\u202egarden\u202c', '\u200f\u0627\u0644\u200e', 'gar\u0000den', '\u0000', '🌳🚶‍♀️', 'e\u0301'.repeat(r.int(1, 300)), 'ｇａｒｄｅｎ', '\u00df\u0130', 'Z\u0351\u0352\u0353\u0354', '\ufffe\uffff', '\u2028\u2029', 'ǅ']);
    const padded = r.chance(0.3) ? odd.repeat(r.int(50, 400)) : odd;
    switch (r.int(0, 5)) {
      case 0:
        return post('odd unicode', JSON.stringify({ query: 'query ($t: String) { services(filter: { text: $t }) { totalCount edges { node { name } } facets { criteria { count } } } }', variables: { t: padded } }));
      case 1:
        return post('odd unicode', JSON.stringify({ query: 'query ($p: String) { hubs(near: { postcode: $p, radiusKm: 5 }) { totalCount } }', variables: { p: padded } }));
      case 2:
        return post('odd unicode', JSON.stringify({ query: 'query ($id: ID!) { node(id: $id) { id } }', variables: { id: padded } }));
      case 3:
        return post('odd unicode', JSON.stringify({ query: `{ hubs${odd} { totalCount } }` }));
      case 4:
        return post(
          'odd unicode',
          JSON.stringify({ query: 'mutation ($input: UpdateServiceInput!) { updateService(input: $input) { service { version } } }', variables: { input: { id: world.serviceId, version: 1, name: padded, description: padded } } }),
          { ...JSON_TYPE, authorization: `Bearer ${keys.ageUk}` },
        );
      default:
        return post('odd unicode', JSON.stringify({ query: `{ services(filter: { text: "${odd.replace(/["\\]/g, '')}" }) { totalCount } }` }));
    }
  },
  'hostile shapes': (r) => {
    const control = String.fromCharCode(r.pick([0, 1, 7, 8, 11, 12, 14, 27, 31, 127, 133, 155]));
    switch (r.int(0, 5)) {
      case 0: {
        // Fragment fan-out: each fragment spreads the next many times.
        const spreads = r.int(2, 40);
        const levels = r.int(2, 8);
        const leaf = r.pick(['__typename', 'hubs(first: 1) { totalCount }', 'services(first: 0) { facets { criteria { count } } }']);
        const fragments = Array.from({ length: levels }, (_, i) => `fragment F${i} on Query { ${`...F${i + 1} `.repeat(spreads)}}`);
        return post('hostile shapes', JSON.stringify({ query: `query { ...F0 } ${fragments.join(' ')} fragment F${levels} on Query { ${leaf} }` }));
      }
      case 1: {
        // One field repeated, directly or through two fragments.
        const field = r.pick(['name', 'id', 'provider { name }', 'description']);
        const count = r.int(50, 1_900);
        return r.chance(0.5)
          ? post('hostile shapes', JSON.stringify({ query: `{ services(first: 1) { nodes { ${`${field} `.repeat(count)}} } }` }))
          : post('hostile shapes', JSON.stringify({ query: `{ services(first: 1) { nodes { ...A ...B } } } fragment A on Service { ${`${field} `.repeat(count / 2)}} fragment B on Service { ${`${field} `.repeat(count / 2)}}` }));
      }
      case 2: {
        // Zero-size pages with facets and lists nested under them, aliased.
        const page = r.int(1, 100);
        const body = `services(first: 0) { totalCount facets { criteria { criterion { services(first: ${page}) { nodes { eligibility(first: ${page}) { nodes { services(first: ${page}) { nodes { name } } } } } } } } categories { category { services(first: ${page}) { nodes { name } } } } } }`;
        return post('hostile shapes', JSON.stringify({ query: `{ ${Array.from({ length: r.int(1, 30) }, (_, i) => `a${i}: ${body}`).join(' ')} }` }));
      }
      case 3:
        return post(
          'hostile shapes',
          JSON.stringify({
            query: 'mutation ($input: UpdateServiceInput!) { updateService(input: $input) { service { version } } }',
            variables: { input: { id: world.serviceId, version: world.serviceVersion, [r.pick(['name', 'description'])]: `a${control}b` } },
          }),
          { ...JSON_TYPE, authorization: `Bearer ${keys.ageUk}` },
        );
      case 4:
        return post(
          'hostile shapes',
          JSON.stringify({
            query: 'mutation ($input: CreateServiceInput!) { createService(input: $input) { service { id } } }',
            variables: { input: { name: 'Knit and Natter', locations: [{ hubId: r.pick(world.hubIds), schedules: [{ days: ['MONDAY'], opensAt: '10:00', closesAt: '11:00', notes: `Room${control}2` }] }] } },
          }),
          { ...JSON_TYPE, authorization: `Bearer ${keys.ageUk}` },
        );
      default:
        return post('hostile shapes', JSON.stringify({ query: `{ services(filter: { text: ${JSON.stringify(`gar${control}den`)} }) { totalCount } }` }));
    }
  },
  'bad Authorization header': (r) => {
    const key = keys.ageUk;
    const flipped = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
    const value = r.pick([
      '',
      'Bearer',
      'Bearer ',
      'bearer ' + key,
      'Bearer  ' + key + '   ',
      'Bearer ' + flipped,
      'Bearer ' + key.slice(0, 20),
      'Bearer ' + key + key,
      'Bearer spd_000000000000_' + 'A'.repeat(43),
      'Bearer spd_zzzzzzzzzzzz_' + 'A'.repeat(43),
      'Basic dXNlcjpwYXNz',
      'Token ' + key,
      key,
      'Bearer ' + key + ' extra',
      'Bearer ' + r.string('abcdef0123456789_-spd', r.int(1, 120)),
      'Bearer ' + 'x'.repeat(r.int(1_000, 12_000)),
      'Bearer \u00e9\u00ff\u00a0',
      `Bearer ${key}, Bearer ${key}`,
      'Bearer "' + key + '"',
    ]);
    const operation = r.pick(world.corpus);
    return post('bad Authorization header', bodyOf(operation), { ...JSON_TYPE, authorization: value });
  },
  'other methods and paths': (r) => {
    const method = r.pick(['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'GET', 'POST']);
    const path = r.pick(['/graphql', '/graphql', '/graphql/', '/GRAPHQL', '/graphql/x', '/%', '/graphql%00', '/readyz', '/healthz', '//graphql', '/nope', '/graphql;x', `/${r.string('abc%/', r.int(1, 40))}`]);
    const headers: Record<string, string> = { ...JSON_TYPE };
    if (method === 'OPTIONS' && r.chance(0.7)) Object.assign(headers, { origin: 'https://evil.example', 'access-control-request-method': r.pick(['POST', 'PUT']), 'access-control-request-headers': 'authorization, content-type' });
    if (r.chance(0.2)) headers['x-request-id'] = r.pick(['', 'a b', 'x'.repeat(200), '../../etc', 'ok-id.1']);
    const body = method === 'GET' || method === 'HEAD' ? undefined : bodyOf(r.pick(world.corpus));
    return { kind: 'other methods and paths', method, path, headers, body };
  },
};

// ---------------------------------------------------------------------------
// Sending and judging

interface Answer {
  request: FuzzRequest;
  status: number;
  text: string;
  problems: string[];
}

/** What is wrong with an answer, whatever the request was; empty when it is fine. */
function problemsWith(status: number, text: string): string[] {
  const problems: string[] = [];
  if (status >= 500) problems.push(`status ${status}`);
  if (/\bat .+\.(ts|js):\d+/.test(text)) problems.push('a stack frame in the body');
  if (/stacktrace/i.test(text)) problems.push('"stacktrace" in the body');
  if (/\bselect\b.+\bfrom\b/i.test(text) || /insert into/i.test(text)) problems.push('SQL in the body');
  if (/sqlite|knex|mikro/i.test(text)) problems.push('a database library named in the body');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return problems; // not JSON (a 405 or 404 page, an empty HEAD answer): the checks above are all that apply
  }
  const errors = (json as { errors?: unknown } | null)?.errors;
  if (Array.isArray(errors)) {
    for (const error of errors) {
      const code = (error as { extensions?: { code?: unknown } })?.extensions?.code;
      if (typeof code !== 'string') problems.push(`an error without extensions.code: ${JSON.stringify(error).slice(0, 200)}`);
      else if (code === 'INTERNAL_SERVER_ERROR') problems.push('INTERNAL_SERVER_ERROR');
    }
  }
  return problems;
}

async function send(request: FuzzRequest): Promise<Answer> {
  try {
    const response = await fetch(origin + request.path, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(20_000),
    });
    const text = await response.text();
    return { request, status: response.status, text, problems: problemsWith(response.status, text) };
  } catch (error) {
    return { request, status: 0, text: '', problems: [`no answer: ${(error as Error).cause ?? error}`] };
  }
}

/** Sends every request, `concurrency` at a time, and keeps the answers in request order. */
async function sendAll(requests: FuzzRequest[], concurrency: number): Promise<Answer[]> {
  const answers: Answer[] = new Array(requests.length);
  let nextIndex = 0;
  const worker = async () => {
    while (nextIndex < requests.length) {
      const index = nextIndex++;
      answers[index] = await send(requests[index]);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return answers;
}

function describeRequest(request: FuzzRequest): string {
  const body = typeof request.body === 'string' ? request.body : request.body ? new TextDecoder().decode(request.body) : '';
  const headers = Object.entries(request.headers)
    .map(([name, value]) => `${name}: ${value.length > 80 ? `${value.slice(0, 80)}...` : value}`)
    .join('; ');
  const path = request.path.length > 200 ? `${request.path.slice(0, 200)}...(${request.path.length} chars)` : request.path;
  return `[${request.kind}] ${request.method} ${path} {${headers}} ${body.length > 300 ? `${body.slice(0, 300)}...(${body.length} chars)` : body}`;
}

/** Each distinct masked error once, with how often it was logged and its first stack. */
function summariseLoggedErrors(): string {
  const seen = new Map<string, { count: number; stack: string }>();
  for (const error of app.loggedErrors) {
    const message = error instanceof Error ? error.message : String(error);
    const entry = seen.get(message) ?? { count: 0, stack: error instanceof Error ? String(error.stack).split('\n').slice(0, 4).join('\n') : message };
    entry.count += 1;
    seen.set(message, entry);
  }
  return [...seen.values()].map(({ count, stack }) => `${count} x ${stack}`).join('\n---\n') || '(none)';
}

function generateRequests(seed: number, count: number): FuzzRequest[] {
  const r = createRandom(seed);
  const kinds = Object.keys(GENERATORS);
  // Round robin over the kinds, so each kind gets its share whatever the seed.
  return Array.from({ length: count }, (_, i) => GENERATORS[kinds[i % kinds.length]](r));
}

describe(`fuzzing the HTTP endpoint (seed ${SEED})`, () => {
  it('the queries the mutators start from all answer without errors as written', async () => {
    for (const operation of world.corpus) {
      const answer = await send(post(operation.name, bodyOf(operation), { ...JSON_TYPE, ...authFor(operation) }));
      expect({ operation: operation.name, status: answer.status, errors: JSON.parse(answer.text).errors }).toEqual({ operation: operation.name, status: 200, errors: undefined });
    }
  });

  it('the same seed generates the same requests', () => {
    const describeAll = (requests: FuzzRequest[]) => requests.map(describeRequest);
    expect(describeAll(generateRequests(SEED, 50))).toEqual(describeAll(generateRequests(SEED, 50)));
  });

  it(`${REQUESTS} malformed requests: each answered below 500, with no stack or SQL, every error with a code`, async () => {
    const requests = generateRequests(SEED, REQUESTS);
    const started = performance.now();
    const answers = await sendAll(requests, CONCURRENCY);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);

    const byStatus = new Map<number, number>();
    for (const { status } of answers) byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    const counts = [...byStatus.entries()].sort(([a], [b]) => a - b).map(([status, n]) => `${status || 'no answer'}: ${n}`);
    console.log(`fuzz seed ${SEED}: ${answers.length} requests in ${seconds} s (${CONCURRENCY} at a time); by status ${counts.join(', ')}`);

    const bad = answers.filter((answer) => answer.problems.length > 0);
    const report = bad.slice(0, 8).map((a) => `${a.problems.join(', ')}\n    request: ${describeRequest(a.request)}\n    answer: ${a.status} ${a.text.slice(0, 300)}`);
    expect.soft(bad.length, `${bad.length} bad answers, e.g.:\n${report.join('\n')}`).toBe(0);

    // Every kind of input reached the GraphQL layer at least once, so the stream is not all refused at the door.
    const reachedGraphql = new Set(answers.filter((a) => /"(data|errors)"/.test(a.text) && !/BAD_REQUEST/.test(a.text)).map((a) => a.request.kind));
    expect.soft([...reachedGraphql].sort()).toEqual(Object.keys(GENERATORS).sort());

    expect.soft(app.loggedErrors.length, `masked internal errors were logged:\n${summariseLoggedErrors()}`).toBe(0);
  });

  it('a 1 MB body is refused as too large', async () => {
    const answer = await send(post('1 MB', JSON.stringify({ query: 'query ($t: String) { services(filter: { text: $t }) { totalCount } }', variables: { t: 'a'.repeat(1024 * 1024) } })));
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.text).errors).toEqual([{ message: 'The request body is too large.', extensions: { code: 'BAD_REQUEST' } }]);
  });

  it('afterwards the server still answers a normal query', async () => {
    const answer = await send(post('after the fuzz', JSON.stringify({ query: '{ hubs(first: 1) { totalCount } }' })));
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toMatchObject({ data: { hubs: { totalCount: 72 } } });
  });
});
