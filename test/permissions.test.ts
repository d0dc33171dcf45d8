import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGlobalId, toGlobalId, type NodeTypeName } from '../src/modules/common/global-id';
import { createKeys, createTestApp, errorCodes, type Keys, type TestApp } from './utils';

/**
 * Who may change what. Four callers try every mutation in the schema:
 * anonymous (no key), the partner of another provider (Men's Sheds acting on
 * Age UK's objects), the owning partner (Age UK) and an admin. A refusal must
 * leave the database exactly as it was, audit trail included; a success
 * returns the changed object and adds one audit entry saying what was done.
 */
let app: TestApp;
let keys: Keys;
let ageUkAccountId: string;
let mensShedsAccountId: string;
beforeAll(async () => {
  app = await createTestApp();
  keys = await createKeys(app);
  const viewerId = async (key: string) => (await app.query<any>(`{ viewer { account { id } } }`, {}, key)).viewer.account.id as string;
  ageUkAccountId = await viewerId(keys.ageUk);
  mensShedsAccountId = await viewerId(keys.mensSheds);
});
afterAll(() => app.close());

const knex = () => app.em().getKnex();
const dbId = (globalId: string) => parseGlobalId(globalId, 'id').id;
/** Every write is attributed, so "nothing was written" includes "no audit entry was added". */
const auditCount = async () => Number((await knex()('audit_entry').count({ n: '*' }))[0].n);
const rowCount = async (table: string) => Number((await knex()(table).count({ n: '*' }))[0].n);
const row = (table: string, globalId: string) => knex()(table).where('id', dbId(globalId)).first();
const newestAudit = () => knex()('audit_entry').orderBy('id', 'desc').first('entity_type', 'entity_id', 'action', 'account_id');

let counter = 0;
const unique = (label: string) => `${label} ${++counter}`;

const SERVICE = `service { id version name isDraft status archivedAt provider { id } }`;
const CREATE_SERVICE = `mutation ($input: CreateServiceInput!) { createService(input: $input) { ${SERVICE} } }`;
const ARCHIVE_SERVICE = `mutation ($input: ServiceVersionInput!) { archiveService(input: $input) { ${SERVICE} } }`;
const ISSUE_KEY = `mutation ($input: IssueApiKeyInput!) { issueApiKey(input: $input) { key apiKey { id prefix label revokedAt } } }`;
const CREATE_ACCOUNT = `mutation ($input: CreateAccountInput!) { createAccount(input: $input) { account { id name email role disabled provider { id } } } }`;

/** A new Age UK service made by the admin, in the state a case needs. */
async function ageUkService(state: 'draft' | 'published' | 'archived'): Promise<{ id: string; version: number }> {
  const created: any = await app.query(
    CREATE_SERVICE,
    { input: { name: unique('Age UK permissions check'), providerId: keys.ageUkProviderId, draft: state === 'draft' } },
    keys.admin,
  );
  let service = created.createService.service;
  if (state === 'archived') {
    service = ((await app.query(ARCHIVE_SERVICE, { input: { id: service.id, version: service.version } }, keys.admin)) as any).archiveService.service;
  }
  return { id: service.id, version: service.version };
}

async function aHub(): Promise<{ id: string; version: number }> {
  return ((await app.query(`{ hubs(first: 1) { nodes { id version } } }`)) as any).hubs.nodes[0];
}

async function anAgeUkPartnerAccount(): Promise<string> {
  const data: any = await app.query(CREATE_ACCOUNT, { input: { name: unique('Age UK volunteer'), role: 'PARTNER', providerId: keys.ageUkProviderId } }, keys.admin);
  return data.createAccount.account.id;
}

async function issueKey(accountId: string): Promise<{ key: string; apiKey: { id: string; prefix: string } }> {
  return ((await app.query(ISSUE_KEY, { input: { accountId, label: unique('key') } }, keys.admin)) as any).issueApiKey;
}

/** One attempt at a mutation, against objects made fresh for it. */
interface Attempt {
  variables: Record<string, unknown>;
  /** The rows this mutation would change (or a row count, for a create): compared before and after a refusal. */
  state: () => Promise<unknown>;
  /** Checks the payload of a success and returns the global id of the changed object. */
  expectDone: (payload: any) => string;
  /** The audit action a success records. */
  action: string;
}

