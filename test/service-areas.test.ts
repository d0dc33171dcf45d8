import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseGlobalId } from '../src/modules/common/global-id';
import { appWithKeys, errorCodes } from './utils';

/**
 * Service areas and national services, as partners write them and as a
 * place search reads them on the sample directory. The search rules
 * themselves are checked against brute force in search.test.ts.
 */
const suite = appWithKeys();

const FIELDS = 'id version nationalScope areas { name gssCode postcodes extent }';
const CREATE = `mutation ($input: CreateServiceInput!) { createService(input: $input) { service { ${FIELDS} } } }`;
const UPDATE = `mutation ($input: UpdateServiceInput!) { updateService(input: $input) { service { ${FIELDS} } } }`;
const PUBLISH = `mutation ($input: ServiceVersionInput!) { publishService(input: $input) { service { id version } } }`;
const NEAR = `query ($near: NearInput, $filter: ServiceFilter) { services(first: 100, near: $near, filter: $filter) { edges { reach distanceKm node { id name } } } }`;

/** A square about 2 km across around a point, as GeoJSON. */
const squareAround = (latitude: number, longitude: number, d = 0.01) => ({
  type: 'Polygon',
  coordinates: [[[longitude - d, latitude - d], [longitude + d, latitude - d], [longitude + d, latitude + d], [longitude - d, latitude + d], [longitude - d, latitude - d]]],
});

async function reachOf(near: Record<string, unknown>, id: string): Promise<string | undefined> {
  const data: any = await suite.app.query(NEAR, { near });
  return data.services.edges.find((e: any) => e.node.id === id)?.reach;
}

