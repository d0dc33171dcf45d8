import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeys, createTestApp, errorCodes, type Keys, type TestApp } from './utils';
import type { SqlStats } from '../src/modules/common/sql-stats';

let app: TestApp;
let keys: Keys;
beforeAll(async () => {
  app = await createTestApp();
  keys = await createKeys(app);
});
afterAll(() => app.close());

const CREATE = `mutation ($input: CreateServiceInput!) { createService(input: $input) { service { id name version isDraft provider { name } locations { nodes { hub { name } schedules { days opensAt closesAt } } } } } }`;
const UPDATE = `mutation ($input: UpdateServiceInput!) { updateService(input: $input) { service { id name version description updatedAt } } }`;
const PUBLISH = `mutation ($input: ServiceVersionInput!) { publishService(input: $input) { service { id version isDraft } } }`;

async function aHub(): Promise<string> {
  const data: any = await app.query(`{ hubs(first: 1) { nodes { id } } }`);
  return data.hubs.nodes[0].id;
}

describe('a partner keeps its own listings up to date', () => {
  it('creates a draft that only its provider and admins see, then publishes it', async () => {
    const hubId = await aHub();
    const created: any = await app.query(
      CREATE,
      {
        input: {
          name: 'Knit and Natter',
          description: 'A friendly knitting circle.',
          locations: [{ hubId, schedules: [{ days: ['TUESDAY'], opensAt: '10:00', closesAt: '12:00' }] }],
          referralRoutes: ['SELF_REFERRAL'],
        },
      },
      keys.ageUk,
    );
    const service = created.createService.service;
    expect(service).toMatchObject({ name: 'Knit and Natter', version: 1, isDraft: true, provider: { name: 'Age UK' } });
    expect(service.locations.nodes[0].schedules).toEqual([{ days: ['TUESDAY'], opensAt: '10:00', closesAt: '12:00' }]);

    const lookup = `query ($id: ID!) { service(id: $id) { name } services(filter: { text: "knit natter" }) { totalCount } }`;
    expect(await app.query(lookup, { id: service.id })).toEqual({ service: null, services: { totalCount: 0 } });
    expect(await app.query(lookup, { id: service.id }, keys.mensSheds)).toEqual({ service: null, services: { totalCount: 0 } });
    expect(await app.query(lookup, { id: service.id }, keys.ageUk)).toEqual({ service: { name: 'Knit and Natter' }, services: { totalCount: 1 } });
    expect(await app.query(lookup, { id: service.id }, keys.admin)).toEqual({ service: { name: 'Knit and Natter' }, services: { totalCount: 1 } });

    const published: any = await app.query(PUBLISH, { input: { id: service.id, version: 1 } }, keys.ageUk);
    expect(published.publishService.service).toEqual({ id: service.id, version: 2, isDraft: false });
    expect(await app.query(lookup, { id: service.id })).toEqual({ service: { name: 'Knit and Natter' }, services: { totalCount: 1 } });
  });

  it('reads back a web address exactly as it was written, so saving what was read changes nothing', async () => {
    const data: any = await app.query(`query ($p: [ID!]) { services(first: 1, filter: { providerIds: $p }) { nodes { id version } } }`, { p: [keys.ageUkProviderId] });
    const { id, version } = data.services.nodes[0];
    const contact = { url: 'https://www.ageuk.org.uk', phone: null, email: null };
    const saved: any = await app.query(
      `mutation ($input: UpdateServiceInput!) { updateService(input: $input) { service { version contact { url } } } }`,
      { input: { id, version, contact } },
      keys.ageUk,
    );
    // graphql-scalars' URL would answer "https://www.ageuk.org.uk/", and a second save would then be a change.
    expect(saved.updateService.service.contact.url).toBe('https://www.ageuk.org.uk');
    const again: any = await app.query(
      `mutation ($input: UpdateServiceInput!) { updateService(input: $input) { service { version } } }`,
      { input: { id, version: saved.updateService.service.version, contact: { ...contact, url: saved.updateService.service.contact.url } } },
      keys.ageUk,
    );
    expect(again.updateService.service.version).toBe(saved.updateService.service.version);
  });

  it('updates a service: the version goes up, updatedAt moves, the search index follows', async () => {
    const data: any = await app.query(`query ($p: [ID!]) { services(first: 1, filter: { providerIds: $p }) { nodes { id version updatedAt } } }`, { p: [keys.ageUkProviderId] });
    const before = data.services.nodes[0];
    const updated: any = await app.query(UPDATE, { input: { id: before.id, version: before.version, description: 'Now with a zither band.' } }, keys.ageUk);
    expect(updated.updateService.service.version).toBe(before.version + 1);
    expect(new Date(updated.updateService.service.updatedAt).getTime()).toBeGreaterThan(new Date(before.updatedAt).getTime());
    const found: any = await app.query(`{ services(filter: { text: "zither" }) { nodes { id } } }`);
    expect(found.services.nodes).toEqual([{ id: before.id }]);
  });

  it('an edit writes the service and its audit entry, not the records it only reads (locations, schedules, categories, areas)', async () => {
    const data: any = await app.query(`query ($p: [ID!]) { services(first: 20, filter: { providerIds: $p }) { nodes { id version locations { totalCount } categories { totalCount } } } }`, { p: [keys.ageUkProviderId] });
    const before = data.services.nodes.find((node: any) => node.locations.totalCount > 0 && node.categories.totalCount > 0);
    const knex = app.em().getKnex();
    const stamps = async () => ({
      categories: await knex('category').orderBy('id').select('id', 'created_at', 'updated_at'),
      locations: await knex('service_location').orderBy('id').select('id', 'created_at', 'updated_at'),
      schedules: await knex('schedule').orderBy('id').select('id', 'created_at', 'updated_at'),
      areas: await knex('service_area').orderBy('id').select('id', 'created_at', 'updated_at'),
    });
    const untouched = await stamps();
    const stats: SqlStats = { statements: 0, log: [] };
    const result = await app.run(UPDATE, { input: { id: before.id, version: before.version, description: 'Now with a ukulele band.' } }, { stats, key: keys.ageUk });
    expect(result.errors).toBeUndefined();
    const writes = stats.log!.filter((sql) => /^\s*(update|insert|delete)\b/i.test(sql)).map((sql) => /^\s*(\w+)\s+(?:into\s+)?(?:from\s+)?[`"]?(?:\w+[`"]?\.[`"]?)?(\w+)/i.exec(sql)!.slice(1, 3).join(' ').toLowerCase());
    // The key's last use is recorded too (api_key.last_used_at), outside the edit's transaction.
    expect(new Set(writes.filter((write) => write !== 'update api_key'))).toEqual(new Set(['update service', 'insert audit_entry']));
    expect(await stamps()).toEqual(untouched);
  });

  it('a stale version is a CONFLICT carrying the current version, and nothing is written', async () => {
    const data: any = await app.query(`query ($p: [ID!]) { services(first: 1, filter: { providerIds: $p }) { nodes { id version name } } }`, { p: [keys.ageUkProviderId] });
    const service = data.services.nodes[0];
    await app.query(UPDATE, { input: { id: service.id, version: service.version, name: `${service.name} (new)` } }, keys.ageUk);
    const stale = await app.run(UPDATE, { input: { id: service.id, version: service.version, name: 'Overwritten' } }, { key: keys.ageUk });
    expect(errorCodes(stale)).toEqual(['CONFLICT']);
    expect(stale.errors![0].extensions!.currentVersion).toBe(service.version + 1);
    const after: any = await app.query(`query ($id: ID!) { service(id: $id) { name version } }`, { id: service.id });
    expect(after.service).toEqual({ name: `${service.name} (new)`, version: service.version + 1 });
  });

  it('a partner cannot touch another provider, and anonymous callers cannot change anything', async () => {
    const data: any = await app.query(`query ($p: [ID!]) { services(first: 1, filter: { providerIds: $p }) { nodes { id version } } }`, { p: [keys.ageUkProviderId] });
    const service = data.services.nodes[0];
    const input = { id: service.id, version: service.version, name: 'Hijacked' };
    expect(errorCodes(await app.run(UPDATE, { input }, { key: keys.mensSheds }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await app.run(UPDATE, { input }))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await app.run(UPDATE, { input }, { key: keys.admin }))).toEqual([]);
  });

  it('records every change in the audit trail: who, when, which fields from what to what', async () => {
    const data: any = await app.query(`query ($p: [ID!]) { services(first: 1, filter: { providerIds: $p }) { nodes { id version minimumAge } } }`, { p: [keys.ageUkProviderId] });
    const service = data.services.nodes[0];
    await app.query(UPDATE, { input: { id: service.id, version: service.version, minimumAge: 50 } }, keys.ageUk);
    const trail: any = await app.query(
      `query ($id: ID!) { auditTrail(first: 1, filter: { objectId: $id }) { nodes { action actor objectId version changes { field from to } } } }`,
      { id: service.id },
      keys.ageUk,
    );
    expect(trail.auditTrail.nodes[0]).toEqual({
      action: 'UPDATE',
      actor: expect.stringContaining('Age UK partner'),
      objectId: service.id,
      version: service.version + 1,
      changes: [{ field: 'minimumAge', from: service.minimumAge, to: 50 }],
    });
    const others = await app.run(`query ($p: ID) { auditTrail(filter: { providerId: $p }) { totalCount } }`, { p: keys.ageUkProviderId }, { key: keys.mensSheds });
    expect(errorCodes(others)).toEqual(['FORBIDDEN']);
  });
});