interface MutationCase {
  mutation: string;
  document: string;
  /** Only admins may call it at all: partners, even of the owning provider, are FORBIDDEN. */
  adminOnly: boolean;
  /** What the partner of another provider gets: NOT_FOUND when the object is hidden from it (drafts, archived, other accounts' keys). */
  otherPartner: 'FORBIDDEN' | 'NOT_FOUND';
  prepare: () => Promise<Attempt>;
}

const serviceChange = (
  mutation: string,
  target: 'draft' | 'published' | 'archived',
  action: string,
  expectChanged: (service: any) => void,
): MutationCase => ({
  mutation,
  document: `mutation ($input: ServiceVersionInput!) { ${mutation}(input: $input) { ${SERVICE} } }`,
  adminOnly: false,
  otherPartner: target === 'published' ? 'FORBIDDEN' : 'NOT_FOUND',
  async prepare() {
    const service = await ageUkService(target);
    return {
      variables: { input: { id: service.id, version: service.version } },
      state: () => row('service', service.id),
      expectDone: ({ service: changed }) => {
        expect(changed).toMatchObject({ id: service.id, version: service.version + 1, provider: { id: keys.ageUkProviderId } });
        expectChanged(changed);
        return service.id;
      },
      action,
    };
  },
});

const MUTATIONS: MutationCase[] = [
  {
    mutation: 'createService',
    document: CREATE_SERVICE,
    adminOnly: false,
    otherPartner: 'FORBIDDEN',
    async prepare() {
      const name = unique('Seated yoga');
      return {
        variables: { input: { name, providerId: keys.ageUkProviderId } },
        state: () => rowCount('service'),
        expectDone: ({ service }) => {
          expect(service).toMatchObject({ name, version: 1, isDraft: true, provider: { id: keys.ageUkProviderId } });
          return service.id;
        },
        action: 'CREATE',
      };
    },
  },
  {
    mutation: 'updateService',
    document: `mutation ($input: UpdateServiceInput!) { updateService(input: $input) { ${SERVICE} } }`,
    adminOnly: false,
    otherPartner: 'FORBIDDEN',
    async prepare() {
      const service = await ageUkService('published');
      const name = unique('Renamed lunch club');
      return {
        variables: { input: { id: service.id, version: service.version, name } },
        state: () => row('service', service.id),
        expectDone: ({ service: changed }) => {
          expect(changed).toMatchObject({ id: service.id, version: service.version + 1, name });
          return service.id;
        },
        action: 'UPDATE',
      };
    },
  },
  serviceChange('publishService', 'draft', 'PUBLISH', (service) => expect(service.isDraft).toBe(false)),
  serviceChange('pauseService', 'published', 'PAUSE', (service) => expect(service.status).toBe('TEMPORARILY_CLOSED')),
  serviceChange('archiveService', 'published', 'ARCHIVE', (service) => expect(service.archivedAt).not.toBeNull()),
  serviceChange('restoreService', 'archived', 'RESTORE', (service) => expect(service.archivedAt).toBeNull()),
  {
    mutation: 'setServiceCapacity',
    document: `mutation ($input: SetServiceCapacityInput!) { setServiceCapacity(input: $input) { service { id version name isDraft status archivedAt provider { id } capacity { status waitDays } } } }`,
    adminOnly: false,
    otherPartner: 'FORBIDDEN',
    async prepare() {
      const service = await ageUkService('published');
      return {
        variables: { input: { id: service.id, version: service.version, status: 'WAITING_LIST', waitDays: 14 } },
        state: () => row('service', service.id),
        expectDone: ({ service: changed }) => {
          expect(changed).toMatchObject({ id: service.id, version: service.version + 1, capacity: { status: 'WAITING_LIST', waitDays: 14 } });
          return service.id;
        },
        action: 'CAPACITY',
      };
    },
  },
  serviceChange('confirmServiceDetails', 'published', 'VERIFY', () => undefined),
  {
    mutation: 'resolveProblemReport',
    document: `mutation ($input: ResolveProblemReportInput!) { resolveProblemReport(input: $input) { report { id status resolutionNote } } }`,
    adminOnly: false,
    // A partner never sees another provider's reports, so cannot tell one from none.
    otherPartner: 'NOT_FOUND',
    async prepare() {
      const service = await ageUkService('published');
      const sent: any = await app.query(`mutation ($input: ReportProblemInput!) { reportProblem(input: $input) { report { id } } }`, { input: { serviceId: service.id, kind: 'WRONG_CONTACT', message: unique('The phone number rings out') } });
      const id = sent.reportProblem.report.id;
      return {
        variables: { input: { id, resolution: 'RESOLVED', note: 'Number corrected.' } },
        state: () => row('problem_report', id),
        expectDone: ({ report }) => {
          expect(report).toEqual({ id, status: 'RESOLVED', resolutionNote: 'Number corrected.' });
          return id;
        },
        action: 'RESOLVE',
      };
    },
  },
  {
    mutation: 'detachService',
    document: `mutation ($input: ServiceVersionInput!) { detachService(input: $input) { service { id version name isDraft status archivedAt provider { id } importedFrom } } }`,
    adminOnly: true,
    otherPartner: 'FORBIDDEN',
    async prepare() {
      const service = await ageUkService('published');
      // As an import of an Open Referral UK feed leaves it.
      await app.em().getKnex()('service').where('id', parseGlobalId(service.id, 'id').id).update({ source: 'https://directory.example.org/oruk' });
      return {
        variables: { input: { id: service.id, version: service.version } },
        state: () => row('service', service.id),
        expectDone: ({ service: changed }) => {
          expect(changed).toMatchObject({ id: service.id, version: service.version + 1, importedFrom: null });
          return service.id;
        },
        action: 'DETACH',
      };
    },
  },
  {
    mutation: 'createProvider',
    document: `mutation ($input: CreateProviderInput!) { createProvider(input: $input) { provider { id name version } } }`,
    adminOnly: true,
    otherPartner: 'FORBIDDEN',
    async prepare() {
      const name = unique('Friends of the Park');
      return {
        variables: { input: { name } },
        state: () => rowCount('provider'),
        expectDone: ({ provider }) => {
          expect(provider).toMatchObject({ name, version: 1 });
          return provider.id;
        },
        action: 'CREATE',
      };
    },
  },
  {
    mutation: 'updateProvider',
    document: `mutation ($input: UpdateProviderInput!) { updateProvider(input: $input) { provider { id version description } } }`,
    adminOnly: false,
    otherPartner: 'FORBIDDEN',
    async prepare() {
      const current: any = await app.query(`query ($id: ID!) { provider(id: $id) { id version } }`, { id: keys.ageUkProviderId });
      const { id, version } = current.provider;
      const description = unique('Older people’s charity, profile revision');
      return {
        variables: { input: { id, version, description } },
        state: () => row('provider', id),
        expectDone: ({ provider }) => {
          expect(provider).toEqual({ id, version: version + 1, description });
          return id;
        },
        action: 'UPDATE',
      };
    },
  },
  {
    mutation: 'createHub',
    document: `mutation ($input: CreateHubInput!) { createHub(input: $input) { hub { id name version address { postcode } } } }`,
    adminOnly: true,
    otherPartner: 'FORBIDDEN',
    async prepare() {
      const name = unique('Chapeltown Community Centre');
      return {
        variables: {
          input: {
            name,
            kind: 'COMMUNITY_HUB',
            addressLines: ['1 Chapeltown Road'],
            town: 'Leeds',
            postcode: 'ls74sa',
            region: 'YORKSHIRE_AND_THE_HUMBER',
            latitude: 53.82,
            longitude: -1.53,
            operator: 'Leeds City Council',
          },
        },
        state: () => rowCount('hub'),
        expectDone: ({ hub }) => {
          expect(hub).toMatchObject({ name, version: 1, address: { postcode: 'LS7 4SA' } });
          return hub.id;
        },
        action: 'CREATE',
      };
    },
  },
  {
    mutation: 'updateHub',
    document: `mutation ($input: UpdateHubInput!) { updateHub(input: $input) { hub { id version accessibility } } }`,
    adminOnly: true,
    otherPartner: 'FORBIDDEN',
    async prepare() {
      const hub = await aHub();
      const accessibility = unique('Step-free entrance, hearing loop');
      return {
        variables: { input: { id: hub.id, version: hub.version, accessibility } },
        state: () => row('hub', hub.id),
        expectDone: ({ hub: changed }) => {
          expect(changed).toEqual({ id: hub.id, version: hub.version + 1, accessibility });
          return hub.id;
        },
        action: 'UPDATE',
      };
    },
  },
  {
    mutation: 'createSynonymGroup',
    document: `mutation ($input: SynonymGroupInput!) { createSynonymGroup(input: $input) { synonymGroup { id terms } } }`,
    adminOnly: true,
    otherPartner: 'FORBIDDEN',
    async prepare() {
      const terms = [`knitting${++counter}`, `yarn craft${counter}`];
      return {
        variables: { input: { terms } },
        state: () => rowCount('synonym_group'),
        expectDone: ({ synonymGroup }) => {
          expect(synonymGroup.terms).toEqual(terms);
          return synonymGroup.id;
        },
        action: 'CREATE',
      };
    },
  },
  {
    mutation: 'updateSynonymGroup',
    document: `mutation ($input: UpdateSynonymGroupInput!) { updateSynonymGroup(input: $input) { synonymGroup { id terms } } }`,
    adminOnly: true,
    otherPartner: 'FORBIDDEN',
    async prepare() {
      const id = ((await app.query(`{ searchSynonyms { id } }`)) as any).searchSynonyms[0].id;
      const terms = ['counselling', 'counseling', `talking therapy ${++counter}`];
      return {
        variables: { input: { id, terms } },
        state: () => row('synonym_group', id),
        expectDone: ({ synonymGroup }) => {
          expect(synonymGroup).toEqual({ id, terms });
          return id;
        },
        action: 'UPDATE',
      };
    },
  },
  {
    mutation: 'deleteSynonymGroup',
    document: `mutation ($id: ID!) { deleteSynonymGroup(id: $id) }`,
    adminOnly: true,
    otherPartner: 'FORBIDDEN',
    async prepare() {
      const made = (await app.query(`mutation ($input: SynonymGroupInput!) { createSynonymGroup(input: $input) { synonymGroup { id } } }`, { input: { terms: [`crochet${++counter}`, `hook craft${counter}`] } }, keys.admin)) as any;
      const id = made.createSynonymGroup.synonymGroup.id;
      return {
        variables: { id },
        state: () => rowCount('synonym_group'),
        expectDone: (deleted) => {
          expect(deleted).toBe(id);
          return id;
        },
        action: 'DELETE',
      };
    },
  },
  {
    mutation: 'createCategory',
    document: `mutation ($input: CreateCategoryInput!) { createCategory(input: $input) { category { id code name } } }`,
    adminOnly: true,
    otherPartner: 'FORBIDDEN',
    async prepare() {
      const code = `tai-chi-${++counter}`;
      return {
        variables: { input: { code, name: 'Tai chi' } },
        state: () => rowCount('category'),
        expectDone: ({ category }) => {
          expect(category).toMatchObject({ code, name: 'Tai chi' });
          return category.id;
        },
        action: 'CREATE',
      };
    },
  },
  {
    mutation: 'updateCategory',
    document: `mutation ($input: UpdateCategoryInput!) { updateCategory(input: $input) { category { id description } } }`,
    adminOnly: true,
    otherPartner: 'FORBIDDEN',
    async prepare() {
      const id = ((await app.query(`{ categories(first: 1) { nodes { id } } }`)) as any).categories.nodes[0].id;
      const description = unique('Revised category description');
      return {
        variables: { input: { id, description } },
        state: () => row('category', id),
        expectDone: ({ category }) => {
          expect(category).toEqual({ id, description });
          return id;
        },
        action: 'UPDATE',
      };
    },
  },
  {
    mutation: 'createEligibilityCriterion',
    document: `mutation ($input: CreateEligibilityCriterionInput!) { createEligibilityCriterion(input: $input) { criterion { id code label kind } } }`,
    adminOnly: true,
    otherPartner: 'FORBIDDEN',
    async prepare() {
      const code = `recently-retired-${++counter}`;
      return {
        variables: { input: { code, label: 'Recently retired', kind: 'CIRCUMSTANCE' } },
        state: () => rowCount('eligibility_criterion'),
        expectDone: ({ criterion }) => {
          expect(criterion).toMatchObject({ code, label: 'Recently retired', kind: 'CIRCUMSTANCE' });
          return criterion.id;
        },
        action: 'CREATE',
      };
    },
  },
  {
    mutation: 'updateEligibilityCriterion',
    document: `mutation ($input: UpdateEligibilityCriterionInput!) { updateEligibilityCriterion(input: $input) { criterion { id description } } }`,
    adminOnly: true,
    otherPartner: 'FORBIDDEN',
    async prepare() {
      const id = ((await app.query(`{ eligibilityCriteria(first: 1) { nodes { id } } }`)) as any).eligibilityCriteria.nodes[0].id;
      const description = unique('Revised criterion description');
      return {
        variables: { input: { id, description } },
        state: () => row('eligibility_criterion', id),
        expectDone: ({ criterion }) => {
          expect(criterion).toEqual({ id, description });
          return id;
        },
        action: 'UPDATE',
      };
    },
  },
  {
    mutation: 'createAccount',
    document: CREATE_ACCOUNT,
    adminOnly: true,
    otherPartner: 'FORBIDDEN',
    async prepare() {
      const name = unique('Age UK second editor');
      return {
        variables: { input: { name, role: 'PARTNER', providerId: keys.ageUkProviderId } },
        state: () => rowCount('account'),
        expectDone: ({ account }) => {
          expect(account).toMatchObject({ name, role: 'PARTNER', disabled: false, provider: { id: keys.ageUkProviderId } });
          return account.id;
        },
        action: 'CREATE',
      };
    },
  },
  {
    mutation: 'updateAccount',
    document: `mutation ($input: UpdateAccountInput!) { updateAccount(input: $input) { account { id name } } }`,
    adminOnly: true,
    otherPartner: 'FORBIDDEN',
    async prepare() {
      const id = await anAgeUkPartnerAccount();
      const name = unique('Renamed Age UK editor');
      return {
        variables: { input: { id, name } },
        state: () => row('account', id),
        expectDone: ({ account }) => {
          expect(account).toEqual({ id, name });
          return id;
        },
        action: 'UPDATE',
      };
    },
  },
  {
    mutation: 'issueApiKey',
    document: ISSUE_KEY,
    adminOnly: true,
    otherPartner: 'FORBIDDEN',
    async prepare() {
      const label = unique('Website sync');
      return {
        // The owning partner asking for a key for its own account is still refused: keys come from the directory team.
        variables: { input: { accountId: ageUkAccountId, label } },
        state: () => rowCount('api_key'),
        expectDone: ({ key, apiKey }) => {
          expect(apiKey).toMatchObject({ label, revokedAt: null });
          expect(key.startsWith(`${apiKey.prefix}_`)).toBe(true);
          return apiKey.id;
        },
        action: 'ISSUE_KEY',
      };
    },
  },
  {
    mutation: 'revokeApiKey',
    document: `mutation ($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) { apiKey { id revokedAt } } }`,
    adminOnly: false,
    // A key of another account is hidden from a partner, so it is NOT_FOUND rather than FORBIDDEN.
    otherPartner: 'NOT_FOUND',
    async prepare() {
      const { apiKey } = await issueKey(ageUkAccountId);
      return {
        variables: { input: { id: apiKey.id } },
        state: () => row('api_key', apiKey.id),
        expectDone: ({ apiKey: revoked }) => {
          expect(revoked.id).toBe(apiKey.id);
          expect(revoked.revokedAt).not.toBeNull();
          return apiKey.id;
        },
        action: 'REVOKE_KEY',
      };
    },
  },
];

