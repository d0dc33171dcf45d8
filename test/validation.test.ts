import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecuteResult } from '../src/app';
import { parseGlobalId, toGlobalId } from '../src/modules/common/global-id';
import { createKeys, createTestApp, errorCodes, type Keys, type TestApp } from './utils';

/**
 * Every input rule of the write side. Invalid input is BAD_USER_INPUT whose
 * `extensions.field` is the path of the wrong field as the client sent it
 * ("input.locations[0].schedules[1].opensAt"), whose `extensions.fields`
 * lists every wrong field, and after which nothing at all has been written.
 */
let app: TestApp;
let keys: Keys;
/** Three sample hubs. */
let hubs: string[];
let categories: string[];
let criteria: string[];
beforeAll(async () => {
  app = await createTestApp();
  keys = await createKeys(app);
  const data: any = await app.query(`{ hubs(first: 3) { nodes { id } } categories(first: 3) { nodes { id } } eligibilityCriteria(first: 3) { nodes { id } } }`);
  hubs = data.hubs.nodes.map((n: any) => n.id);
  categories = data.categories.nodes.map((n: any) => n.id);
  criteria = data.eligibilityCriteria.nodes.map((n: any) => n.id);
});
afterAll(() => app.close());

const CREATE_SERVICE = `mutation ($input: CreateServiceInput!) { createService(input: $input) { service { id name version minimumAge maximumAge languages locations { nodes { schedules { opensAt closesAt runsPastMidnight } } } } } }`;
const UPDATE_SERVICE = `mutation ($input: UpdateServiceInput!) { updateService(input: $input) { service { id version minimumAge maximumAge } } }`;
const CREATE_PROVIDER = `mutation ($input: CreateProviderInput!) { createProvider(input: $input) { provider { id } } }`;
const UPDATE_PROVIDER = `mutation ($input: UpdateProviderInput!) { updateProvider(input: $input) { provider { id version } } }`;
const CREATE_HUB = `mutation ($input: CreateHubInput!) { createHub(input: $input) { hub { id } } }`;
const UPDATE_HUB = `mutation ($input: UpdateHubInput!) { updateHub(input: $input) { hub { id version } } }`;
const CREATE_CATEGORY = `mutation ($input: CreateCategoryInput!) { createCategory(input: $input) { category { id } } }`;
const UPDATE_CATEGORY = `mutation ($input: UpdateCategoryInput!) { updateCategory(input: $input) { category { id } } }`;
const CREATE_CRITERION = `mutation ($input: CreateEligibilityCriterionInput!) { createEligibilityCriterion(input: $input) { criterion { id } } }`;
const UPDATE_CRITERION = `mutation ($input: UpdateEligibilityCriterionInput!) { updateEligibilityCriterion(input: $input) { criterion { id } } }`;
const CREATE_ACCOUNT = `mutation ($input: CreateAccountInput!) { createAccount(input: $input) { account { id } } }`;
const ISSUE_KEY = `mutation ($input: IssueApiKeyInput!) { issueApiKey(input: $input) { key } }`;

const knex = () => app.em().getKnex();
const TABLES = ['service', 'service_location', 'schedule', 'provider', 'hub', 'category', 'eligibility_criterion', 'account', 'api_key', 'audit_entry'];

/** Row counts of every table a mutation writes, and the rows of the objects being edited. */
async function databaseState(targets: Array<[table: string, globalId: string]> = []): Promise<Record<string, unknown>> {
  const state: Record<string, unknown> = {};
  for (const table of TABLES) state[table] = Number((await knex()(table).count({ n: '*' }))[0].n);
  for (const [table, id] of targets) state[`${table} ${id}`] = await knex()(table).where('id', parseGlobalId(id, 'id').id).first();
  return state;
}

/** A well-formed id of an object that does not exist. */
const nothing = (type: 'Hub' | 'Category' | 'EligibilityCriterion' | 'Provider' | 'Account') => toGlobalId(type, 999_999);

/**
 * Runs a mutation that must be refused as BAD_USER_INPUT naming exactly `fields`
 * (the first one in `extensions.field` when there is one), and checks that the
 * database, audit trail included, is as it was.
 */
