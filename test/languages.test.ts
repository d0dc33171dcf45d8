import { describe, expect, it } from 'vitest';
import { appWithKeys, errorCodes } from './utils';

/** Finding services offered in a person's language, British Sign Language included. */
const suite = appWithKeys();

const ALL = ['ACTIVE', 'INACTIVE', 'TEMPORARILY_CLOSED', 'DEFUNCT'];

/** Every service the filter gives, page by page, checking the total on the way. */
async function withLanguages(languages?: string[]): Promise<Array<{ id: string; languages: string[] }>> {
  const nodes: Array<{ id: string; languages: string[] }> = [];
  let total = 0;
  for (let after: string | null = null, more = true; more; ) {
    const data: any = await suite.app.query(
      `query ($filter: ServiceFilter, $after: String) { services(first: 100, after: $after, filter: $filter) { totalCount nodes { id languages } pageInfo { hasNextPage endCursor } } }`,
      { filter: { statuses: ALL, languages }, after },
    );
    nodes.push(...data.services.nodes);
    total = data.services.totalCount;
    more = data.services.pageInfo.hasNextPage;
    after = data.services.pageInfo.endCursor;
  }
  expect(nodes).toHaveLength(total);
  return nodes;
}

describe('filter.languages', () => {
  it.each([[['cy']], [['pl', 'bn']], [['so']], [['EN']]])('%j gives the services offered in any of them', async (languages) => {
    const everyone = await withLanguages();
    const wanted = everyone.filter((s) => s.languages.some((code) => languages.map((l) => l.toLowerCase()).includes(code))).map((s) => s.id).sort();
    expect(wanted.length).toBeGreaterThan(0);
    expect((await withLanguages(languages)).map((s) => s.id).sort()).toEqual(wanted);
  });

  it('British Sign Language is a language like any other ("bfi")', async () => {
    const [service] = (await suite.app.query<any>(`{ services(first: 1, filter: { providerIds: ["${suite.keys.ageUkProviderId}"] }) { nodes { id version languages } } }`)).services.nodes;
    expect((await withLanguages(['bfi'])).map((s) => s.id)).not.toContain(service.id);
    await suite.app.query(`mutation ($input: UpdateServiceInput!) { updateService(input: $input) { service { id } } }`, { input: { id: service.id, version: service.version, languages: [...service.languages, 'bfi'] } }, suite.keys.ageUk);
    expect((await withLanguages(['bfi'])).map((s) => s.id)).toEqual([service.id]);
  });

  it('a code that is not one is refused, naming it', async () => {
    const result = await suite.app.run(`{ services(filter: { languages: ["en", "English"] }) { totalCount } }`);
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0].extensions).toMatchObject({ field: 'filter.languages[1]' });
  });
});
