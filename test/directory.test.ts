import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './utils';
import { sampleDirectory as world } from '../seeds/sample-directory';
import type { SampleService } from '../seeds/sample-types';

/** Every root field and relation, checked against the sample directory in seeds/. */
let app: TestApp;
beforeAll(async () => {
  // These read the whole sample directory in one query, far past what a public server allows one request.
  app = await createTestApp({ app: { capacity: { maxCost: 1_000_000 } } });
});
afterAll(() => app.close());

const ALL_STATUSES = '[ACTIVE, INACTIVE, TEMPORARILY_CLOSED, DEFUNCT]';
const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const names = (items: Array<{ name: string }>) => items.map((item) => item.name).sort(byName);
const providerName = (key: string) => world.providers.find((p) => p.key === key)!.name;
const hubName = (key: string) => world.hubs.find((h) => h.key === key)!.name;

/** Fetches a whole list by following cursors, as a client would. */
async function all(field: string, selection: string, extraArgs = ''): Promise<any[]> {
  const items: any[] = [];
  let after: string | null = null;
  do {
    const data: any = await app.query(
      `query ($after: String) { ${field}(first: 100, after: $after${extraArgs}) { pageInfo { hasNextPage endCursor } nodes { ${selection} } } }`,
      { after },
    );
    items.push(...data[field].nodes);
    after = data[field].pageInfo.hasNextPage ? data[field].pageInfo.endCursor : null;
  } while (after);
  return items;
}

describe('root lists', () => {
  it('providers lists every provider by name', async () => {
    const providers = await all('providers', 'id name description website');
    expect(providers.map((p) => p.name)).toEqual(names(world.providers));
  });

  it('hubs lists every hub by name, with address and coordinates', async () => {
    const hubs = await all('hubs', 'name kind latitude longitude address { lines town postcode region }');
    expect(hubs.map((h) => h.name)).toEqual(names(world.hubs));
    const sample = world.hubs[0];
    const hub = hubs.find((h) => h.name === sample.name);
    expect(hub).toEqual({
      name: sample.name,
      kind: sample.kind,
      latitude: sample.latitude,
      longitude: sample.longitude,
      address: { lines: sample.addressLines, town: sample.town, postcode: sample.postcode, region: sample.region },
    });
  });

  it('hubs filter by region and kind', async () => {
    const region = world.hubs[0].region;
    const hubs = await all('hubs', 'name', `, filter: { regions: [${region}] }`);
    expect(hubs.map((h) => h.name)).toEqual(names(world.hubs.filter((h) => h.region === region)));
    const online = await all('hubs', 'name', ', filter: { kinds: [ONLINE] }');
    expect(online.map((h) => h.name)).toEqual(names(world.hubs.filter((h) => h.kind === 'ONLINE')));
  });

  it('services lists every service with its scalar fields', async () => {
    const services = await all(
      'services',
      'name status minimumAge maximumAge referralRoutes deliveryModes languages cost { free description } contact { phone email url }',
      `, filter: { statuses: ${ALL_STATUSES} }`,
    );
    expect(services.map((s) => s.name)).toEqual(names(world.services));
    for (const sample of world.services.slice(0, 20)) {
      expect(services.find((s) => s.name === sample.name)).toEqual({
        name: sample.name,
        status: sample.status,
        minimumAge: sample.minAge ?? null,
        maximumAge: sample.maxAge ?? null,
        referralRoutes: sample.referralRoutes,
        deliveryModes: sample.deliveryModes,
        languages: sample.languages,
        cost: { free: sample.cost.free, description: sample.cost.description ?? null },
        // URLs come back exactly as stored (not rewritten to https://x.org/).
        contact: { phone: sample.contact.phone ?? null, email: sample.contact.email ?? null, url: sample.contact.url ?? null },
      });
    }
  });

  it('eligibilityCriteria lists every criterion by label, filterable by kind', async () => {
    const criteria = await all('eligibilityCriteria', 'code label kind');
    expect(criteria.map((c) => c.code).sort(byName)).toEqual(world.criteria.map((c) => c.code).sort(byName));
    const kind = world.criteria[0].kind;
    const ofKind = await all('eligibilityCriteria', 'code', `, filter: { kinds: [${kind}] }`);
    expect(ofKind.map((c) => c.code).sort(byName)).toEqual(world.criteria.filter((c) => c.kind === kind).map((c) => c.code).sort(byName));
  });

  it('categories lists the taxonomy, top level or by parent', async () => {
    const everything = await all('categories', 'code');
    expect(everything).toHaveLength(world.categories.length);
    const top = await all('categories', 'code parent { code }', ', filter: { topLevel: true }');
    expect(top.map((c) => c.code).sort(byName)).toEqual(world.categories.filter((c) => !c.parent).map((c) => c.code).sort(byName));
    expect(top.every((c) => c.parent === null)).toBe(true);
  });
});