/** Tries a mutation that must be refused with `code`, and checks that nothing at all was written. */
async function expectRefused(mutation: MutationCase, key: string | undefined, code: string): Promise<void> {
  const attempt = await mutation.prepare();
  const before = await attempt.state();
  expect(before ?? null).not.toBeNull(); // the comparison below must have something to compare
  const audits = await auditCount();
  const result = await app.run(mutation.document, attempt.variables, { key });
  expect(errorCodes(result)).toEqual([code]);
  expect(result.data?.[mutation.mutation] ?? null).toBeNull();
  expect(await attempt.state()).toEqual(before);
  expect(await auditCount()).toBe(audits);
}

/** Tries a mutation that must succeed: the payload shows the change, and exactly one audit entry records it. */
async function expectAllowed(mutation: MutationCase, key: string): Promise<void> {
  const attempt = await mutation.prepare();
  const audits = await auditCount();
  const result = await app.run(mutation.document, attempt.variables, { key });
  expect(result.errors).toBeUndefined();
  const changedId = attempt.expectDone((result.data as any)[mutation.mutation]);
  expect(await auditCount()).toBe(audits + 1);
  const entry = await newestAudit();
  expect({ object: toGlobalId(entry.entity_type as NodeTypeName, entry.entity_id), action: entry.action }).toEqual({ object: changedId, action: attempt.action });
}

