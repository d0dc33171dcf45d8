import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseGlobalId } from '../src/modules/common/global-id';
import { readConfig, ConfigError } from '../src/config';
import { appWithKeys, createKeys, createTestApp, errorCodes, listen, type TestApp } from './utils';

/**
 * The review cycle: every edit and confirmServiceDetails verify a service;
 * REVIEW_INTERVAL_DAYS later it is due, REVIEW_GRACE_DAYS after that stale;
 * the review filter for partners and admins; stale services rank below
 * verified ones and, with HIDE_STALE_SERVICES, are hidden from the public;
 * the ORUK feed's assured_date.
 */
const suite = appWithKeys();
const DAY_MS = 24 * 60 * 60 * 1000;
const REVIEW = 'review { lastVerifiedAt verifiedBy verifiedByName reviewDueAt isDue isStale }';
const CONFIRM = `mutation ($input: ServiceVersionInput!) { confirmServiceDetails(input: $input) { service { id version ${REVIEW} } } }`;

/** Sets when a service was last verified, straight in the database (time passing). */
async function verifiedDaysAgo(app: TestApp, serviceId: string, days: number): Promise<void> {
  const em = app.em();
  const at = new Date(Date.now() - days * DAY_MS);
  await em.getKnex()('service').where('id', parseGlobalId(serviceId, 'id').id).update({ verified_at: em.getPlatform().processDateProperty(at) as never });
}

/** The services of a provider, by name, as the key's holder sees them. */
async function servicesOf(app: TestApp, providerId: string, key?: string): Promise<any[]> {
  const data: any = await app.query(`query ($p: ID!) { services(first: 100, filter: { providerIds: [$p] }) { nodes { id name version ${REVIEW} } } }`, { p: providerId }, key);
  return data.services.nodes;
}

async function review(app: TestApp, id: string, key?: string): Promise<any> {
  const data: any = await app.query(`query ($id: ID!) { service(id: $id) { version ${REVIEW} } }`, { id }, key);
  return data.service;
}

async function reviewStates(app: TestApp, states: string[], key?: string, after?: string) {
  return app.run(
    `query ($r: [ReviewState!], $after: String) { services(first: 100, after: $after, filter: { review: $r, statuses: [ACTIVE, INACTIVE, TEMPORARILY_CLOSED, DEFUNCT] }) { totalCount nodes { id provider { id } review { isDue isStale } } pageInfo { hasNextPage endCursor } } }`,
    { r: states, after },
    { key },
  );
}

/** Every service in these review states, over all pages. */
async function allInStates(app: TestApp, states: string[], key?: string): Promise<string[]> {
  const ids: string[] = [];
  for (let after: string | undefined, more = true; more; ) {
    const result = await reviewStates(app, states, key, after);
    expect(result.errors).toBeUndefined();
    const page = (result.data as any).services;
    ids.push(...page.nodes.map((n: any) => n.id));
    more = page.pageInfo.hasNextPage;
    after = page.pageInfo.endCursor;
  }
  return ids.sort();
}

