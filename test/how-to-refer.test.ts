import { describe, expect, it } from 'vitest';
import { parseGlobalId } from '../src/modules/common/global-id';
import { appWithKeys, errorCodes } from './utils';

/** How to refer someone: who may (the routes) and how (a form, an email, a phone, what to include), or signposting only. */
const suite = appWithKeys();

const CREATE = `mutation ($input: CreateServiceInput!) { createService(input: $input) { service { id version howToRefer { routes formUrl email phone instructions signpostingOnly } } } }`;
const UPDATE = `mutation ($input: UpdateServiceInput!) { updateService(input: $input) { service { id version howToRefer { routes formUrl email phone instructions signpostingOnly } } } }`;

describe('how to refer', () => {
  it('the sample directory says it for some services, and signposting only for a few', async () => {
    const data: any = await suite.app.query('{ services(first: 100) { nodes { howToRefer { routes formUrl instructions signpostingOnly } referralRoutes } } }');
    const nodes = data.services.nodes;
    expect(nodes.some((n: any) => n.howToRefer.formUrl?.startsWith('https://refer.example.org/') && n.howToRefer.instructions)).toBe(true);
    expect(nodes.some((n: any) => n.howToRefer.signpostingOnly)).toBe(true);
    for (const n of nodes) expect(n.howToRefer.routes).toEqual(n.referralRoutes);
  });

  it('a partner says how, read back as given and audited; an update replaces it whole', async () => {
    const howToRefer = { formUrl: 'https://forms.example.org/age-uk-befriending', email: 'referrals@ageuk.example.org', phone: '0113 496 0000', instructions: '  Name, age and what they enjoy.  ' };
    const created: any = await suite.app.query(CREATE, { input: { name: 'Telephone befriending (referrals)', providerId: suite.keys.ageUkProviderId, referralRoutes: ['GP', 'SELF_REFERRAL'], howToRefer } }, suite.keys.ageUk);
    const service = created.createService.service;
    expect(service.howToRefer).toEqual({ routes: ['GP', 'SELF_REFERRAL'], ...howToRefer, instructions: 'Name, age and what they enjoy.', signpostingOnly: false });
    const updated: any = await suite.app.query(UPDATE, { input: { id: service.id, version: service.version, howToRefer: { signpostingOnly: true } } }, suite.keys.ageUk);
    expect(updated.updateService.service.howToRefer).toEqual({ routes: ['GP', 'SELF_REFERRAL'], formUrl: null, email: null, phone: null, instructions: null, signpostingOnly: true });
    const audit = await suite.app.em().getKnex()('audit_entry').where({ entity_type: 'Service', entity_id: parseGlobalId(service.id, 'id').id, action: 'UPDATE' }).select('changes');
    expect(JSON.stringify(audit.map((a: any) => a.changes))).toMatch(/howToRefer/);
  });

  it('checks each field as the contact fields are, naming it, and writes nothing', async () => {
    const before = await suite.app.em().getKnex()('service').count({ n: '*' });
    const result = await suite.app.run(
      CREATE,
      { input: { name: 'Bad referral details', providerId: suite.keys.ageUkProviderId, howToRefer: { formUrl: 'javascript:alert(1)', email: 'not an email', phone: '12', instructions: 'x'.repeat(2001) } } },
      { key: suite.keys.ageUk },
    );
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    const fields = (result.errors![0].extensions!.fields as Array<{ field: string }>).map((f) => f.field).sort();
    expect(fields).toEqual(['input.howToRefer.email', 'input.howToRefer.formUrl', 'input.howToRefer.instructions', 'input.howToRefer.phone']);
    expect(await suite.app.em().getKnex()('service').count({ n: '*' })).toEqual(before);
  });
});
