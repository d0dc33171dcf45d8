import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createTestApp, listen, onPostgres, type Listening, type TestApp } from './utils';
import { parseTypedId } from '../src/modules/common/global-id';
import express from 'express';
import { pagesRouter, readPagesSettings } from '../src/http/pages';
import { buildPagesIfStale, BUILT, CHROMIUM_OPTIONS, MANIFEST, ROOT } from './web-build';

/**
 * The finder (web/finder, served at / by src/http/pages.ts) in a real browser:
 * Debian's Chromium driven by playwright-core, against the server in-process
 * on the sample directory. Each test leaves a screenshot in test-output/pages/.
 * On SQLite only: the pages do not depend on the database, and a browser run is
 * the slowest thing in the suite. (The playground at /graphql: playground.test.ts.)
 */
const SHOTS = join(ROOT, 'test-output', 'pages');
const BUDGET_BYTES = 250 * 1024;
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
    await app.em().getKnex()('service').where('id', parseTypedId(markedUp.id, 'Service', 'id')).update({ description: MARKUP });
    server = await listen(app);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await app?.close();
  });

  /** A fresh browser context (no cache, no storage) at this size. The page's own scripts below are evaluated as strings: this file is type-checked without the DOM library. */
  async function openPage(width = 1280, height = 900): Promise<{ context: BrowserContext; page: Page; graphql: string[] }> {
    const context = await browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    const graphql: string[] = [];
    page.on('request', (request) => {
      requested.push(request.url());
      if (new URL(request.url()).pathname === '/graphql') graphql.push(request.url());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // A CSP refusal or a failed load is reported on the console.
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    return { context, page, graphql };
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
  async function expected(filter: Record<string, unknown>) {
    const data: any = await app.query(
      `query ($filter: ServiceFilter) {
        services(first: 30, near: { postcode: "LS7 4SA", radiusKm: 5 }, filter: $filter) { totalCount nodes { name } facets { categories { count category { id name } } } }
        hubs(first: 100, near: { postcode: "LS7 4SA", radiusKm: 5 }, serviceFilter: $filter) { nodes { kind } }
      }`,
      { filter },
    );
    return { ...data.services, markers: data.hubs.nodes.filter((hub: any) => hub.kind !== 'ONLINE').length };
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
    expect(await page.evaluate('window.__injected')).toBeUndefined();
    await shot(page, '08-markup-as-text');
    await context.close();
  });

  it('axe-core finds no accessibility violations on the finder and the service page, on a desktop and at 375 px', async () => {
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
      expect(await violations(page)).toEqual([]);
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
      if (width === 375) await shot(page, '09-finder-375px');
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
    const settings = readPagesSettings({ MAP_TILE_URL: 'https://{s}.tiles.example.org/{z}/{x}/{y}.png', MAP_TILE_ATTRIBUTION: '© OpenStreetMap contributors & "Example"' });
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
    expect(() => readPagesSettings({ MAP_TILE_URL: 'javascript:alert(1)//{z}/{x}/{y}' })).toThrow(/MAP_TILE_URL must be an http\(s\) URL template/);
    expect(() => readPagesSettings({ MAP_TILE_URL: 'https://tile.example.org/tiles.png' })).toThrow(/MAP_TILE_URL/);
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
