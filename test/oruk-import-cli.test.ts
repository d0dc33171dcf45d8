import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildInto } from './server-process';
import { onPostgres } from './utils';

/**
 * `npm run import:oruk` as an operator runs it: the built command on ORUK's
 * example files, its closing summary and its exit codes. One database is
 * enough (the import itself is tested on both): SQLite run only.
 */
const EXAMPLES = join(process.cwd(), 'test/fixtures/oruk-3.0/examples');
let build: string;
let database: string;

beforeAll(() => {
  if (onPostgres) return;
  build = buildInto('import-cli');
  database = join(mkdtempSync(join(tmpdir(), 'spd-import-cli-')), 'directory.sqlite');
}, 120_000);

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return promisify(execFile)(process.execPath, [`${build}/src/scripts/import-oruk.js`, ...args, '--database', database], { cwd: process.cwd() }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

describe.skipIf(onPostgres)('npm run import:oruk', () => {
  it('imports a file and says what it did; the same file again changes nothing', async () => {
    const first = await run(join(EXAMPLES, 'service_list.json'));
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^import of .*service_list\.json\nservices: \d+ created, 0 updated, 0 unchanged, 0 archived, 0 skipped$/m);
    const again = await run(join(EXAMPLES, 'service_list.json'));
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/services: 0 created, 0 updated, \d+ unchanged/);
    expect(again.stdout).toMatch(/^nothing changed$/m);
  }, 60_000);

  it('reports each problem with its record and JSON path, and exits 1; --dry-run says it wrote nothing', async () => {
    const invalid = await run(join(EXAMPLES, 'invalid_service_full.json'), '--dry-run');
    expect(invalid.code).toBe(1);
    expect(invalid.stdout).toMatch(/^Dry run \(nothing written\): import of /);
    expect(invalid.stdout).toMatch(/1 skipped/);
    expect(invalid.stdout).toMatch(/^ {2}\S+ \$\.url: must match format "uri"$/m);
    expect(invalid.stdout).toMatch(/^ {2}\S+ \$\.email: must match format "email"$/m);
  }, 60_000);

  it('a source it cannot read: exit 2 and one sentence, no stack trace', async () => {
    const missing = await run('/no/such/feed.json');
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe('Import failed: There is no file or folder /no/such/feed.json.');
    const usage = await promisify(execFile)(process.execPath, [`${build}/src/scripts/import-oruk.js`]).catch((error: { code: number; stderr: string }) => error);
    expect((usage as { code: number }).code).toBe(2);
  }, 60_000);
});