describe('service areas: written by partners', () => {
  it('postcodes normalised and ranges expanded, an extent kept, national set; read back, audited, replaced whole', async () => {
    const input = {
      name: 'Wakefield outreach befriending',
      providerId: suite.keys.ageUkProviderId,
      draft: false,
      areas: [
        { name: 'Wakefield', gssCode: 'e08000036', postcodes: ['wf1-wf3', ' wf 10 ', 'LS'] },
        { name: 'Around Harehills', extent: { type: 'Feature', properties: {}, geometry: squareAround(53.81, -1.51) } },
      ],
    };
    const created: any = await suite.app.query(CREATE, { input }, suite.keys.ageUk);
    const service = created.createService.service;
    expect(service.areas).toEqual([
      { name: 'Wakefield', gssCode: 'E08000036', postcodes: ['WF1', 'WF2', 'WF3', 'WF10', 'LS'], extent: null },
      { name: 'Around Harehills', gssCode: null, postcodes: [], extent: squareAround(53.81, -1.51) },
    ]);
    expect(service.nationalScope).toBeNull();
    // It has no hub: it reaches people through its areas only.
    expect(await reachOf({ postcode: 'WF2 9AA', radiusKm: 5 }, service.id)).toBe('AREA');
    expect(await reachOf({ postcode: 'LS7', radiusKm: 5 }, service.id)).toBe('AREA');
    expect(await reachOf({ latitude: 53.812, longitude: -1.512, radiusKm: 1 }, service.id)).toBe('AREA');
    expect(await reachOf({ postcode: 'S1', radiusKm: 50 }, service.id)).toBeUndefined();

    const updated: any = await suite.app.query(UPDATE, { input: { id: service.id, version: service.version, areas: [], nationalScope: 'ENGLAND' } }, suite.keys.ageUk);
    expect(updated.updateService.service).toMatchObject({ areas: [], nationalScope: 'ENGLAND' });
    expect(await reachOf({ postcode: 'S1', radiusKm: 50 }, service.id)).toBe('NATIONAL');
    const knex = suite.app.em().getKnex();
    const serviceId = parseGlobalId(service.id, 'id').id;
    expect(Number((await knex('service_area').where({ service_id: serviceId }).count({ n: '*' }))[0].n)).toBe(0);
    const audit = await knex('audit_entry').where({ entity_type: 'Service', entity_id: serviceId, action: 'UPDATE' }).select('changes');
    expect(JSON.stringify(audit.map((a: any) => a.changes))).toMatch(/areas.*nationalScope|nationalScope.*areas/s);
  });

  it('a service with areas is shown at its hub only to people inside one', async () => {
    // Leeds Mind Counselling (the sample) serves Leeds ("LS") from hubs in LS7 and LS1.
    const data: any = await suite.app.query(`{ services(first: 1, filter: { text: "Leeds Mind Counselling" }) { nodes { id areas { postcodes } } } }`);
    const leedsMind = data.services.nodes[0];
    expect(leedsMind.areas).toEqual([{ postcodes: ['LS'] }]);
    expect(await reachOf({ postcode: 'LS7 4SA', radiusKm: 5 }, leedsMind.id)).toBe('AT_HUB');
    // Bradford's BD3 is within 15 km of its Leeds hubs, but outside Leeds.
    expect(await reachOf({ postcode: 'BD3', radiusKm: 15 }, leedsMind.id)).toBeUndefined();
  });

  it.each([
    ['an unknown postcode district', { postcodes: ['ZZ9'] }, 'input.areas[0].postcodes[0]', /not a postcode district this directory knows/],
    ['an unknown postcode area', { postcodes: ['QQ'] }, 'input.areas[0].postcodes[0]', /not a postcode area/],
    ['a postcode that is not a district', { postcodes: ['LS7 4SA'] }, 'input.areas[0].postcodes[0]', /not a postcode district/],
    ['a range across two areas', { postcodes: ['WF1-LS7'] }, 'input.areas[0].postcodes[0]', /range of districts in one area/],
    ['a malformed GSS code', { gssCode: 'E0800003', postcodes: ['LS'] }, 'input.areas[0].gssCode', /GSS code/],
    ['neither postcodes nor extent', {}, 'input.areas[0].postcodes', /covers nobody/],
    ['a point, not a polygon', { extent: { type: 'Point', coordinates: [-1.5, 53.8] } }, 'input.areas[0].extent', /Polygon or MultiPolygon/],
    ['an open ring', { extent: { type: 'Polygon', coordinates: [[[-1.5, 53.8], [-1.4, 53.8], [-1.4, 53.9], [-1.5, 53.9]]] } }, 'input.areas[0].extent', /closed/],
    ['coordinates out of range', { extent: { type: 'Polygon', coordinates: [[[-1.5, 93], [-1.4, 53.8], [-1.4, 53.9], [-1.5, 93]]] } }, 'input.areas[0].extent', /longitude, latitude/],
    [
      'a self-intersecting boundary (a bow tie)',
      { extent: { type: 'Polygon', coordinates: [[[-1.5, 53.8], [-1.4, 53.9], [-1.4, 53.8], [-1.5, 53.9], [-1.5, 53.8]]] } },
      'input.areas[0].extent',
      /crosses itself/,
    ],
  ])('refuses %s, naming the field, and writes nothing', async (_case, area, field, message) => {
    const knex = suite.app.em().getKnex();
    const before = [await knex('service').count({ n: '*' }), await knex('service_area').count({ n: '*' })];
    const result = await suite.app.run(CREATE, { input: { name: 'Bad area', providerId: suite.keys.ageUkProviderId, areas: [{ name: 'Somewhere', ...area }] } }, { key: suite.keys.ageUk });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    const problems = result.errors![0].extensions!.fields as Array<{ field: string; message: string }>;
    expect(problems.map((p) => p.field)).toEqual([field]);
    expect(problems[0].message).toMatch(message);
    expect([await knex('service').count({ n: '*' }), await knex('service_area').count({ n: '*' })]).toEqual(before);
  });

  it('an update with a bad area changes nothing, the old areas included', async () => {
    const created: any = await suite.app.query(CREATE, { input: { name: 'Kept areas', providerId: suite.keys.ageUkProviderId, areas: [{ name: 'Leeds', postcodes: ['LS'] }] } }, suite.keys.ageUk);
    const service = created.createService.service;
    const result = await suite.app.run(UPDATE, { input: { id: service.id, version: service.version, areas: [{ name: 'Nowhere', postcodes: ['ZZ9'] }] } }, { key: suite.keys.ageUk });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    const read: any = await suite.app.query(`query ($id: ID!) { service(id: $id) { version areas { name postcodes } } }`, { id: service.id }, suite.keys.ageUk);
    expect(read.service).toEqual({ version: service.version, areas: [{ name: 'Leeds', postcodes: ['LS'] }] });
  });
});

