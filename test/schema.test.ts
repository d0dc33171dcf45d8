import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDirectorySchema, printDirectorySchema } from '../src/schema';

describe('schema.graphql', () => {
  it('is the schema the resolvers build (run `npm run schema` after changing them)', async () => {
    const committed = readFileSync(resolve(__dirname, '../schema.graphql'), 'utf8');
    expect(committed).toBe(await printDirectorySchema());
  });

  it('follows the Relay conventions front ends rely on', async () => {
    const sdl = await printDirectorySchema();
    expect(sdl).toMatch(/interface Node \{\n(.*\n)*?\s+id: ID!/);
    for (const type of ['Hub', 'Service', 'Provider', 'EligibilityCriterion', 'Category', 'ServiceLocation', 'Schedule']) {
      expect(sdl).toMatch(new RegExp(`type ${type} implements Node`));
    }
    const services = (await buildDirectorySchema()).getQueryType()!.getFields().services;
    const args = services.args.map((arg) => `${arg.name}: ${arg.type}${arg.defaultValue === undefined ? '' : ` = ${arg.defaultValue}`}`);
    expect(args.sort()).toEqual(['after: String', 'filter: ServiceFilter', 'first: Int = 20', 'near: NearInput', 'orderBy: ServiceOrder']);
    // Nullable, as every root field: a bad argument nulls this field only, not the whole response.
    expect(String(services.type)).toBe('ServiceSearchConnection');
    const pageInfo = /type PageInfo \{[^}]*\}/.exec(sdl)![0];
    expect(pageInfo).toMatch(/hasNextPage: Boolean!/);
    expect(pageInfo).toMatch(/endCursor: String\n/);
  });
});