async function expectInvalid(
  document: string,
  input: Record<string, unknown>,
  fields: string[],
  { key = keys.admin, targets = [] }: { key?: string; targets?: Array<[string, string]> } = {},
): Promise<ExecuteResult> {
  const before = await databaseState(targets);
  const result = await app.run(document, { input }, { key });
  expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
  const extensions = result.errors![0].extensions as { field?: string; fields?: Array<{ field: string; message: string }> };
  if (fields.length === 1) expect(extensions.field).toBe(fields[0]);
  else expect(fields).toContain(extensions.field);
  expect([...new Set((extensions.fields ?? []).map((f) => f.field))].sort()).toEqual([...fields].sort());
  for (const problem of extensions.fields ?? []) expect(problem.message).toMatch(/\w/);
  expect(await databaseState(targets)).toEqual(before);
  return result;
}

const monday = (overrides: Record<string, unknown> = {}) => ({ days: ['MONDAY'], opensAt: '10:00', closesAt: '12:00', ...overrides });
/** A valid service with one location and two sessions there, to spoil one thing at a time. */
const aService = (overrides: Record<string, unknown> = {}) => ({
  name: 'Walk and Talk',
  locations: [{ hubId: hubs[0], schedules: [monday(), monday({ days: ['THURSDAY'] })] }],
  ...overrides,
});
const withSchedule = (index: 0 | 1, overrides: Record<string, unknown>) => {
  const schedules = [monday(), monday({ days: ['THURSDAY'] })];
  schedules[index] = { ...schedules[index], ...overrides };
  return aService({ locations: [{ hubId: hubs[0], schedules }] });
};
const withLocations = (...hubIds: string[]) => aService({ locations: hubIds.map((hubId) => ({ hubId, schedules: [monday()] })) });