describe('service areas: the sample directory', () => {
  it('has national services, area-wide ones and drawn extents, and a postcode search reaches all three ways', async () => {
    const data: any = await suite.app.query(NEAR, { near: { postcode: 'LS7 4SA', radiusKm: 5 } });
    const reaches = data.services.edges.map((e: any) => e.reach);
    expect(new Set(reaches)).toEqual(new Set(['AT_HUB', 'NATIONAL']));
    // Hubs by distance first, then national ones.
    expect(reaches).toEqual([...reaches].sort((a: string, b: string) => ['AT_HUB', 'AREA', 'NATIONAL'].indexOf(a) - ['AT_HUB', 'AREA', 'NATIONAL'].indexOf(b)));
    const helpline = data.services.edges.find((e: any) => e.node.name === 'Samaritans Listening Line');
    expect(helpline).toMatchObject({ reach: 'NATIONAL', distanceKm: null });
    // Inside Nottingham's drawn outline, 4 km from its hub with a 1 km radius: through the area.
    const nottingham: any = await suite.app.query(NEAR, { near: { latitude: 52.98, longitude: -1.2, radiusKm: 1 }, filter: { reach: ['AREA'] } });
    expect(nottingham.services.edges.map((e: any) => e.node.name)).toEqual(['Royal Voluntary Service Nottingham Good Neighbours']);
  });

  it('publishing keeps areas; a draft with areas is not shown to the public', async () => {
    const created: any = await suite.app.query(CREATE, { input: { name: 'Draft Wakefield group', providerId: suite.keys.ageUkProviderId, areas: [{ name: 'Wakefield', postcodes: ['WF1'] }] } }, suite.keys.ageUk);
    const service = created.createService.service;
    expect(await reachOf({ postcode: 'WF1', radiusKm: 5 }, service.id)).toBeUndefined();
    await suite.app.query(PUBLISH, { input: { id: service.id, version: service.version } }, suite.keys.ageUk);
    expect(await reachOf({ postcode: 'WF1', radiusKm: 5 }, service.id)).toBe('AREA');
  });
});

describe("the README's reach examples", () => {
  it('run as written: the search says how each service reaches the person, and the mutation sets areas', async () => {
    const readme = readFileSync(join(process.cwd(), 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Who a service reaches'), readme.indexOf('### Postcodes'));
    const [query, mutation] = [...section.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);
    const data: any = await suite.app.query(query);
    const edges = data.services.edges;
    expect(new Set(edges.map((e: any) => e.reach))).toEqual(new Set(['AT_HUB', 'NATIONAL']));
    for (const e of edges) expect(e.distanceKm === null).toBe(e.reach !== 'AT_HUB');
    expect(data.services.facets.reaches.find((f: any) => f.reach === 'NATIONAL').count).toBeGreaterThan(10);
    const variables = JSON.parse(/with `(\{"input".*\})`/.exec(section)![1]);
    const created: any = await suite.app.query(CREATE, { input: { name: 'Wakefield listening group', providerId: suite.keys.ageUkProviderId } }, suite.keys.ageUk);
    const service = created.createService.service;
    const done: any = await suite.app.query(mutation, { input: { ...variables.input, id: service.id, version: service.version } }, suite.keys.ageUk);
    expect(done.updateService.service.areas[0]).toMatchObject({ name: 'Wakefield', gssCode: 'E08000036', postcodes: ['WF1', 'WF2', 'WF3', 'WF5', 'WF6', 'WF7', 'WF8', 'WF9', 'WF10', 'WF11', 'WF12', 'WF13', 'WF14', 'WF15', 'WF16', 'WF17'] });
  });
});
