import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse, print, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { appWithKeys, type Keys } from './utils';
import { parseGlobalId } from '../src/modules/common/global-id';

/**
 * Every ```graphql block of the README, run in README order against the
 * sample directory, as a newcomer would paste them: each operation answers
 * without errors, and every search (`services`, `hubs`) finds something.
 * Some sections check their examples' results more closely in their own
 * files (capacity, review-cycle, problem-reports, search-insights); here
 * every block runs, theirs too.
 *
 * What the README leaves to the reader is filled in from the sample directory:
 * - the variables it gives after a block ("with `{...}`"), for the operation
 *   declaring variables;
 * - `<service id>`: an Age UK service, and the `version` beside it is that
 *   service's version now (the README's "send the version you read");
 * - `<report id>`: the report the README's reportProblem example made;
 * - for the listings due for review (`filter.review`): the sample's listings
 *   were all checked lately, so that service was last checked a year ago;
 * - the key: reads anonymously, except those the README says are for
 *   partners and admins (read with the admin's key); mutations with the key
 *   of a partner of Age UK (Provider:1, whose listings the partner-editing
 *   examples change), the account and key mutations with the admin's, and
 *   reportProblem without one (anyone may report).
 */
const readme = readFileSync(join(process.cwd(), 'README.md'), 'utf8');

interface Example {
  /** The heading the block is under, and its operation's first line: the test's name. */
  title: string;
  operation: OperationDefinitionNode;
  variables?: Record<string, unknown>;
}

function readmeExamples(): Example[] {
  const examples: Example[] = [];
  for (const match of readme.matchAll(/```graphql\n([\s\S]*?)```/g)) {
    const end = match.index + match[0].length;
    const heading = [...readme.slice(0, match.index).matchAll(/^#+ (.+)$/gm)].pop()![1];
    // The variables, if any, are given in the prose before the next code block.
    const prose = readme.slice(end, readme.indexOf('```', end) === -1 ? undefined : readme.indexOf('```', end));
    const given = /^with `(\{.*\})`/m.exec(prose);
    for (const definition of parse(match[1]).definitions) {
      if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
      const declares = (definition.variableDefinitions?.length ?? 0) > 0;
      if (declares) expect(given, `${heading}: the README gives no variables for ${print(definition).split('\n')[0]}`).not.toBeNull();
      const name = `${definition.operation}${definition.name ? ` ${definition.name.value}` : ''}`;
      examples.push({ title: `${heading}: ${name} { ${rootFields(definition).join(' ')} }`, operation: definition, variables: declares ? JSON.parse(given![1]) : undefined });
    }
  }
  return examples;
}

const examples = readmeExamples();
const suite = appWithKeys();
const made: { reportId?: string } = {};

const ADMIN_MUTATIONS = new Set(['createAccount', 'issueApiKey', 'revokeApiKey']);
const FOR_PARTNERS_AND_ADMINS = new Set(['auditTrail', 'problemReports', 'searchInsights']);

function rootFields(operation: OperationDefinitionNode): string[] {
  return operation.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : []));
}

function keyFor(operation: OperationDefinitionNode, keys: Keys): string | undefined {
  const fields = rootFields(operation);
  if (operation.operation === 'mutation') {
    if (fields.includes('reportProblem')) return undefined;
    return fields.some((f) => ADMIN_MUTATIONS.has(f)) ? keys.admin : keys.ageUk;
  }
  const needsKey = fields.some((f) => FOR_PARTNERS_AND_ADMINS.has(f)) || /\breview:/.test(print(operation));
  return needsKey ? keys.admin : undefined;
}

/** The Age UK service the README's `<service id>` stands for (the first by name). */
async function ageUkService(): Promise<string> {
  const { services } = await suite.app.query(`query ($p: ID!) { services(first: 1, filter: { providerIds: [$p] }, orderBy: NAME) { nodes { id } } }`, { p: suite.keys.ageUkProviderId });
  return services.nodes[0].id;
}

/** That service, last checked a year ago: due (and stale) for review. */
async function lastCheckedAYearAgo(serviceId: string): Promise<void> {
  const em = suite.app.em();
  const at = new Date(Date.now() - 365 * 24 * 60 * 60 * 1000);
  await em.getKnex()('service').where('id', parseGlobalId(serviceId, 'id').id).update({ verified_at: em.getPlatform().processDateProperty(at) as never });
}

async function fill(variables: Record<string, unknown> | undefined): Promise<Record<string, unknown> | undefined> {
  if (!variables) return undefined;
  let text = JSON.stringify(variables);
  if (text.includes('"<service id>"')) {
    text = text.replaceAll('"<service id>"', JSON.stringify(await ageUkService()));
  }
  if (text.includes('"<report id>"')) {
    expect(made.reportId, 'the README reports a problem before it resolves one').toBeDefined();
    text = text.replaceAll('"<report id>"', JSON.stringify(made.reportId));
  }
  expect(text, 'every placeholder is filled').not.toMatch(/<[^>]+>/);
  const filled = JSON.parse(text) as { input?: { id?: string; version?: number } };
  if (filled.input?.id && filled.input.version !== undefined) {
    const { service } = await suite.app.query(`query ($id: ID!) { service(id: $id) { version } }`, { id: filled.input.id }, suite.keys.admin);
    filled.input.version = service.version;
  }
  return filled;
}

/** Each search found something: its totalCount, or its page when no count is asked. */
function expectSearchesFindSomething(title: string, data: Record<string, any>): void {
  for (const field of ['services', 'hubs']) {
    const connection = data[field];
    if (connection === undefined) continue;
    const found = connection.totalCount ?? (connection.edges ?? connection.nodes).length;
    expect(found, `${title}: ${field} found nothing`).toBeGreaterThan(0);
  }
}

/** London's weekday of an instant, as the schedules name it. */
const weekdayOf = (instant: string) => new Intl.DateTimeFormat('en-GB', { weekday: 'long', timeZone: 'Europe/London' }).format(new Date(instant)).toUpperCase();

describe("the README's GraphQL examples, in order, on the sample directory", () => {
  it('are all found: every graphql block, every operation in it', () => {
    expect(examples.length).toBeGreaterThanOrEqual(20);
    expect(readme).not.toMatch(/<id of /);
  });

  it.each(examples.map((example) => [example.title, example] as const))('%s', async (_title, example) => {
    if (/\breview:/.test(print(example.operation))) await lastCheckedAYearAgo(await ageUkService());
    const result = await suite.app.run(print(example.operation), await fill(example.variables), { key: keyFor(example.operation, suite.keys) });
    expect(result.errors, example.title).toBeUndefined();
    const data = result.data as Record<string, any>;
    expectSearchesFindSomething(example.title, data);
    if (data.reportProblem) made.reportId = data.reportProblem.report.id;
    if (example.operation.name?.value === 'LinkWorker') {
      // A service at a hub near the person runs on the day asked, so the example finds more than helplines.
      const openAt = /openAt: "([^"]+)"/.exec(print(example.operation))![1];
      const atHubs = data.services.edges.filter((edge: any) => edge.distanceKm !== null);
      expect(atHubs.length, 'a service at a hub near LS7').toBeGreaterThan(0);
      const days = atHubs.flatMap((edge: any) => edge.node.locations.nodes.flatMap((l: any) => l.schedules.flatMap((s: any) => s.days)));
      expect(days).toContain(weekdayOf(openAt));
      expect(data.services.facets.criteria.length).toBeGreaterThan(0);
    }
  });
});