describe('verified, not just updated', () => {
  it('every sample service starts verified now, due in 183 days, neither due nor stale', async () => {
    const [first] = await servicesOf(suite.app, suite.keys.ageUkProviderId);
    const { lastVerifiedAt, reviewDueAt, isDue, isStale } = first.review;
    expect(Math.abs(new Date(lastVerifiedAt).getTime() - Date.now())).toBeLessThan(10 * 60_000);
    expect(new Date(reviewDueAt).getTime() - new Date(lastVerifiedAt).getTime()).toBe(183 * DAY_MS);
    expect([isDue, isStale]).toEqual([false, false]);
  });

  it("a partner's edit verifies the service; who did is shown to its provider and admins only", async () => {
    const { app, keys } = suite;
    const [service] = await servicesOf(app, keys.ageUkProviderId);
    await verifiedDaysAgo(app, service.id, 200);
    expect((await review(app, service.id)).review.isDue).toBe(true);
    await app.query(`mutation ($input: UpdateServiceInput!) { updateService(input: $input) { service { id } } }`, { input: { id: service.id, version: service.version, description: 'Checked and updated by the partner.' } }, keys.ageUk);
    const owner = await review(app, service.id, keys.ageUk);
    expect(owner.review).toMatchObject({ verifiedBy: 'PROVIDER', verifiedByName: 'Age UK partner', isDue: false, isStale: false });
    expect(Date.now() - new Date(owner.review.lastVerifiedAt).getTime()).toBeLessThan(60_000);
    expect((await review(app, service.id, keys.admin)).review.verifiedByName).toBe('Age UK partner');
    expect((await review(app, service.id)).review).toMatchObject({ verifiedBy: 'PROVIDER', verifiedByName: null });
    expect((await review(app, service.id, keys.mensSheds)).review.verifiedByName).toBeNull();
  });

  it("an admin's change to capacity verifies it as the directory team", async () => {
    const { app, keys } = suite;
    const [, service] = await servicesOf(app, keys.ageUkProviderId);
    await verifiedDaysAgo(app, service.id, 100);
    await app.query(`mutation ($input: SetServiceCapacityInput!) { setServiceCapacity(input: $input) { service { id } } }`, { input: { id: service.id, version: service.version, status: 'TAKING_REFERRALS' } }, keys.admin);
    const after = await review(app, service.id, keys.admin);
    expect(after.review).toMatchObject({ verifiedBy: 'DIRECTORY_TEAM', verifiedByName: 'Directory team' });
    expect(Date.now() - new Date(after.review.lastVerifiedAt).getTime()).toBeLessThan(60_000);
  });

  it('an update that changes nothing verifies nothing (confirmServiceDetails is how to say "still correct")', async () => {
    const { app, keys } = suite;
    const [, , service] = await servicesOf(app, keys.ageUkProviderId);
    await verifiedDaysAgo(app, service.id, 200);
    const before = await review(app, service.id);
    await app.query(`mutation ($input: UpdateServiceInput!) { updateService(input: $input) { service { id } } }`, { input: { id: service.id, version: service.version, name: service.name } }, keys.ageUk);
    expect(await review(app, service.id)).toEqual(before);
  });
});

