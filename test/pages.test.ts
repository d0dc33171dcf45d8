import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type BrowserContext, type Page, type Request } from 'playwright-core';
import { createTestApp, listen, onPostgres, type Listening, type TestApp } from './utils';
import { parseTypedId } from '../src/modules/common/global-id';
import express from 'express';
import { pagesRouter } from '../src/http/pages';
import { readPagesConfig } from '../src/config';
import { buildPagesIfStale, BUILT, CHROMIUM_OPTIONS, MANIFEST, ROOT } from './web-build';
import { nextOccurrence, readSearch, toVariables, writeSearch } from '../web/finder/search-state';

/**
 * The finder (web/finder, served at / by src/http/pages.ts) in a real browser:
 * Debian's Chromium driven by playwright-core, against the server in-process
 * on the sample directory. Each test leaves a screenshot in test-output/pages/.
 * On SQLite only: the pages do not depend on the database, and a browser run is
 * the slowest thing in the suite. (The playground at /graphql: playground.test.ts.)
 */
const SHOTS = join(ROOT, 'test-output', 'pages');
const BUDGET_BYTES = 250 * 1024;
/** One GraphQL request as the page sent it. */
interface Sent {
  operation: string;
  variables: Record<string, any>;
}
const SCRIPT_ADDRESS = 'javascript:window.__injected=3';
const MARKUP = 'Tea and a chat. <img src=x onerror="window.__injected=1"><script>window.__injected=2</script> <b>Bold?</b>';

