import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createKeys, createTestApp, listen, onPostgres, type Keys, type Listening, type TestApp } from './utils';
import { buildPagesIfStale, CHROMIUM_OPTIONS, ROOT } from './web-build';

/**
 * The partner page (web/partners, served at /partners by src/http/pages.ts) in a real browser, as
 * test/pages.test.ts runs the finder: Debian's Chromium driven by playwright-core, against the server
 * in-process on the sample directory, with a partner account of Age UK and its key (test/utils.ts,
 * createKeys). The tests run in order on one directory: each says what it starts from. Each leaves a
 * screenshot in test-output/partners/. On SQLite only, as the finder's.
 */
const SHOTS = join(ROOT, 'test-output', 'partners');
const MARKUP = 'Tea and a chat. <img src=x onerror="window.__injected=1"><script>window.__injected=2</script> <b>Bold?</b>';
const ALL_STATUSES = '[ACTIVE, TEMPORARILY_CLOSED, INACTIVE, DEFUNCT]';
const SERVICE = `query ($id: ID!) { service(id: $id) { id name version description isDraft status archivedAt contact { email } capacity { status waitDays note } review { lastVerifiedAt verifiedBy } } }`;
const UPDATE = `mutation ($input: UpdateServiceInput!) { updateService(input: $input) { service { version } } }`;
const REPORT = `mutation ($input: ReportProblemInput!) { reportProblem(input: $input) { report { id } } }`;
/** What Chromium logs for the answer to a refused key (HTTP 401): expected once, in the sign-in test. */
const REFUSED_KEY_LOG = 'Failed to load resource: the server responded with a status of 401 (Unauthorized)';

