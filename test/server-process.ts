import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

/**
 * The built server and CLI scripts as real processes, as `npm start` and the
 * README run them: for tests about what happens between processes (a kill,
 * a restart, two instances on one database).
 */
export const ROOT = resolve(__dirname, '..');

export interface ServerProcess {
  child: ChildProcess;
  origin: string;
  output: () => string;
}

const running = new Set<ChildProcess>();

/** Whatever happens to the test run, no server is left behind. */
export async function killAllServers(): Promise<void> {
  const exits = [...running].map((child) => once(child, 'exit'));
  for (const child of running) child.kill('SIGKILL');
  await Promise.all(exits);
}
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Compiles the project into `dist-test/<name>` (each test file and database
 * run its own directory, so two builds never write one file at once) and
 * returns that directory.
 */
export function buildInto(name: string): string {
  const out = `dist-test/${name}`;
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', out], { cwd: ROOT, timeout: 120_000, stdio: 'pipe' });
  return out;
}

export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address() as { port: number };
  await new Promise((done) => probe.close(done));
  return port;
}

export const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** The built server (`node <build>/src/server.js`) with `env` added; resolves once /readyz answers 200. */
export async function startServer(build: string, env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [`${build}/src/server.js`], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', REDIS_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`The server exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${output}`);
    const ready = await fetch(`${origin}/readyz`, { signal: AbortSignal.timeout(1_000) }).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ready) return { child, origin, output: () => output };
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(`The server was not ready within 30 s:\n${output}`);
}

/** Runs one of the built CLI scripts on a database and returns what it printed. */
export function runScript(script: string, args: string[], databaseUrl: string): string {
  return execFileSync(process.execPath, [script, ...args, '--database', databaseUrl], { cwd: ROOT, encoding: 'utf8', timeout: 60_000, stdio: 'pipe' });
}

/** The first admin and its key, made the way the README tells an operator to (the script migrates a new database on open). */
export function createAdminKey(build: string, databaseUrl: string): string {
  const created = runScript(`${build}/src/scripts/accounts.js`, ['create-admin', '--name', 'Admin'], databaseUrl);
  const accountId = /account (\d+)/.exec(created)?.[1];
  if (!accountId) throw new Error(`create-admin printed no account id:\n${created}`);
  const issued = runScript(`${build}/src/scripts/accounts.js`, ['issue-key', '--account', accountId], databaseUrl);
  const key = /^\s*(spd_[0-9a-f]{12}_[A-Za-z0-9_-]{43})\s*$/m.exec(issued)?.[1];
  if (!key) throw new Error(`issue-key printed no key:\n${issued}`);
  return key;
}

/** POSTs one GraphQL operation, as the holder of `key` if given. */
export async function postGraphql(origin: string, query: string, variables: Record<string, unknown> = {}, key?: string): Promise<{ status: number; headers: Headers; body: any }> {
  const response = await fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}