describe.skipIf(onPostgres)('the finder in a browser', () => {
  let app: TestApp;
  let server: Listening;
  let browser: Browser;
  /** Every request any page made, to show none left the server's origin. */
  const requested: string[] = [];
  /** Script errors, and console errors (CSP refusals, failed loads), in any page. */
  const pageErrors: string[] = [];
  /** The service whose description holds markup, and its name. */
  let markedUp: { id: string; name: string };

  beforeAll(async () => {
    buildPagesIfStale();
    mkdirSync(SHOTS, { recursive: true });
    [app, browser] = await Promise.all([
      createTestApp(),
      chromium.launch(CHROMIUM_OPTIONS),
    ]);
    const near: any = await app.query('{ services(first: 1, near: { postcode: "LS7 4SA", radiusKm: 5 }) { nodes { id name } } }');
    markedUp = near.services.nodes[0];
    // A javascript: address too, as a feed or an old row might hold one: the page must not make it a link.
    await app.em().getKnex()('service').where('id', parseTypedId(markedUp.id, 'Service', 'id')).update({ description: MARKUP, contact_url: SCRIPT_ADDRESS });
    server = await listen(app);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await app?.close();
  });

  /**
   * A fresh browser context (no cache, no storage) at this size, or a new page in `reuse` (the same
   * browser's storage). `graphql` holds the URL of each GraphQL request, `sent` its operation and
   * variables (from a GET's query string or a POST's body). The page's own scripts below are evaluated
   * as strings: this file is type-checked without the DOM library.
   */
  async function openPage(width = 1280, height = 900, reuse?: BrowserContext): Promise<{ context: BrowserContext; page: Page; graphql: string[]; sent: Sent[] }> {
    const context = reuse ?? (await browser.newContext({ viewport: { width, height } }));
    const page = await context.newPage();
    const graphql: string[] = [];
    const sent: Sent[] = [];
    page.on('request', (request) => {
      requested.push(request.url());
      const url = new URL(request.url());
      if (url.pathname !== '/graphql') return;
      graphql.push(request.url());
      sent.push(readSent(request));
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // A CSP refusal or a failed load is reported on the console.
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    return { context, page, graphql, sent };
  }

  /** A GraphQL request's operation name and variables, from a GET's query string or a POST's body. */
  function readSent(request: Request): Sent {
    const url = new URL(request.url());
    const body = request.method() === 'POST' ? JSON.parse(request.postData() ?? '{}') : { query: url.searchParams.get('query'), variables: JSON.parse(url.searchParams.get('variables') ?? '{}') };
    return { operation: /(?:query|mutation)\s+(\w+)/.exec(body.query ?? '')?.[1] ?? '', variables: body.variables ?? {} };
  }

  /** What a visitor sees first (the viewport); `fullPage` for the shorter pages. */
  const shot = (page: Page, name: string, fullPage = false) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
  const resultNames = (page: Page) => page.locator('.result h3').allTextContents();
  const markerCount = (page: Page) => page.locator('.hub-marker').count();

  async function searchPostcode(page: Page, postcode: string): Promise<void> {
    await page.goto(`${server.origin}/`);
    await page.getByLabel('Postcode or town').fill(postcode);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('.result').first().waitFor();
    await page.locator('.hub-marker').first().waitFor();
  }

  /** What the server says the same search finds: the services and the hubs the map should mark. */
  async function expected(filter: Record<string, unknown>, { radiusKm = 5, first = 30 } = {}) {
    const data: any = await app.query(
      `query ($filter: ServiceFilter, $near: NearInput, $first: Int) {
        services(first: $first, near: $near, filter: $filter) { totalCount nodes { name } facets { categories { count category { id name } } } }
        hubs(first: 100, near: $near, serviceFilter: $filter) { nodes { kind } }
      }`,
      { filter, near: { postcode: 'LS7 4SA', radiusKm }, first },
    );
    return { ...data.services, markers: data.hubs.nodes.filter((hub: any) => hub.kind !== 'ONLINE').length };
  }

  /** Waits for a value the page reaches after typing pauses (TYPING_PAUSE_MS) and a request: longer than expect.poll's 1 s, for a busy CI machine. */
  const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 5_000 });
  const searches = (sent: Sent[]) => sent.filter((request) => request.operation === 'FinderSearch');
  const lastSearch = (sent: Sent[]) => searches(sent).at(-1)?.variables ?? {};
  const resultIds = (page: Page) => page.locator('.result').evaluateAll((items: any[]) => items.map((item) => item.dataset.serviceId as string));
  const names = (data: { nodes: Array<{ name: string }> }) => data.nodes.map((node) => node.name);
  const openMoreFilters = (page: Page) => page.locator('details.more-filters > summary').click();
  /** An instant as London's schedules read it: "Monday 10:45". */
  const londonDayTime = (iso: string) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'long', hour: '2-digit', minute: '2-digit' }).format(new Date(iso)).replace(' at ', ' ');

  async function openSearch(page: Page, query = 'place=LS7+4SA&q='): Promise<void> {
    await page.goto(`${server.origin}/?${query}`);
    await page.locator('.result').first().waitFor();
  }

  it('a postcode search shows the list and the map markers, from one GraphQL request', async () => {
    const { context, page, graphql } = await openPage();
    await page.goto(`${server.origin}/`);
    await shot(page, '01-landing');
    expect(graphql).toHaveLength(0);
    await searchPostcode(page, 'LS7 4SA');
    const want = await expected({});
    expect(await resultNames(page)).toEqual(want.nodes.map((node: any) => node.name));
    expect(want.markers).toBeGreaterThan(1);
    expect(await markerCount(page)).toBe(want.markers);
    await expect.poll(() => page.locator('.status').textContent()).toContain(`${want.totalCount} services found within 5 km of LS7 4SA`);
    expect(new URL(page.url()).searchParams.get('place')).toBe('LS7 4SA');
    expect(graphql).toHaveLength(1);
    await shot(page, '02-postcode-search');
    await context.close();
  });

  it('a category filter narrows both the list and the markers', async () => {
    const { context, page, graphql } = await openPage();
    await searchPostcode(page, 'LS7 4SA');
    const before = await expected({});
    const facet = before.facets.categories.find((f: any) => f.count < before.totalCount);
    const after = await expected({ categoryIds: [facet.category.id] });
    expect(after.markers).toBeLessThan(before.markers);
    await page.getByRole('checkbox', { name: `${facet.category.name} (${facet.count})` }).check();
    await expect.poll(() => resultNames(page)).toEqual(after.nodes.map((node: any) => node.name));
    expect(after.totalCount).toBe(facet.count);
    await expect.poll(() => markerCount(page)).toBe(after.markers);
    expect(new URL(page.url()).searchParams.getAll('cat')).toEqual([facet.category.id]);
    expect(graphql).toHaveLength(2);
    await shot(page, '03-category-filter');
    await context.close();
  });

  it('a shared address restores the search, filters included', async () => {
    const before = await expected({});
    const facet = before.facets.categories.find((f: any) => f.count < before.totalCount);
    const after = await expected({ categoryIds: [facet.category.id] });
    const { context, page, graphql } = await openPage();
    await page.goto(`${server.origin}/?place=LS7+4SA&q=&cat=${encodeURIComponent(facet.category.id)}&open=0`);
    await page.locator('.result').first().waitFor();
    expect(await page.getByLabel('Postcode or town').inputValue()).toBe('LS7 4SA');
    expect(await page.getByRole('checkbox', { name: new RegExp(`^${facet.category.name} `) }).isChecked()).toBe(true);
    expect(await resultNames(page)).toEqual(after.nodes.map((node: any) => node.name));
    await expect.poll(() => markerCount(page)).toBe(after.markers);
    expect(graphql).toHaveLength(1);
    await shot(page, '04-shared-address');
    await context.close();
  });

  it('a town is searched as words of the search, which the search rules read as a place', async () => {
    const want: any = await app.query('{ services(first: 30, filter: { text: "walking Leeds" }) { nodes { name } } hubs(first: 100, serviceFilter: { text: "walking Leeds" }) { nodes { kind } } }');
    expect(want.services.nodes.length).toBeGreaterThan(0);
    const { context, page, graphql } = await openPage();
    await page.goto(`${server.origin}/?place=Leeds&q=walking`);
    await page.locator('.result').first().waitFor();
    expect(await resultNames(page)).toEqual(want.services.nodes.map((node: any) => node.name));
    await expect.poll(() => markerCount(page)).toBe(want.hubs.nodes.filter((hub: any) => hub.kind !== 'ONLINE').length);
    expect(graphql).toHaveLength(1);
    await context.close();
  });

  it('a postcode the directory does not know is said at its field', async () => {
    const { context, page } = await openPage();
    await page.goto(`${server.origin}/?place=ZZ9+9ZZ&q=`);
    const place = page.getByLabel('Postcode or town');
    await expect.poll(() => place.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator(`#${await place.getAttribute('aria-describedby')}`).textContent()).toContain('We could not find that postcode');
    expect(await page.locator('.result').count()).toBe(0);
    await context.close();
  });

  it('the service page says who it reaches, whether it takes referrals, how to refer, and when it was last checked', async () => {
    const { context, page, graphql } = await openPage();
    await searchPostcode(page, 'LS7 4SA');
    const service: any = (
      await app.query(`query ($id: ID!) { service(id: $id) { name capacity { status } howToRefer { routes } review { lastVerifiedAt } } }`, {
        id: (await app.query<any>('{ services(first: 2, near: { postcode: "LS7 4SA", radiusKm: 5 }) { nodes { id } } }')).services.nodes[1].id,
      })
    ).service;
    await page.getByRole('link', { name: service.name }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe(service.name);
    const text = (await page.locator('article.service').textContent()) ?? '';
    expect(text).toContain('Who it reaches:');
    expect(text).toMatch(/How to refer(Taking referrals|Waiting list|Not taking referrals|Referrals: not known)/);
    if (service.howToRefer.routes.length) expect(text).toMatch(/Referrals from /);
    const checked = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(service.review.lastVerifiedAt));
    expect(text).toContain(`Last checked on ${checked}`);
    expect(await page.getByRole('heading', { name: 'Report a problem' }).isVisible()).toBe(true);
    // The search and the service page: one request each.
    expect(graphql).toHaveLength(2);
    await shot(page, '05-service-page', true);
    // Back goes to the same results, from the cache.
    await page.getByRole('link', { name: 'Back to results' }).click();
    await page.locator('.result').first().waitFor();
    expect(graphql).toHaveLength(2);
    await context.close();
  });

  it('a search can be made with the keyboard alone, with the focus visible', async () => {
    const { context, page } = await openPage();
    await page.goto(`${server.origin}/`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Skip to main content');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.id')).toBe('place');
    await page.keyboard.type('LS7 4SA');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.id')).toBe('what');
    await page.keyboard.type('walk');
    const outline = await page.evaluate('getComputedStyle(document.activeElement).outlineStyle');
    expect(outline).toBe('solid');
    await shot(page, '06-keyboard-focus');
    await page.keyboard.press('Enter');
    await page.locator('.result').first().waitFor();
    const want: any = await app.query('{ services(first: 30, near: { postcode: "LS7 4SA", radiusKm: 5 }, filter: { text: "walk" }) { nodes { name } } }');
    expect(await resultNames(page)).toEqual(want.services.nodes.map((node: any) => node.name));
    // Onwards to the first result's page by keyboard: Tab reaches its link, Enter opens it.
    for (let i = 0; i < 40 && (await page.evaluate("document.activeElement?.closest('.result') === null")); i += 1) await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('h1').textContent()).toBe(want.services.nodes[0].name);
    await shot(page, '07-keyboard-service');
    await context.close();
  });

  it('a description with markup is shown as text, in the list and on the service page', async () => {
    const { context, page } = await openPage();
    await searchPostcode(page, 'LS7 4SA');
    const item = page.locator(`.result[data-service-id="${markedUp.id}"]`);
    expect(await item.locator('.description').textContent()).toContain('<img src=x onerror=');
    await page.getByRole('link', { name: markedUp.name }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe(markedUp.name);
    expect(await page.locator('article .description').textContent()).toBe(MARKUP);
    expect(await page.locator('main img[src="x"], main b, main script').count()).toBe(0);
    // The web address is shown, as text: no link runs it.
    expect(await page.locator('main').textContent()).toContain(SCRIPT_ADDRESS);
    expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);
    expect(await page.evaluate('window.__injected')).toBeUndefined();
    await shot(page, '08-markup-as-text');
    await context.close();
  });

  it('axe-core finds no accessibility violations on the finder (with "More filters" open), a shortlist and the service page, on a desktop and at 375 px', async () => {
    const axe = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
    const violations = async (page: Page) => {
      // Evaluated through the DevTools protocol, which the page's CSP (script-src 'self') does not govern.
      await page.evaluate(axe);
      const result: any = await page.evaluate("axe.run(document, { resultTypes: ['violations'] })");
      return result.violations.map((v: any) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n: any) => n.target.join(' ')).join(', ')}`);
    };
    for (const [width, height] of [
      [1280, 900],
      [375, 800],
    ]) {
      const { context, page } = await openPage(width, height);
      // The results page holds the landing page's form too.
      await searchPostcode(page, 'LS7 4SA');
      if (width === 375) await shot(page, '09-finder-375px');
      await openMoreFilters(page);
      await page.getByRole('checkbox', { name: 'Unpaid carer', exact: true }).waitFor();
      expect(await violations(page)).toEqual([]);
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
      if (width === 375) await shot(page, '09b-more-filters-375px', true);
      // A shortlist, with its share box and buttons.
      const first = (await resultNames(page))[0];
      await page.getByRole('button', { name: `Add to shortlist: ${first}` }).click();
      await page.getByRole('link', { name: 'Your shortlist (1)' }).click();
      await page.locator('.shortlist-item').waitFor();
      expect(await violations(page)).toEqual([]);
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
      await page.goBack();
      await page.locator('.result h3 a').first().waitFor();
      await page.locator('.result h3 a').first().click();
      await page.locator('article.service').waitFor();
      await page.getByRole('button', { name: 'Something wrong with this listing?' }).click();
      expect(await violations(page)).toEqual([]);
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
      if (width === 375) await shot(page, '10-service-375px', true);
      await context.close();
    }
  });

  it('"report a problem" sends the reportProblem mutation and shows its receipt', async () => {
    const { context, page } = await openPage();
    await page.goto(`${server.origin}/services/${encodeURIComponent(markedUp.id)}`);
    await page.getByRole('button', { name: 'Something wrong with this listing?' }).click();
    await page.getByLabel('What is wrong').selectOption('WRONG_TIMES');
    await page.getByLabel('Tell us more').fill('It meets on Thursdays now.');
    await page.getByRole('button', { name: 'Send report' }).click();
    await page.getByText('Thank you.').waitFor();
    const [row] = await app.em().getKnex()('problem_report').where('service_id', parseTypedId(markedUp.id, 'Service', 'id')).select('message', 'kind');
    expect(row).toEqual({ message: 'It meets on Thursdays now.', kind: 'WRONG_TIMES' });
    await shot(page, '11-problem-reported');
    await context.close();
  });

  it('typing in "what matters" searches as one types: results follow without Search, with far fewer requests than keys and no history entry per key', async () => {
    const { context, page, graphql, sent } = await openPage();
    // From the landing page, a prefix ("gard") already finds gardening.
    await page.goto(`${server.origin}/`);
    await page.getByLabel('What matters to you').pressSequentially('gard', { delay: 60 });
    await page.locator('.result').first().waitFor();
    const gard: any = await app.query('{ services(first: 30, filter: { text: "gard" }) { nodes { name } } }');
    expect(names(gard.services)).toContain('Thrive Birmingham Therapeutic Gardening');
    expect(await resultNames(page)).toEqual(names(gard.services));
    expect(graphql).toHaveLength(1);

    // A place-wide search, narrowed key by key.
    await openSearch(page);
    const before = await expected({});
    const want = await expected({ text: 'walking' });
    expect(want.totalCount).toBeLessThan(before.totalCount);
    expect(await resultNames(page)).toEqual(names(before));
    const requestsBefore = graphql.length;
    const history = await page.evaluate<number>('history.length');
    await page.getByLabel('What matters to you').pressSequentially('walking', { delay: 60 });
    await poll(() => resultNames(page)).toEqual(names(want));
    await poll(() => markerCount(page)).toBe(want.markers);
    expect(new URL(page.url()).searchParams.get('q')).toBe('walking');
    // Seven keys: one request once typing paused (a few at most, had the machine stalled mid-word).
    const typed = graphql.length - requestsBefore;
    expect(typed).toBeGreaterThanOrEqual(1);
    expect(typed).toBeLessThanOrEqual(3);
    expect(lastSearch(sent).filter).toEqual({ text: 'walking' });
    // The address follows with replaceState: Back leaves the search, not one letter.
    expect(await page.evaluate<number>('history.length')).toBe(history);
    await shot(page, '12-search-as-you-type');

    // On a slow connection, a search still in flight when typing goes on is given up (its fetch aborted), never shown.
    const aborted: string[] = [];
    page.on('requestfailed', (request) => {
      if (new URL(request.url()).pathname === '/graphql') aborted.push(request.failure()?.errorText ?? '');
    });
    // The search for "bef" is held up, as by a slow connection; the ones after it are not.
    await page.route(
      (url) => url.pathname === '/graphql',
      async (route) => {
        if (readSent(route.request()).variables.filter?.text === 'bef') await new Promise((resolve) => setTimeout(resolve, 3_000));
        await route.continue().catch(() => undefined);
      },
    );
    const what = page.getByLabel('What matters to you');
    await what.fill('');
    await what.pressSequentially('bef', { delay: 20 });
    await poll(() => lastSearch(sent).filter.text).toBe('bef');
    await what.pressSequentially('riending', { delay: 20 });
    const befriending = await expected({ text: 'befriending' });
    await poll(() => resultNames(page)).toEqual(names(befriending));
    expect(aborted).toEqual(['net::ERR_ABORTED']);
    expect(new URL(page.url()).searchParams.get('q')).toBe('befriending');
    await context.close();
  });

  it('the circumstances a person meets (eligibility criteria, by code) leave out services for people in others', async () => {
    const { context, page, sent } = await openPage();
    await openSearch(page);
    const before = await expected({});
    const lonely = await expected({ person: { criterionCodes: ['lonely-or-isolated'] } });
    expect(lonely.totalCount).toBeGreaterThan(0);
    expect(lonely.totalCount).toBeLessThan(before.totalCount);
    // By keyboard: the disclosure opens with Enter, a box ticks with Space.
    await page.locator('details.more-filters > summary').focus();
    await page.keyboard.press('Enter');
    const box = page.getByRole('checkbox', { name: 'Lonely or isolated', exact: true });
    await box.focus();
    await page.keyboard.press('Space');
    await poll(() => resultNames(page)).toEqual(names(lonely));
    expect(new URL(page.url()).searchParams.getAll('meets')).toEqual(['lonely-or-isolated']);
    expect(lastSearch(sent).filter).toEqual({ person: { criterionCodes: ['lonely-or-isolated'] } });
    // Age stays, beside the criteria.
    await page.getByLabel('Age (optional)').fill('72');
    const older = await expected({ person: { age: 72, criterionCodes: ['lonely-or-isolated'] } });
    await poll(() => lastSearch(sent).filter).toEqual({ person: { age: 72, criterionCodes: ['lonely-or-isolated'] } });
    await poll(() => resultNames(page)).toEqual(names(older));
    // The criteria came with the first search: no request of their own.
    expect(sent.map((request) => request.operation)).toEqual(['FinderSearch', 'FinderSearch', 'FinderSearch']);
    await shot(page, '13-circumstances', true);
    await context.close();
  });

  it('a day and time the person can go ("Monday at 10:45") is sent as openAt, the next such instant in London', async () => {
    const { context, page, sent } = await openPage();
    await openSearch(page, 'place=LS7+4SA&q=&radius=10');
    const anyTime = await expected({}, { radiusKm: 10 });
    await openMoreFilters(page);
    await page.getByLabel('Time', { exact: true }).fill('10:45');
    await page.getByLabel('Day', { exact: true }).selectOption('monday');
    await poll(() => lastSearch(sent).filter.openAt).toBeTruthy();
    const mondayAt: string = lastSearch(sent).filter.openAt;
    expect(londonDayTime(mondayAt)).toBe('Monday 10:45');
    expect(Date.parse(mondayAt) - Date.now()).toBeGreaterThan(-60_000);
    expect(Date.parse(mondayAt) - Date.now()).toBeLessThan(7 * 24 * 3600_000);
    expect(new URL(page.url()).searchParams.get('day')).toBe('monday');
    expect(new URL(page.url()).searchParams.get('time')).toBe('10:45');
    // The sample directory's Ramblers walk in Roundhay Park meets on Mondays 10:30-11:30.
    const monday = await expected({ openAt: mondayAt }, { radiusKm: 10 });
    expect(names(monday)).toContain('Ramblers Wellbeing Walk, Roundhay Park');
    expect(monday.totalCount).toBeLessThan(anyTime.totalCount);
    await poll(() => resultNames(page)).toEqual(names(monday));
    await shot(page, '14-open-at-monday', true);
    await page.getByLabel('Day', { exact: true }).selectOption('tuesday');
    await poll(() => londonDayTime(lastSearch(sent).filter.openAt)).toBe('Tuesday 10:45');
    const tuesday = await expected({ openAt: lastSearch(sent).filter.openAt }, { radiusKm: 10 });
    expect(names(tuesday)).not.toContain('Ramblers Wellbeing Walk, Roundhay Park');
    await poll(() => resultNames(page)).toEqual(names(tuesday));
    await context.close();
  });

  it('access needs and a language narrow the list and the map, each sent in the one search request', async () => {
    const { context, page, sent } = await openPage();
    await openSearch(page);
    await page.locator('.hub-marker').first().waitFor();
    const before = await expected({});
    const loop = await expected({ accessibility: ['HEARING_LOOP'] });
    expect(loop.totalCount).toBeLessThan(before.totalCount);
    expect(loop.markers).toBeLessThan(before.markers);
    await openMoreFilters(page);
    await page.getByRole('checkbox', { name: 'Hearing loop', exact: true }).check();
    await poll(() => resultNames(page)).toEqual(names(loop));
    await poll(() => markerCount(page)).toBe(loop.markers);
    const language = page.getByLabel('Language', { exact: true });
    expect(await language.locator('option[value="bfi"]').textContent()).toBe('British Sign Language');
    await language.selectOption('ur');
    const urdu = await expected({ accessibility: ['HEARING_LOOP'], languages: ['ur'] });
    expect(urdu.totalCount).toBeGreaterThan(0);
    expect(urdu.totalCount).toBeLessThan(loop.totalCount);
    await poll(() => resultNames(page)).toEqual(names(urdu));
    await poll(() => markerCount(page)).toBe(urdu.markers);
    expect(lastSearch(sent).filter).toEqual({ accessibility: ['HEARING_LOOP'], languages: ['ur'] });
    expect(new URL(page.url()).searchParams.getAll('access')).toEqual(['HEARING_LOOP']);
    expect(new URL(page.url()).searchParams.get('lang')).toBe('ur');
    // British Sign Language goes as its ISO 639 code (no sample service offers it).
    await language.selectOption('bfi');
    await poll(() => lastSearch(sent).filter.languages).toEqual(['bfi']);
    await poll(() => page.locator('.results').textContent()).toContain('No services match');
    expect(searches(sent)).toHaveLength(4);
    await shot(page, '15-access-and-language', true);
    await context.close();
  });

  it('"Show more results" appends the next page (Relay `after`) to the list, without duplicates, and Back from a service keeps it', async () => {
    const { context, page, graphql, sent } = await openPage();
    // No place and no words: the whole directory, more than two pages of it.
    await openSearch(page, 'place=&q=');
    const all: any = await app.query('{ services(first: 60) { totalCount nodes { id name } pageInfo { hasNextPage } } }');
    expect(all.services.totalCount).toBeGreaterThan(60);
    expect(await resultNames(page)).toEqual(names(all.services).slice(0, 30));
    const markersBefore = await markerCount(page);
    await page.getByRole('button', { name: 'Show more results' }).click();
    await poll(() => page.locator('.result').count()).toBe(60);
    const ids = await resultIds(page);
    expect(new Set(ids).size).toBe(60);
    expect(ids).toEqual(all.services.nodes.map((node: any) => node.id));
    expect(await page.locator('.more').first().textContent()).toContain(`Showing 60 of ${all.services.totalCount}.`);
    // One request for the second page, continuing from the first's endCursor; the map keeps its markers.
    expect(graphql).toHaveLength(2);
    expect(typeof sent[1].variables.after).toBe('string');
    expect(sent[1].variables.first).toBe(30);
    expect(await markerCount(page)).toBe(markersBefore);
    // The focus goes to the first result added.
    expect(await page.evaluate('document.activeElement?.textContent')).toBe(all.services.nodes[30].name);
    await shot(page, '16-show-more');
    // A service from the second page, and back: both pages again, from the cache.
    await page.locator('.result h3 a').nth(44).click();
    await page.locator('article.service').waitFor();
    await page.getByRole('link', { name: 'Back to results' }).click();
    await poll(() => page.locator('.result').count()).toBe(60);
    expect(graphql).toHaveLength(3);
    await context.close();
  });

  it('a shortlist survives a reload, and its link opens the same services in a fresh browser', async () => {
    const { context, page, sent } = await openPage();
    await openSearch(page);
    const picked = (await resultNames(page)).slice(1, 3);
    for (const name of picked) await page.getByRole('button', { name: `Add to shortlist: ${name}` }).click();
    const link = page.getByRole('link', { name: 'Your shortlist (2)' });
    await link.waitFor();
    expect(await page.getByRole('status').filter({ hasText: 'added to your shortlist' }).textContent()).toBe(`${picked[1]} added to your shortlist. 2 services on it.`);
    await page.reload();
    await page.locator('.result').first().waitFor();
    await link.waitFor();
    for (const name of picked) expect(await page.getByRole('button', { name: `Remove from shortlist: ${name}` }).isVisible()).toBe(true);
    await shot(page, '17-shortlisted');

    await link.click();
    await page.getByRole('heading', { name: 'Your shortlist' }).waitFor();
    await page.locator('.shortlist-item').first().waitFor();
    expect(await page.locator('.shortlist-item h2').allTextContents()).toEqual(picked);
    expect(sent.at(-1)).toEqual({ operation: 'Shortlist', variables: { ids: expect.any(Array) } });
    expect(sent.at(-1)?.variables.ids).toHaveLength(2);
    const shared = await page.getByLabel(/^Link to this list/).inputValue();
    expect(shared).toMatch(new RegExp(`^${server.origin}/\\?shortlist=[\\w-]+,[\\w-]+$`));
    await shot(page, '18-shortlist', true);

    // A fresh browser (no storage) opens the same services, in one request.
    const fresh = await openPage(375, 800);
    await fresh.page.goto(shared);
    await fresh.page.locator('.shortlist-item').first().waitFor();
    expect(await fresh.page.locator('h1').textContent()).toBe('A shortlist shared with you');
    expect(await fresh.page.locator('.shortlist-item h2').allTextContents()).toEqual(picked);
    expect(fresh.graphql).toHaveLength(1);
    expect(await fresh.page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await shot(fresh.page, '19-shortlist-shared-375px', true);
    await fresh.page.getByRole('button', { name: 'Keep these on my shortlist' }).click();
    await fresh.page.getByRole('link', { name: 'Your shortlist (2)' }).waitFor();
    expect(await fresh.page.locator('h1').textContent()).toBe('Your shortlist');
    await fresh.context.close();

    // A service's page from the list leads back to it.
    await page.getByRole('link', { name: picked[1], exact: true }).click();
    await page.locator('article.service').waitFor();
    await page.getByRole('link', { name: 'Back to shortlist' }).click();
    await page.locator('.shortlist-item').first().waitFor();
    // On one's own list, taking a service off takes it off the page (and the link).
    await page.getByRole('button', { name: `Remove from shortlist: ${picked[0]}` }).click();
    await poll(() => page.locator('.shortlist-item h2').allTextContents()).toEqual([picked[1]]);
    expect(new URL(page.url()).searchParams.get('shortlist')?.split(',')).toHaveLength(1);
    await page.getByRole('link', { name: 'Your shortlist (1)' }).waitFor();
    await context.close();
  });

  it('printed, the results and a service page leave out the map, the form and the buttons, and write out the addresses to type', async () => {
    const { context, page } = await openPage();
    await openSearch(page);
    await page.locator('.hub-marker').first().waitFor();
    const formUrl = ((await app.query<any>(`query ($id: ID!) { service(id: $id) { howToRefer { formUrl } } }`, { id: markedUp.id })).service.howToRefer.formUrl) as string;
    expect(formUrl).toMatch(/^https:\/\//);
    expect(await page.getByRole('button', { name: 'Print results' }).isVisible()).toBe(true);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.map-panel').isVisible()).toBe(false);
    expect(await page.locator('.search-form').isVisible()).toBe(false);
    expect(await page.locator('.site-header').isVisible()).toBe(false);
    expect(await page.locator('button:visible').count()).toBe(0);
    expect(await page.locator('.result').first().isVisible()).toBe(true);
    const item = page.locator(`.result[data-service-id="${markedUp.id}"]`);
    expect(await item.getByText(`Referral form: ${formUrl}`).isVisible()).toBe(true);
    expect(await item.getByText(`Details: ${server.origin}/services/${encodeURIComponent(markedUp.id)}`).isVisible()).toBe(true);
    expect(await page.locator('.search-summary').textContent()).toMatch(/^Services, within 5 km of LS7 4SA\. \d+ found; \d+ listed here\./);
    await shot(page, '20-print-results', true);

    await page.emulateMedia({ media: 'screen' });
    await page.getByRole('link', { name: markedUp.name }).click();
    await page.locator('article.service').waitFor();
    expect(await page.getByRole('button', { name: 'Print' }).isVisible()).toBe(true);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('button:visible').count()).toBe(0);
    expect(await page.locator('.report').isVisible()).toBe(false);
    expect(await page.getByRole('link', { name: 'Back to results' }).isVisible()).toBe(false);
    expect(await page.getByRole('link', { name: formUrl }).isVisible()).toBe(true);
    await shot(page, '21-print-service', true);
    await context.close();
  });

  it('a shared address restores the new filters too (circumstances, day and time, access needs, language), with "More filters" open', async () => {
    const { context, page, graphql, sent } = await openPage();
    await openSearch(page, 'place=LS7+4SA&q=&radius=10&meets=lonely-or-isolated&day=monday&time=10:45&access=WHEELCHAIR_ACCESSIBLE_TOILET&lang=en');
    expect(await page.locator('details.more-filters').getAttribute('open')).not.toBeNull();
    expect(await page.locator('details.more-filters > summary').textContent()).toContain('More filters (4 chosen)');
    expect(await page.getByRole('checkbox', { name: 'Lonely or isolated', exact: true }).isChecked()).toBe(true);
    expect(await page.getByLabel('Day', { exact: true }).inputValue()).toBe('monday');
    expect(await page.getByLabel('Time', { exact: true }).inputValue()).toBe('10:45');
    expect(await page.getByRole('checkbox', { name: 'Wheelchair-accessible toilet', exact: true }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'Hearing loop', exact: true }).isChecked()).toBe(false);
    expect(await page.getByLabel('Language', { exact: true }).inputValue()).toBe('en');
    const { filter } = lastSearch(sent);
    expect(londonDayTime(filter.openAt)).toBe('Monday 10:45');
    expect(filter).toEqual({ person: { criterionCodes: ['lonely-or-isolated'] }, openAt: filter.openAt, accessibility: ['WHEELCHAIR_ACCESSIBLE_TOILET'], languages: ['en'] });
    const want = await expected(filter, { radiusKm: 10 });
    expect(want.totalCount).toBeGreaterThan(0);
    expect(await resultNames(page)).toEqual(names(want));
    // The search, with the criteria in it: one request.
    expect(graphql).toHaveLength(1);
    await shot(page, '22-restored-filters', true);
    await context.close();
  });

  it('the pages load nothing from another host, raised no script error, and are sent with a CSP that allows no inline script', async () => {
    expect(pageErrors).toEqual([]);
    expect(requested.length).toBeGreaterThan(10);
    expect(requested.filter((url) => !url.startsWith(`${server.origin}/`) && !url.startsWith('data:'))).toEqual([]);
    const response = await fetch(`${server.origin}/?place=LS7+4SA`);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    const html = await response.text();
    expect(html.match(/<script\b[^>]*>/g)).toEqual([expect.stringMatching(/^<script type="module" crossorigin src="\/assets\/finder-[\w-]+\.js">$/)]);
    expect((await fetch(`${server.origin}/services/U2VydmljZTox`)).headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('MAP_TILE_URL fills in the map settings and lets the CSP load images from that host only; a bad one is refused', async () => {
    const settings = readPagesConfig({ MAP_TILE_URL: 'https://{s}.tiles.example.org/{z}/{x}/{y}.png', MAP_TILE_ATTRIBUTION: '© OpenStreetMap contributors & "Example"' });
    const pages = express().use(pagesRouter({ ...settings, root: BUILT })).listen(0, '127.0.0.1');
    try {
      await new Promise((done) => pages.once('listening', done));
      const response = await fetch(`http://127.0.0.1:${(pages.address() as { port: number }).port}/`);
      expect(response.headers.get('content-security-policy')).toContain("img-src 'self' data: https://*.tiles.example.org;");
      const html = await response.text();
      expect(html).toContain('<meta name="map-tile-url" content="https://{s}.tiles.example.org/{z}/{x}/{y}.png" />');
      expect(html).toContain('<meta name="map-tile-attribution" content="© OpenStreetMap contributors &amp; &quot;Example&quot;" />');
    } finally {
      pages.close();
    }
    expect(() => readPagesConfig({ MAP_TILE_URL: 'javascript:alert(1)//{z}/{x}/{y}' })).toThrow(/MAP_TILE_URL must be an http\(s\) URL template/);
    expect(() => readPagesConfig({ MAP_TILE_URL: 'https://tile.example.org/tiles.png' })).toThrow(/MAP_TILE_URL/);
  });

  it("the finder's JavaScript is under 250 kB gzipped, not counting Leaflet", () => {
    const manifest: Record<string, { file: string; imports?: string[]; dynamicImports?: string[] }> = JSON.parse(readFileSync(MANIFEST, 'utf8'));
    const seen = new Set<string>();
    const walk = (key: string) => {
      if (seen.has(key)) return;
      seen.add(key);
      for (const next of [...(manifest[key].imports ?? []), ...(manifest[key].dynamicImports ?? [])]) walk(next);
    };
    walk('finder/index.html');
    const counted = [...seen].filter((key) => !key.includes('node_modules/leaflet/'));
    expect(counted.length).toBeLessThan(seen.size); // Leaflet is its own chunk, left out
    const bytes = counted.reduce((sum, key) => sum + gzipSync(readFileSync(join(BUILT, manifest[key].file))).length, 0);
    console.log(`finder JS: ${(bytes / 1024).toFixed(1)} kB gzipped without Leaflet (${counted.map((key) => manifest[key].file).join(', ')})`);
    expect(bytes).toBeLessThan(BUDGET_BYTES);
  });
});