describe.skipIf(onPostgres)('the partner page in a browser', () => {
  let app: TestApp;
  let server: Listening;
  let browser: Browser;
  let keys: Keys;
  /** Age UK's draft, made with the partner's key before the tests. */
  let draft: { id: string; name: string };
  /** Every request any page made: its address, method and Authorization header. */
  const requested: Array<{ url: string; method: string; authorization?: string }> = [];
  /** Script errors, and console errors (CSP refusals, failed loads), in any page. */
  const pageErrors: string[] = [];

  beforeAll(async () => {
    buildPagesIfStale();
    mkdirSync(SHOTS, { recursive: true });
    // The tests send more problem reports from one address than the public is allowed in an hour.
    [app, browser] = await Promise.all([createTestApp({ app: { problemReportsPerHour: 100 } }), chromium.launch(CHROMIUM_OPTIONS)]);
    keys = await createKeys(app);
    const created: any = await app.query(
      `mutation ($input: CreateServiceInput!) { createService(input: $input) { service { id name } } }`,
      { input: { name: 'Age UK Knit and Natter', description: 'A friendly knitting circle; wool provided.', referralRoutes: ['SELF_REFERRAL'] } },
      keys.ageUk,
    );
    draft = created.createService.service;
    server = await listen(app);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await app?.close();
  });

  /** A fresh browser context (no cache, no storage) at this size. The page's own scripts below are strings: this file is type-checked without the DOM library. */
  async function openPage(width = 1280, height = 900): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    page.on('request', (request) => requested.push({ url: request.url(), method: request.method(), authorization: request.headers().authorization }));
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    return page;
  }

  const shot = (page: Page, name: string, fullPage = false) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
  const h1 = (page: Page) => page.locator('h1').textContent();

  /** Signs in at `path` (default the list) with Age UK's key, through the form. */
  async function signIn(page: Page, path = '/partners'): Promise<void> {
    await page.goto(`${server.origin}${path}`);
    await page.getByLabel('Your API key').fill(keys.ageUk);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.session-bar').waitFor();
  }

  async function openService(page: Page, id: string): Promise<Page> {
    await signIn(page, `/partners/services/${encodeURIComponent(id)}`);
    await page.locator('.service-form').waitFor();
    return page;
  }

  async function ageUkServices(): Promise<Array<{ id: string; name: string; version: number }>> {
    const data: any = await app.query(`query ($p: [ID!]) { services(first: 100, filter: { providerIds: $p, statuses: ${ALL_STATUSES} }, orderBy: NAME) { nodes { id name version } } }`, { p: [keys.ageUkProviderId] }, keys.ageUk);
    return data.services.nodes;
  }

  const serviceNamed = async (name: string) => (await ageUkServices()).find((service) => service.name === name)!;
  const read = async (id: string): Promise<any> => (await app.query<any>(SERVICE, { id }, keys.ageUk)).service;

  it('a partner signs in with their key (a wrong key is refused, with a message) and sees their services, drafts included; the key stays in sessionStorage', async () => {
    const page = await openPage();
    await page.goto(`${server.origin}/partners`);
    await expect.poll(() => h1(page)).toBe('Update your listings');
    await shot(page, '01-sign-in');

    const field = page.getByLabel('Your API key');
    await field.fill(`${keys.ageUk.slice(0, -4)}${keys.ageUk.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true');
    const message = page.locator(`#${(await field.getAttribute('aria-describedby'))!.split(' ').pop()}`);
    expect(await message.textContent()).toContain('That key was not accepted');
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    await shot(page, '02-wrong-key');

    const before = requested.length;
    await field.fill(keys.ageUk);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => h1(page)).toBe('Your services');
    expect(await page.locator('.session-bar').textContent()).toContain('Signed in as Age UK partner for Age UK');
    const want = await ageUkServices();
    expect(want.map((s) => s.name)).toContain(draft.name);
    await expect.poll(() => page.locator('.partner-service h3').allTextContents()).toEqual(want.map((s) => s.name));
    expect(await page.locator(`.partner-service[data-service-id="${draft.id}"] .tag`).allTextContents()).toContain('Draft');

    // The key: in this tab's sessionStorage, nowhere else; on every request, as a header of a POST.
    expect(await page.evaluate('Object.values(sessionStorage)')).toEqual([keys.ageUk]);
    expect(await page.evaluate('localStorage.length')).toBe(0);
    expect(await page.evaluate('document.cookie')).toBe('');
    const graphql = requested.slice(before).filter((request) => new URL(request.url).pathname === '/graphql');
    expect(graphql.length).toBeGreaterThan(1);
    for (const request of graphql) expect(request).toMatchObject({ method: 'POST', authorization: `Bearer ${keys.ageUk}` });
    expect(requested.some((request) => request.url.includes(keys.ageUk.slice(-20)))).toBe(false);
    expect(page.url()).toBe(`${server.origin}/partners`);
    await shot(page, '03-services', true);

    // Reloading the tab keeps the session (the key is asked about again); the drafts alone, by a link whose address can be shared.
    await page.reload();
    await expect.poll(() => page.locator('.partner-service h3').allTextContents()).toEqual(want.map((s) => s.name));
    await page.getByRole('link', { name: 'Drafts (1)' }).click();
    await expect.poll(() => page.locator('.partner-service h3').allTextContents()).toEqual([draft.name]);
    expect(new URL(page.url()).searchParams.get('show')).toBe('drafts');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => h1(page)).toBe('Update your listings');
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    expect(await page.locator('.notice').textContent()).toContain('You are signed out');

    // The next partner at this tab starts from a client (and a cache) of their own: none of Age UK's services show.
    const theirs: any = await app.query(`query ($p: [ID!]) { services(first: 100, filter: { providerIds: $p, statuses: ${ALL_STATUSES} }, orderBy: NAME) { nodes { name } } }`, { p: [keys.mensShedsProviderId] }, keys.mensSheds);
    await field.fill(keys.mensSheds);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('.partner-service h3').allTextContents()).toEqual(theirs.services.nodes.map((s: any) => s.name));
    expect(await page.locator('.session-bar').textContent()).toContain("Signed in as Men's Sheds partner");
    expect(await page.locator('main').textContent()).not.toContain('Age UK');
    await page.context().close();
  });

  it('edits a service: a bad email is shown at its field and in the summary, then fixed and saved, and the public page shows the change', async () => {
    const target = await serviceNamed('Age UK Telephone Befriending');
    const page = await openService(await openPage(), target.id);
    expect(await h1(page)).toBe(target.name);
    const email = page.getByLabel('Email', { exact: true });
    await email.fill('not-an-email');
    await page.getByRole('button', { name: 'Save changes' }).click();

    const summary = page.locator('.error-summary');
    await summary.waitFor();
    expect(await page.evaluate("document.activeElement?.classList.contains('error-summary')")).toBe(true);
    expect(await summary.textContent()).toContain('Email must be an email address.');
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await email.getAttribute('aria-describedby'))!.split(' ');
    expect(await page.locator(`#${describedBy.at(-1)}`).textContent()).toContain('Email must be an email address.');
    expect((await read(target.id)).version).toBe(target.version);
    await shot(page, '04-validation-error');

    // The summary's link takes the focus to the field.
    await summary.getByRole('link', { name: 'Email must be an email address.' }).click();
    expect(await page.evaluate('document.activeElement?.id')).toBe(await email.getAttribute('id'));

    const description = 'Friendly weekly phone calls with a trained volunteer, now on Saturdays too.';
    await email.fill('befriending@example.org');
    await page.getByLabel('Description').fill(description);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.locator('.form-actions [role=status]').textContent()).toBe('Your changes are saved.');
    expect(await summary.count()).toBe(0);
    expect(await email.getAttribute('aria-invalid')).toBeNull();
    expect(await read(target.id)).toMatchObject({ description, contact: { email: 'befriending@example.org' }, version: target.version + 1 });
    await shot(page, '05-saved');

    // Anyone (a browser without the key) sees the change on the finder's page for the service.
    const visitor = await openPage();
    await visitor.goto(`${server.origin}/services/${encodeURIComponent(target.id)}`);
    await expect.poll(() => h1(visitor)).toBe(target.name);
    await expect.poll(() => visitor.locator('main').textContent()).toContain(description);
    expect(await visitor.locator('main').textContent()).toContain('befriending@example.org');
    await shot(visitor, '06-public-page');
    await visitor.context().close();
    await page.context().close();
  });

  it('a CONFLICT (someone saved first) says so and keeps the edits; reloading shows the latest version, which can then be saved', async () => {
    const target = await serviceNamed('Age UK Advice Line');
    const page = await openService(await openPage(), target.id);
    const name = page.getByLabel('Name', { exact: true });
    await name.fill('Age UK Advice Line (edited here)');
    // A second tab saves first: the same partner, straight through the API.
    await app.query(UPDATE, { input: { id: target.id, version: target.version, description: 'Changed in another tab.' } }, keys.ageUk);
    await page.getByRole('button', { name: 'Save changes' }).click();

    const banner = page.locator('.conflict');
    await banner.waitFor();
    expect(await banner.locator('h2').textContent()).toBe('Someone else changed this service since you opened it');
    expect(await page.evaluate("document.activeElement?.classList.contains('conflict')")).toBe(true);
    expect(await name.inputValue()).toBe('Age UK Advice Line (edited here)');
    expect((await read(target.id)).name).toBe(target.name);
    await shot(page, '07-conflict');

    await page.getByRole('button', { name: 'Reload the latest version' }).click();
    await expect.poll(() => page.getByLabel('Description').inputValue()).toBe('Changed in another tab.');
    expect(await banner.count()).toBe(0);
    expect(await name.inputValue()).toBe(target.name);
    await name.fill('Age UK Advice Line (edited here)');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.locator('.form-actions [role=status]').textContent()).toBe('Your changes are saved.');
    expect(await read(target.id)).toMatchObject({ name: 'Age UK Advice Line (edited here)', description: 'Changed in another tab.', version: target.version + 2 });
    await page.context().close();
  });

  it('one click says whether it is taking referrals, another that the details are still correct; both are version-checked', async () => {
    const target = await serviceNamed('Age UK Newcastle Friendship Lunch Club');
    const page = await openService(await openPage(), target.id);
    const today = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date());
    const capacity = page.locator('section[aria-labelledby="capacity-heading"]');
    const wait = page.getByLabel('Wait, in days (optional)');

    // Over a year is the server's to refuse, and it is said at the field.
    await wait.fill('400');
    await page.getByRole('button', { name: 'Waiting list' }).click();
    await expect.poll(() => wait.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator(`#${(await wait.getAttribute('aria-describedby'))!.split(' ').at(-1)}`).textContent()).toContain('Wait must be at most 365');

    await wait.fill('14');
    await page.getByLabel('Note (optional)').fill('New groups start in March');
    await page.getByRole('button', { name: 'Waiting list' }).click();
    await expect.poll(() => capacity.locator('.current').textContent()).toBe(`Now: Waiting list (about 14 days), said on ${today}.`);
    expect(await capacity.locator('[role=status]').textContent()).toBe('Saved: Waiting list (about 14 days).');
    expect((await read(target.id)).capacity).toEqual({ status: 'WAITING_LIST', waitDays: 14, note: 'New groups start in March' });

    const started = Date.now();
    await page.getByRole('button', { name: 'These details are still correct' }).click();
    const review = page.locator('section[aria-labelledby="review-heading"]');
    await expect.poll(() => review.locator('[role=status]').textContent()).toBe(`Thank you: marked as checked on ${today}.`);
    expect(await review.locator('.verified-line').textContent()).toBe(`Last checked on ${today} by Age UK partner.`);
    const checked = await read(target.id);
    expect(checked.review.verifiedBy).toBe('PROVIDER');
    expect(new Date(checked.review.lastVerifiedAt).getTime()).toBeGreaterThanOrEqual(started - 1000);
    await shot(page, '08-quick-updates');

    // Someone else's change in between: the one-click update is refused too, and goes through once reloaded.
    await app.query(UPDATE, { input: { id: target.id, version: checked.version, description: 'Lunch and company, every Wednesday.' } }, keys.ageUk);
    await page.getByRole('button', { name: 'Taking referrals', exact: true }).click();
    await page.locator('.conflict').waitFor();
    expect((await read(target.id)).capacity.status).toBe('WAITING_LIST');
    await page.getByRole('button', { name: 'Reload the latest version' }).click();
    await expect.poll(() => page.locator('.conflict').count()).toBe(0);
    await page.getByRole('button', { name: 'Taking referrals', exact: true }).click();
    await expect.poll(() => capacity.locator('.current').textContent()).toMatch(/^Now: Taking referrals, said on /);
    expect((await read(target.id)).capacity.status).toBe('TAKING_REFERRALS');

    // A second panel clicked before the first change has answered (held here until both are clicked): the changes
    // go one after the other, each with the version the one before it left, so neither is refused as a
    // conflict nobody else caused.
    const before = (await read(target.id)).version;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/graphql', async (route) => {
      if ((route.request().postData() ?? '').includes('setServiceCapacity')) await held;
      await route.continue();
    });
    await page.getByRole('button', { name: 'Not taking referrals' }).click();
    await page.getByRole('button', { name: 'These details are still correct' }).click();
    release();
    await expect.poll(async () => (await read(target.id)).version, { timeout: 10_000 }).toBe(before + 2);
    await page.unroute('**/graphql');
    expect(await page.locator('.conflict').count()).toBe(0);
    expect((await read(target.id)).capacity.status).toBe('NOT_TAKING_REFERRALS');
    expect(await capacity.getByRole('button', { name: 'Not taking referrals' }).getAttribute('aria-pressed')).toBe('true');
    await page.context().close();
  });

  it('publishes a draft, then pauses, resumes, archives and restores it, with only the buttons its state allows', async () => {
    const page = await openService(await openPage(), draft.id);
    const listing = page.locator('section[aria-labelledby="listing-heading"]');
    const buttons = () => listing.getByRole('button').allTextContents();
    const step = async (button: string, then: string[], check: Record<string, unknown>) => {
      await listing.getByRole('button', { name: button }).click();
      await expect.poll(buttons).toEqual(then);
      expect(await read(draft.id)).toMatchObject(check);
    };
    expect(await buttons()).toEqual(['Publish', 'Archive']);
    await step('Publish', ['Pause', 'Archive'], { isDraft: false, status: 'ACTIVE' });
    expect(await listing.getByRole('link', { name: 'See its public page' }).getAttribute('href')).toBe(`/services/${encodeURIComponent(draft.id)}`);
    await step('Pause', ['Resume', 'Archive'], { status: 'TEMPORARILY_CLOSED' });
    await shot(page, '09-paused');
    await step('Resume', ['Pause', 'Archive'], { status: 'ACTIVE' });
    await step('Archive', ['Restore'], { archivedAt: expect.anything() });
    expect(await page.locator('.service-editor > .tags').textContent()).toContain('Archived');
    await step('Restore', ['Pause', 'Archive'], { archivedAt: null });
    await page.context().close();
  });

  it('lists the open problem reports on the partner\'s services and closes them with a note; the history shows who changed what', async () => {
    const target = await serviceNamed('Age UK Telephone Befriending');
    for (const message of ['The phone number rings out.', 'It is on Saturdays now, not Sundays.']) {
      await app.query(REPORT, { input: { serviceId: target.id, kind: message.startsWith('The phone') ? 'WRONG_CONTACT' : 'WRONG_TIMES', message } });
    }
    const page = await openPage();
    await signIn(page);
    const reports = page.locator('#reports');
    await expect.poll(() => reports.locator('h2').textContent()).toBe('Problem reports (2 open)');
    const item = reports.locator('.report-item', { hasText: 'The phone number rings out.' });
    expect(await item.locator('h3').textContent()).toBe(`${target.name}: The phone, email or website is wrong`);
    await shot(page, '10-problem-reports', true);
    await item.getByLabel('What you did (optional)').fill('Number corrected.');
    await item.getByRole('button', { name: 'Resolved: the listing is put right' }).click();
    await expect.poll(() => reports.locator('h2').textContent()).toBe('Problem reports (1 open)');
    expect(await reports.locator('[role=status]').textContent()).toContain('closed as resolved');
    const closed: any = await app.query(`{ problemReports(first: 10, filter: { status: [RESOLVED] }) { nodes { message resolutionNote } } }`, {}, keys.ageUk);
    expect(closed.problemReports.nodes).toEqual([{ message: 'The phone number rings out.', resolutionNote: 'Number corrected.' }]);

    // The other, from the service's own page; and there, its history.
    await page.locator('.partner-service h3 a', { hasText: target.name }).click();
    const own = page.locator('#reports');
    await expect.poll(() => own.locator('h2').textContent()).toBe('Problem reports (1 open)');
    await own.getByRole('button', { name: 'Dismiss: it was right' }).click();
    await expect.poll(() => own.locator('h2').textContent()).toBe('Problem reports (0 open)');
    const open: any = await app.query(`{ problemReports(first: 10) { totalCount } }`, {}, keys.ageUk);
    expect(open.problemReports.totalCount).toBe(0);

    const history = page.locator('section[aria-labelledby="history-heading"] .history > li');
    await history.first().waitFor();
    const edit = history.filter({ hasText: 'Details changed' }).first();
    expect(await edit.locator('.history-what').textContent()).toMatch(/^Details changed on .+ by Age UK partner/);
    const lines = await edit.locator('.history-changes li').allTextContents();
    expect(lines.some((line) => line.startsWith('Email: was ') && line.endsWith('now “befriending@example.org”'))).toBe(true);
    expect(lines.some((line) => line.startsWith('Description: was “') && line.endsWith('now “Friendly weekly phone calls with a trained volunteer, now on Saturdays too.”'))).toBe(true);
    await page.locator('#history-heading').scrollIntoViewIfNeeded();
    await shot(page, '11-history');
    await page.context().close();
  });

  it('a name, description and report holding markup are shown as text', async () => {
    const target = await serviceNamed('Age UK Coventry Tea and Chat Afternoons');
    const name = 'Age UK Coventry <b>Tea</b> and Chat';
    await app.query(UPDATE, { input: { id: target.id, version: target.version, name, description: MARKUP } }, keys.ageUk);
    await app.query(REPORT, { input: { serviceId: target.id, kind: 'OTHER', message: MARKUP } });
    const page = await openPage();
    await signIn(page);
    await expect.poll(() => page.locator(`.partner-service[data-service-id="${target.id}"] h3`).textContent()).toBe(name);
    expect(await page.locator('.report-message').allTextContents()).toContain(MARKUP);
    await page.locator(`.partner-service[data-service-id="${target.id}"] h3 a`).click();
    await expect.poll(() => h1(page)).toBe(name);
    expect(await page.getByLabel('Description').inputValue()).toBe(MARKUP);
    expect(await page.locator('.report-message').textContent()).toBe(MARKUP);
    await page.locator('.history-changes li', { hasText: 'Description:' }).first().waitFor();
    expect(await page.locator('.history-changes').first().textContent()).toContain('<img src=x onerror=');
    expect(await page.locator('main img, main b, main script').count()).toBe(0);
    expect(await page.evaluate('window.__injected')).toBeUndefined();
    await shot(page, '12-markup-as-text');
    await page.context().close();
  });

  it('works from the keyboard alone, with the focus visible', async () => {
    const page = await openPage();
    await page.goto(`${server.origin}/partners`);
    // The page starts from its heading, so the first Tab reaches the key's field.
    await expect.poll(() => page.evaluate('document.activeElement?.tagName')).toBe('H1');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.id')).toBe('api-key');
    await page.keyboard.type(keys.ageUk);
    await page.keyboard.press('Enter');
    await expect.poll(() => h1(page)).toBe('Your services');
    for (let i = 0; i < 20 && (await page.evaluate("document.activeElement?.closest('.partner-service') === null")); i += 1) await page.keyboard.press('Tab');
    expect(await page.evaluate('getComputedStyle(document.activeElement).outlineStyle')).toBe('solid');
    const first = await page.evaluate<string>('document.activeElement.textContent');
    await shot(page, '13-keyboard-list');
    await page.keyboard.press('Enter');
    await expect.poll(() => h1(page)).toBe(first);
    await page.locator('.service-form').waitFor();
    // From the heading, the first control is the referral wait; the buttons after it are reached by Tab too.
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.id')).toBe('capacity-wait');
    for (let i = 0; i < 5 && (await page.evaluate('document.activeElement?.tagName')) !== 'BUTTON'; i += 1) await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Taking referrals');
    expect(await page.evaluate('getComputedStyle(document.activeElement).outlineStyle')).toBe('solid');
    await shot(page, '14-keyboard-service');
    await page.context().close();
  });

  it('axe-core finds no accessibility violations on the sign-in view, the list and the edit form, on a desktop and at 375 px', async () => {
    const axe = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
    const violations = async (page: Page) => {
      // Evaluated through the DevTools protocol, which the page's CSP (script-src 'self') does not govern.
      await page.evaluate(axe);
      const result: any = await page.evaluate("axe.run(document, { resultTypes: ['violations'] })");
      return result.violations.map((v: any) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n: any) => n.target.join(' ')).join(', ')}`);
    };
    const fits = (page: Page, width: number) => expect(page.evaluate<number>('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(width);
    const target = await serviceNamed('Age UK Oldham Chair-Based Exercise');
    for (const [width, height] of [
      [1280, 900],
      [375, 800],
    ]) {
      const page = await openPage(width, height);
      await page.goto(`${server.origin}/partners`);
      await page.getByLabel('Your API key').waitFor();
      expect(await violations(page)).toEqual([]);
      await fits(page, width);
      if (width === 375) await shot(page, '15-sign-in-375px');

      await page.getByLabel('Your API key').fill(keys.ageUk);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('.partner-service').first().waitFor();
      await page.locator('.report-item').first().waitFor();
      expect(await violations(page)).toEqual([]);
      await fits(page, width);
      if (width === 375) await shot(page, '16-list-375px');

      await page.locator(`.partner-service[data-service-id="${target.id}"] h3 a`).click();
      await page.locator('.service-form').waitFor();
      await page.locator('section[aria-labelledby="history-heading"] p').first().waitFor();
      expect(await violations(page)).toEqual([]);
      await fits(page, width);
      if (width === 375) await shot(page, '17-service-375px');
      // With errors shown at their fields and in the summary.
      await page.getByLabel('Website', { exact: true }).fill('not a web address');
      await page.getByLabel('Youngest age').fill('about ten');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.locator('.error-summary').waitFor();
      expect(await violations(page)).toEqual([]);
      await fits(page, width);
      if (width === 375) await shot(page, '18-edit-errors-375px');
      await page.context().close();
    }
  });

  it('the page loads nothing from another host, raised no script error, and is sent with a CSP that allows no inline script', async () => {
    // The one expected console error: the 401 answering the wrong key of the first test.
    expect(pageErrors.filter((text) => text !== REFUSED_KEY_LOG)).toEqual([]);
    expect(pageErrors.filter((text) => text === REFUSED_KEY_LOG).length).toBeLessThanOrEqual(1);
    expect(requested.length).toBeGreaterThan(20);
    expect(requested.filter((request) => !request.url.startsWith(`${server.origin}/`) && !request.url.startsWith('data:'))).toEqual([]);
    for (const path of ['/partners', '/partners/', `/partners/services/${encodeURIComponent(draft.id)}`]) {
      const response = await fetch(`${server.origin}${path}`);
      expect(response.status).toBe(200);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("connect-src 'self'");
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
      const html = await response.text();
      expect(html.match(/<script\b[^>]*>/g)).toEqual([expect.stringMatching(/^<script type="module" crossorigin src="\/assets\/partners-[\w-]+\.js">$/)]);
    }
  });
});
