import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { parseGlobalId } from '../src/modules/common/global-id';
import { createAccount } from '../src/modules/account/account.commands';
import { AccountRole } from '../src/modules/common/viewer';
import { smtpMailer, type Mailer } from '../src/modules/review/mailer';
import { sendReminders, type ReminderOptions } from '../src/modules/review/reminders';
import { DEFAULT_REVIEW_POLICY } from '../src/modules/service/review-policy';
import { createKeys, createTestApp, listen, testDatabase, type Keys, type Listening, type TestApp } from './utils';
import { dropSchema } from '../src/orm';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Review reminders through a real SMTP server, in-process (smtp-server),
 * reading what arrives (mailparser): one email per partner with an email
 * address, listing its services due for review; none repeated on a second
 * run; each link confirms once, then says it was used; forged and expired
 * links are refused; a failed send records nothing, so the next run retries.
 */
const DAY_MS = 24 * 60 * 60 * 1000;

interface Received {
  to: string;
  subject: string;
  text: string;
}

let app: TestApp;
let keys: Keys;
let http: Listening;
let smtp: SMTPServer;
let smtpPort: number;
let mailer: Mailer;
const inbox: Received[] = [];
/** Age UK's services (their global ids), by name. */
let ageUk: Array<{ id: string; name: string }>;
let mensSheds: Array<{ id: string; name: string }>;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          inbox.push({ to: (Array.isArray(mail.to) ? mail.to[0] : mail.to)!.text, subject: mail.subject ?? '', text: mail.text ?? '' });
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  smtp.listen(0, '127.0.0.1');
  await once(smtp.server, 'listening');
  smtpPort = (smtp.server.address() as AddressInfo).port;
  mailer = smtpMailer(`smtp://127.0.0.1:${smtpPort}`);
  app = await createTestApp();
  keys = await createKeys(app);
  http = await listen(app);
  const knex = app.em().getKnex();
  const providerId = (global: string) => parseGlobalId(global, 'id').id;
  await createAccount(app.em(), 'command line', { name: 'Age UK Leeds', email: 'listings@ageuk.example.org', role: AccountRole.PARTNER, providerId: providerId(keys.ageUkProviderId) });
  await createAccount(app.em(), 'command line', { name: "Men's Sheds office", email: 'office@menssheds.example.org', role: AccountRole.PARTNER, providerId: providerId(keys.mensShedsProviderId) });
  const disabled = await createAccount(app.em(), 'command line', { name: 'Old Age UK account', email: 'old@ageuk.example.org', role: AccountRole.PARTNER, providerId: providerId(keys.ageUkProviderId) });
  await knex('account').where('id', disabled.id).update({ disabled: true });
  await createAccount(app.em(), 'command line', { name: 'Admin with email', email: 'team@directory.example.org', role: AccountRole.ADMIN, providerId: null });
  const servicesOf = async (provider: string) => ((await app.query(`query ($p: ID!) { services(first: 50, filter: { providerIds: [$p] }) { nodes { id name } } }`, { p: provider })) as any).services.nodes;
  ageUk = await servicesOf(keys.ageUkProviderId);
  mensSheds = await servicesOf(keys.mensShedsProviderId);
  await verifiedDaysAgo(ageUk[0].id, 200);
  await verifiedDaysAgo(ageUk[1].id, 400);
  await verifiedDaysAgo(mensSheds[0].id, 190);
});

afterAll(async () => {
  mailer?.close();
  await http?.close();
  await app?.close();
  await new Promise<void>((done) => smtp.close(() => done()));
});

async function verifiedDaysAgo(serviceId: string, days: number): Promise<void> {
  const em = app.em();
  await em.getKnex()('service').where('id', parseGlobalId(serviceId, 'id').id).update({ verified_at: em.getPlatform().processDateProperty(new Date(Date.now() - days * DAY_MS)) as never });
}

function options(overrides: Partial<ReminderOptions> = {}): ReminderOptions {
  return { policy: DEFAULT_REVIEW_POLICY, publicUrl: http.origin, linkDays: 30, from: 'Directory <directory@example.org>', mailer, ...overrides };
}

const remindersRecorded = async () => Number((await app.em().getKnex()('review_reminder').count({ n: '*' }))[0].n);
const linksIn = (text: string) => [...text.matchAll(/https?:\/\/\S+\/review\/\S+/g)].map((m) => m[0]);

async function reviewOf(id: string): Promise<any> {
  return ((await app.query(`query ($id: ID!) { service(id: $id) { version review { lastVerifiedAt verifiedBy isDue } } }`, { id }, keys.admin)) as any).service;
}

