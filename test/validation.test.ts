import { afterAll, beforeAll, it } from 'vitest';
import { createKeys, createTestApp, type Keys, type TestApp } from './utils';

let app: TestApp;
let keys: Keys;
beforeAll(async () => {
  app = await createTestApp();
  keys = await createKeys(app);
});
afterAll(() => app.close());
const CREATE = `mutation ($input: CreateServiceInput!) { createService(input: $input) { service { id name version } } }`;
it('probe', async () => {
  const hub: any = await app.query(`{ hubs(first: 2) { nodes { id } } }`);
  const h = hub.hubs.nodes.map((n: any) => n.id);
  const cases: any[] = [
    {},
    { name: '' },
    { name: '   ' },
    { name: 'x'.repeat(201) },
    { name: 'Ok name', contact: { email: 'nope', url: 'ftp://x', phone: '123' } },
    { name: 'Ok name', locations: [{ hubId: h[0], schedules: [{ days: [], opensAt: '25:00', closesAt: '9:00' }, { days: ['MONDAY', 'MONDAY'], opensAt: '10:00', closesAt: '10:00', validFrom: '2026-02-30' }] }] },
    { name: 'Ok name', minimumAge: 50, maximumAge: 20 },
    { name: 'Ok name', languages: ['English'] },
    { name: 'Ok name', contact: { email: 'nope' }, minimumAge: 50, maximumAge: 20 },
  ];
  for (const input of cases) console.log(JSON.stringify(input).slice(0, 100), JSON.stringify((await app.run(CREATE, { input }, { key: keys.ageUk })).errors, null, 1));
});