describe('service filters', () => {
  const expectServices = async (filter: string, predicate: (s: SampleService) => boolean) => {
    const services = await all('services', 'name', `, filter: ${filter}`);
    const expected = names(world.services.filter(predicate));
    expect(expected.length).toBeGreaterThan(0);
    expect(services.map((s) => s.name)).toEqual(expected);
  };

  it('show active services unless statuses say otherwise', async () => {
    const services = await all('services', 'name status');
    expect(services.map((s) => s.name)).toEqual(names(world.services.filter((s) => s.status === 'ACTIVE')));
  });

  it('by provider, hub, category, criterion and status, combined with AND', async () => {
    const ids: any = await app.query(`{
      providers(first: 100) { nodes { id name } }
      hubs(first: 100) { nodes { id name } }
      categories(first: 100) { nodes { id code } }
      eligibilityCriteria(first: 100) { nodes { id code } }
    }`);
    const providerId = (key: string) => ids.providers.nodes.find((p: any) => p.name === providerName(key)).id;
    const hubId = (key: string) => ids.hubs.nodes.find((h: any) => h.name === hubName(key)).id;
    const categoryId = (code: string) => ids.categories.nodes.find((c: any) => c.code === code).id;
    const criterionId = (code: string) => ids.eligibilityCriteria.nodes.find((c: any) => c.code === code).id;

    const active = (s: SampleService) => s.status === 'ACTIVE';
    await expectServices(`{ providerIds: ["${providerId('age-uk')}", "${providerId('mens-sheds')}"] }`, (s) =>
      ['age-uk', 'mens-sheds'].includes(s.provider) && active(s),
    );
    const busyHub = world.services[0].locations[0].hub;
    await expectServices(`{ hubIds: ["${hubId(busyHub)}"], statuses: ${ALL_STATUSES} }`, (s) => s.locations.some((l) => l.hub === busyHub));
    const category = world.services[0].categories[0];
    await expectServices(`{ categoryIds: ["${categoryId(category)}"], statuses: ${ALL_STATUSES} }`, (s) => s.categories.includes(category));
    await expectServices(`{ criterionIds: ["${criterionId('lonely-or-isolated')}"] }`, (s) => s.criteria.includes('lonely-or-isolated') && active(s));
    await expectServices('{ statuses: [TEMPORARILY_CLOSED, INACTIVE] }', (s) => ['TEMPORARILY_CLOSED', 'INACTIVE'].includes(s.status));
    await expectServices(
      `{ criterionIds: ["${criterionId('lonely-or-isolated')}"], statuses: [ACTIVE] }`,
      (s) => s.criteria.includes('lonely-or-isolated') && s.status === 'ACTIVE',
    );
  });
});