describe('createService refuses, names the field, and writes nothing', () => {
  // Inputs are built inside the test: the sample's ids are known only once the app is up.
  const cases: Array<[string, () => Record<string, unknown>, string[]]> = [
    ['a blank name', () => aService({ name: '   ' }), ['input.name']],
    ['an empty name', () => aService({ name: '' }), ['input.name']],
    ['a name of 201 characters', () => aService({ name: 'a'.repeat(201) }), ['input.name']],
    ['a description of 5001 characters', () => aService({ description: 'a'.repeat(5001) }), ['input.description']],
    ['a contact email that is not one', () => aService({ contact: { email: 'walks at example.org' } }), ['input.contact.email']],
    ['a contact url that is not http(s)', () => aService({ contact: { url: 'ftp://walks.example.org' } }), ['input.contact.url']],
    ['a contact url without a scheme', () => aService({ contact: { url: 'walks.example.org' } }), ['input.contact.url']],
    ['a contact phone that is not a UK number', () => aService({ contact: { phone: '12345' } }), ['input.contact.phone']],
    ['a minimum age above the maximum age', () => aService({ minimumAge: 70, maximumAge: 65 }), ['input.maximumAge']],
    ['a negative minimum age', () => aService({ minimumAge: -1 }), ['input.minimumAge']],
    ['a maximum age over 130', () => aService({ maximumAge: 131 }), ['input.maximumAge']],
    ['a session on no days', () => withSchedule(1, { days: [] }), ['input.locations[0].schedules[1].days']],
    ['a session listing a day twice', () => withSchedule(1, { days: ['MONDAY', 'MONDAY'] }), ['input.locations[0].schedules[1].days']],
    ['opening at 25:00', () => withSchedule(1, { opensAt: '25:00' }), ['input.locations[0].schedules[1].opensAt']],
    ['opening at 9:00 (not HH:mm)', () => withSchedule(1, { opensAt: '9:00' }), ['input.locations[0].schedules[1].opensAt']],
    ['closing at 24:00', () => withSchedule(0, { closesAt: '24:00' }), ['input.locations[0].schedules[0].closesAt']],
    ['closing when it opens', () => withSchedule(1, { opensAt: '10:00', closesAt: '10:00' }), ['input.locations[0].schedules[1].closesAt']],
    ['validTo before validFrom', () => withSchedule(0, { validFrom: '2026-03-01', validTo: '2026-02-28' }), ['input.locations[0].schedules[0].validTo']],
    ['a date that does not exist', () => withSchedule(1, { validFrom: '2026-02-30' }), ['input.locations[0].schedules[1].validFrom']],
    ['a date written day first', () => withSchedule(0, { validTo: '28/02/2026' }), ['input.locations[0].schedules[0].validTo']],
    ['the same hub in two locations', () => withLocations(hubs[0], hubs[1], hubs[0]), ['input.locations[2].hubId']],
    ['a hub that does not exist', () => withLocations(hubs[0], nothing('Hub')), ['input.locations[1].hubId']],
    ['a malformed hub id', () => withLocations('not-an-id', hubs[1]), ['input.locations[0].hubId']],
    ['the id of a category where a hub belongs', () => withLocations(hubs[0], categories[0]), ['input.locations[1].hubId']],
    ['a category that does not exist', () => aService({ categoryIds: [categories[0], nothing('Category')] }), ['input.categoryIds[1]']],
    ['a malformed category id', () => aService({ categoryIds: ['%%%'] }), ['input.categoryIds[0]']],
    ['a criterion that does not exist', () => aService({ criterionIds: [nothing('EligibilityCriterion'), criteria[0]] }), ['input.criterionIds[0]']],
    ['the id of a hub where a criterion belongs', () => aService({ criterionIds: [criteria[0], hubs[0]] }), ['input.criterionIds[1]']],
    ['a language that is not an ISO 639 code', () => aService({ languages: ['en', 'English'] }), ['input.languages']],
    ['a language in capitals', () => aService({ languages: ['EN'] }), ['input.languages']],
  ];

  it.each(cases)('%s', async (_what, input, fields) => {
    await expectInvalid(CREATE_SERVICE, input(), fields, { key: keys.ageUk });
  });

  it('a missing name is BAD_USER_INPUT naming input.name', async () => {
    const { name: _name, ...nameless } = aService();
    await expectInvalid(CREATE_SERVICE, nameless, ['input.name'], { key: keys.ageUk });
  });

  it('lists every wrong field at once, in the same style', async () => {
    const input = aService({
      contact: { email: 'not-an-email' },
      maximumAge: 131,
      locations: [{ hubId: hubs[0], schedules: [monday(), monday({ opensAt: '9:00' })] }],
    });
    await expectInvalid(CREATE_SERVICE, input, ['input.contact.email', 'input.maximumAge', 'input.locations[0].schedules[1].opensAt'], { key: keys.ageUk });
  });

  it('lists every broken rule across fields and references at once', async () => {
    const input = aService({
      minimumAge: 80,
      maximumAge: 18,
      categoryIds: [nothing('Category')],
      locations: [
        { hubId: hubs[0], schedules: [monday({ opensAt: '12:00', closesAt: '12:00' })] },
        { hubId: nothing('Hub'), schedules: [monday({ validFrom: '2026-06-01', validTo: '2026-05-31' })] },
      ],
    });
    await expectInvalid(
      CREATE_SERVICE,
      input,
      ['input.maximumAge', 'input.categoryIds[0]', 'input.locations[0].schedules[0].closesAt', 'input.locations[1].hubId', 'input.locations[1].schedules[0].validTo'],
      { key: keys.ageUk },
    );
  });

  it('lists all format problems at once, then all cross-field and id problems at once', async () => {
    const input = aService({ name: '', contact: { email: 'not-an-email' }, minimumAge: 80, maximumAge: 18, categoryIds: [nothing('Category')] });
    await expectInvalid(CREATE_SERVICE, input, ['input.name', 'input.contact.email'], { key: keys.ageUk });
    const formatsFixed = aService({ minimumAge: 80, maximumAge: 18, categoryIds: [nothing('Category')] });
    await expectInvalid(CREATE_SERVICE, formatsFixed, ['input.maximumAge', 'input.categoryIds[0]'], { key: keys.ageUk });
  });
});

describe('createService accepts what is valid at the edges', () => {
  it('a session past midnight (22:00 to 02:00) is accepted and runs past midnight', async () => {
    const data: any = await app.query(CREATE_SERVICE, { input: withSchedule(1, { days: ['FRIDAY'], opensAt: '22:00', closesAt: '02:00' }) }, keys.ageUk);
    expect(data.createService.service.locations.nodes[0].schedules).toEqual([
      { opensAt: '10:00', closesAt: '12:00', runsPastMidnight: false },
      { opensAt: '22:00', closesAt: '02:00', runsPastMidnight: true },
    ]);
  });

  it('a name of 200 characters, ages 0 and 130, and ISO language codes', async () => {
    const name = 'b'.repeat(200);
    const data: any = await app.query(CREATE_SERVICE, { input: aService({ name, minimumAge: 0, maximumAge: 130, languages: ['en', 'cy', 'pan'] }) }, keys.ageUk);
    expect(data.createService.service).toMatchObject({ name, minimumAge: 0, maximumAge: 130, languages: ['en', 'cy', 'pan'] });
  });

  it('equal minimum and maximum ages', async () => {
    const data: any = await app.query(CREATE_SERVICE, { input: aService({ minimumAge: 65, maximumAge: 65 }) }, keys.ageUk);
    expect(data.createService.service).toMatchObject({ minimumAge: 65, maximumAge: 65 });
  });
});

