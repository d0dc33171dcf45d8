import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseGlobalId } from '../src/modules/common/global-id';
import { appWithKeys, createTestApp, errorCodes, type TestApp } from './utils';

/**
 * Whether a service is taking referrals: what its provider said, when, and
 * how it reads once that is too old to trust; the filter against a
 * brute-force answer over every service; the mutation partners use.
 */
const suite = appWithKeys();

const DAY_MS = 24 * 60 * 60 * 1000;
const ALL_STATUSES = ['ACTIVE', 'INACTIVE', 'TEMPORARILY_CLOSED', 'DEFUNCT'];

/** Every public service with its capacity as GraphQL reads it. */
async function everyService(target: TestApp = suite.app): Promise<any[]> {
  const nodes: any[] = [];
  for (let after: string | null = null, more = true; more; ) {
    const data: any = await target.query(
      `query ($after: String, $statuses: [ServiceStatus!]) { services(first: 100, after: $after, filter: { statuses: $statuses }) { nodes { id capacity { status waitDays note setAt isStale } } pageInfo { hasNextPage endCursor } } }`,
      { after, statuses: ALL_STATUSES },
    );
    nodes.push(...data.services.nodes);
    more = data.services.pageInfo.hasNextPage;
    after = data.services.pageInfo.endCursor;
  }
  return nodes;
}

/** What a service's capacity should read, from its row: said within `staleDays`, or UNKNOWN. */
async function expectedStatus(target: TestApp, staleDays: number): Promise<Map<number, string>> {
  const rows = await target.em().getKnex()('service').select('id', 'capacity_status', 'capacity_set_at');
  const trusted = Date.now() - staleDays * DAY_MS;
  // SQLite keeps milliseconds; PostgreSQL's driver gives the timestamp as text.
  const at = (value: unknown) => (value === null ? null : typeof value === 'number' ? value : new Date(value as string | Date).getTime());
  return new Map<number, string>(rows.map((r: any) => [Number(r.id), r.capacity_status && at(r.capacity_set_at)! >= trusted ? r.capacity_status : 'UNKNOWN']));
}

describe('capacity', () => {
  it('reads as the provider said it, or UNKNOWN when that is older than 30 days', async () => {
    const services = await everyService();
    const expected = await expectedStatus(suite.app, 30);
    const counts: Record<string, number> = {};
    for (const service of services) {
      const status = expected.get(parseGlobalId(service.id, 'id').id);
      expect(service.capacity.status, service.id).toBe(status);
      counts[status!] = (counts[status!] ?? 0) + 1;
      if (service.capacity.isStale) expect(service.capacity.status).toBe('UNKNOWN');
    }
    // The sample directory holds every state, stale ones among the unknown.
    expect(Object.keys(counts).sort()).toEqual(['NOT_TAKING_REFERRALS', 'TAKING_REFERRALS', 'UNKNOWN', 'WAITING_LIST']);
    expect(services.some((s) => s.capacity.isStale)).toBe(true);
  });

  it.each([[['TAKING_REFERRALS']], [['TAKING_REFERRALS', 'WAITING_LIST']], [['NOT_TAKING_REFERRALS']], [['UNKNOWN']]])('filter.capacity %j gives the services that read so, with totals and facets', async (capacity) => {
    const wanted = (await everyService()).filter((s) => capacity.includes(s.capacity.status)).map((s) => s.id).sort();
    expect(wanted.length).toBeGreaterThan(0);
    const data: any = await suite.app.query(
      `query ($capacity: [CapacityStatus!]) { services(first: 100, filter: { capacity: $capacity, statuses: [ACTIVE, INACTIVE, TEMPORARILY_CLOSED, DEFUNCT] }) { totalCount nodes { id } facets { deliveryModes { count } } } }`,
      { capacity },
    );
    expect(data.services.nodes.map((n: any) => n.id).sort()).toEqual(wanted);
    expect(data.services.totalCount).toBe(wanted.length);
  });

  it('how long a status is trusted is configurable', async () => {
    const strict = await createTestApp({ app: { capacityStaleDays: 1 } });
    try {
      const services = await everyService(strict);
      const expected = await expectedStatus(strict, 1);
      for (const service of services) expect(service.capacity.status).toBe(expected.get(parseGlobalId(service.id, 'id').id));
      expect(services.filter((s) => s.capacity.status !== 'UNKNOWN').length).toBeLessThan((await everyService(suite.app)).filter((s) => s.capacity.status !== 'UNKNOWN').length);
    } finally {
      await strict.close();
    }
  });
});