/** The finder's address and variables (web/finder/search-state.ts), without a browser: the instants a chosen day and time stand for. */
describe("the finder's search state", () => {
  it('"Monday at 10:45" is the next such instant in London, today if it is still to come, across the clocks changing', () => {
    // Monday 23 November 2026 (GMT): before, at and after 10:45; and from late on the Sunday before.
    expect(nextOccurrence('monday', '10:45', new Date('2026-11-23T09:00:00Z'))).toBe('2026-11-23T10:45:00Z');
    expect(nextOccurrence('monday', '10:45', new Date('2026-11-23T10:45:00Z'))).toBe('2026-11-23T10:45:00Z');
    expect(nextOccurrence('monday', '10:45', new Date('2026-11-23T11:00:00Z'))).toBe('2026-11-30T10:45:00Z');
    expect(nextOccurrence('monday', '10:45', new Date('2026-11-22T23:30:00Z'))).toBe('2026-11-23T10:45:00Z');
    // In summer time a London morning is an hour earlier in UTC; 23:30 on a Sunday UTC is already Monday in London.
    expect(nextOccurrence('monday', '10:00', new Date('2026-06-01T08:00:00Z'))).toBe('2026-06-01T09:00:00Z');
    expect(nextOccurrence('monday', '10:00', new Date('2026-06-07T23:30:00Z'))).toBe('2026-06-08T09:00:00Z');
    // The clocks go forward on 29 March 2026 and back on 25 October 2026.
    expect(nextOccurrence('sunday', '10:00', new Date('2026-03-28T12:00:00Z'))).toBe('2026-03-29T09:00:00Z');
    expect(nextOccurrence('sunday', '10:00', new Date('2026-10-24T12:00:00Z'))).toBe('2026-10-25T10:00:00Z');
    expect(nextOccurrence('saturday', '23:30', new Date('2026-10-24T12:00:00Z'))).toBe('2026-10-24T22:30:00Z');
  });

  it('an address keeps what it can read of the new filters and drops the rest', () => {
    const search = readSearch(new URLSearchParams('place=LS7&q=&meets=carer&meets=not+a+code&day=Monday&time=25:00&access=hearing_loop&access=NOPE&lang=UR&open=1'));
    expect(search).toMatchObject({ criterionCodes: ['carer'], openDay: 'monday', openTime: '10:00', openNow: false, access: ['HEARING_LOOP'], language: 'ur' });
    expect(writeSearch(search).toString()).toBe('place=LS7&q=&meets=carer&day=monday&time=10%3A00&access=HEARING_LOOP&lang=ur');
    expect(toVariables(search, new Date('2026-11-23T09:00:00Z'))).toEqual({
      first: 30,
      near: { postcode: 'LS7', radiusKm: 5 },
      filter: { person: { criterionCodes: ['carer'] }, openAt: '2026-11-23T10:00:00Z', accessibility: ['HEARING_LOOP'], languages: ['ur'] },
    });
  });
});