it('the matrix covers every mutation in the schema', () => {
  const mutationType = buildSchema(readFileSync(join(__dirname, '..', 'schema.graphql'), 'utf8')).getMutationType()!;
  // reportProblem is the one mutation anyone may send: its matrix is in problem-reports.test.ts.
  expect([...MUTATIONS.map((m) => m.mutation), 'reportProblem'].sort()).toEqual(Object.keys(mutationType.getFields()).sort());
});

describe.each(MUTATIONS)('$mutation', (mutation) => {
  it('anonymous: UNAUTHENTICATED, nothing written', async () => {
    await expectRefused(mutation, undefined, 'UNAUTHENTICATED');
  });

  it(`another provider's partner on Age UK's objects: ${mutation.otherPartner}, nothing written`, async () => {
    await expectRefused(mutation, keys.mensSheds, mutation.otherPartner);
  });

  if (mutation.adminOnly) {
    it('the owning partner: FORBIDDEN (admins only), nothing written', async () => {
      await expectRefused(mutation, keys.ageUk, 'FORBIDDEN');
    });
  } else {
    it('the owning partner: succeeds and is audited', async () => {
      await expectAllowed(mutation, keys.ageUk);
    });
  }

  it('an admin: succeeds and is audited', async () => {
    await expectAllowed(mutation, keys.admin);
  });
});