describe('which provider a new service belongs to', () => {
  it("a partner creating a service for another provider is FORBIDDEN, and nothing is written", async () => {
    const before = await databaseState();
    const result = await app.run(CREATE_SERVICE, { input: aService({ providerId: keys.mensShedsProviderId }) }, { key: keys.ageUk });
    expect(errorCodes(result)).toEqual(['FORBIDDEN']);
    expect(await databaseState()).toEqual(before);
  });

  it('an admin must say which provider: BAD_USER_INPUT on input.providerId', async () => {
    await expectInvalid(CREATE_SERVICE, aService(), ['input.providerId']);
  });

  it('a provider that does not exist, or an id that is not a provider id, is BAD_USER_INPUT on input.providerId', async () => {
    await expectInvalid(CREATE_SERVICE, aService({ providerId: nothing('Provider') }), ['input.providerId']);
    await expectInvalid(CREATE_SERVICE, aService({ providerId: hubs[0] }), ['input.providerId']);
    await expectInvalid(CREATE_SERVICE, aService({ providerId: 'Provider:1' }), ['input.providerId']);
  });
});

describe('updateService refuses, names the field, and leaves the service and its version as they were', () => {
  /** An Age UK service with ages 60 to 80 stored, at its current version. */
  async function storedAges(): Promise<{ id: string; version: number }> {
    const created: any = await app.query(CREATE_SERVICE, { input: aService({ name: 'Chair yoga', minimumAge: 60, maximumAge: 80 }) }, keys.ageUk);
    return { id: created.createService.service.id, version: created.createService.service.version };
  }
  const invalidUpdate = async (change: Record<string, unknown>, fields: string[]) => {
    const service = await storedAges();
    await expectInvalid(UPDATE_SERVICE, { ...service, ...change }, fields, { key: keys.ageUk, targets: [['service', service.id]] });
  };

  it('a maximum age below the stored minimum, when only the maximum is sent', async () => {
    await invalidUpdate({ maximumAge: 50 }, ['input.maximumAge']);
  });

  it('a minimum age above the stored maximum, when only the minimum is sent, names the field that was sent', async () => {
    await invalidUpdate({ minimumAge: 90 }, ['input.minimumAge']);
  });

  it('but a maximum that still fits the stored minimum is accepted', async () => {
    const service = await storedAges();
    const data: any = await app.query(UPDATE_SERVICE, { input: { ...service, maximumAge: 75 } }, keys.ageUk);
    expect(data.updateService.service).toEqual({ id: service.id, version: service.version + 1, minimumAge: 60, maximumAge: 75 });
  });

  it('and sending both sides is judged on what is sent, not on what is stored', async () => {
    const service = await storedAges();
    const data: any = await app.query(UPDATE_SERVICE, { input: { ...service, minimumAge: 90, maximumAge: 100 } }, keys.ageUk);
    expect(data.updateService.service).toMatchObject({ minimumAge: 90, maximumAge: 100 });
  });

  it('an age out of range', async () => {
    await invalidUpdate({ minimumAge: 131 }, ['input.minimumAge']);
  });

  it('removing the name', async () => {
    await invalidUpdate({ name: null }, ['input.name']);
  });

  it('a blank name', async () => {
    await invalidUpdate({ name: ' ' }, ['input.name']);
  });

  it('a bad contact email', async () => {
    await invalidUpdate({ contact: { email: 'nobody@' } }, ['input.contact.email']);
  });

  it('a bad session in new locations', async () => {
    await invalidUpdate({ locations: [{ hubId: hubs[1], schedules: [monday(), monday({ opensAt: '7pm' })] }] }, ['input.locations[0].schedules[1].opensAt']);
  });

  it('an unknown hub in new locations', async () => {
    await invalidUpdate({ locations: [{ hubId: hubs[1], schedules: [monday()] }, { hubId: nothing('Hub'), schedules: [monday()] }] }, ['input.locations[1].hubId']);
  });

  it('a malformed service id', async () => {
    await expectInvalid(UPDATE_SERVICE, { id: 'not-an-id', version: 1, name: 'Anything' }, ['input.id'], { key: keys.ageUk });
  });
});