describe('relations, both directions', () => {
  it('provider.services and service.provider agree', async () => {
    const data: any = await app.query(`{
      providers(first: 100) { nodes { name services(first: 100) { totalCount nodes { name provider { name } } } } }
    }`);
    for (const provider of data.providers.nodes) {
      const key = world.providers.find((p) => p.name === provider.name)!.key;
      const expected = names(world.services.filter((s) => s.provider === key));
      expect(provider.services.nodes.map((s: any) => s.name)).toEqual(expected);
      expect(provider.services.totalCount).toBe(expected.length);
      expect(provider.services.nodes.every((s: any) => s.provider.name === provider.name)).toBe(true);
    }
  });

  it('hub.services and service.locations { hub schedules } agree', async () => {
    const data: any = await app.query(`{ hubs(first: 100) { nodes { name services(first: 100) { totalCount nodes { name } } } } }`);
    for (const hub of data.hubs.nodes) {
      const key = world.hubs.find((h) => h.name === hub.name)!.key;
      const expected = names(world.services.filter((s) => s.locations.some((l) => l.hub === key)));
      expect(hub.services.nodes.map((s: any) => s.name)).toEqual(expected);
      expect(hub.services.totalCount).toBe(expected.length);
    }
  });

  it('service.locations carry each hub with its own schedules', async () => {
    const sample = world.services.find((s) => s.locations.length > 1 && s.locations.some((l) => l.schedules.length > 1))!;
    const data: any = await app.query(
      `query ($filter: ServiceFilter) { services(first: 100, filter: $filter) { nodes { name locations { totalCount nodes { hub { name } schedules { days opensAt closesAt validFrom validTo notes runsPastMidnight } } } } } }`,
    );
    const service = data.services.nodes.find((s: any) => s.name === sample.name);
    const weekday = { MO: 'MONDAY', TU: 'TUESDAY', WE: 'WEDNESDAY', TH: 'THURSDAY', FR: 'FRIDAY', SA: 'SATURDAY', SU: 'SUNDAY' };
    expect(service.locations.totalCount).toBe(sample.locations.length);
    expect(service.locations.nodes).toEqual(
      sample.locations.map((l) => ({
        hub: { name: hubName(l.hub) },
        schedules: l.schedules.map((r) => ({
          days: r.days.map((d) => weekday[d]),
          opensAt: r.opensAt,
          closesAt: r.closesAt,
          validFrom: r.validFrom ?? null,
          validTo: r.validTo ?? null,
          notes: r.notes ?? null,
          runsPastMidnight: r.closesAt < r.opensAt,
        })),
      })),
    );
  });

  it('service.eligibility and criterion.services agree', async () => {
    const data: any = await app.query(`{ eligibilityCriteria(first: 100) { nodes { code services(first: 100) { nodes { name eligibility { nodes { code } } } } } } }`);
    for (const criterion of data.eligibilityCriteria.nodes) {
      const expected = names(world.services.filter((s) => s.criteria.includes(criterion.code)));
      expect(criterion.services.nodes.map((s: any) => s.name)).toEqual(expected);
      for (const service of criterion.services.nodes) {
        const sample = world.services.find((s) => s.name === service.name)!;
        expect(service.eligibility.nodes.map((c: any) => c.code).sort(byName)).toEqual([...sample.criteria].sort(byName));
      }
    }
  });

  it('service.categories, category.services, category.children and category.parent agree', async () => {
    const data: any = await app.query(`{
      categories(first: 100) { nodes { code parent { code } children(first: 100) { nodes { code } } services(first: 100) { nodes { name categories { nodes { code } } } } } }
    }`);
    for (const category of data.categories.nodes) {
      const sample = world.categories.find((c) => c.code === category.code)!;
      expect(category.parent?.code ?? undefined).toBe(sample.parent);
      expect(category.children.nodes.map((c: any) => c.code).sort(byName)).toEqual(
        world.categories.filter((c) => c.parent === category.code).map((c) => c.code).sort(byName),
      );
      expect(category.services.nodes.map((s: any) => s.name)).toEqual(names(world.services.filter((s) => s.categories.includes(category.code))));
      for (const service of category.services.nodes) expect(service.categories.nodes.map((c: any) => c.code)).toContain(category.code);
    }
  });

  it('hub(id), service(id) and provider(id) fetch one object, and null for an id of nothing', async () => {
    const ids: any = await app.query(`{ hubs(first: 1) { nodes { id name } } services(first: 1) { nodes { id name } } providers(first: 1) { nodes { id name } } }`);
    const one: any = await app.query(`query ($h: ID!, $s: ID!, $p: ID!) { hub(id: $h) { name } service(id: $s) { name } provider(id: $p) { name } }`, {
      h: ids.hubs.nodes[0].id,
      s: ids.services.nodes[0].id,
      p: ids.providers.nodes[0].id,
    });
    expect(one).toEqual({ hub: { name: ids.hubs.nodes[0].name }, service: { name: ids.services.nodes[0].name }, provider: { name: ids.providers.nodes[0].name } });
    const missing = Buffer.from('Hub:999999').toString('base64url');
    expect(await app.query(`{ hub(id: "${missing}") { name } }`)).toEqual({ hub: null });
  });
});