describe("another provider's partner cannot tell a hidden service from none", () => {
  const serviceMutations = MUTATIONS.filter((m) => ['updateService', 'publishService', 'pauseService', 'archiveService', 'restoreService'].includes(m.mutation));

  it.each(serviceMutations.map((m) => [m.mutation, m] as const))('%s on an Age UK draft is NOT_FOUND, nothing written', async (_name, mutation) => {
    const draft = await ageUkService('draft');
    const variables = mutation.mutation === 'updateService' ? { input: { ...draft, name: 'Hijacked' } } : { input: draft };
    const before = await row('service', draft.id);
    const audits = await auditCount();
    const result = await app.run(mutation.document, variables, { key: keys.mensSheds });
    expect(errorCodes(result)).toEqual(['NOT_FOUND']);
    expect(await row('service', draft.id)).toEqual(before);
    expect(await auditCount()).toBe(audits);
  });

  it.each(serviceMutations.map((m) => [m.mutation, m] as const))('%s on a published Age UK service is FORBIDDEN, nothing written', async (_name, mutation) => {
    const published = await ageUkService('published');
    const variables = mutation.mutation === 'updateService' ? { input: { ...published, name: 'Hijacked' } } : { input: published };
    const before = await row('service', published.id);
    const audits = await auditCount();
    const result = await app.run(mutation.document, variables, { key: keys.mensSheds });
    expect(errorCodes(result)).toEqual(['FORBIDDEN']);
    expect(await row('service', published.id)).toEqual(before);
    expect(await auditCount()).toBe(audits);
  });
});

