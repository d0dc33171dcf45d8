import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseGlobalId } from '../src/modules/common/global-id';
import { appWithKeys, errorCodes } from './utils';

/**
 * The search rules (README), on the sample directory: each case names the
 * services it must give, so it gives the same on SQLite and PostgreSQL
 * (this file runs on both).
 */
const suite = appWithKeys();

async function names(text: string): Promise<string[]> {
  const data: any = await suite.app.query(`query ($text: String!) { services(first: 100, filter: { text: $text }) { totalCount nodes { name } } }`, { text });
  expect(data.services.nodes).toHaveLength(data.services.totalCount);
  return data.services.nodes.map((n: { name: string }) => n.name).sort();
}

describe('search rules', () => {
  it('common words are dropped alike: "over 65" is "65"; a query of only common words is refused, naming the field', async () => {
    expect(await names('over 65')).toEqual(await names('65'));
    expect((await names('65')).length).toBeGreaterThan(0);
    expect(await names('the walking group')).toEqual(await names('walking group'));
    for (const text of ['the', 'and of the', 'in']) {
      const result = await suite.app.run(`query ($text: String!) { services(first: 1, filter: { text: $text }) { totalCount } }`, { text });
      expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0].message).toMatch(/filter\.text.*common words/);
    }
  });

  it('the last word matches as a prefix (search as you type), a word before it does not, nor a last word under 3 letters', async () => {
    const typed = await names('gard');
    expect(typed).toEqual(expect.arrayContaining(['Thrive Birmingham Therapeutic Gardening', 'Thrive Sensory Garden Sessions, Burgess Park']));
    expect(await names('mens she')).toEqual(expect.arrayContaining(["Oldham Men's Shed", "Tang Hall Men's Shed"]));
    expect(await names('mens sh')).toEqual([]);
    expect(await names('gard therapeutic')).not.toEqual(expect.arrayContaining(['Thrive Sensory Garden Sessions, Burgess Park']));
  });

  it('synonyms: other spellings and other words for the same thing find the same services', async () => {
    const counselling = await names('counselling');
    expect(counselling).toEqual(expect.arrayContaining(['Leeds Mind Counselling Service', 'Lambeth Mind Talking Therapies Group']));
    expect(await names('counseling')).toEqual(counselling);
    expect(await names('talking therapy')).toEqual(counselling);
    expect(await names('mens shed')).toEqual(await names("men's shed"));
    expect(await names('mens shed')).toEqual(expect.arrayContaining(['Oldham Men\'s Shed', 'Tang Hall Men\'s Shed']));
    expect(await names('companionship')).toEqual(await names('befriending'));
  });

  it('typos: one edit in a word of 5 letters or more is forgiven; shorter words are not guessed at', async () => {
    expect(await names('councelling')).toEqual(await names('counselling'));
    expect(await names('gardning')).toEqual(await names('gardening'));
    expect(await names('bereavment')).toEqual(await names('bereavement'));
    expect(await names('wlak groups')).toEqual([]);
  });

  it('a town matches services at its hubs, below the services\' own words: "walking in Leeds"', async () => {
    expect(await names('walking in Leeds')).toEqual(['Ramblers Wellbeing Walk, Roundhay Park']);
    const leeds = await names('Leeds');
    expect(leeds).toEqual(expect.arrayContaining(['Leeds Mind Counselling Service', 'Chapeltown Breastfeeding Drop-in', 'Ramblers Wellbeing Walk, Roundhay Park']));
    const ranked: any = await suite.app.query(`{ services(first: 3, filter: { text: "counselling leeds" }) { nodes { name } } }`);
    expect(ranked.services.nodes[0].name).toBe('Leeds Mind Counselling Service');
  });
});

describe('synonym groups, kept by admins', () => {
  const CREATE = `mutation ($input: SynonymGroupInput!) { createSynonymGroup(input: $input) { synonymGroup { id terms } } }`;
  const UPDATE = `mutation ($input: UpdateSynonymGroupInput!) { updateSynonymGroup(input: $input) { synonymGroup { id terms } } }`;
  const DELETE = `mutation ($id: ID!) { deleteSynonymGroup(id: $id) }`;

  it('the directory starts with the obvious groups, readable by anyone', async () => {
    const data: any = await suite.app.query('{ searchSynonyms { id terms } }');
    const terms = data.searchSynonyms.flatMap((g: { terms: string[] }) => g.terms);
    expect(terms).toEqual(expect.arrayContaining(['counselling', 'counseling', 'talking therapy', 'mens shed', 'befriending', 'companionship', 'loneliness', 'caregiver']));
  });

  it('a new group is used by the next search, audited; changed and removed the same way', async () => {
    expect(await names('javabreak')).toEqual([]);
    const created: any = await suite.app.query(CREATE, { input: { terms: ['JavaBreak', 'coffee morning'] } }, suite.keys.admin);
    const group = created.createSynonymGroup.synonymGroup;
    expect(group.terms).toEqual(['javabreak', 'coffee morning']);
    expect(await names('javabreak')).toEqual(['Combat2Coffee Veterans Coffee Mornings']);
    await suite.app.query(UPDATE, { input: { id: group.id, terms: ['javabreak', 'kaffeeklatsch'] } }, suite.keys.admin);
    expect(await names('javabreak')).toEqual([]);
    expect(await suite.app.query(DELETE, { id: group.id }, suite.keys.admin)).toEqual({ deleteSynonymGroup: group.id });
    const audit = await suite.app.em().getKnex()('audit_entry').where({ entity_type: 'SynonymGroup', entity_id: parseGlobalId(group.id, 'id').id }).orderBy('id').select('action');
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['CREATE', 'UPDATE', 'DELETE']);
  });

  it('refuses a term already in another group, a term of only common words, a single term; partners may not', async () => {
    const before = await suite.app.query<any>('{ searchSynonyms { id } }');
    const conflict = await suite.app.run(CREATE, { input: { terms: ['sing-along', 'Choir'] } }, { key: suite.keys.admin });
    expect(errorCodes(conflict)).toEqual(['BAD_USER_INPUT']);
    expect((conflict.errors![0].extensions!.fields as Array<{ field: string }>).map((f) => f.field)).toEqual(['input.terms[1]']);
    const empty = await suite.app.run(CREATE, { input: { terms: ['the', 'knitting'] } }, { key: suite.keys.admin });
    expect((empty.errors![0].extensions!.fields as Array<{ field: string }>).map((f) => f.field)).toEqual(['input.terms[0]']);
    expect(errorCodes(await suite.app.run(CREATE, { input: { terms: ['knitting'] } }, { key: suite.keys.admin }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await suite.app.run(CREATE, { input: { terms: ['knitting', 'yarn'] } }, { key: suite.keys.ageUk }))).toEqual(['FORBIDDEN']);
    expect(await suite.app.query<any>('{ searchSynonyms { id } }')).toEqual(before);
  });
});

describe("the README's search examples", () => {
  it('give what the README says', async () => {
    const readme = readFileSync(join(process.cwd(), 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Search rules'), readme.indexOf('### Postcodes'));
    const cases = [...section.matchAll(/^\| `([^`]+)` \| (.+) \|$/gm)].map((m) => [m[1], m[2]] as const);
    expect(cases.length).toBeGreaterThanOrEqual(6);
    for (const [text, finds] of cases) {
      const found = await names(text);
      for (const name of [...finds.matchAll(/"([^"]+)"/g)].map((m) => m[1])) expect(found, text).toContain(name);
    }
  });
});
