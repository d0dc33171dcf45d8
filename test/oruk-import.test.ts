import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeReport, importOruk } from '../src/modules/oruk/oruk.import';
import { DEFAULT_HTTP, openSource } from '../src/modules/oruk/oruk.source';
import { problemsOfService } from '../src/modules/oruk/oruk.validate';
import { createKeys, createTestApp, listen, type Keys, type Listening, type TestApp } from './utils';

/**
 * The import of Open Referral UK feeds: this directory's own feed over HTTP
 * into an empty database and back out unchanged (the round trip), a second
 * import that changes nothing, upstream changes and removals followed, and
 * ORUK's example documents with their problems reported.
 */
const EXAMPLES = join(process.cwd(), 'test/fixtures/oruk-3.0/examples');

let upstream: TestApp;
let upstreamHttp: Listening;
let upstreamKeys: Keys;
let copy: TestApp;
let copyHttp: Listening;
let feedUrl: string;

beforeAll(async () => {
  upstream = await createTestApp({ app: { rateLimitPoints: 1e9 } });
  upstreamKeys = await createKeys(upstream);
  upstreamHttp = await listen(upstream);
  feedUrl = `${upstreamHttp.origin}/oruk`;
  copy = await createTestApp({ seed: false });
  copyHttp = await listen(copy);
});
afterAll(async () => {
  await upstreamHttp.close();
  await copyHttp.close();
  await upstream.close();
  await copy.close();
});

const importFeed = async (app: TestApp, location: string, options = {}) => importOruk(app.em(), await openSource(location), options);

/** Every item of a list endpoint of a feed. */
async function everything(origin: string, path: string): Promise<unknown[]> {
  const items: unknown[] = [];
  for (let page = 1; ; page++) {
    const body = (await (await fetch(`${origin}/oruk${path}?page=${page}&per_page=100`)).json()) as { contents: unknown[]; last_page: boolean };
    items.push(...body.contents);
    if (body.last_page) return items;
  }
}

const LISTS = ['/services', '/service_at_locations', '/taxonomies', '/taxonomy_terms'];

/** What GraphQL says of every public service, by UUID, in the fields a feed carries. */
async function graphqlServices(app: TestApp): Promise<Record<string, unknown>> {
  const nodes: any[] = [];
  for (let after: string | null = null, more = true; more; ) {
    const data: any = await app.query(
      `query ($after: String) {
    services(first: 25, after: $after, filter: { statuses: [ACTIVE, INACTIVE, TEMPORARILY_CLOSED, DEFUNCT] }) {
      pageInfo { hasNextPage endCursor }
      nodes {
        uuid name description status minimumAge maximumAge referralRoutes deliveryModes languages updatedAt
        cost { free description } contact { phone email url }
        provider { uuid name description email website logoUrl charityNumber }
        categories(first: 20) { nodes { uuid code name description parent { uuid } } }
        eligibility(first: 20) { nodes { uuid code label kind description } }
        locations(first: 10) { nodes { uuid description hub { uuid name kind description accessibility address { lines town postcode region } latitude longitude } schedules { days opensAt closesAt validFrom validTo notes } } }
      }
    }
  }`,
      { after },
    );
    nodes.push(...data.services.nodes);
    more = data.services.pageInfo.hasNextPage;
    after = data.services.pageInfo.endCursor;
  }
  const byUuid: Record<string, any> = {};
  for (const service of nodes) {
    // An online hub has no place: its address and coordinates are not in a feed.
    for (const { hub } of service.locations.nodes) if (hub.kind === 'ONLINE') Object.assign(hub, { address: null, latitude: null, longitude: null });
    byUuid[service.uuid] = service;
  }
  return byUuid;
}