describe('providers', () => {
  const cases: Array<[string, Record<string, unknown>, string[]]> = [
    ['a blank name', { name: '  ' }, ['input.name']],
    ['an email that is not one', { name: 'Friends of Roundhay Park', email: 'friends.example.org' }, ['input.email']],
    ['a website that is not a URL', { name: 'Friends of Roundhay Park', website: 'friends of the park' }, ['input.website']],
    ['a phone that is not a UK number', { name: 'Friends of Roundhay Park', phone: '+1 202 555 0100 x' }, ['input.phone']],
    ['a logo that is not https', { name: 'Friends of Roundhay Park', logoUrl: 'http://assets.example.org/logo.svg' }, ['input.logoUrl']],
    ['a charity number that is not one', { name: 'Friends of Roundhay Park', charityNumber: 'CH12' }, ['input.charityNumber']],
    [
      'several at once',
      { name: 'Friends of Roundhay Park', email: 'x', website: 'y', logoUrl: 'ftp://z' },
      ['input.email', 'input.website', 'input.logoUrl'],
    ],
  ];

  it.each(cases)('createProvider refuses %s', async (_what, input, fields) => {
    await expectInvalid(CREATE_PROVIDER, input, fields);
  });

  it("updateProvider refuses a bad email from the provider's own partner, and the version stays", async () => {
    const current: any = await app.query(`query ($id: ID!) { provider(id: $id) { id version } }`, { id: keys.ageUkProviderId });
    await expectInvalid(UPDATE_PROVIDER, { ...current.provider, email: 'contact@' }, ['input.email'], { key: keys.ageUk, targets: [['provider', keys.ageUkProviderId]] });
    await expectInvalid(UPDATE_PROVIDER, { ...current.provider, name: null }, ['input.name'], { key: keys.ageUk, targets: [['provider', keys.ageUkProviderId]] });
  });
});

describe('hubs', () => {
  const aHub = (overrides: Record<string, unknown> = {}) => ({
    name: 'Potternewton Park Pavilion',
    kind: 'GREEN_SPACE',
    addressLines: ['Potternewton Lane'],
    town: 'Leeds',
    postcode: 'LS7 4SA',
    region: 'YORKSHIRE_AND_THE_HUMBER',
    latitude: 53.825,
    longitude: -1.535,
    operator: 'Leeds City Council',
    ...overrides,
  });
  const current = async () => ((await app.query(`{ hubs(first: 1) { nodes { id version } } }`)) as any).hubs.nodes[0] as { id: string; version: number };

  const cases: Array<[string, Record<string, unknown>, string[]]> = [
    ['a postcode that is not a UK one', { postcode: 'NOT A POSTCODE' }, ['input.postcode']],
    ['a US zip code', { postcode: '90210' }, ['input.postcode']],
    ['a latitude above 90', { latitude: 90.5 }, ['input.latitude']],
    ['a latitude below -90', { latitude: -91 }, ['input.latitude']],
    ['a longitude beyond 180', { longitude: 181 }, ['input.longitude']],
    ['a longitude below -180', { longitude: -180.01 }, ['input.longitude']],
    ['three address lines', { addressLines: ['1', '2', '3'] }, ['input.addressLines']],
    ['postcode, latitude and longitude all wrong', { postcode: 'XX', latitude: 100, longitude: 200 }, ['input.postcode', 'input.latitude', 'input.longitude']],
  ];

  it.each(cases)('createHub refuses %s', async (_what, change, fields) => {
    await expectInvalid(CREATE_HUB, aHub(change), fields);
  });

  it.each(cases)('updateHub refuses %s, and the version stays', async (_what, change, fields) => {
    const hub = await current();
    await expectInvalid(UPDATE_HUB, { ...hub, ...change }, fields, { targets: [['hub', hub.id]] });
  });

  it('createHub names a missing required field', async () => {
    const { town: _town, ...townless } = aHub();
    await expectInvalid(CREATE_HUB, townless, ['input.town']);
  });

  it('updateHub refuses removing a required field', async () => {
    const hub = await current();
    await expectInvalid(UPDATE_HUB, { ...hub, postcode: null }, ['input.postcode'], { targets: [['hub', hub.id]] });
  });
});

