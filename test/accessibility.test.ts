import { describe, expect, it } from 'vitest';
import { haversineKm } from '../src/modules/place/geo';
import { DistrictCentroidGeocoder } from '../src/modules/place/postcode';
import { appWithKeys, errorCodes } from './utils';

/**
 * Hub accessibility as a coded list, and the filter for services at a hub
 * offering every feature asked for (inside the circle with `near`),
 * checked against an answer computed here from the rows.
 */
const suite = appWithKeys();
const gid = (type: string, id: number) => Buffer.from(`${type}:${id}`).toString('base64url');
const set = (value: string) => value.split(',').filter(Boolean);

interface Row {
  hubs: Array<{ features: string[]; latitude: number; longitude: number; online: boolean }>;
  status: string;
  draft: boolean;
  archived: boolean;
}

async function rows(): Promise<Map<number, Row>> {
  const knex = suite.app.em().getKnex();
  const services = new Map<number, Row>();
  for (const s of await knex('service').select('id', 'status', 'draft', 'archived_at')) services.set(s.id, { hubs: [], status: s.status, draft: Boolean(s.draft), archived: s.archived_at !== null });
  for (const l of await knex('service_location as sl').join('hub as h', 'h.id', 'sl.hub_id').select('sl.service_id', 'h.accessibility_features', 'h.latitude', 'h.longitude', 'h.kind')) {
    services.get(l.service_id)!.hubs.push({ features: set(l.accessibility_features), latitude: l.latitude, longitude: l.longitude, online: l.kind === 'ONLINE' });
  }
  return services;
}

async function ids(filter: Record<string, unknown>, near?: Record<string, unknown>): Promise<string[]> {
  const data: any = await suite.app.query(`query ($filter: ServiceFilter, $near: NearInput) { services(first: 100, filter: $filter, near: $near) { totalCount edges { reach node { id } } } }`, { filter, near });
  expect(data.services.edges).toHaveLength(data.services.totalCount);
  return data.services.edges.map((e: any) => e.node.id).sort();
}

describe('hub accessibility features', () => {
  it('the sample hubs carry coded features beside their free text', async () => {
    const data: any = await suite.app.query('{ hubs(first: 100) { nodes { name accessibility accessibilityFeatures } } }');
    const hubs = data.hubs.nodes;
    expect(hubs.filter((h: any) => h.accessibilityFeatures.includes('HEARING_LOOP')).length).toBeGreaterThan(20);
    for (const h of hubs) if (h.accessibilityFeatures.includes('HEARING_LOOP')) expect(h.accessibility).toMatch(/hearing loop/i);
    expect(hubs.some((h: any) => h.accessibilityFeatures.includes('QUIET_SPACE'))).toBe(true);
  });

  it.each([[['HEARING_LOOP']], [['STEP_FREE_ACCESS', 'CHANGING_PLACES_TOILET']], [['QUIET_SPACE']]])('filter.accessibility %j: services at a hub with every one', async (features) => {
    const expected = [...(await rows())]
      .filter(([, s]) => s.status === 'ACTIVE' && !s.draft && !s.archived && s.hubs.some((h) => features.every((f) => h.features.includes(f))))
      .map(([id]) => gid('Service', id))
      .sort();
    expect(expected.length).toBeGreaterThan(0);
    expect(await ids({ accessibility: features })).toEqual(expected);
  });

  it('with near: the hub with the features must be in the circle; area and national services come to the person, so stay', async () => {
    const centre = (await DistrictCentroidGeocoder.fromFile().locate('LS7'))!;
    const features = ['HEARING_LOOP'];
    const all = await rows();
    const atHub = [...all]
      .filter(([, s]) => s.status === 'ACTIVE' && !s.draft && !s.archived && s.hubs.some((h) => !h.online && haversineKm(centre, h) <= 10 && features.every((f) => h.features.includes(f))))
      .map(([id]) => gid('Service', id));
    const data: any = await suite.app.query(`query ($filter: ServiceFilter) { services(first: 100, near: { postcode: "LS7", radiusKm: 10 }, filter: $filter) { edges { reach node { id } } } }`, {
      filter: { accessibility: features },
    });
    const edges = data.services.edges;
    expect(edges.filter((e: any) => e.reach === 'AT_HUB').map((e: any) => e.node.id).sort()).toEqual(atHub.sort());
    expect(edges.some((e: any) => e.reach === 'NATIONAL')).toBe(true);
    const without: any = await suite.app.query(`{ services(first: 100, near: { postcode: "LS7", radiusKm: 10 }) { edges { reach } } }`);
    expect(without.services.edges.filter((e: any) => e.reach === 'AT_HUB').length).toBeGreaterThan(atHub.length);
  });

  it('hubs(filter: { accessibility }) keeps the hubs offering every one', async () => {
    const data: any = await suite.app.query('{ all: hubs(first: 100) { nodes { id accessibilityFeatures } } some: hubs(first: 100, filter: { accessibility: [LIFT, HEARING_LOOP] }) { nodes { id } } }');
    const expected = data.all.nodes.filter((h: any) => h.accessibilityFeatures.includes('LIFT') && h.accessibilityFeatures.includes('HEARING_LOOP')).map((h: any) => h.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(data.some.nodes.map((h: any) => h.id)).toEqual(expected);
  });

  it('admins set them on a hub (replaced whole, audited); an unknown code is BAD_USER_INPUT and nothing is written', async () => {
    const [hub] = (await suite.app.query<any>('{ hubs(first: 1) { nodes { id version accessibilityFeatures } } }')).hubs.nodes;
    const UPDATE = `mutation ($input: UpdateHubInput!) { updateHub(input: $input) { hub { version accessibilityFeatures } } }`;
    const done: any = await suite.app.query(UPDATE, { input: { id: hub.id, version: hub.version, accessibilityFeatures: ['QUIET_SPACE', 'DEMENTIA_FRIENDLY'] } }, suite.keys.admin);
    expect(done.updateHub.hub).toEqual({ version: hub.version + 1, accessibilityFeatures: ['QUIET_SPACE', 'DEMENTIA_FRIENDLY'] });
    const bad = await suite.app.run(UPDATE, { input: { id: hub.id, version: hub.version + 1, accessibilityFeatures: ['QUIET_SPACE', 'TELEPORTER'] } }, { key: suite.keys.admin });
    expect(errorCodes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(bad.errors![0].message).toMatch(/TELEPORTER/);
    const after: any = await suite.app.query(`query ($id: ID!) { node(id: $id) { ... on Hub { version accessibilityFeatures } } }`, { id: hub.id });
    expect(after.node).toEqual(done.updateHub.hub);
    const filter = await suite.app.run(`query ($filter: ServiceFilter) { services(first: 1, filter: $filter) { totalCount } }`, { filter: { accessibility: ['LEVITATION'] } });
    expect(errorCodes(filter)).toEqual(['BAD_USER_INPUT']);
  });
});
