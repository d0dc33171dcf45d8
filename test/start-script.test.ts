import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/**
 * `npm start` builds only when dist/ is missing or older than its sources
 * (scripts/build-if-stale.mjs, run as `prestart`), then runs node in the
 * shell's place (`exec`), so a SIGTERM to the process npm started (or to npm,
 * which forwards it) reaches the server. Checked here on a scratch tree with
 * `--check`, which says and builds nothing.
 */
const script = join(process.cwd(), 'scripts', 'build-if-stale.mjs');
let root: string;

const check = () => {
  const result = spawnSync(process.execPath, [script, '--check'], { cwd: root, encoding: 'utf8' });
  return { fresh: result.status === 0, said: result.stderr.trim() };
};
const write = (path: string, at: number) => {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), '');
  utimesSync(join(root, path), at, at);
};
const T = 1_700_000_000; // seconds

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'spd-start-'));
  for (const source of ['src/server.ts', 'src/modules/hub/hub.entity.ts', 'seeds/seed.ts', 'tsconfig.json', 'tsconfig.build.json']) write(source, T);
  for (const folder of ['src', 'src/modules', 'src/modules/hub', 'seeds']) utimesSync(join(root, folder), T, T);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('the build before npm start', () => {
  it('is needed when there is no successful build', () => {
    expect(check()).toEqual({ fresh: false, said: 'stale: no successful build in dist/' });
    write('dist/src/server.js', T + 10); // emitted, but by a build that may have failed
    expect(check().fresh).toBe(false);
  });

  it('is skipped when the build is newer than every source', () => {
    write('dist/src/server.js', T + 10);
    write('dist/.build-succeeded', T + 10);
    expect(check()).toEqual({ fresh: true, said: 'up to date' });
  });

  it.each([['src/modules/hub/hub.entity.ts', 'src'], ['seeds/seed.ts', 'seeds'], ['tsconfig.build.json', 'tsconfig.build.json']])('is needed again when %s changes', (source, named) => {
    write('dist/src/server.js', T + 10);
    write('dist/.build-succeeded', T + 10);
    utimesSync(join(root, source), T + 20, T + 20);
    expect(check()).toEqual({ fresh: false, said: `stale: ${named} changed since the last build` });
  });

  it('is needed again when a source is removed (its folder changes)', () => {
    write('dist/src/server.js', T + 10);
    write('dist/.build-succeeded', T + 10);
    rmSync(join(root, 'seeds/seed.ts')); // the folder's time is now
    expect(check().said).toBe('stale: seeds changed since the last build');
  });
});

describe('npm start', () => {
  it('checks the build first, then runs node in the shell\'s place', () => {
    const { scripts } = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8'));
    expect(scripts.prestart).toBe('node scripts/build-if-stale.mjs');
    expect(scripts.start).toMatch(/^exec node .* dist\/src\/server\.js$/);
    expect(scripts.start).not.toMatch(/build|&&/);
    // The script itself is valid on its own (npm runs it with node, before any TypeScript is built).
    expect(() => execFileSync(process.execPath, ['--check', script])).not.toThrow();
  });
});