describe('partners never read other accounts or their keys', () => {
  const NODE = `query ($id: ID!) { node(id: $id) { __typename id ... on Account { name } ... on ApiKey { prefix } } }`;
  const keyIdOf = async (key: string) => {
    const data: any = await app.query(`{ viewer { account { apiKeys { id prefix } } } }`, {}, key);
    return data.viewer.account.apiKeys.find((k: any) => key.startsWith(`${k.prefix}_`)).id as string;
  };

  it('accounts is for admins: FORBIDDEN for a partner, UNAUTHENTICATED for anonymous', async () => {
    const query = `{ accounts(first: 100) { nodes { name } } }`;
    expect(errorCodes(await app.run(query, {}, { key: keys.ageUk }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await app.run(query))).toEqual(['UNAUTHENTICATED']);
    const all: any = await app.query(query, {}, keys.admin);
    expect(all.accounts.nodes.map((a: any) => a.name)).toEqual(expect.arrayContaining(['Age UK partner', "Men's Sheds partner", 'Directory team']));
  });

  it("node(id:) of another account or another account's key is null for a partner; the admin sees both", async () => {
    const mensShedsKeyId = await keyIdOf(keys.mensSheds);
    expect(await app.query(NODE, { id: mensShedsAccountId }, keys.ageUk)).toEqual({ node: null });
    expect(await app.query(NODE, { id: mensShedsKeyId }, keys.ageUk)).toEqual({ node: null });
    expect(await app.query(NODE, { id: mensShedsAccountId })).toEqual({ node: null });
    expect(await app.query(NODE, { id: mensShedsAccountId }, keys.admin)).toEqual({ node: { __typename: 'Account', id: mensShedsAccountId, name: "Men's Sheds partner" } });
    expect(await app.query(NODE, { id: mensShedsKeyId }, keys.admin)).toEqual({ node: { __typename: 'ApiKey', id: mensShedsKeyId, prefix: keys.mensSheds.slice(0, 16) } });
    // Its own account and key it does see, so the nulls above are a refusal, not a broken lookup.
    expect(await app.query(NODE, { id: ageUkAccountId }, keys.ageUk)).toEqual({ node: { __typename: 'Account', id: ageUkAccountId, name: 'Age UK partner' } });
    const ownKeyId = await keyIdOf(keys.ageUk);
    expect(await app.query(NODE, { id: ownKeyId }, keys.ageUk)).toEqual({ node: { __typename: 'ApiKey', id: ownKeyId, prefix: keys.ageUk.slice(0, 16) } });
  });

  it('nodes(ids:) hides them too', async () => {
    const data: any = await app.query(`query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: [mensShedsAccountId, ageUkAccountId] }, keys.ageUk);
    expect(data.nodes).toEqual([null, { id: ageUkAccountId }]);
  });

  it("the viewer's keys are its own and nobody else's", async () => {
    await issueKey(ageUkAccountId);
    await issueKey(mensShedsAccountId);
    const data: any = await app.query(`{ viewer { account { apiKeys { prefix } } } }`, {}, keys.ageUk);
    const own = await knex()('api_key').where('account_id', dbId(ageUkAccountId)).orderBy('id', 'desc').pluck('prefix');
    expect(own.length).toBeGreaterThanOrEqual(2);
    expect(data.viewer.account.apiKeys.map((k: any) => k.prefix)).toEqual(own);
    expect(data.viewer.account.apiKeys.map((k: any) => k.prefix)).not.toContain(keys.mensSheds.slice(0, 16));
  });
});

describe('the audit trail', () => {
  const TRAIL = `query ($after: String, $filter: AuditFilter) { auditTrail(first: 100, after: $after, filter: $filter) { nodes { objectId action entityType } pageInfo { hasNextPage endCursor } } }`;

  async function wholeTrail(key: string, filter?: Record<string, unknown>): Promise<Array<{ objectId: string; action: string; entityType: string }>> {
    const entries = [];
    let after: string | null = null;
    for (;;) {
      const data: any = await app.query(TRAIL, { after, filter }, key);
      entries.push(...data.auditTrail.nodes);
      if (!data.auditTrail.pageInfo.hasNextPage) return entries;
      after = data.auditTrail.pageInfo.endCursor;
    }
  }

  /** Global ids of everything that belongs to a provider: itself, its services, its accounts and their keys. */
  async function objectsOf(providerGlobalId: string): Promise<Set<string>> {
    const providerId = dbId(providerGlobalId);
    const services = await knex()('service').where('provider_id', providerId).pluck('id');
    const accounts = await knex()('account').where('provider_id', providerId).pluck('id');
    const apiKeys = await knex()('api_key').whereIn('account_id', accounts).pluck('id');
    const reports = await knex()('problem_report').whereIn('service_id', services).pluck('id');
    return new Set([
      providerGlobalId,
      ...services.map((id: number) => toGlobalId('Service', id)),
      ...reports.map((id: number) => toGlobalId('ProblemReport', id)),
      ...accounts.map((id: number) => toGlobalId('Account', id)),
      ...apiKeys.map((id: number) => toGlobalId('ApiKey', id)),
    ]);
  }

  const firstServiceOf = async (providerId: string) =>
    ((await app.query(`query ($p: [ID!]) { services(first: 1, filter: { providerIds: $p }) { nodes { id version } } }`, { p: [providerId] })) as any).services.nodes[0];
  const UPDATE = `mutation ($input: UpdateServiceInput!) { updateService(input: $input) { service { id version } } }`;

  it("a partner reads only the changes to its own provider's things", async () => {
    const ageUkService = await firstServiceOf(keys.ageUkProviderId);
    const mensShedsService = await firstServiceOf(keys.mensShedsProviderId);
    await app.query(UPDATE, { input: { ...ageUkService, description: 'Audit trail check (Age UK).' } }, keys.ageUk);
    await app.query(UPDATE, { input: { ...mensShedsService, description: "Audit trail check (Men's Sheds)." } }, keys.mensSheds);
    const afterAdmin: any = await firstServiceOf(keys.mensShedsProviderId);
    await app.query(UPDATE, { input: { ...afterAdmin, description: "Audit trail check (Men's Sheds, by the admin)." } }, keys.admin);
    await app.query(`mutation ($input: UpdateHubInput!) { updateHub(input: $input) { hub { id } } }`, { input: { ...(await aHub()), accessibility: 'Hearing loop at reception.' } }, keys.admin);

    const seenByAgeUk = await wholeTrail(keys.ageUk);
    const ageUkObjects = await objectsOf(keys.ageUkProviderId);
    expect(seenByAgeUk.map((e) => e.objectId)).toContain(ageUkService.id);
    expect(seenByAgeUk.filter((e) => !ageUkObjects.has(e.objectId))).toEqual([]);

    // The admin sees the other changes, so there was something to hide.
    const seenByAdmin = (await wholeTrail(keys.admin)).map((e) => e.objectId);
    expect(seenByAdmin).toEqual(expect.arrayContaining([ageUkService.id, mensShedsService.id]));
    expect(seenByAdmin.filter((id) => !ageUkObjects.has(id)).length).toBeGreaterThan(0);
  });

  it("a partner asking for another object's or provider's trail gets nothing, or FORBIDDEN", async () => {
    const mensShedsService = await firstServiceOf(keys.mensShedsProviderId);
    const admin = await wholeTrail(keys.admin, { objectId: mensShedsService.id });
    expect(admin.length).toBeGreaterThan(0);
    expect(await wholeTrail(keys.ageUk, { objectId: mensShedsService.id })).toEqual([]);
    expect(await wholeTrail(keys.ageUk, { accountId: mensShedsAccountId })).toEqual([]);
    const other = await app.run(TRAIL, { filter: { providerId: keys.mensShedsProviderId } }, { key: keys.ageUk });
    expect(errorCodes(other)).toEqual(['FORBIDDEN']);
    expect(other.data).toEqual({ auditTrail: null });
  });

  it('anonymous callers cannot read it', async () => {
    expect(errorCodes(await app.run(TRAIL, {}))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('revoking keys', () => {
  const REVOKE = `mutation ($id: ID!) { revokeApiKey(input: { id: $id }) { apiKey { id revokedAt } } }`;
  const WHO = `{ viewer { account { name } } }`;

  it('a partner may revoke its own key, which then stops working', async () => {
    const { key, apiKey } = await issueKey(ageUkAccountId);
    expect(await app.query(WHO, {}, key)).toEqual({ viewer: { account: { name: 'Age UK partner' } } });
    const done: any = await app.query(REVOKE, { id: apiKey.id }, keys.ageUk);
    expect(done.revokeApiKey.apiKey.revokedAt).not.toBeNull();
    expect(errorCodes(await app.run(WHO, {}, { key }))).toEqual(['UNAUTHENTICATED']);
  });

  it("a partner cannot revoke another account's key, even one of its own provider: NOT_FOUND, and the key still works", async () => {
    const sameProvider = await issueKey(await anAgeUkPartnerAccount());
    const otherProvider = await issueKey(mensShedsAccountId);
    for (const { key, apiKey } of [sameProvider, otherProvider]) {
      const before = await row('api_key', apiKey.id);
      const audits = await auditCount();
      expect(errorCodes(await app.run(REVOKE, { id: apiKey.id }, { key: keys.ageUk }))).toEqual(['NOT_FOUND']);
      expect(await row('api_key', apiKey.id)).toEqual(before);
      expect(await auditCount()).toBe(audits);
      expect(errorCodes(await app.run(WHO, {}, { key }))).toEqual([]);
    }
  });
});

describe('disabled accounts', () => {
  it("a disabled account's key is UNAUTHENTICATED until the account is enabled again", async () => {
    const accountId = await anAgeUkPartnerAccount();
    const { key } = await issueKey(accountId);
    const UPDATE_ACCOUNT = `mutation ($input: UpdateAccountInput!) { updateAccount(input: $input) { account { id disabled } } }`;
    expect(errorCodes(await app.run(`{ viewer { role } }`, {}, { key }))).toEqual([]);

    const disabled: any = await app.query(UPDATE_ACCOUNT, { input: { id: accountId, disabled: true } }, keys.admin);
    expect(disabled.updateAccount.account).toEqual({ id: accountId, disabled: true });
    const refused = await app.run(`{ viewer { role } }`, {}, { key });
    expect(errorCodes(refused)).toEqual(['UNAUTHENTICATED']);
    expect(refused.errors![0].message).toContain('disabled');
    const write = await app.run(CREATE_SERVICE, { input: { name: 'Written by a disabled account' } }, { key });
    expect(errorCodes(write)).toEqual(['UNAUTHENTICATED']);

    await app.query(UPDATE_ACCOUNT, { input: { id: accountId, disabled: false } }, keys.admin);
    expect(await app.query(`{ viewer { role } }`, {}, key)).toEqual({ viewer: { role: 'PARTNER' } });
  });
});