describe('ORUK import: the round trip', () => {
  it('imports the sample directory from its own feed over HTTP, and then serves the same feed', async () => {
    const report = await importFeed(copy, feedUrl);
    expect(report.problems).toEqual([]);
    const services = await everything(upstreamHttp.origin, '/services');
    expect(report).toMatchObject({ created: services.length, updated: 0, unchanged: 0, skipped: 0, archived: 0 });
    for (const path of LISTS) expect(await everything(copyHttp.origin, path), path).toEqual(await everything(upstreamHttp.origin, path));
    expect(await graphqlServices(copy)).toEqual(await graphqlServices(upstream));
  });

  it('a second import of the same feed changes nothing, and says so', async () => {
    const auditBefore = await copy.em().getKnex()('audit_entry').count({ n: '*' });
    const report = await importFeed(copy, feedUrl);
    expect(report).toMatchObject({ created: 0, updated: 0, archived: 0, skipped: 0, terms: { created: 0, updated: 0 } });
    expect(report.unchanged).toBeGreaterThan(30);
    expect(describeReport(report)).toMatch(/nothing changed/);
    expect(await copy.em().getKnex()('audit_entry').count({ n: '*' })).toEqual(auditBefore);
  });

  it('a changed upstream service is updated, audited as the import; one gone from the feed is archived, not deleted', async () => {
    const { services } = await upstream.query<any>(`{ services(first: 2, filter: { providerIds: ["${upstreamKeys.ageUkProviderId}"] }) { nodes { id uuid version } } }`);
    const [changed, removed] = services.nodes;
    await upstream.query(`mutation ($input: UpdateServiceInput!) { updateService(input: $input) { service { id } } }`, { input: { id: changed.id, version: changed.version, description: 'Now on Fridays too.' } }, upstreamKeys.ageUk);
    await upstream.query(`mutation ($input: ServiceVersionInput!) { archiveService(input: $input) { service { id } } }`, { input: { id: removed.id, version: removed.version } }, upstreamKeys.ageUk);
    // Last checked upstream long before it last changed: the copy takes assured_date, not last_modified.
    const checked = new Date('2026-03-15T00:00:00Z');
    await upstream.em().getKnex()('service').where('uuid', changed.uuid).update({ verified_at: upstream.em().getPlatform().processDateProperty(checked) as never });

    const report = await importFeed(copy, feedUrl);
    expect(report).toMatchObject({ created: 0, updated: 1, archived: 1, skipped: 0 });
    const rows = await copy.em().getKnex()('service').whereIn('uuid', [changed.uuid, removed.uuid]).select('uuid', 'description', 'archived_at');
    expect(rows.find((r: any) => r.uuid === changed.uuid).description).toBe('Now on Fridays too.');
    expect(rows.find((r: any) => r.uuid === removed.uuid).archived_at).not.toBeNull();
    const audit = await copy.em().getKnex()('audit_entry').where('entity_type', 'Service').whereIn('action', ['UPDATE', 'ARCHIVE']).select('actor', 'action');
    expect(audit.map((a: any) => [a.action, a.actor])).toEqual(expect.arrayContaining([['UPDATE', `import ${feedUrl}`], ['ARCHIVE', `import ${feedUrl}`]]));
    expect(await everything(copyHttp.origin, '/services')).toEqual(await everything(upstreamHttp.origin, '/services'));
    const copied: any = await copy.query(`{ serviceByUuid: services(first: 1, filter: { text: "Fridays" }) { nodes { uuid review { lastVerifiedAt verifiedBy } } } }`);
    expect(copied.serviceByUuid.nodes[0]).toMatchObject({ uuid: changed.uuid, review: { verifiedBy: 'SOURCE_FEED' } });
    expect(new Date(copied.serviceByUuid.nodes[0].review.lastVerifiedAt).toISOString()).toBe(checked.toISOString());
  });

  it('an imported service belongs to its source: partners are refused, naming it, until an admin detaches it; then the import leaves it alone', async () => {
    const copyKeys = await createKeys(copy);
    const { services } = await copy.query<any>(`{ services(first: 1, filter: { providerIds: ["${copyKeys.ageUkProviderId}"] }) { nodes { id uuid version importedFrom } } }`);
    const [imported] = services.nodes;
    expect(imported.importedFrom).toBe(feedUrl);
    const UPDATE = `mutation ($input: UpdateServiceInput!) { updateService(input: $input) { service { id version description } } }`;
    const refused = await copy.run(UPDATE, { input: { id: imported.id, version: imported.version, description: 'Edited here.' } }, { key: copyKeys.ageUk });
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(refused.errors?.[0].message).toContain(feedUrl);
    const detached: any = await copy.query(`mutation ($input: ServiceVersionInput!) { detachService(input: $input) { service { version importedFrom } } }`, { input: { id: imported.id, version: imported.version } }, copyKeys.admin);
    expect(detached.detachService.service.importedFrom).toBeNull();
    const edited: any = await copy.query(UPDATE, { input: { id: imported.id, version: detached.detachService.service.version, description: 'Edited here.' } }, copyKeys.ageUk);
    expect(edited.updateService.service.description).toBe('Edited here.');
    await importFeed(copy, feedUrl);
    const after: any = await copy.query(`{ service(id: "${imported.id}") { description importedFrom } }`);
    expect(after.service).toEqual({ description: 'Edited here.', importedFrom: null });
  });

  it('--dry-run reads, checks and counts, and writes nothing', async () => {
    const empty = await createTestApp({ seed: false });
    try {
      const report = await importFeed(empty, feedUrl, { dryRun: true });
      expect(report.created).toBeGreaterThan(30);
      expect(describeReport(report)).toMatch(/^Dry run \(nothing written\)/);
      expect(Number((await empty.em().getKnex()('service').count({ n: '*' }))[0].n)).toBe(0);
      expect(Number((await empty.em().getKnex()('provider').count({ n: '*' }))[0].n)).toBe(0);
    } finally {
      await empty.close();
    }
  });
});