describe('categories and eligibility criteria', () => {
  it.each([['Walking Groups'], ['walking_groups'], ['-walking'], ['walking--groups'], ['x']])('createCategory refuses the code %j', async (code) => {
    await expectInvalid(CREATE_CATEGORY, { code, name: 'Walking' }, ['input.code']);
  });

  it('createCategory refuses a code already in use', async () => {
    await expectInvalid(CREATE_CATEGORY, { code: 'gardening', name: 'Gardening again' }, ['input.code']);
  });

  it("updateCategory refuses another category's code, an unknown parent, and a parent below itself", async () => {
    const data: any = await app.query(`{ categories(first: 100) { nodes { id code parent { id } } } }`);
    const byCode = (code: string) => data.categories.nodes.find((c: any) => c.code === code);
    const nature = byCode('nature');
    const gardening = byCode('gardening');
    const targets: Array<[string, string]> = [['category', nature.id]];
    await expectInvalid(UPDATE_CATEGORY, { id: nature.id, code: 'creative' }, ['input.code'], { targets });
    await expectInvalid(UPDATE_CATEGORY, { id: nature.id, code: 'Nature' }, ['input.code'], { targets });
    await expectInvalid(UPDATE_CATEGORY, { id: nature.id, parentId: nothing('Category') }, ['input.parentId'], { targets });
    await expectInvalid(UPDATE_CATEGORY, { id: nature.id, parentId: gardening.id }, ['input.parentId'], { targets });
    await expectInvalid(UPDATE_CATEGORY, { id: nature.id, parentId: nature.id }, ['input.parentId'], { targets });
  });

  it('createCategory refuses an unknown parent', async () => {
    await expectInvalid(CREATE_CATEGORY, { code: 'allotments', name: 'Allotments', parentId: nothing('Category') }, ['input.parentId']);
    await expectInvalid(CREATE_CATEGORY, { code: 'allotments', name: 'Allotments', parentId: 'nope' }, ['input.parentId']);
  });

  it('createEligibilityCriterion refuses a malformed code, a code in use and a blank label', async () => {
    await expectInvalid(CREATE_CRITERION, { code: 'Recently Retired', label: 'Recently retired', kind: 'CIRCUMSTANCE' }, ['input.code']);
    await expectInvalid(CREATE_CRITERION, { code: 'veteran', label: 'Veteran again', kind: 'CIRCUMSTANCE' }, ['input.code']);
    await expectInvalid(CREATE_CRITERION, { code: 'recently-retired', label: '   ', kind: 'CIRCUMSTANCE' }, ['input.label']);
  });

  it("updateEligibilityCriterion refuses another criterion's code", async () => {
    const data: any = await app.query(`{ eligibilityCriteria(first: 100) { nodes { id code } } }`);
    const carer = data.eligibilityCriteria.nodes.find((c: any) => c.code === 'carer');
    await expectInvalid(UPDATE_CRITERION, { id: carer.id, code: 'bereaved' }, ['input.code'], { targets: [['eligibility_criterion', carer.id]] });
    await expectInvalid(UPDATE_CRITERION, { id: carer.id, label: null }, ['input.label'], { targets: [['eligibility_criterion', carer.id]] });
  });
});

describe('accounts and keys', () => {
  it('a partner account needs a provider', async () => {
    await expectInvalid(CREATE_ACCOUNT, { name: 'Age UK volunteer', role: 'PARTNER' }, ['input.providerId']);
  });

  it('a partner account for a provider that does not exist', async () => {
    await expectInvalid(CREATE_ACCOUNT, { name: 'Age UK volunteer', role: 'PARTNER', providerId: nothing('Provider') }, ['input.providerId']);
  });

  it('an admin account belongs to no provider', async () => {
    await expectInvalid(CREATE_ACCOUNT, { name: 'Second admin', role: 'ADMIN', providerId: keys.ageUkProviderId }, ['input.providerId']);
  });

  it('a bad email and a blank name', async () => {
    await expectInvalid(CREATE_ACCOUNT, { name: ' ', email: 'someone', role: 'ADMIN' }, ['input.name', 'input.email']);
  });

  it('a key needs a label and an account that exists', async () => {
    const accountId = ((await app.query<any>(`{ viewer { account { id } } }`, {}, keys.ageUk)).viewer.account as { id: string }).id;
    await expectInvalid(ISSUE_KEY, { accountId, label: '  ' }, ['input.label']);
    await expectInvalid(ISSUE_KEY, { accountId: nothing('Account'), label: 'Website sync' }, ['input.accountId']);
    await expectInvalid(ISSUE_KEY, { accountId: keys.ageUkProviderId, label: 'Website sync' }, ['input.accountId']);
  });
});
