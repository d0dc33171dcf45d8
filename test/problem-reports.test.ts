import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../src/config';
import { parseGlobalId, toGlobalId } from '../src/modules/common/global-id';
import type { SqlStats } from '../src/modules/common/sql-stats';
import { randomUUID } from 'node:crypto';
import { redisAvailable, REDIS_URL } from './redis';
import { appWithKeys, createTestApp, errorCodes, listen, type TestApp } from './utils';

/**
 * "Report a problem": anyone says a listing is wrong; its provider's
 * partners and admins read the reports and close them (audited); nobody
 * else reads them. Each refusal writes nothing.
 */
const suite = appWithKeys();

const REPORT = `mutation ($input: ReportProblemInput!) { reportProblem(input: $input) { report { id kind createdAt } } }`;
const LIST = `query ($filter: ProblemReportFilter, $first: Int, $after: String) {
  problemReports(filter: $filter, first: $first, after: $after) {
    totalCount
    nodes { id kind message contactEmail status createdAt resolvedAt resolutionNote service { id provider { id } } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const RESOLVE = `mutation ($input: ResolveProblemReportInput!) { resolveProblemReport(input: $input) { report { id status resolvedAt resolutionNote } } }`;

let addresses = 0;
/** A fresh client address per report unless one is given, so only the rate-limit tests meet the limit. */
const nextAddress = () => `198.51.100.${++addresses}`;

function report(input: Record<string, unknown>, { address = nextAddress(), key, app = suite.app }: { address?: string; key?: string; app?: TestApp } = {}) {
  return app.execute({ query: REPORT, variables: { input } }, { clientAddress: address, authorization: key === undefined ? undefined : `Bearer ${key}` });
}

/** Reports and fails the test on any error: the new report's global id. */
async function reported(input: Record<string, unknown>, options: Parameters<typeof report>[1] = {}): Promise<string> {
  const result = await report(input, options);
  expect(result.errors).toBeUndefined();
  return (result.data as any).reportProblem.report.id;
}

const reportRows = async (app: TestApp = suite.app): Promise<number> => Number((await app.em().getKnex()('problem_report').count({ n: '*' }))[0].n);
const reportRow = (id: string) => suite.app.em().getKnex()('problem_report').where('id', parseGlobalId(id, 'id').id).first();

/** A public service of a provider (as the public lists them). */
async function publicServiceOf(providerId: string, index = 0): Promise<{ id: string; name: string }> {
  const data = await suite.app.query(`query ($p: [ID!]) { services(first: 10, filter: { providerIds: $p }) { nodes { id name } } }`, { p: [providerId] });
  expect(data.services.nodes.length).toBeGreaterThan(index);
  return data.services.nodes[index];
}

async function accountIdOf(key: string): Promise<number> {
  const row = await suite.app.em().getKnex()('api_key').where('prefix', key.slice(0, 16)).first('account_id');
  return Number(row.account_id);
}

const input = (serviceId: string, extra: Record<string, unknown> = {}) => ({ serviceId, kind: 'WRONG_TIMES', message: 'The group meets on Thursdays now.', ...extra });

describe('reportProblem', () => {
  it('anyone reports a problem without signing in: the answer is a receipt, the report is stored open, as typed (trimmed), as plain text', async () => {
    const service = await publicServiceOf(suite.keys.ageUkProviderId);
    const before = await reportRows();
    const message = '  The group moved to <b>Thursdays</b> & starts at 10:30 now.\nThe phone number is wrong too.  ';
    const result = await report({ serviceId: service.id, kind: 'WRONG_TIMES', message, contactEmail: 'sam@example.org' });
    expect(result.errors).toBeUndefined();
    const receipt = (result.data as any).reportProblem.report;
    expect(Object.keys(receipt).sort()).toEqual(['createdAt', 'id', 'kind']);
    expect(receipt.kind).toBe('WRONG_TIMES');
    expect(parseGlobalId(receipt.id, 'id').type).toBe('ProblemReport');
    expect(await reportRows()).toBe(before + 1);
    const row = await reportRow(receipt.id);
    expect(row).toMatchObject({ service_id: parseGlobalId(service.id, 'id').id, kind: 'WRONG_TIMES', message: message.trim(), contact_email: 'sam@example.org', status: 'OPEN', resolved_at: null, resolved_by_account_id: null });
    // A signed-in caller may report too (the same mutation, the same receipt).
    await reported(input(service.id, { kind: 'WRONG_CONTACT' }), { key: suite.keys.mensSheds });
  });

  it('the receipt tells nothing more: no message, no other report', async () => {
    const service = await publicServiceOf(suite.keys.ageUkProviderId);
    const more = await report(input(service.id), {});
    expect(more.errors).toBeUndefined();
    const leak = await suite.app.execute({ query: `mutation ($input: ReportProblemInput!) { reportProblem(input: $input) { report { id message } } }`, variables: { input: input(service.id) } }, { clientAddress: nextAddress() });
    expect(errorCodes(leak)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('an unknown service, a draft and an archived one are NOT_FOUND with the same sentence, whoever reports it, and nothing is written', async () => {
    const draft = (await suite.app.query(`mutation { createService(input: { name: "Knit and Natter (draft)" }) { service { id isDraft } } }`, {}, suite.keys.ageUk)).createService.service;
    expect(draft.isDraft).toBe(true);
    const created = (await suite.app.query(`mutation { createService(input: { name: "Lunch club (closing)", draft: false }) { service { id version } } }`, {}, suite.keys.ageUk)).createService.service;
    await suite.app.query(`mutation ($input: ServiceVersionInput!) { archiveService(input: $input) { service { archivedAt } } }`, { input: { id: created.id, version: created.version } }, suite.keys.ageUk);
    const unknown = toGlobalId('Service', 987_654);
    const before = await reportRows();
    const messages = new Set<string>();
    for (const serviceId of [unknown, draft.id, created.id]) {
      for (const key of [undefined, suite.keys.ageUk, suite.keys.admin]) {
        const result = await report(input(serviceId), { key });
        expect(errorCodes(result), `${serviceId} ${key}`).toEqual(['NOT_FOUND']);
        messages.add(result.errors![0].message);
      }
    }
    expect([...messages]).toEqual(['There is no service with this id.']);
    expect(await reportRows()).toBe(before);
    // An id of another type is a malformed argument, named.
    const hub = (await suite.app.query(`{ hubs(first: 1) { nodes { id } } }`)).hubs.nodes[0].id;
    const wrongType = await report(input(hub));
    expect(errorCodes(wrongType)).toEqual(['BAD_USER_INPUT']);
    expect(wrongType.errors![0].extensions).toMatchObject({ field: 'input.serviceId' });
    expect(await reportRows()).toBe(before);
  });

  it.each([
    ['an empty message', { message: '' }, 'input.message'],
    ['a blank message', { message: '  \n\t ' }, 'input.message'],
    ['a message over 2,000 characters', { message: 'x'.repeat(2001) }, 'input.message'],
    ['a malformed email', { contactEmail: 'sam at example.org' }, 'input.contactEmail'],
    ['an email over 254 characters', { contactEmail: `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.org` }, 'input.contactEmail'],
  ])('%s is BAD_USER_INPUT naming the field, and nothing is written', async (_what, change, field) => {
    const service = await publicServiceOf(suite.keys.ageUkProviderId);
    const before = await reportRows();
    const result = await report(input(service.id, change));
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0].extensions).toMatchObject({ field });
    expect(await reportRows()).toBe(before);
  });

  it('2,000 characters is allowed, counted after trimming', async () => {
    const service = await publicServiceOf(suite.keys.ageUkProviderId);
    const id = await reported(input(service.id, { message: `  ${'y'.repeat(2000)}  ` }));
    expect((await reportRow(id)).message).toBe('y'.repeat(2000));
  });
});

describe('who reads and closes reports', () => {
  it('the owning partner and admins read them; another partner reads none of them; the public is UNAUTHENTICATED', async () => {
    const ageUkService = await publicServiceOf(suite.keys.ageUkProviderId);
    const shedService = await publicServiceOf(suite.keys.mensShedsProviderId);
    const onAgeUk = await reported(input(ageUkService.id, { message: 'Age UK: closed for the summer.', kind: 'CLOSED', contactEmail: 'jo@example.org' }));
    const onShed = await reported(input(shedService.id, { message: 'Men’s Shed: wrong phone number.', kind: 'WRONG_CONTACT' }));
    const ids = async (key: string, filter?: Record<string, unknown>) => {
      const data = await suite.app.query(LIST, { filter, first: 100 }, key);
      return data.problemReports.nodes as any[];
    };

    const owner = await ids(suite.keys.ageUk);
    expect(owner.map((n) => n.id)).toContain(onAgeUk);
    expect(owner.map((n) => n.id)).not.toContain(onShed);
    expect(new Set(owner.map((n) => n.service.provider.id))).toEqual(new Set([suite.keys.ageUkProviderId]));
    expect(owner.find((n) => n.id === onAgeUk)).toMatchObject({ kind: 'CLOSED', message: 'Age UK: closed for the summer.', contactEmail: 'jo@example.org', status: 'OPEN', resolvedAt: null, service: { id: ageUkService.id } });

    const admin = (await ids(suite.keys.admin)).map((n) => n.id);
    expect(admin).toEqual(expect.arrayContaining([onAgeUk, onShed]));

    const other = await ids(suite.keys.mensSheds);
    expect(other.map((n) => n.id)).toContain(onShed);
    expect(other.map((n) => n.id)).not.toContain(onAgeUk);
    expect(new Set(other.map((n) => n.service.provider.id))).toEqual(new Set([suite.keys.mensShedsProviderId]));
    // Asking for another provider's service by id gives nothing either.
    expect(await ids(suite.keys.mensSheds, { serviceId: ageUkService.id })).toEqual([]);
    expect((await ids(suite.keys.ageUk, { serviceId: ageUkService.id })).map((n) => n.id)).toContain(onAgeUk);

    const anonymous = await suite.app.run(LIST, { first: 10 });
    expect(errorCodes(anonymous)).toEqual(['UNAUTHENTICATED']);
    expect(anonymous.data).toEqual({ problemReports: null });

    // node(id) gives a report to nobody: reports are read through problemReports alone.
    for (const key of [undefined, suite.keys.mensSheds, suite.keys.ageUk, suite.keys.admin]) {
      const result = await suite.app.run(`query ($id: ID!) { node(id: $id) { id } }`, { id: onAgeUk }, { key });
      expect(result.errors, String(key)).toBeUndefined();
      expect(result.data, String(key)).toEqual({ node: null });
    }
  });

  it('newest first, in pages that join up, open ones by default', async () => {
    const service = await publicServiceOf(suite.keys.mensShedsProviderId, 1);
    const mine = [];
    for (let i = 0; i < 5; i++) mine.push(await reported(input(service.id, { message: `Report ${i}` })));
    const all = (await suite.app.query(LIST, { filter: { serviceId: service.id }, first: 100 }, suite.keys.admin)).problemReports;
    expect(all.nodes.map((n: any) => n.id)).toEqual([...mine].reverse());
    expect(all.totalCount).toBe(5);
    const paged: string[] = [];
    for (let after: string | null = null, more = true; more; ) {
      const page: any = (await suite.app.query(LIST, { filter: { serviceId: service.id }, first: 2, after }, suite.keys.mensSheds)).problemReports;
      paged.push(...page.nodes.map((n: any) => n.id));
      more = page.pageInfo.hasNextPage;
      after = page.pageInfo.endCursor;
    }
    expect(paged).toEqual([...mine].reverse());
  });

  it('the owner resolves and an admin dismisses, each audited; another partner gets NOT_FOUND and the public UNAUTHENTICATED, and nothing changes', async () => {
    const service = await publicServiceOf(suite.keys.ageUkProviderId, 1);
    const first = await reported(input(service.id, { message: 'Wrong times on Fridays.' }));
    const second = await reported(input(service.id, { kind: 'OTHER', message: 'The café is lovely.' }));
    const resolve = (id: string, resolution: string, note?: string) => ({ input: { id, resolution, note } });
    const audit = async (id: string) =>
      (await suite.app.query(`query ($id: ID!) { auditTrail(filter: { objectId: $id }) { nodes { action actor objectId changes { field from to } } } }`, { id }, suite.keys.admin)).auditTrail.nodes as any[];

    const untouched = await reportRow(first);
    const other = await suite.app.run(RESOLVE, resolve(first, 'RESOLVED'), { key: suite.keys.mensSheds });
    expect(errorCodes(other)).toEqual(['NOT_FOUND']);
    // The same answer as an id that does not exist: another provider's report id confirms nothing.
    const missing = await suite.app.run(RESOLVE, resolve(toGlobalId('ProblemReport', 987_654), 'RESOLVED'), { key: suite.keys.mensSheds });
    expect(missing.errors![0].message).toBe(other.errors![0].message);
    expect(errorCodes(await suite.app.run(RESOLVE, resolve(first, 'RESOLVED')))).toEqual(['UNAUTHENTICATED']);
    expect(await reportRow(first)).toEqual(untouched);
    expect(await audit(first)).toEqual([]);

    const before = Date.now();
    const done = (await suite.app.query(RESOLVE, resolve(first, 'RESOLVED', '  Times corrected.  '), suite.keys.ageUk)).resolveProblemReport.report;
    expect(done).toMatchObject({ id: first, status: 'RESOLVED', resolutionNote: 'Times corrected.' });
    expect(new Date(done.resolvedAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(Number((await reportRow(first)).resolved_by_account_id)).toBe(await accountIdOf(suite.keys.ageUk));
    const trail = await audit(first);
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({ action: 'RESOLVE', objectId: first, actor: expect.stringContaining('Age UK partner') });
    expect(trail[0].changes).toEqual([
      { field: 'status', from: 'OPEN', to: 'RESOLVED' },
      { field: 'resolutionNote', from: null, to: 'Times corrected.' },
    ]);
    // The partner reads its own provider's trail too.
    const own = (await suite.app.query(`query ($id: ID!) { auditTrail(filter: { objectId: $id }) { nodes { action } } }`, { id: first }, suite.keys.ageUk)).auditTrail.nodes;
    expect(own).toEqual([{ action: 'RESOLVE' }]);

    // Closing it again the same way writes nothing: the same answer, no second entry.
    const again = (await suite.app.query(RESOLVE, resolve(first, 'RESOLVED', 'Times corrected.'), suite.keys.ageUk)).resolveProblemReport.report;
    expect(again).toEqual(done);
    expect(await audit(first)).toHaveLength(1);

    const dismissed = (await suite.app.query(RESOLVE, resolve(second, 'DISMISSED'), suite.keys.admin)).resolveProblemReport.report;
    expect(dismissed).toMatchObject({ status: 'DISMISSED', resolutionNote: null });
    expect(Number((await reportRow(second)).resolved_by_account_id)).toBe(await accountIdOf(suite.keys.admin));
    expect(await audit(second)).toEqual([expect.objectContaining({ action: 'DISMISS', actor: expect.stringContaining('Directory team'), changes: [{ field: 'status', from: 'OPEN', to: 'DISMISSED' }] })]);

    // Closed reports leave the default (open) list and are found by status.
    const list = async (status?: string[]) => (await suite.app.query(LIST, { filter: { serviceId: service.id, status }, first: 100 }, suite.keys.ageUk)).problemReports.nodes.map((n: any) => n.id);
    expect(await list()).not.toContain(first);
    expect(await list()).not.toContain(second);
    expect(await list(['RESOLVED'])).toEqual([first]);
    expect(await list(['RESOLVED', 'DISMISSED'])).toEqual([second, first]);
  });
});

describe('Service.openProblemReports', () => {
  const PAGE = `query ($p: [ID!]) { services(first: 100, filter: { providerIds: $p, statuses: [ACTIVE, INACTIVE, TEMPORARILY_CLOSED, DEFUNCT] }) { nodes { id provider { id } openProblemReports } } }`;

  /** A page of services with their open reports, and how many of the request's statements read problem_report. */
  async function page(key: string | undefined, providerIds: string[] | null): Promise<{ nodes: any[]; reportStatements: number }> {
    const stats: SqlStats = { statements: 0, log: [] };
    const result = await suite.app.run(PAGE, { p: providerIds }, { stats, key });
    expect(result.errors).toBeUndefined();
    return { nodes: (result.data as any).services.nodes, reportStatements: stats.log!.filter((sql) => /problem_report/.test(sql)).length };
  }

  it("counts each service's open reports for its provider and admins, null for everyone else, in one statement for the whole page", async () => {
    const ageUkService = await publicServiceOf(suite.keys.ageUkProviderId, 2);
    const shedService = await publicServiceOf(suite.keys.mensShedsProviderId, 2);
    for (let i = 0; i < 3; i++) await reported(input(ageUkService.id, { message: `Open ${i}` }));
    await reported(input(shedService.id));
    const closed = await reported(input(ageUkService.id, { message: 'To be dismissed' }));
    await suite.app.query(RESOLVE, { input: { id: closed, resolution: 'DISMISSED' } }, suite.keys.admin);

    const rows = await suite.app.em().getKnex()('problem_report').where('status', 'OPEN').groupBy('service_id').select('service_id').count({ n: '*' });
    const open = new Map<number, number>(rows.map((row: any) => [Number(row.service_id), Number(row.n)]));
    const expected = (id: string) => open.get(parseGlobalId(id, 'id').id) ?? 0;
    expect(expected(ageUkService.id)).toBe(3);
    const both = [suite.keys.ageUkProviderId, suite.keys.mensShedsProviderId];

    // Admins: every service, a whole page in one statement.
    for (const providers of [null, both]) {
      const admin = await page(suite.keys.admin, providers);
      expect(admin.nodes.length).toBeGreaterThan(providers ? 5 : 99);
      for (const node of admin.nodes) expect(node.openProblemReports, node.id).toBe(expected(node.id));
      expect(admin.reportStatements).toBe(1);
    }
    const admin = await page(suite.keys.admin, both);
    expect(admin.nodes.filter((node) => node.openProblemReports > 0).length).toBeGreaterThan(1);

    // A partner: its own provider's services counted (in one statement), the other's null.
    const owner = await page(suite.keys.ageUk, both);
    expect(new Set(owner.nodes.map((node) => node.provider.id))).toEqual(new Set(both));
    for (const node of owner.nodes) expect(node.openProblemReports, node.id).toBe(node.provider.id === suite.keys.ageUkProviderId ? expected(node.id) : null);
    expect(owner.nodes.find((node) => node.id === ageUkService.id).openProblemReports).toBe(3);
    expect(owner.reportStatements).toBe(1);

    // The public: null everywhere, and no statement reads the reports.
    const anonymous = await page(undefined, both);
    expect(anonymous.nodes.length).toBeGreaterThan(5);
    expect(anonymous.nodes.every((node) => node.openProblemReports === null)).toBe(true);
    expect(anonymous.reportStatements).toBe(0);

    // One service on its own, as its provider, the other provider and the public see it.
    const one = `query ($id: ID!) { service(id: $id) { openProblemReports } }`;
    expect((await suite.app.query(one, { id: ageUkService.id }, suite.keys.ageUk)).service.openProblemReports).toBe(3);
    expect((await suite.app.query(one, { id: ageUkService.id }, suite.keys.mensSheds)).service.openProblemReports).toBeNull();
    expect((await suite.app.query(one, { id: ageUkService.id })).service.openProblemReports).toBeNull();
  });
});

describe('the rate limit on reports', () => {
  it('an address may send 5 an hour: the 6th is RATE_LIMITED with a retry-after and writes nothing; another address still may, and the query budget is untouched', async () => {
    const service = await publicServiceOf(suite.keys.ageUkProviderId);
    const address = '203.0.113.9';
    const before = await reportRows();
    for (let i = 0; i < 5; i++) await reported(input(service.id, { message: `Report ${i} from one address` }), { address });
    expect(await reportRows()).toBe(before + 5);
    // Signing in changes nothing: the limit is the address's.
    for (const key of [undefined, suite.keys.admin]) {
      const refused = await report(input(service.id), { address, key });
      expect(errorCodes(refused)).toEqual(['RATE_LIMITED']);
      expect(refused.errors![0].message).toMatch(/at most 5 problems an hour/);
      const retryAfter = refused.errors![0].extensions!.retryAfterSeconds as number;
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(3600);
    }
    expect(await reportRows()).toBe(before + 5);
    await reported(input(service.id), { address: '203.0.113.10' });
    // Queries from the same address are served: reports have a limit of their own.
    const read = await suite.app.execute({ query: `{ services(first: 1) { totalCount } }` }, { clientAddress: address });
    expect(read.errors).toBeUndefined();
  });

  it('is set by PROBLEM_REPORTS_PER_HOUR, and refuses over HTTP with 429 and Retry-After', async () => {
    expect(readConfig({ PROBLEM_REPORTS_PER_HOUR: '20' }).problemReportsPerHour).toBe(20);
    expect(() => readConfig({ PROBLEM_REPORTS_PER_HOUR: '0' })).toThrow(/PROBLEM_REPORTS_PER_HOUR must be a whole number from 1/);
    const strict = await createTestApp({ app: { problemReportsPerHour: 1 } });
    const http = await listen(strict);
    try {
      const service = (await strict.query(`{ services(first: 1) { nodes { id } } }`)).services.nodes[0];
      const post = () =>
        fetch(http.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: REPORT, variables: { input: input(service.id) } }) });
      const first = await post();
      expect(first.status).toBe(200);
      expect(((await first.json()) as any).data.reportProblem.report.kind).toBe('WRONG_TIMES');
      const second = await post();
      expect(second.status).toBe(429);
      expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(0);
      const body: any = await second.json();
      expect(body.errors.map((e: any) => e.extensions.code)).toEqual(['RATE_LIMITED']);
      expect(await reportRows(strict)).toBe(1);
    } finally {
      await http.close();
      await strict.close();
    }
  });
  it('with REDIS_URL, every instance counts the same address (skipped when Redis does not answer)', async (context) => {
    if (!(await redisAvailable())) {
      console.log(`Redis not reachable at ${REDIS_URL}: shared problem-report limit test skipped.`);
      context.skip();
    }
    const options = { redisUrl: REDIS_URL, rateLimitKeyPrefix: `spd-test-${randomUUID()}`, problemReportsPerHour: 2 };
    const [one, two] = [await createTestApp({ app: options }), await createTestApp({ app: options })];
    try {
      const serviceOf = async (app: TestApp) => (await app.query(`{ services(first: 1) { nodes { id } } }`)).services.nodes[0].id;
      const address = '192.0.2.77';
      expect((await report(input(await serviceOf(one)), { app: one, address })).errors).toBeUndefined();
      expect((await report(input(await serviceOf(two)), { app: two, address })).errors).toBeUndefined();
      expect(errorCodes(await report(input(await serviceOf(one)), { app: one, address }))).toEqual(['RATE_LIMITED']);
      expect(errorCodes(await report(input(await serviceOf(two)), { app: two, address }))).toEqual(['RATE_LIMITED']);
      expect((await reportRows(one)) + (await reportRows(two))).toBe(2);
    } finally {
      await one.close();
      await two.close();
    }
  });
});

describe("the README's problem-report examples", () => {
  it('run as written: a report is sent, read by its provider, and resolved', async () => {
    const readme = readFileSync(join(process.cwd(), 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Problem reports'), readme.indexOf('### What people search for'));
    const [send, manage] = [...section.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);
    const [sendVariables, resolveVariables] = [...section.matchAll(/with `(\{"input".*?\})`/g)].map((m) => JSON.parse(m[1]));
    const service = await publicServiceOf(suite.keys.ageUkProviderId, 3);
    const sent = await suite.app.execute({ query: send, variables: { input: { ...sendVariables.input, serviceId: service.id } } }, { clientAddress: nextAddress() });
    expect(sent.errors).toBeUndefined();
    const id = (sent.data as any).reportProblem.report.id;
    // The document holds two operations: run each by name.
    const listed = await suite.app.execute({ query: manage, operationName: 'OpenReports' }, { authorization: `Bearer ${suite.keys.ageUk}` });
    expect(listed.errors).toBeUndefined();
    expect((listed.data as any).problemReports.nodes.find((n: any) => n.id === id)).toMatchObject({ kind: 'WRONG_TIMES', contactEmail: 'sam@example.org', service: { name: service.name } });
    const resolved = await suite.app.execute(
      { query: manage, operationName: 'ResolveReport', variables: { input: { ...resolveVariables.input, id } } },
      { authorization: `Bearer ${suite.keys.ageUk}` },
    );
    expect(resolved.errors).toBeUndefined();
    expect((resolved.data as any).resolveProblemReport.report).toMatchObject({ id, status: 'RESOLVED', resolutionNote: 'Times corrected.' });
  });
});
