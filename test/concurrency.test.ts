import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeys, createTestApp, type Keys, listen, type Listening, onPostgres, type TestApp } from './utils';

/**
 * Concurrent edits through the HTTP API, on a real SQLite file in WAL mode
 * (or on PostgreSQL). On SQLite the server reads through several connections
 * and queues its write transactions one at a time; on PostgreSQL they run at
 * once on the pool's connections. Either way the version compare-and-set
 * decides which of several edits of the same version wins.
 */
let app: TestApp;
let keys: Keys;
let http: Listening;
let url: string;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'directory-concurrency-'));
  // On SQLite the 200 updates below queue behind one another (write-lock.ts): on a machine busy with the rest of
  // the suite the last waits past the 10 s request deadline (REQUEST_TIMEOUT, 503), which is not what this file tests.
  app = await createTestApp({ sqlitePath: join(dir, 'directory.sqlite'), app: { requestTimeoutMs: 60_000 } });
  keys = await createKeys(app);
  http = await listen(app);
  url = http.url;
});
afterAll(async () => {
  await http.close();
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

async function post(query: string, variables: Record<string, unknown>, key: string): Promise<any> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query, variables }) });
  expect(response.status).toBeLessThan(500);
  return response.json();
}

/** SQLite's own check of the file, in the journal mode that lets readers run beside the writer (PostgreSQL has no such check). */
async function expectIntact(): Promise<void> {
  if (onPostgres) return;
  const knex = app.em().getKnex();
  expect((await knex.raw('pragma integrity_check'))[0].integrity_check).toBe('ok');
  expect((await knex.raw('pragma journal_mode'))[0].journal_mode).toBe('wal');
}

const UPDATE = `mutation ($input: UpdateServiceInput!) { updateService(input: $input) { service { id version description } } }`;

describe('concurrent updates', () => {
  it('50 updates of one service with the same version: exactly one wins, 49 CONFLICT, one audit entry', async () => {
    const data: any = await app.query(`query ($p: [ID!]) { services(first: 1, filter: { providerIds: $p }) { nodes { id version } } }`, { p: [keys.ageUkProviderId] });
    const { id, version } = data.services.nodes[0];
    const knex = app.em().getKnex();
    const auditBefore = Number((await knex('audit_entry').max({ id: 'id' }))[0].id ?? 0);

    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => post(UPDATE, { input: { id, version, description: `Edit number ${i}` } }, i % 2 ? keys.ageUk : keys.admin)),
    );
    const winners = results.filter((r) => r.data?.updateService);
    const conflicts = results.filter((r) => r.errors?.[0]?.extensions?.code === 'CONFLICT');
    expect(results.filter((r) => !r.data?.updateService && r.errors?.[0]?.extensions?.code !== 'CONFLICT')).toEqual([]);
    expect(winners).toHaveLength(1);
    expect(conflicts).toHaveLength(49);
    for (const conflict of conflicts) expect(conflict.errors[0].extensions.currentVersion).toBe(version + 1);

    const stored = await knex('service').where('id', Buffer.from(id, 'base64url').toString().split(':')[1]).first('version', 'description');
    expect(stored).toEqual({ version: version + 1, description: winners[0].data.updateService.service.description });
    const entries = await knex('audit_entry').where('id', '>', auditBefore).select('*');
    expect(entries).toHaveLength(1);
    expect(typeof entries[0].changes === 'string' ? JSON.parse(entries[0].changes) : entries[0].changes).toEqual([{ field: 'description', from: expect.any(String), to: stored.description }]);
    await expectIntact();
  });

  it('200 updates of 200 different services fired at once all succeed', async () => {
    const data: any = await app.query(`{ a: services(first: 100, filter: { statuses: [ACTIVE, INACTIVE, TEMPORARILY_CLOSED, DEFUNCT] }) { nodes { id version } pageInfo { endCursor } } }`);
    const more: any = await app.query(`query ($after: String) { services(first: 100, after: $after, filter: { statuses: [ACTIVE, INACTIVE, TEMPORARILY_CLOSED, DEFUNCT] }) { nodes { id version } } }`, {
      after: data.a.pageInfo.endCursor,
    });
    // The sample directory has 120 services, plus any created by other tests: add drafts to reach 200.
    const services: Array<{ id: string; version: number }> = [...data.a.nodes, ...more.services.nodes];
    while (services.length < 200) {
      const created = await post(
        `mutation ($input: CreateServiceInput!) { createService(input: $input) { service { id version } } }`,
        { input: { name: `Extra service ${services.length}`, providerId: keys.ageUkProviderId } },
        keys.admin,
      );
      services.push(created.data.createService.service);
    }
    const results = await Promise.all(services.map(({ id, version }, i) => post(UPDATE, { input: { id, version, description: `Burst ${i}` } }, keys.admin)));
    expect(results.filter((r) => r.errors)).toEqual([]);
    const knex = app.em().getKnex();
    for (const [i, { id, version }] of services.entries()) {
      const row = await knex('service').where('id', Number(Buffer.from(id, 'base64url').toString().split(':')[1])).first('version', 'description');
      expect(row).toEqual({ version: version + 1, description: `Burst ${i}` });
    }
    await expectIntact();
  });
});
