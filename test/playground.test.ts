import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createKeys, createTestApp, listen, onPostgres, type Listening, type TestApp } from './utils';
import { buildPagesIfStale, CHROMIUM_OPTIONS, ROOT } from './web-build';

/**
 * The playground (web/playground: GraphiQL with the explorer, served at /graphql to a browser by
 * src/http/pages.ts) in Debian's Chromium, against the server in-process on the sample directory;
 * and /graphql itself, which still answers every GraphQL request as before. Screenshots in
 * test-output/playground/. On SQLite only, like the pages' tests.
 */
const SHOTS = join(ROOT, 'test-output', 'playground');
/** The README's ```graphql blocks: the tabs the playground should open with (web/readme-examples.mts makes them). */
const EXAMPLES = [...readFileSync(join(ROOT, 'README.md'), 'utf8').matchAll(/```graphql\n([\s\S]*?)```/g)].map((match) => match[1]);
/** What a browser sends when it opens an address. */
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

describe.skipIf(onPostgres)('the playground at /graphql', () => {
  let app: TestApp;
  let server: Listening;
  let browser: Browser;
  let page: Page;
  /** Every request the page (and its workers) made, and every script or console error. */
  const requested: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    buildPagesIfStale();
    mkdirSync(SHOTS, { recursive: true });
    [app, browser] = await Promise.all([createTestApp({ app: { playground: true } }), chromium.launch(CHROMIUM_OPTIONS)]);
    server = await listen(app);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    page.on('request', (request) => requested.push(request.url()));
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await app?.close();
  });

  /** The text of a Monaco editor (its rendered lines; Monaco writes spaces as no-break spaces). */
  const editorText = async (selector: string) => (await page.locator(`${selector} .view-lines`).first().innerText()).replace(/\u00a0/g, ' ');
  const run = async () => {
    const answer = page.waitForResponse((response) => new URL(response.url()).pathname === '/graphql' && response.request().method() === 'POST' && !(response.request().postData() ?? '').includes('__schema'));
    await page.getByRole('button', { name: /^Execute query/ }).click();
    return (await answer).json();
  };

  it('opens GraphiQL with every README example in a tab, and runs the first against the server', async () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(16);
    await page.goto(`${server.origin}/graphql`);
    await page.locator('.graphiql-container .graphiql-query-editor .monaco-editor').waitFor();
    expect(await page.title()).toBe('GraphQL playground · Community services directory');
    expect(await page.locator('.graphiql-tab').count()).toBe(EXAMPLES.length);
    // The first tab is open on the README's first example, its heading first.
    await expect.poll(() => editorText('.graphiql-query-editor')).toContain("# The link worker's search");
    expect(await editorText('.graphiql-query-editor')).toContain('query LinkWorker {');
    // The schema arrives by introspection (the docs and the explorer use it).
    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    await page.getByText('A GraphQL schema provides a root type').waitFor();
    await page.getByRole('button', { name: 'Hide Documentation Explorer' }).click();

    const want: any = await app.query(EXAMPLES[0]);
    expect(want.services.totalCount).toBeGreaterThan(0);
    const answer = await run();
    expect(answer.errors).toBeUndefined();
    expect(answer.data.services.totalCount).toBe(want.services.totalCount);
    await expect.poll(() => editorText('.graphiql-response')).toContain(`"totalCount": ${want.services.totalCount}`);
    expect(await editorText('.graphiql-response')).toContain(`"id": "${want.services.edges[0].node.id}"`);
    await page.screenshot({ path: join(SHOTS, '01-link-worker-search.png') });
  });

  it('sends what is typed under Headers: an API key opens what partners and admins may read', async () => {
    const keys = await createKeys(app);
    const insights = EXAMPLES.findIndex((example) => example.includes('searchInsights('));
    await page.locator('.graphiql-tab').nth(insights).locator('button').first().click();
    await expect.poll(() => editorText('.graphiql-query-editor')).toContain('# What people search for');
    const anonymous = await run();
    // The browser logs the 401 of this refusal on the console: expected here, and only here.
    const refusal = pageErrors.findIndex((error) => error.includes('status of 401'));
    if (refusal !== -1) pageErrors.splice(refusal, 1);
    expect(anonymous.errors?.[0].extensions.code).toMatch(/UNAUTHENTICATED|FORBIDDEN/);

    await page.getByRole('button', { name: 'Headers' }).click();
    await page.locator('.graphiql-editor-tool .monaco-editor').filter({ visible: true }).click();
    await page.keyboard.insertText(`{"Authorization": "Bearer ${keys.admin}"}`);
    const withKey = await run();
    expect(withKey.errors).toBeUndefined();
    expect(withKey.data.searchInsights.weeks).toEqual(expect.any(Array));
    await expect.poll(() => editorText('.graphiql-response')).toContain('"searchInsights"');
    await page.screenshot({ path: join(SHOTS, '02-headers-with-a-key.png') });
  });

  it('axe-core finds no accessibility violations in the page around GraphiQL', async () => {
    const axe = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
    await page.goto(`${server.origin}/graphql`);
    await page.locator('.graphiql-query-editor .monaco-editor').waitFor();
    // Evaluated through the DevTools protocol, which the page's CSP (script-src 'self') does not govern.
    await page.evaluate(axe);
    /*
     * The whole page is checked, GraphiQL included, with one exception we cannot fix from outside:
     * GraphiQL's tabs (@graphiql/react's Tab) are `<li role="tab">` elements holding two buttons (open,
     * close), which axe reports as nested-interactive. That rule is left out for the tab strip only;
     * every other rule, and nested-interactive everywhere else, still applies. (GraphiQL's two colours
     * under AA contrast are set right in web/playground/playground.css.)
     */
    const found: any[] = await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((result) =>
      result.violations.map((v) => ({ id: v.id, text: v.id + ' (' + v.impact + '): ' + v.help, nodes: v.nodes.map((n) => ({ target: n.target.join(' '), inTabs: !!document.querySelector(n.target[0])?.closest('.graphiql-tabs') })) })))`);
    const violations = found
      .map((v) => ({ ...v, nodes: v.nodes.filter((n: any) => !(v.id === 'nested-interactive' && n.inTabs)) }))
      .filter((v) => v.nodes.length > 0)
      .map((v) => `${v.text} at ${v.nodes.map((n: any) => n.target).join(', ')}`);
    expect(violations).toEqual([]);
    // The exception is what it says: GraphiQL's tabs, and nothing else.
    expect(found.find((v) => v.id === 'nested-interactive')?.nodes.length ?? 0).toBeLessThanOrEqual(EXAMPLES.length);
  });

  it('loads nothing from another host and raised no script error, under a CSP that allows no inline script', async () => {
    expect(pageErrors).toEqual([]);
    expect(requested.length).toBeGreaterThan(5);
    // Monaco's workers came from the server too.
    expect(requested.some((url) => /\/assets\/.*worker.*\.js$/.test(url))).toBe(true);
    expect(requested.filter((url) => !url.startsWith(`${server.origin}/`) && !url.startsWith('data:'))).toEqual([]);
    const response = await fetch(`${server.origin}/graphql`, { headers: { accept: BROWSER_ACCEPT } });
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('vary')).toMatch(/Accept/);
    const csp = response.headers.get('content-security-policy') ?? '';
    const scripts = csp.split('; ').find((directive) => directive.startsWith('script-src'));
    expect(scripts).toBe("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-eval|https?:/);
    expect(csp).toContain("worker-src 'self'");
    const html = await response.text();
    expect(html.match(/<script\b[^>]*>/g)).toEqual([expect.stringMatching(/^<script type="module" crossorigin src="\/assets\/playground-[\w-]+\.js">$/)]);
  });

  it('leaves every GraphQL request to Apollo: POST, GET with ?query=, a client asking for JSON', async () => {
    const post = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: BROWSER_ACCEPT }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(post.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await post.json()).toMatchObject({ data: { __typename: 'Query' } });
    // A browser opening a query's address gets Apollo's JSON, not the page: its CSRF refusal, as before (a GET needs a header a form cannot send).
    const address = `${server.url}?query=${encodeURIComponent('{ __typename }')}`;
    const opened = await fetch(address, { headers: { accept: BROWSER_ACCEPT } });
    expect(opened.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await opened.json()) as any).errors[0].message).toMatch(/Cross-Site Request Forgery/);
    const get = await fetch(address, { headers: { accept: BROWSER_ACCEPT, 'apollo-require-preflight': 'true' } });
    expect(get.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await get.json()).toMatchObject({ data: { __typename: 'Query' } });
    const json = await fetch(server.url, { headers: { accept: 'application/json' } });
    expect(json.status).toBe(400);
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('is not served with the playground off (production), and is Apollo Sandbox only when APOLLO_SANDBOX is set', async () => {
    for (const [options, shows] of [
      [{ playground: false }, undefined],
      [{ playground: true, apolloSandbox: true }, 'embeddable-sandbox'],
    ] as const) {
      const other = await createTestApp({ seed: false, app: options });
      const listening = await listen(other);
      try {
        const response = await fetch(listening.url, { headers: { accept: BROWSER_ACCEPT } });
        const body = await response.text();
        expect(body).not.toContain('GraphQL playground · Community services directory');
        if (shows) expect(body).toContain(shows);
        else expect(response.status).toBe(400);
      } finally {
        await listening.close();
        await other.close();
      }
    }
  });
});
