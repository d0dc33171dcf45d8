// Builds (`npm run build`) only when the compiled tree is missing or older than its sources, so
// `npm start` on a built tree starts at once. Run by npm as `prestart`; `--check` only says
// (exit 0: up to date, 1: a build is needed), for tests and scripts.
//
// The inputs are src/ + seeds/ (tsc into dist/), web/ (Vite into dist/web; the playground's examples
// come from README.md) and what configures or installs them; `npm run build` (which this runs) builds both.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { argv, cwd, exit, platform, stderr } from 'node:process';

const INPUTS = ['src', 'seeds', 'web', 'README.md', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];
/** Written after a build that succeeded: a build that failed (tsc still emits) is not taken as done. */
const STAMP = join('dist', '.build-succeeded');

/** The newest modification time (ms) of a file, or of any file under a folder. */
function newestMtime(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs; // a file removed or renamed changes its folder's time
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Why a build is needed in `root`, or null when dist/ is newer than every source. */
export function staleReason(root) {
  const stamp = statSync(join(root, STAMP), { throwIfNoEntry: false });
  if (!stamp || !existsSync(join(root, 'dist', 'src', 'server.js'))) return 'no successful build in dist/';
  const changed = INPUTS.find((input) => newestMtime(join(root, input)) > stamp.mtimeMs);
  return changed ? `${changed} changed since the last build` : null;
}

const root = cwd();
const reason = staleReason(root);
if (argv.includes('--check')) {
  stderr.write(reason ? `stale: ${reason}\n` : 'up to date\n');
  exit(reason ? 1 : 0);
}
if (reason) {
  stderr.write(`Building (${reason}) ...\n`);
  const build = spawnSync(platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', 'build'], { stdio: 'inherit', shell: platform === 'win32' });
  if (build.status !== 0) exit(build.status ?? 1);
  mkdirSync(join(root, 'dist'), { recursive: true });
  writeFileSync(join(root, STAMP), `${new Date().toISOString()}\n`);
}