describe("ORUK import: other directories' documents", () => {
  it("imports ORUK's example list, and reports the example service whose location is at latitude 100", async () => {
    const target = await createTestApp({ seed: false });
    try {
      const list = await importFeed(target, join(EXAMPLES, 'service_list.json'));
      expect(list.problems).toEqual([]);
      expect(list.created).toBeGreaterThan(0);
      const full = await importFeed(target, join(EXAMPLES, 'service_full.json'));
      expect(full).toMatchObject({ created: 0, skipped: 1 });
      expect(full.problems).toContainEqual({ record: 'ac148810-d857-441c-9679-408f346de14b', path: '$.service_at_locations[0].location.latitude', message: 'must be between -90 and 90 (got 100)' });
      expect(describeReport(full)).toMatch(/ac148810-d857-441c-9679-408f346de14b \$\.service_at_locations\[0\]\.location\.latitude: must be between -90 and 90/);
    } finally {
      await target.close();
    }
  });

  it("refuses the validator's invalid example, naming its url and email problems; --strict imports nothing", async () => {
    const target = await createTestApp({ seed: false });
    try {
      const report = await importFeed(target, join(EXAMPLES, 'invalid_service_full.json'));
      expect(report.skipped).toBe(1);
      const paths = report.problems.map((p) => p.path);
      expect(paths).toContain('$.url');
      expect(paths).toContain('$.email');
      expect(report.problems.find((p) => p.path === '$.url')!.message).toMatch(/format "uri"/);
      const strict = await importFeed(target, EXAMPLES, { strict: true });
      expect(strict.refused).toBe(true);
      expect(Number((await target.em().getKnex()('service').count({ n: '*' }))[0].n)).toBe(0);
    } finally {
      await target.close();
    }
  });

  it('refuses a service whose web addresses are not http(s), though the schema\'s uri format allows them (a page shows them as links)', () => {
    const doc = JSON.parse(readFileSync(join(EXAMPLES, 'service_full.json'), 'utf8'));
    // The example's own problem (a latitude of 100) is there either way.
    const before = problemsOfService(doc, 'service_full.json').map((p) => p.path);
    expect(before).not.toContain('$.url');
    doc.url = 'javascript:alert(1)';
    doc.organization.website = 'data:text/html,<script>alert(1)</script>';
    const problems = problemsOfService(doc, 'service_full.json').filter((p) => !before.includes(p.path));
    // The data: address breaks the uri format too (its "<"); javascript:alert(1) is a valid uri, refused by the web-address rule.
    expect(problems.map((p) => p.path).sort()).toEqual(['$.organization.website', '$.url']);
    expect(problems.find((p) => p.path === '$.url')!.message).toBe('must be an http(s) address (got "javascript:alert(1)")');
  });

  it('a feed whose list holds only one-to-one fields is read by id, and 429 and 5xx answers are retried', async () => {
    let refusals = 0;
    const flaky = createServer(async (req, res) => {
      const path = req.url!.replace(/^\/oruk/, '');
      const upstreamAnswer = await fetch(`${feedUrl}${path}`);
      const body = (await upstreamAnswer.json()) as any;
      // Every service's first request is refused once: too many requests, then a server error.
      if (/^\/services\/[0-9a-f-]+$/.test(path) && !seenIds.has(path)) {
        seenIds.add(path);
        refusals += 1;
        res.writeHead(refusals % 2 ? 429 : 503, { 'retry-after': '0', 'content-type': 'application/json' }).end('{}');
        return;
      }
      if (path.startsWith('/services?')) body.contents = body.contents.map(({ id, name, status }: any) => ({ id, name, status }));
      res.writeHead(upstreamAnswer.status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    const seenIds = new Set<string>();
    flaky.listen(0, '127.0.0.1');
    await once(flaky, 'listening');
    const target = await createTestApp({ seed: false });
    try {
      const source = await openSource(`http://127.0.0.1:${(flaky.address() as AddressInfo).port}/oruk`, { ...DEFAULT_HTTP, backoffMs: 1 });
      const report = await importOruk(target.em(), source);
      expect(report.problems).toEqual([]);
      expect(report.created).toBe((await everything(upstreamHttp.origin, '/services')).length);
      expect(refusals).toBe(report.created);
    } finally {
      flaky.close();
      await target.close();
    }
  });

  it("another directory's taxonomy is kept as it is: listed, its terms categories of it, and every filter works on them", async () => {
    const [first] = (await everything(upstreamHttp.origin, '/services')) as any[];
    const lga = { id: 'aa5a3e2c-0b1d-4c5e-9f60-7a8b9c0d1e2f', name: 'LGA Service List' };
    const term = { id: 'bb6b4f3d-1c2e-4d6f-8a71-8b9cad1e2f30', name: 'Social prescribing', description: 'LGA service 1234', taxonomy: lga.name, taxonomy_id: lga.id, code: '1234' };
    const doc = { ...first, attributes: [...first.attributes, { id: 'cc7c5a4e-2d3f-4e7a-9b82-9cadbe2f3041', link_id: first.id, link_type: 'service', taxonomy_term_id: term.id, taxonomy_term: term }] };
    const file = join(mkdtempSync(join(tmpdir(), 'spd-oruk-')), 'service.json');
    writeFileSync(file, JSON.stringify(doc));
    const target = await createTestApp({ seed: false });
    const server = await listen(target);
    try {
      const report = await importFeed(target, file);
      expect(report).toMatchObject({ created: 1, skipped: 0 });
      const get = async (path: string) => (await fetch(`${server.origin}/oruk${path}`)).json() as Promise<any>;
      expect((await everything(server.origin, '/taxonomies')).map((t: any) => t.id)).toContain(lga.id);
      expect(await get(`/taxonomies/${lga.id}`)).toEqual({ id: lga.id, name: lga.name, description: lga.name });
      expect(await get(`/taxonomy_terms/${term.id}`)).toMatchObject({ id: term.id, name: term.name, description: term.description, taxonomy: lga.name, taxonomy_id: lga.id });
      expect((await get(`/services?taxonomy_id=${lga.id}`)).contents.map((s: any) => s.id)).toEqual([first.id]);
      expect((await get(`/services?taxonomy_term_id=${term.id}`)).contents.map((s: any) => s.id)).toEqual([first.id]);
      const exported = await get(`/services/${first.id}`);
      expect(exported.attributes.find((a: any) => a.taxonomy_term_id === term.id).taxonomy_term).toMatchObject({ taxonomy_id: lga.id });
      const data: any = await target.query(`{ categories(first: 100) { nodes { uuid code taxonomy { uuid name } } } }`);
      expect(data.categories.nodes.find((c: any) => c.uuid === term.id)).toEqual({ uuid: term.id, code: 'lga-service-list-1234', taxonomy: { uuid: lga.id, name: lga.name } });
      expect(data.categories.nodes.filter((c: any) => c.uuid !== term.id).every((c: any) => c.taxonomy === null)).toBe(true);

      // A service that only names its organization links to the one imported before, which it leaves as it is.
      const [, second] = (await everything(upstreamHttp.origin, '/services')) as any[];
      const { organization: _organization, ...named } = { ...second, organization_id: first.organization_id };
      writeFileSync(file, JSON.stringify(named));
      expect(await importFeed(target, file)).toMatchObject({ created: 1, skipped: 0 });
      const providers = await target.em().getKnex()('provider').select('uuid', 'name');
      expect(providers).toEqual([{ uuid: first.organization_id, name: first.organization.name }]);
      expect((await get(`/services/${second.id}`)).organization_id).toBe(first.organization_id);
    } finally {
      await server.close();
      await target.close();
    }
  });

  it('a batch the database refuses is rolled back whole, the batches before it kept, and the error names it', async () => {
    const [a, b, c, d] = ((await everything(upstreamHttp.origin, '/services')) as any[]).filter((s) => s.service_at_locations?.length);
    // d claims c's service at location: valid for the schema, refused by the unique index when written with c.
    const clash = { ...d, service_at_locations: [{ ...d.service_at_locations[0], id: c.service_at_locations[0].id }], schedules: [] };
    const file = join(mkdtempSync(join(tmpdir(), 'spd-oruk-')), 'services.json');
    writeFileSync(file, JSON.stringify([a, b, c, clash]));
    const target = await createTestApp({ seed: false });
    try {
      await expect(importFeed(target, file, { batchSize: 2 })).rejects.toThrow(new RegExp(`batch of 2 services from ${c.id} to ${d.id} could not be written \\(.*uuid.*\\); nothing of it was kept, and the 2 services before it were`));
      const kept = (await target.em().getKnex()('service').select('uuid')).map((r: any) => r.uuid).sort();
      expect(kept).toEqual([a.id, b.id].sort());
      expect(Number((await target.em().getKnex()('service_location').whereIn('uuid', [c.service_at_locations[0].id]).count({ n: '*' }))[0].n)).toBe(0);
    } finally {
      await target.close();
    }
  });

  it('a source that cannot be read is a clear error', async () => {
    await expect(openSource('ftp://example.org/feed')).rejects.toThrow(/Only http\(s\) feeds/);
    await expect(openSource('/no/such/file.json')).rejects.toThrow(/There is no file or folder/);
    await expect(importFeed(copy, `${upstreamHttp.origin}/not-a-feed`)).rejects.toThrow(/answered 404/);
  });
});
