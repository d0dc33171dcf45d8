import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EntityManager } from '@mikro-orm/knex';
import { beforeEach, describe, expect, it } from 'vitest';
import { dropSchema, openDatabase } from '../src/orm';
import { readConfig } from '../src/config';
import { rawRows } from '../src/modules/common/dialect';
import { SearchCounter } from '../src/modules/insights/search-counter';
import { normaliseSearchText } from '../src/modules/insights/search-text';
import type { SqlStats } from '../src/modules/common/sql-stats';
import { appWithKeys, createTestApp, errorCodes, listen, onPostgres, testDatabase, type TestApp } from './utils';

/**
 * What people search for: `services` searches counted without personal
 * data, in memory, written at a flush (here: `app.insights.flush()`, the
 * timer is off), and read back by admins by week, text, district and
 * category.
 */
const suite = appWithKeys({ app: { searchInsightsFlushMs: 0 } });

const SEARCH = `query ($first: Int, $after: String, $text: String, $near: NearInput, $categoryIds: [ID!]) {
  services(first: $first, after: $after, near: $near, filter: { text: $text, categoryIds: $categoryIds }) { nodes { id } pageInfo { hasNextPage endCursor } }
}`;
const INSIGHTS = `query ($from: LocalDate!, $to: LocalDate!, $limit: Int) {
  searchInsights(from: $from, to: $to, limit: $limit) {
    weeks { weekStarting searches zeroResultSearches }
    topSearches { text searches zeroResultSearches }
    zeroResultSearches { text searches zeroResultSearches }
    byDistrict { district searches zeroResultSearches }
    byCategory { category { code name } searches zeroResultSearches }
  }
}`;

const DAY_MS = 24 * 60 * 60 * 1000;
/** Today on the Europe/London calendar. */
const today = () => new Date().toLocaleDateString('en-CA', { timeZone: 'Europe/London' });
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T12:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
/** The Monday of the week holding a date. */
const mondayOf = (date: string) => addDays(date, -((new Date(`${date}T12:00:00Z`).getUTCDay() + 6) % 7));
const thisWeek = () => mondayOf(today());

async function search(variables: Record<string, unknown>, app: TestApp = suite.app): Promise<any> {
  return (await app.query<any>(SEARCH, { first: 5, ...variables })).services;
}

async function insights(variables: Record<string, unknown> = {}): Promise<any> {
  return (await suite.app.query<any>(INSIGHTS, { from: thisWeek(), to: today(), ...variables }, suite.keys.admin)).searchInsights;
}

const rowsOf = (app: TestApp = suite.app) => app.em().getKnex()('search_count').select('*');

async function categoryIds(...codes: string[]): Promise<string[]> {
  const data = await suite.app.query<any>('{ categories(first: 100) { nodes { id code } } }');
  return codes.map((code) => data.categories.nodes.find((node: any) => node.code === code).id);
}

beforeEach(async () => {
  // Each test counts from nothing: what earlier tests counted is written, then removed.
  await suite.app.insights.flush();
  await suite.app.em().getKnex()('search_count').delete();
});