describe('review reminders', () => {
  it('without a mailer, say what they would send and record nothing', async () => {
    const run = await sendReminders(app.em(), options({ mailer: undefined }));
    expect(run.dryRun).toBe(true);
    expect(run.emails.map((e) => e.to).sort()).toEqual(['listings@ageuk.example.org', 'office@menssheds.example.org']);
    expect(run.emails.find((e) => e.to.includes('ageuk'))!.message.text).toContain(ageUk[0].name);
    expect(await remindersRecorded()).toBe(0);
    expect(inbox).toEqual([]);
  });

  it('a failed send records nothing, so the next run tries again', async () => {
    const closed = smtpMailer('smtp://127.0.0.1:9'); // nothing listens on the discard port
    try {
      const run = await sendReminders(app.em(), options({ mailer: closed }));
      expect(run.emails).toEqual([]);
      expect(run.failed.map((f) => f.to).sort()).toEqual(['listings@ageuk.example.org', 'office@menssheds.example.org']);
      expect(await remindersRecorded()).toBe(0);
    } finally {
      closed.close();
    }
  });

  it("email each partner with an address one list of its provider's services due for review, each with its own link", async () => {
    const run = await sendReminders(app.em(), options());
    expect(run.failed).toEqual([]);
    expect(inbox.map((m) => m.to).sort()).toEqual(['listings@ageuk.example.org', 'office@menssheds.example.org']);
    const age = inbox.find((m) => m.to === 'listings@ageuk.example.org')!;
    expect(age.subject).toBe('2 listings due for review in the social prescribing directory');
    expect(age.text).toContain('Hello Age UK Leeds,');
    for (const service of ageUk.slice(0, 2)) expect(age.text).toContain(service.name);
    expect(age.text).not.toContain(ageUk[2].name);
    expect(linksIn(age.text)).toHaveLength(2);
    const sheds = inbox.find((m) => m.to === 'office@menssheds.example.org')!;
    expect(sheds.text).toContain(mensSheds[0].name);
    expect(linksIn(sheds.text)).toHaveLength(1);
    // Nothing to the disabled account, the admin, or the partner accounts without an email address.
    expect(inbox.some((m) => m.to.includes('old@') || m.to.includes('team@'))).toBe(false);
    expect(await remindersRecorded()).toBe(3);
  });

  it('send nothing again for the same due dates', async () => {
    const before = inbox.length;
    const run = await sendReminders(app.em(), options());
    expect(run.emails).toEqual([]);
    expect(inbox.length).toBe(before);
    expect(await remindersRecorded()).toBe(3);
  });

  it('link to a page that shows the listing (changing nothing), then confirms it once on the button', async () => {
    const age = inbox.find((m) => m.to === 'listings@ageuk.example.org')!;
    const [link] = linksIn(age.text);
    const target = age.text.indexOf(ageUk[0].name) < age.text.indexOf(ageUk[1].name) ? ageUk[0] : ageUk[1];
    const before = await reviewOf(target.id);
    expect(before.review.isDue).toBe(true);
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await page.text();
    expect(html).toContain('These details are still correct');
    expect(html).toContain(target.name.replace(/'/g, '&#39;').replace(/&(?!#39;)/g, '&amp;'));
    expect(await reviewOf(target.id)).toEqual(before);
    const confirmed = await fetch(link, { method: 'POST' });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('is marked as checked today');
    const after = await reviewOf(target.id);
    expect(after.review).toMatchObject({ verifiedBy: 'PROVIDER', isDue: false });
    expect(after.version).toBe(before.version + 1);
    const trail: any = await app.query(`query ($id: ID!) { auditTrail(first: 1, filter: { objectId: $id }) { nodes { action actor } } }`, { id: target.id }, keys.admin);
    expect(trail.auditTrail.nodes[0]).toEqual({ action: 'VERIFY', actor: 'Age UK Leeds (review reminder link)' });
    // A second click, or the page again: used.
    const again = await fetch(link, { method: 'POST' });
    expect(again.status).toBe(410);
    expect(await again.text()).toContain('This link has been used');
    expect((await fetch(link)).status).toBe(410);
    expect(await reviewOf(target.id)).toEqual(after);
  });

  it('refuse forged, truncated and expired links, changing nothing', async () => {
    const sheds = inbox.find((m) => m.to === 'office@menssheds.example.org')!;
    const [link] = linksIn(sheds.text);
    const before = await reviewOf(mensSheds[0].id);
    const forged = link.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    const other = link.replace(/\/review\/(\d+)\./, (_m, id) => `/review/${Number(id) + 1}.`);
    for (const bad of [forged, other]) {
      const response = await fetch(bad, { method: 'POST' });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('This link is not valid');
    }
    const truncated = await fetch(link.slice(0, -10), { method: 'POST' });
    expect(truncated.status).toBe(400);
    expect(await truncated.text()).toContain('This link is not complete');
    expect(await reviewOf(mensSheds[0].id)).toEqual(before);

    // Sent 31 days ago with links that work 30 days: expired now.
    await verifiedDaysAgo(mensSheds[1].id, 250);
    const old = await sendReminders(app.em(), options({ now: new Date(Date.now() - 31 * DAY_MS), mailer }));
    expect(old.emails).toHaveLength(1);
    const expiredLink = linksIn(inbox[inbox.length - 1].text).find((l) => l !== link)!;
    const expired = await fetch(expiredLink, { method: 'POST' });
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('This link has expired');
    expect((await reviewOf(mensSheds[1].id)).review.isDue).toBe(true);
    // The original link still works, once.
    expect((await fetch(link, { method: 'POST' })).status).toBe(200);
    expect((await reviewOf(mensSheds[0].id)).review.isDue).toBe(false);
  });

  it('include a service flagged by an open problem report, with why', async () => {
    const target = ageUk[3];
    expect((await reviewOf(target.id)).review.isDue).toBe(false);
    await app.query(`mutation ($input: ReportProblemInput!) { reportProblem(input: $input) { report { id } } }`, { input: { serviceId: target.id, kind: 'CLOSED', message: 'The lunch club has stopped meeting.' } });
    const before = inbox.length;
    await sendReminders(app.em(), options());
    const sent = inbox.slice(before);
    expect(sent.map((m) => m.to)).toEqual(['listings@ageuk.example.org']);
    expect(sent[0].text).toContain(target.name);
    expect(sent[0].text).toContain('1 open problem report');
    // Once reminded, not again while the same report is open.
    await sendReminders(app.em(), options());
    expect(inbox.length).toBe(before + 1);
  });
});

describe('review reminders on a schedule inside the server', () => {
  it('are sent by the server itself when REMINDERS_EVERY_HOURS and SMTP_URL are set, and recorded so no run repeats them', async () => {
    // The directory is made first, then a server with the schedule opens it (its first run comes soon after start).
    const path = join(tmpdir(), `reminders-${process.pid}-${Date.now()}.sqlite`);
    const database = testDatabase(path);
    const setup = await createTestApp({ database });
    let service: { id: string; name: string };
    try {
      const keys = await createKeys(setup);
      await createAccount(setup.em(), 'command line', { name: 'Scheduled partner', email: 'scheduled@ageuk.example.org', role: AccountRole.PARTNER, providerId: parseGlobalId(keys.ageUkProviderId, 'id').id });
      [service] = ((await setup.query(`query ($p: ID!) { services(first: 1, filter: { providerIds: [$p] }) { nodes { id name } } }`, { p: keys.ageUkProviderId })) as any).services.nodes;
      const em = setup.em();
      await em.getKnex()('service').where('id', parseGlobalId(service.id, 'id').id).update({ verified_at: em.getPlatform().processDateProperty(new Date(Date.now() - 300 * DAY_MS)) as never });
    } finally {
      await setup.close();
    }
    const scheduled = await createTestApp({
      database,
      seed: false,
      app: { reminderEveryHours: 24, reminderFirstRunDelayMs: 20, mail: { smtpUrl: `smtp://127.0.0.1:${smtpPort}`, from: 'Directory <directory@example.org>', publicUrl: 'https://directory.example.org', linkDays: 30 } },
    });
    try {
      const arrived = () => inbox.filter((m) => m.to === 'scheduled@ageuk.example.org');
      for (let waited = 0; arrived().length === 0 && waited < 10_000; waited += 50) await new Promise((done) => setTimeout(done, 50));
      expect(arrived()).toHaveLength(1);
      expect(arrived()[0].text).toContain(service.name);
      expect(linksIn(arrived()[0].text)[0]).toMatch(/^https:\/\/directory\.example\.org\/review\//);
      expect(Number((await scheduled.em().getKnex()('review_reminder').count({ n: '*' }))[0].n)).toBe(1);
    } finally {
      await scheduled.close();
      if (database.kind === 'postgresql') await dropSchema(database);
      else for (const file of [path, `${path}-wal`, `${path}-shm`]) rmSync(file, { force: true });
    }
  });
});
