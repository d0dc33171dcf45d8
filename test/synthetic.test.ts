import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './utils';
import { generateSyntheticDirectory } from '../seeds/synthetic';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp({ seed: false });
});
afterAll(() => app.close());

async function fingerprint(test: TestApp): Promise<string> {
  const knex = test.em().getKnex();
  const rows = await knex('service').select('name', 'status', 'min_age', 'referral_routes').orderBy('id').limit(50);
  const hubs = await knex('hub').select('name', 'latitude', 'longitude').orderBy('id').limit(20);
  return JSON.stringify([rows, hubs]);
}

describe('synthetic generator', () => {
  it('inserts services with all their relations, readable through the API', async () => {
    const counts = await generateSyntheticDirectory(app.em().getKnex(), { services: 600, seed: 7 });
    expect(counts.services).toBe(600);
    expect(counts.locations).toBeGreaterThanOrEqual(600);
    expect(counts.schedules).toBeGreaterThanOrEqual(counts.locations);
    const data = await app.query(`{
      services(first: 100, filter: { statuses: [ACTIVE, INACTIVE, TEMPORARILY_CLOSED, DEFUNCT] }) { totalCount nodes { name provider { name } locations { nodes { hub { name address { postcode } } schedules { days opensAt } } } categories { totalCount } } }
    }`);
    expect(data.services.totalCount).toBe(600);
    for (const service of data.services.nodes) {
      expect(service.provider.name).toBeTruthy();
      expect(service.locations.nodes.length).toBeGreaterThan(0);
      expect(service.locations.nodes[0].schedules.length).toBeGreaterThan(0);
      expect(service.categories.totalCount).toBeGreaterThan(0);
    }
  });

  it('is deterministic for a given seed', async () => {
    const other = await createTestApp({ seed: false });
    const third = await createTestApp({ seed: false });
    try {
      await generateSyntheticDirectory(other.em().getKnex(), { services: 200, seed: 3 });
      await generateSyntheticDirectory(third.em().getKnex(), { services: 200, seed: 3 });
      expect(await fingerprint(other)).toBe(await fingerprint(third));
    } finally {
      await other.close();
      await third.close();
    }
  });
});
