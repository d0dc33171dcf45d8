import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The built pages (web/ by Vite), as the browser tests (pages, playground) use them. */
export const ROOT = resolve(__dirname, '..');
export const BUILT = join(ROOT, 'dist', 'web');
export const MANIFEST = join(BUILT, '.vite', 'manifest.json');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Chromium as the browser tests launch it. */
export const CHROMIUM_OPTIONS = { executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] };

const newest = (dir: string): number =>
  Math.max(...readdirSync(dir, { withFileTypes: true }).map((entry) => (entry.isDirectory() ? newest(join(dir, entry.name)) : statSync(join(dir, entry.name)).mtimeMs)));
/** The build is older than web/, the README (the playground's examples) or the lock file. */
const stale = () =>
  !existsSync(MANIFEST) || statSync(MANIFEST).mtimeMs < Math.max(newest(join(ROOT, 'web')), statSync(join(ROOT, 'README.md')).mtimeMs, statSync(join(ROOT, 'package-lock.json')).mtimeMs);

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Builds the pages (as `npm run build` does) when dist/web is missing or stale. Two test files may
 * ask at once (in two workers): the first takes a lock (a folder, made atomically), the other waits
 * for it and then finds the build fresh, so one Vite build never empties dist/web under another.
 */
export function buildPagesIfStale(): void {
  if (!stale()) return;
  const lock = join(ROOT, 'dist', '.web-build.lock');
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A lock older than a build can take was left by a run that was killed.
      if (Date.now() > deadline) rmSync(lock, { recursive: true, force: true });
      else sleep(250);
    }
  }
  try {
    if (!stale()) return;
    // A child process, so that vitest's own Vite and NODE_ENV=test do not leak into the production build.
    execFileSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', join(ROOT, 'web', 'vite.config.mts'), '--logLevel', 'warn'], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: 'inherit',
    });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
