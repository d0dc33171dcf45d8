import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { onPostgres } from './utils';

/**
 * The dependency rules of README "How it is built", checked by
 * dependency-cruiser with the project's own configuration: on the code as
 * it is, and on a small tree that breaks each rule on purpose (so a rule
 * that stopped matching would fail here). No database: SQLite run only.
 */
const root = process.cwd();
const cruiser = join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

async function violations(cwd: string): Promise<Violation[]> {
  const { stdout } = await promisify(execFile)(process.execPath, [cruiser, 'src', '--config', '.dependency-cruiser.cjs', '--output-type', 'json'], { cwd, maxBuffer: 64 * 1024 * 1024 }).catch(
    // depcruise exits non-zero when it finds violations; the report is on stdout all the same.
    (error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }),
  );
  return (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

const scratch: string[] = [];
afterAll(() => scratch.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A project of `files` beside this project's configuration and packages. */
function projectOf(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'spd-architecture-'));
  scratch.push(dir);
  cpSync(join(root, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
  cpSync(join(root, 'tsconfig.json'), join(dir, 'tsconfig.json'));
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe.skipIf(onPostgres)('architecture', () => {
  it('the code keeps every dependency rule', async () => {
    expect(await violations(root)).toEqual([]);
  }, 60_000);

  it('no resolver mentions knex (the issue\'s own check: grep -l "getKnex\\|knex" src/modules/*/*.resolver.ts)', () => {
    const resolvers = readdirSync(join(root, 'src/modules'), { recursive: true, encoding: 'utf8' }).filter((path) => path.endsWith('.resolver.ts'));
    expect(resolvers.length).toBeGreaterThan(10);
    expect(resolvers.filter((path) => /getKnex|knex/.test(readFileSync(join(root, 'src/modules', path), 'utf8')))).toEqual([]);
  });

  it('each rule fails on a tree that breaks it', async () => {
    const dir = projectOf({
      // hub -> service and service -> hub through different files: no file cycle, a cycle between module folders.
      'src/modules/hub/hub.repository.ts': "import { matching } from '../service/service.queries';\nexport const hubs = () => matching();\n",
      'src/modules/hub/hub-criteria.ts': 'export const readHub = () => 1;\n',
      'src/modules/service/service.queries.ts': "import { readHub } from '../hub/hub-criteria';\nexport const matching = () => readHub();\n",
      // A resolver that builds SQL.
      'src/modules/provider/provider.resolver.ts': "import { knex } from 'knex';\nexport const providers = () => knex({ client: 'pg' }).from('provider');\n",
      // common/ reaching into a domain module.
      'src/modules/common/loaders.ts': "import { hubs } from '../hub/hub.repository';\nexport const load = () => hubs();\n",
      // A module reaching up into the composition root.
      'src/modules/audit/audit.ts': "import { app } from '../../app';\nexport const audit = () => app;\n",
      'src/app.ts': 'export const app = 1;\n',
      // errors/ importing the server's code.
      'src/errors/mask.ts': "import { load } from '../modules/common/loaders';\nexport const mask = () => load();\n",
      // Two files of one module importing each other.
      'src/modules/place/geo.ts': "import { locate } from './postcode';\nexport const distance = () => locate;\n",
      'src/modules/place/postcode.ts': "import { distance } from './geo';\nexport const locate = () => distance;\n",
      // An entity naming another module's entity, both ways: allowed.
      'src/modules/account/account.entity.ts': "import { Provider } from '../provider/provider.entity';\nexport class Account { provider?: Provider; }\n",
      'src/modules/provider/provider.entity.ts': "import { Account } from '../account/account.entity';\nexport class Provider { accounts?: Account[]; }\n",
    });
    const found = await violations(dir);
    const rules = new Set(found.map((v) => v.rule.name));
    expect(rules).toEqual(
      new Set(['no-cycles-between-modules', 'no-file-cycles', 'resolvers-build-no-sql', 'common-imports-no-domain', 'errors-import-no-domain', 'modules-import-no-composition-root']),
    );
    expect(found.find((v) => v.rule.name === 'no-cycles-between-modules')).toMatchObject({ from: expect.stringMatching(/^src\/modules\/(hub|service)$/) });
    expect(found.some((v) => /entity/.test(v.from) || /entity/.test(v.to))).toBe(false);
  }, 60_000);
});