describe('keys', () => {
  it('a wrong, malformed or revoked key is UNAUTHENTICATED, never anonymous', async () => {
    const tampered = keys.ageUk.slice(0, -4) + (keys.ageUk.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    for (const key of [tampered, 'not-a-key', 'spd_000000000000_' + 'x'.repeat(43)]) {
      expect(errorCodes(await app.run('{ hubs(first: 1) { totalCount } }', {}, { key }))).toEqual(['UNAUTHENTICATED']);
    }
    const issued: any = await app.query(`mutation ($a: ID!) { issueApiKey(input: { accountId: $a, label: "temp" }) { key apiKey { id prefix } } }`, {
      a: (await app.query<any>(`{ viewer { account { id } } }`, {}, keys.ageUk)).viewer.account.id,
    }, keys.admin);
    const { key, apiKey } = issued.issueApiKey;
    expect(key.startsWith(apiKey.prefix)).toBe(true);
    expect(await app.query(`{ viewer { role account { name } } }`, {}, key)).toEqual({ viewer: { role: 'PARTNER', account: { name: 'Age UK partner' } } });
    await app.query(`mutation ($id: ID!) { revokeApiKey(input: { id: $id }) { apiKey { revokedAt } } }`, { id: apiKey.id }, keys.admin);
    const revoked = await app.run('{ hubs(first: 1) { totalCount } }', {}, { key });
    expect(errorCodes(revoked)).toEqual(['UNAUTHENTICATED']);
    expect(revoked.errors![0].message).toContain('revoked');
  });

  it('only the hash is stored', async () => {
    const rows = await app.em().getKnex()('api_key').select('prefix', 'secret_hash');
    for (const row of rows) {
      expect(row.secret_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(keys.ageUk.includes(row.secret_hash)).toBe(false);
    }
  });
});