describe('search insights: what is counted', () => {
  it('counts each search by week, one text however it is typed, largest first', async () => {
    for (const text of ['Walking groups', '  walking   GROUPS!! ', 'walking-groups', 'Walking, groups.', 'gardening']) await search({ text });
    await search({});
    // Nothing reaches the database before a flush: no write per search.
    expect(await rowsOf()).toEqual([]);
    await suite.app.insights.flush();
    const report = await insights();
    expect(report.topSearches).toEqual([
      { text: 'walking groups', searches: 4, zeroResultSearches: 0 },
      { text: 'gardening', searches: 1, zeroResultSearches: 0 },
    ]);
    expect(report.weeks).toEqual([{ weekStarting: thisWeek(), searches: 6, zeroResultSearches: 0 }]);
    // A second flush adds to the same rows.
    await search({ text: 'WALKING groups' });
    await suite.app.insights.flush();
    expect((await insights()).topSearches[0]).toEqual({ text: 'walking groups', searches: 5, zeroResultSearches: 0 });
  });

  it('lists every week of the range, oldest first, weeks without searches as 0', async () => {
    const threeWeeksAgo = addDays(thisWeek(), -21);
    await suite.app.em().getKnex()('search_count').insert({ week: threeWeeksAgo, text: 'lunch club', district: '', categories: '', zero_results: true, searches: 3 });
    await search({ text: 'lunch club' });
    await suite.app.insights.flush();
    // From a Wednesday: its whole week is read.
    const report = await insights({ from: addDays(threeWeeksAgo, 2) });
    expect(report.weeks.map((week: any) => week.weekStarting)).toEqual([threeWeeksAgo, addDays(thisWeek(), -14), addDays(thisWeek(), -7), thisWeek()]);
    expect(report.weeks[0]).toEqual({ weekStarting: threeWeeksAgo, searches: 3, zeroResultSearches: 3 });
    expect(report.weeks[1]).toEqual({ weekStarting: addDays(thisWeek(), -14), searches: 0, zeroResultSearches: 0 });
    expect(report.weeks[3].searches).toBe(1);
    expect(report.topSearches).toEqual([{ text: 'lunch club', searches: 4, zeroResultSearches: 3 }]);
    // Weeks outside the range are left out.
    expect((await insights()).topSearches).toEqual([{ text: 'lunch club', searches: 1, zeroResultSearches: 0 }]);
  });

  it('lists the searches that found nothing, from the search\'s own answer', async () => {
    const none = await search({ text: 'underwater basket weaving' });
    expect(none.nodes).toEqual([]);
    await search({ text: 'Underwater basket-weaving!' });
    await search({ text: 'gardening' });
    // `first: 0` finds nothing by definition: its total says whether there were results.
    await suite.app.query(`{ services(first: 0, filter: { text: "gardening" }) { totalCount } }`);
    await suite.app.query(`{ services(first: 0, filter: { text: "zzyzx" }) { totalCount } }`);
    await suite.app.query(`{ services(first: 0, filter: { text: "zzyzx" }) { nodes { id } } }`);
    await suite.app.insights.flush();
    const report = await insights();
    expect(report.zeroResultSearches).toEqual([
      { text: 'underwater basket weaving', searches: 2, zeroResultSearches: 2 },
      { text: 'zzyzx', searches: 2, zeroResultSearches: 2 },
    ]);
    expect(report.topSearches.find((row: any) => row.text === 'gardening')).toEqual({ text: 'gardening', searches: 2, zeroResultSearches: 0 });
    expect(report.weeks[0]).toEqual({ weekStarting: thisWeek(), searches: 6, zeroResultSearches: 4 });
  });

  it('counts a postcode search in its district, and the postcode itself nowhere', async () => {
    const inLs7 = [
      await search({ near: { postcode: 'LS7 3AB', radiusKm: 5 } }),
      await search({ near: { postcode: 'ls73ab', radiusKm: 5 }, text: 'gardening' }),
      await search({ near: { postcode: 'LS7', radiusKm: 5 } }),
    ];
    await search({ near: { postcode: 'M13 9WL', radiusKm: 5 } });
    // Coordinates alone: no district (and no coordinates) counted.
    await search({ near: { latitude: 53.8208, longitude: -1.5338, radiusKm: 5 } });
    // A postcode typed as text is reduced to its district too.
    await search({ text: 'Yoga LS7 3AB' });
    await suite.app.insights.flush();
    const report = await insights();
    expect(report.byDistrict).toEqual([
      { district: 'LS7', searches: 3, zeroResultSearches: inLs7.filter((answer) => answer.nodes.length === 0).length },
      { district: 'M13', searches: 1, zeroResultSearches: 0 },
    ]);
    expect(report.topSearches.map((row: any) => row.text).sort()).toEqual(['gardening', 'yoga ls7']);
    expect(report.weeks[0].searches).toBe(6);
    const rows = await rowsOf();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      for (const value of Object.values(row)) {
        expect(String(value)).not.toMatch(/3ab|9wl|53\.8|1\.53/i);
      }
    }
  });

  it('counts the categories asked for, a search with two in each', async () => {
    const [gardening, walking] = await categoryIds('gardening', 'walking-groups');
    await search({ categoryIds: [gardening] });
    await search({ categoryIds: [walking, gardening] });
    await search({ categoryIds: [gardening], text: 'underwater basket weaving' });
    await suite.app.insights.flush();
    const report = await insights();
    expect(report.byCategory).toEqual([
      { category: { code: 'gardening', name: 'Gardening' }, searches: 3, zeroResultSearches: 1 },
      { category: { code: 'walking-groups', name: 'Walking groups' }, searches: 1, zeroResultSearches: 0 },
    ]);
    // Each search is one search in the week's total.
    expect(report.weeks[0]).toEqual({ weekStarting: thisWeek(), searches: 3, zeroResultSearches: 1 });
  });

  it('counts a search once, however many pages are read', async () => {
    const first = await search({ first: 2 });
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await search({ first: 2, after: first.pageInfo.endCursor });
    await search({ first: 2, after: second.pageInfo.endCursor });
    await suite.app.insights.flush();
    expect((await insights()).weeks[0].searches).toBe(1);
  });

  it('keeps no address, key, account or coordinates: only week, text, district, categories and outcome', async () => {
    const http = await listen(suite.app);
    try {
      const response = await fetch(http.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${suite.keys.ageUk}` },
        body: JSON.stringify({ query: SEARCH, variables: { text: 'Ring 07700 900123 or +44 113 496 0000, mail jo.bloggs@example.com, NHS 943 476 5919, ref 123456', near: { postcode: 'LS7 3AB', radiusKm: 3 } } }),
      });
      expect(response.status).toBe(200);
    } finally {
      await http.close();
    }
    await suite.app.insights.flush();
    const rows = await rowsOf();
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0]).sort()).toEqual(['categories', 'district', 'searches', 'text', 'week', 'zero_results']);
    expect(rows[0]).toMatchObject({ text: 'ring or mail nhs ref', district: 'LS7', categories: '', searches: 1 });
    const stored = JSON.stringify(rows);
    for (const secret of [suite.keys.ageUk, suite.keys.ageUk.slice(0, 12), '127.0.0.1', 'Age UK', 'example.com', 'bloggs', '07700', '900123', '496', '5919', '123456', '3AB']) {
      expect(stored.toLowerCase()).not.toContain(secret.toLowerCase());
    }
  });

  it('adds no SQL statement to a search', async () => {
    const off = await createTestApp({ app: { searchInsights: false } });
    try {
      const queries = [
        `{ services(first: 5, filter: { text: "gardening" }) { nodes { id } } }`,
        `{ services(first: 5, filter: { text: "zzyzx" }) { nodes { id } } }`,
        `{ services(first: 5, near: { postcode: "LS7 3AB", radiusKm: 5 }) { totalCount nodes { id } facets { reaches { count } } } }`,
      ];
      // Warmed first: the search's word list is read once a minute per database.
      for (const query of queries) await Promise.all([suite.app.run(query), off.run(query)]);
      await suite.app.insights.flush();
      await suite.app.em().getKnex()('search_count').delete();
      for (const query of queries) {
        const counted: SqlStats = { statements: 0 };
        const uncounted: SqlStats = { statements: 0 };
        await suite.app.run(query, {}, { stats: counted });
        await off.run(query, {}, { stats: uncounted });
        expect(counted.statements, query).toBe(uncounted.statements);
      }
      await suite.app.insights.flush();
      expect((await rowsOf()).length).toBe(3);
    } finally {
      await off.close();
    }
  });
});

describe('search insights: normalised text', () => {
  it.each([
    ['  Walking   GROUPS!! ', 'walking groups'],
    ["Men's Shed", 'mens shed'],
    ['Café — crème', 'cafe creme'],
    ['yoga near LS7 3AB', 'yoga near ls7'],
    ['bd13ab gardening', 'bd1 gardening'],
    ['email jo@example.org please', 'email please'],
    ['see https://example.org/x?y=1 now', 'see now'],
    ['call 0113 496 0000', 'call'],
    ['over 50s walking', 'over 50s walking'],
    ['case 1234567890', 'case'],
    ['!!!', null],
    ['   ', null],
  ])('%j is counted as %j', (text, expected) => {
    expect(normaliseSearchText(text)).toBe(expected);
  });

  it('is at most 100 characters, cut at a word', () => {
    const long = normaliseSearchText('gardening '.repeat(30))!;
    expect(long.length).toBeLessThanOrEqual(100);
    expect(long.endsWith('gardening')).toBe(true);
  });
});

describe('search insights: retention, the switch, close', () => {
  it('removes weeks older than the retention at a flush (13 months by default, configurable)', async () => {
    const week = (months: number) => mondayOf(addDays(today(), -Math.round(months * 30.5)));
    for (const [retention, kept, removed] of [
      [undefined, [week(12), week(0)], [week(14), week(30)]],
      [3, [week(2), week(0)], [week(4), week(12)]],
    ] as const) {
      const app = await createTestApp({ seed: false, app: { searchInsightsFlushMs: 0, searchInsightsRetentionMonths: retention } });
      try {
        const knex = app.em().getKnex();
        await knex('search_count').insert([...kept, ...removed].map((w) => ({ week: w, text: 'old', district: '', categories: '', zero_results: false, searches: 1 })));
        await app.insights.flush();
        const weeks = (await rawRows<{ week: unknown }>(knex, onPostgres ? `select to_char(week, 'YYYY-MM-DD') as week from search_count` : 'select week from search_count')).map((r) => r.week);
        expect(weeks.sort(), `retention ${retention ?? 'default'}`).toEqual([...kept].sort());
      } finally {
        await app.close();
      }
    }
  });

  it('reads SEARCH_INSIGHTS and SEARCH_INSIGHTS_RETENTION_MONTHS, and names a bad one', () => {
    expect(readConfig({})).toMatchObject({ searchInsights: true, searchInsightsRetentionMonths: 13 });
    expect(readConfig({ SEARCH_INSIGHTS: 'off', SEARCH_INSIGHTS_RETENTION_MONTHS: '24' })).toMatchObject({ searchInsights: false, searchInsightsRetentionMonths: 24 });
    expect(() => readConfig({ SEARCH_INSIGHTS: 'sometimes' })).toThrow(/SEARCH_INSIGHTS must be true or false, but it is "sometimes"/);
    expect(() => readConfig({ SEARCH_INSIGHTS_RETENTION_MONTHS: '0' })).toThrow(/SEARCH_INSIGHTS_RETENTION_MONTHS must be a whole number from 1 to 60, but it is "0"/);
  });

  it('SEARCH_INSIGHTS off: nothing is counted or stored', async () => {
    const off = await createTestApp({ seed: false, app: { searchInsights: false, searchInsightsFlushMs: 0 } });
    try {
      await search({ text: 'gardening' }, off);
      await search({ near: { postcode: 'LS7 3AB', radiusKm: 5 } }, off);
      await off.insights.flush();
      expect(await rowsOf(off)).toEqual([]);
    } finally {
      await off.close();
    }
  });

  it('closing the app writes what was counted', async () => {
    const path = join(tmpdir(), `spd-insights-${process.pid}-${Date.now()}.sqlite`);
    const database = testDatabase(path);
    try {
      const app = await createTestApp({ database, seed: false, app: { searchInsightsFlushMs: 0 } });
      await search({ text: 'Lunch club' }, app);
      await app.close();
      const orm = await openDatabase(database);
      try {
        expect(await orm.em.getKnex()('search_count').select('text', 'searches')).toEqual([{ text: 'lunch club', searches: 1 }]);
      } finally {
        await orm.close(true);
      }
    } finally {
      if (database.kind === 'postgresql') await dropSchema(database);
      else for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
    }
  });

  it('a flush that fails keeps its counts for the next one, and never throws', async () => {
    const warnings: string[] = [];
    const em = suite.app.orm.em as EntityManager;
    const counter = new SearchCounter(em, { enabled: true, retentionMonths: 13, flushIntervalMs: 0, warn: (_error, message) => warnings.push(message) });
    const knex = em.getKnex();
    await knex.schema.renameTable('search_count', 'search_count_away');
    try {
      counter.count({ text: 'lunch club', district: '', categories: '', zeroResults: false }, new Date());
      await counter.flush();
      expect(warnings).toEqual([expect.stringContaining('could not write search counts')]);
    } finally {
      await knex.schema.renameTable('search_count_away', 'search_count');
    }
    counter.count({ text: 'lunch club', district: '', categories: '', zeroResults: false }, new Date());
    await counter.flush();
    expect(await rowsOf()).toMatchObject([{ text: 'lunch club', searches: 2 }]);
  });

  it('holds a bounded number of keys between flushes', async () => {
    const warnings: string[] = [];
    const counter = new SearchCounter(suite.app.orm.em as EntityManager, { enabled: true, retentionMonths: 13, flushIntervalMs: 0, maxPendingKeys: 2, warn: (_error, message) => warnings.push(message) });
    for (const text of ['a', 'b', 'c', 'd', 'a']) counter.count({ text, district: '', categories: '', zeroResults: false }, new Date());
    await counter.flush();
    expect((await rowsOf()).map((row: any) => [row.text, row.searches]).sort()).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
    expect(warnings).toEqual([expect.stringContaining('dropped 2 search counts')]);
  });
});

describe('search insights: who may read them, and bad arguments', () => {
  it('admins read them; partners are FORBIDDEN; anonymous callers UNAUTHENTICATED', async () => {
    const variables = { from: thisWeek(), to: today() };
    expect((await suite.app.run(INSIGHTS, variables, { key: suite.keys.admin })).errors).toBeUndefined();
    const partner = await suite.app.run(INSIGHTS, variables, { key: suite.keys.ageUk });
    expect(errorCodes(partner)).toEqual(['FORBIDDEN']);
    expect(partner.data).toEqual({ searchInsights: null });
    expect(errorCodes(await suite.app.run(INSIGHTS, variables))).toEqual(['UNAUTHENTICATED']);
  });

  it.each([
    [{ limit: 0 }, 'limit'],
    [{ limit: 101 }, 'limit'],
    [{ from: '2026-03-02', to: '2026-03-01' }, 'from'],
    [{ from: '2020-01-01', to: '2026-01-02' }, 'to'],
  ])('%j is BAD_USER_INPUT naming %s', async (variables, field) => {
    const result = await suite.app.run(INSIGHTS, { from: thisWeek(), to: today(), ...variables }, { key: suite.keys.admin });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0].extensions).toMatchObject({ field });
    expect(result.errors![0].message).toContain(`"${field}"`);
  });

  it('a date that is not a calendar date is BAD_USER_INPUT', async () => {
    const result = await suite.app.run(INSIGHTS, { from: '2026-02-30', to: today() }, { key: suite.keys.admin });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
  });

  it('limit cuts every list', async () => {
    for (const text of ['a one', 'a one', 'b two', 'c three']) await search({ text });
    await suite.app.insights.flush();
    const report = await insights({ limit: 2 });
    expect(report.topSearches.map((row: any) => row.text)).toEqual(['a one', 'b two']);
  });
});

describe("the README's search insights example", () => {
  it('runs as written, as an admin', async () => {
    const readme = readFileSync(join(process.cwd(), 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### What people search for'), readme.indexOf('## Open Referral UK feed'));
    const [query] = [...section.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);
    await search({ text: 'Walking groups' });
    await suite.app.insights.flush();
    const from = /from: "([\d-]+)"/.exec(query)![1];
    const to = /to: "([\d-]+)"/.exec(query)![1];
    // The example's dates, moved to this week so that the search above is in them.
    const data: any = await suite.app.query(query.replace(from, thisWeek()).replace(to, today()), {}, suite.keys.admin);
    expect(data.searchInsights.topSearches).toEqual([expect.objectContaining({ text: 'walking groups', searches: 1 })]);
    expect(data.searchInsights.weeks.at(-1)).toMatchObject({ weekStarting: thisWeek(), searches: 1 });
  });
});