describe('confirmServiceDetails', () => {
  it('verifies without changing a field: version checked, audited, the cycle starts again', async () => {
    const { app, keys } = suite;
    const [, , , service] = await servicesOf(app, keys.ageUkProviderId);
    await verifiedDaysAgo(app, service.id, 300);
    expect((await review(app, service.id)).review.isStale).toBe(true);
    const data: any = await app.query(CONFIRM, { input: { id: service.id, version: service.version } }, keys.ageUk);
    const confirmed = data.confirmServiceDetails.service;
    expect(confirmed.version).toBe(service.version + 1);
    expect(confirmed.review).toMatchObject({ verifiedBy: 'PROVIDER', isDue: false, isStale: false });
    const trail: any = await app.query(`query ($id: ID!) { auditTrail(first: 5, filter: { objectId: $id }) { nodes { action actor version changes { field from to } } } }`, { id: service.id }, keys.admin);
    const [entry] = trail.auditTrail.nodes;
    expect(entry).toMatchObject({ action: 'VERIFY', version: service.version + 1 });
    expect(entry.actor).toContain('Age UK partner');
    expect(entry.changes[0].field).toBe('verifiedAt');
    expect(entry.changes[0].to).toBe(new Date(confirmed.review.lastVerifiedAt).toISOString());
  });

  it('refuses a stale version (CONFLICT), another provider (FORBIDDEN), the public (UNAUTHENTICATED) and unknown ids (NOT_FOUND), writing nothing', async () => {
    const { app, keys } = suite;
    const [, , , , service] = await servicesOf(app, keys.ageUkProviderId);
    await verifiedDaysAgo(app, service.id, 250);
    const before = await review(app, service.id);
    expect(errorCodes(await app.run(CONFIRM, { input: { id: service.id, version: service.version + 5 } }, { key: keys.ageUk }))).toEqual(['CONFLICT']);
    expect(errorCodes(await app.run(CONFIRM, { input: { id: service.id, version: service.version } }, { key: keys.mensSheds }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await app.run(CONFIRM, { input: { id: service.id, version: service.version } }))).toEqual(['UNAUTHENTICATED']);
    const unknown = service.id.replace(/.$/, (c: string) => (c === 'A' ? 'B' : 'A'));
    expect(errorCodes(await app.run(CONFIRM, { input: { id: unknown, version: 1 } }, { key: keys.admin }))).toEqual(expect.arrayContaining([expect.stringMatching(/NOT_FOUND|BAD_USER_INPUT/)]));
    expect(await review(app, service.id)).toEqual(before);
  });
});

describe('the review filter', () => {
  it('partners get their own due and overdue services, admins everyone\'s, the public is refused; the three states split the directory', async () => {
    const app = await createTestApp();
    try {
      const keys = await createKeys(app);
      const ageUk = await servicesOf(app, keys.ageUkProviderId);
      const mensSheds = await servicesOf(app, keys.mensShedsProviderId);
      await verifiedDaysAgo(app, ageUk[0].id, 190); // due
      await verifiedDaysAgo(app, ageUk[1].id, 275); // past the 183 + 91 days: overdue
      await verifiedDaysAgo(app, mensSheds[0].id, 200); // due, another provider's
      const ids = (states: string[], key?: string) => allInStates(app, states, key);
      expect(await ids(['DUE'], keys.ageUk)).toEqual([ageUk[0].id]);
      expect(await ids(['OVERDUE'], keys.ageUk)).toEqual([ageUk[1].id]);
      expect(await ids(['DUE', 'OVERDUE'], keys.ageUk)).toEqual([ageUk[0].id, ageUk[1].id].sort());
      expect(await ids(['DUE', 'OVERDUE'], keys.mensSheds)).toEqual([mensSheds[0].id]);
      expect(await ids(['DUE'], keys.admin)).toEqual([ageUk[0].id, mensSheds[0].id].sort());
      const all = await ids(['CURRENT', 'DUE', 'OVERDUE'], keys.admin);
      const [current, due, overdue] = [await ids(['CURRENT'], keys.admin), await ids(['DUE'], keys.admin), await ids(['OVERDUE'], keys.admin)];
      expect(current.length + due.length + overdue.length).toBe(all.length);
      expect(new Set([...current, ...due, ...overdue]).size).toBe(all.length);
      // What the filter says agrees with what each service says of itself.
      const nodes = ((await reviewStates(app, ['OVERDUE'], keys.admin)).data as any).services.nodes;
      expect(nodes.every((n: any) => n.review.isStale && n.review.isDue)).toBe(true);
      expect(errorCodes(await reviewStates(app, ['DUE']))).toEqual(['UNAUTHENTICATED']);
    } finally {
      await app.close();
    }
  });

  it('an open problem report makes a current service due, until it is resolved', async () => {
    const { app, keys } = suite;
    const services = await servicesOf(app, keys.mensShedsProviderId);
    const service = services[services.length - 1];
    const before = ((await reviewStates(app, ['DUE'], keys.mensSheds)).data as any).services.nodes.map((n: any) => n.id);
    expect(before).not.toContain(service.id);
    const reported: any = await app.query(`mutation ($input: ReportProblemInput!) { reportProblem(input: $input) { report { id } } }`, { input: { serviceId: service.id, kind: 'WRONG_TIMES', message: 'It meets on Thursdays now, not Tuesdays.' } });
    const due = ((await reviewStates(app, ['DUE'], keys.mensSheds)).data as any).services.nodes.map((n: any) => n.id);
    expect(due).toContain(service.id);
    expect(((await reviewStates(app, ['CURRENT'], keys.mensSheds)).data as any).services.nodes.map((n: any) => n.id)).not.toContain(service.id);
    await app.query(`mutation ($input: ResolveProblemReportInput!) { resolveProblemReport(input: $input) { report { id status } } }`, { input: { id: reported.reportProblem.report.id, resolution: 'RESOLVED', note: 'Times updated.' } }, keys.mensSheds);
    expect(((await reviewStates(app, ['DUE'], keys.mensSheds)).data as any).services.nodes.map((n: any) => n.id)).not.toContain(service.id);
  });
});

describe('stale services in search', () => {
  it('rank below verified ones by relevance, and say so', async () => {
    const app = await createTestApp();
    try {
      const search = async () => ((await app.query(`{ services(first: 50, filter: { text: "befriending" }) { nodes { id review { isStale } } } }`)) as any).services.nodes;
      const before = await search();
      expect(before.length).toBeGreaterThan(2);
      const top = before[0].id;
      await verifiedDaysAgo(app, top, 400);
      const after = await search();
      expect(after.map((n: any) => n.id).sort()).toEqual(before.map((n: any) => n.id).sort());
      expect(after[after.length - 1]).toEqual({ id: top, review: { isStale: true } });
      expect(after.slice(0, -1).map((n: any) => n.id)).toEqual(before.slice(1).map((n: any) => n.id));
    } finally {
      await app.close();
    }
  });

  it('rank below verified ones by distance within their reach, on every page alike', async () => {
    const app = await createTestApp();
    try {
      const page = async (first: number, after?: string) =>
        ((await app.query(`query ($first: Int!, $after: String) { services(first: $first, after: $after, near: { postcode: "LS7 4SA", radiusKm: 15 }) { totalCount edges { reach distanceKm node { id review { isStale } } } pageInfo { hasNextPage endCursor } } }`, { first, after })) as any).services;
      const before = (await page(100)).edges;
      const atHub = before.filter((e: any) => e.reach === 'AT_HUB');
      expect(atHub.length).toBeGreaterThan(2);
      const nearest = atHub[0].node.id;
      await verifiedDaysAgo(app, nearest, 400);
      const after = (await page(100)).edges;
      const hubs = after.filter((e: any) => e.reach === 'AT_HUB');
      expect(hubs[hubs.length - 1].node).toEqual({ id: nearest, review: { isStale: true } });
      // Still before the areas and national services: reach first.
      expect(after.findIndex((e: any) => e.node.id === nearest)).toBe(hubs.length - 1);
      // Small pages give the same sequence (the cursor carries the stale key).
      const paged: string[] = [];
      for (let cursor: string | undefined, more = true; more; ) {
        const p = await page(3, cursor);
        paged.push(...p.edges.map((e: any) => e.node.id));
        more = p.pageInfo.hasNextPage;
        cursor = p.pageInfo.endCursor;
      }
      expect(paged).toEqual(after.map((e: any) => e.node.id));
    } finally {
      await app.close();
    }
  });

  it('with HIDE_STALE_SERVICES, stale services are hidden from the public and other partners, not from their provider or admins', async () => {
    const app = await createTestApp({ app: { review: { intervalDays: 183, graceDays: 91, hideStale: true } } });
    try {
      const keys = await createKeys(app);
      const [stale, fresh] = await servicesOf(app, keys.ageUkProviderId);
      await verifiedDaysAgo(app, stale.id, 300);
      await verifiedDaysAgo(app, fresh.id, 250); // due, not yet stale: still shown
      const publicIds = (await servicesOf(app, keys.ageUkProviderId)).map((s) => s.id);
      expect(publicIds).not.toContain(stale.id);
      expect(publicIds).toContain(fresh.id);
      expect(((await app.query(`query ($id: ID!) { service(id: $id) { id } node(id: $id) { id } }`, { id: stale.id })) as any)).toEqual({ service: null, node: null });
      expect((await servicesOf(app, keys.ageUkProviderId, keys.mensSheds)).map((s) => s.id)).not.toContain(stale.id);
      expect((await servicesOf(app, keys.ageUkProviderId, keys.ageUk)).map((s) => s.id)).toContain(stale.id);
      expect((await servicesOf(app, keys.ageUkProviderId, keys.admin)).map((s) => s.id)).toContain(stale.id);
      // Confirmed, it is back for everyone.
      await app.query(CONFIRM, { input: { id: stale.id, version: stale.version } }, keys.ageUk);
      expect((await servicesOf(app, keys.ageUkProviderId)).map((s) => s.id)).toContain(stale.id);
    } finally {
      await app.close();
    }
  });

  it('are shown as usual when hiding is off (the default)', async () => {
    const { app, keys } = suite;
    const services = await servicesOf(app, keys.ageUkProviderId);
    const target = services[services.length - 1];
    await verifiedDaysAgo(app, target.id, 500);
    const publicView = (await servicesOf(app, keys.ageUkProviderId)).find((s) => s.id === target.id);
    expect(publicView?.review.isStale).toBe(true);
  });
});

describe('the Open Referral UK feed', () => {
  it('exports when each service was last verified as assured_date', async () => {
    const { app, keys } = suite;
    const [service] = await servicesOf(app, keys.ageUkProviderId);
    await verifiedDaysAgo(app, service.id, 40);
    const { lastVerifiedAt } = (await review(app, service.id)).review;
    const uuid: any = await app.query(`query ($id: ID!) { service(id: $id) { uuid } }`, { id: service.id });
    const http = await listen(app);
    try {
      const doc: any = await (await fetch(`${http.origin}/oruk/services/${uuid.service.uuid}`)).json();
      expect(doc.assured_date).toBe(new Date(lastVerifiedAt).toISOString().slice(0, 10));
    } finally {
      await http.close();
    }
  });
});

describe('review settings', () => {
  it('are read from the environment, and a bad value names its variable', () => {
    expect(readConfig({ REVIEW_INTERVAL_DAYS: '90', REVIEW_GRACE_DAYS: '30', HIDE_STALE_SERVICES: 'true' }).review).toEqual({ intervalDays: 90, graceDays: 30, hideStale: true });
    expect(readConfig({}).review).toEqual({ intervalDays: 183, graceDays: 91, hideStale: false });
    expect(() => readConfig({ REVIEW_INTERVAL_DAYS: 'six months' })).toThrow(ConfigError);
    expect(() => readConfig({ REVIEW_INTERVAL_DAYS: '0' })).toThrow(/REVIEW_INTERVAL_DAYS/);
    expect(() => readConfig({ HIDE_STALE_SERVICES: 'sometimes' })).toThrow(/HIDE_STALE_SERVICES/);
    expect(() => readConfig({ SMTP_URL: 'mail.example.org' })).toThrow(/SMTP_URL/);
    expect(() => readConfig({ PUBLIC_URL: 'directory.example.org' })).toThrow(/PUBLIC_URL/);
  });
});

describe("the README's review examples", () => {
  it('run as written: the listings to check, then one confirmed', async () => {
    const { app, keys } = suite;
    const readme = readFileSync(join(process.cwd(), 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### The review cycle'), readme.indexOf('### Review reminders by email'));
    const [query, mutation] = [...section.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);
    const [service] = await servicesOf(app, keys.ageUkProviderId);
    await verifiedDaysAgo(app, service.id, 365);
    const due: any = await app.query(query, {}, keys.ageUk);
    const listed = due.services.nodes.find((n: any) => n.id === service.id);
    expect(listed.review.isStale).toBe(true);
    expect(due.services.nodes.every((n: any) => n.review.reviewDueAt <= new Date())).toBe(true);
    const variables = JSON.parse(/with `(\{"input".*?\})`/.exec(section)![1]);
    const done: any = await app.query(mutation, { input: { ...variables.input, id: listed.id, version: listed.version } }, keys.ageUk);
    expect(done.confirmServiceDetails.service.review).toMatchObject({ verifiedBy: 'PROVIDER', isDue: false });
  });
});