describe("the README's capacity examples", () => {
  it('run as written: the query answers, and the mutation with its variables changes a service', async () => {
    const readme = readFileSync(join(process.cwd(), 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Taking referrals'), readme.indexOf('### Who a service reaches'));
    const [query, mutation] = [...section.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);
    const data: any = await suite.app.query(query);
    expect(data.services.totalCount).toBeGreaterThan(0);
    for (const node of data.services.nodes) expect(['TAKING_REFERRALS', 'WAITING_LIST']).toContain(node.capacity.status);
    const variables = JSON.parse(/with `(\{"input".*\})`/.exec(section)![1]);
    const service = (await suite.app.query<any>(`{ services(first: 1, filter: { providerIds: ["${suite.keys.ageUkProviderId}"] }) { nodes { id version } } }`)).services.nodes[0];
    const done: any = await suite.app.query(mutation, { input: { ...variables.input, id: service.id, version: service.version } }, suite.keys.ageUk);
    expect(done.setServiceCapacity.service.capacity).toMatchObject({ status: 'WAITING_LIST', waitDays: 21 });
  });
});

describe('setServiceCapacity', () => {
  const SET = `mutation ($input: SetServiceCapacityInput!) { setServiceCapacity(input: $input) { service { id version capacity { status waitDays note setAt isStale } } } }`;
  const ageUkService = async () => (await suite.app.query<any>(`{ services(first: 1, filter: { providerIds: ["${suite.keys.ageUkProviderId}"] }) { nodes { id version } } }`)).services.nodes[0];

  it('a partner says its service has a waiting list: read back at once, versioned and audited', async () => {
    const service = await ageUkService();
    const before = Date.now();
    const audited = () => suite.app.em().getKnex()('audit_entry').where({ entity_type: 'Service', entity_id: parseGlobalId(service.id, 'id').id, action: 'CAPACITY' }).orderBy('id').select('changes');
    const auditedBefore = (await audited()).length;
    const data: any = await suite.app.query(SET, { input: { id: service.id, version: service.version, status: 'WAITING_LIST', waitDays: 28, note: ' Next course starts in April. ' } }, suite.keys.ageUk);
    const changed = data.setServiceCapacity.service;
    expect(changed).toMatchObject({ version: service.version + 1, capacity: { status: 'WAITING_LIST', waitDays: 28, note: 'Next course starts in April.', isStale: false } });
    expect(new Date(changed.capacity.setAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
    const audit = await audited();
    expect(audit).toHaveLength(auditedBefore + 1);
    expect(JSON.stringify(audit.at(-1).changes)).toContain('Next course starts in April.');
    // UNKNOWN clears what was said.
    const cleared: any = await suite.app.query(SET, { input: { id: service.id, version: changed.version, status: 'UNKNOWN' } }, suite.keys.ageUk);
    expect(cleared.setServiceCapacity.service.capacity).toEqual({ status: 'UNKNOWN', waitDays: null, note: null, setAt: null, isStale: false });
  });

  it('refuses a negative wait, naming the field, and writes nothing; a stale version is a CONFLICT; another provider is FORBIDDEN', async () => {
    const service = await ageUkService();
    const row = () => suite.app.em().getKnex()('service').where('id', parseGlobalId(service.id, 'id').id).first('version', 'capacity_status', 'capacity_set_at');
    const before = await row();
    const negative = await suite.app.run(SET, { input: { id: service.id, version: service.version, status: 'WAITING_LIST', waitDays: -3 } }, { key: suite.keys.ageUk });
    expect(errorCodes(negative)).toEqual(['BAD_USER_INPUT']);
    expect(negative.errors![0].extensions).toMatchObject({ field: 'input.waitDays' });
    const stale = await suite.app.run(SET, { input: { id: service.id, version: service.version - 1, status: 'TAKING_REFERRALS' } }, { key: suite.keys.ageUk });
    expect(errorCodes(stale)).toEqual(['CONFLICT']);
    const other = await suite.app.run(SET, { input: { id: service.id, version: service.version, status: 'TAKING_REFERRALS' } }, { key: suite.keys.mensSheds });
    expect(errorCodes(other)).toEqual(['FORBIDDEN']);
    expect(await row()).toEqual(before);
  });
});
