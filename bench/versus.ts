/**
 * Two builds of the server against each other (not a test): this checkout's
 * and another's (`--before`, a checkout with its own `dist/` built), both
 * running at once on the same 50,000-service database, timed in alternating
 * rounds so that the machine's drift between rounds falls on both alike.
 * Prints each round and the ratio of the sums, per request.
 *
 *   git worktree add /tmp/before <commit> && ln -s "$PWD/node_modules" /tmp/before/ && (cd /tmp/before && npx tsc -p tsconfig.build.json)
 *   npm run bench:versus -- --before /tmp/before [--database <file or postgres:// URL>] [--seconds 4] [--rounds 8] [--only "map viewport"]
 *
 * The reads are those of `npm run bench`, asked anonymously: the four GraphQL
 * requests over POST and the Open Referral UK feed's page of 100 services.
 */
import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { describeDatabase, readDatabaseOption } from '../src/config';
import { openDatabase } from '../src/orm';
import { DEFAULT_BENCH_DATABASE, ensureBenchDatabase } from './database';
import { freePort, serverEnv, waitFor } from './http-util';
import { benchReads, ORUK_PAGE, richestService } from './queries';

const { values } = parseArgs({
  options: {
    before: { type: 'string' },
    database: { type: 'string', default: DEFAULT_BENCH_DATABASE },
    seconds: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '8' },
    connections: { type: 'string', default: '10' },
    only: { type: 'string', multiple: true },
  },
});

function usage(message: string): never {
  console.error(`${message}\nUsage: npm run bench:versus -- --before <checkout with dist/ built> [--database <file or URL>] [--seconds 4] [--rounds 8] [--only <request>]`);
  process.exit(2);
}

const before = values.before ? resolve(values.before) : usage('--before is required.');
if (!existsSync(`${before}/dist/src/server.js`)) usage(`${before}/dist/src/server.js does not exist: build that checkout first (npx tsc -p tsconfig.build.json).`);
const SECONDS = Number(values.seconds);
const ROUNDS = Number(values.rounds);
const CONNECTIONS = Number(values.connections);
for (const [name, value] of Object.entries({ seconds: SECONDS, rounds: ROUNDS, connections: CONNECTIONS })) {
  if (!Number.isInteger(value) || value < 1) usage(`--${name} must be a whole number of at least 1.`);
}
const TARGET = readDatabaseOption(values.database!);
const NAMES = [...benchReads(0).map((read) => read.name), 'ORUK page'];
const unknown = (values.only ?? []).filter((name) => !NAMES.includes(name));
if (unknown.length > 0) usage(`--only ${unknown.map((name) => `"${name}"`).join(', ')}: not one of the requests (${NAMES.join('; ')}).`);

async function main(): Promise<void> {
  await ensureBenchDatabase(TARGET, 50_000);
  // Both builds read the same copy on SQLite (reads only: the copy is for the journal files, not for changes).
  const copy = 'data/bench-versus.sqlite';
  if (TARGET.kind === 'sqlite') {
    for (const suffix of ['', '-wal', '-shm']) rmSync(copy + suffix, { force: true });
    copyFileSync(TARGET.path, copy);
  }
  const databaseUrl = TARGET.kind === 'sqlite' ? `sqlite:${resolve(copy)}` : values.database!;

  const orm = await openDatabase(TARGET.kind === 'sqlite' ? { kind: 'sqlite', path: copy } : TARGET);
  const richest = await richestService(orm.em.getKnex());
  await orm.close(true);

  const all: Array<{ name: string; request: autocannon.Request }> = [
    ...benchReads(richest).map(({ name, query, variables }) => ({
      name,
      request: { method: 'POST' as const, path: '/graphql', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) },
    })),
    { name: 'ORUK page', request: { method: 'GET', path: ORUK_PAGE } },
  ];
  const reads = all.filter((read) => !values.only || values.only.includes(read.name));

  const builds: Array<{ name: string; cwd: string; port: number; child?: ChildProcess }> = [
    { name: 'this checkout', cwd: process.cwd(), port: await freePort() },
    { name: `before (${before})`, cwd: before, port: await freePort() },
  ];
  try {
    for (const build of builds) {
      build.child = spawn('node', ['dist/src/server.js'], {
        cwd: build.cwd,
        stdio: 'ignore',
        env: serverEnv(build.port, databaseUrl),
      });
      await waitFor(`http://127.0.0.1:${build.port}/readyz`);
    }
    console.log(`Versus: ${describeDatabase(TARGET)}, ${ROUNDS} alternating round(s) of ${SECONDS} s per request and build, ${CONNECTIONS} connections, Node ${process.version}`);
    for (const read of reads) {
      const totals = [0, 0];
      for (let round = 0; round < ROUNDS; round++) {
        // Alternate which build goes first, so neither always runs on a machine the other has just warmed.
        const order = round % 2 === 0 ? [0, 1] : [1, 0];
        const rps = [0, 0];
        for (const index of order) {
          const result = await autocannon({
            url: `http://127.0.0.1:${builds[index].port}`,
            connections: CONNECTIONS,
            duration: SECONDS,
            requests: [read.request],
          });
          if (result.errors + result.non2xx > 0) throw new Error(`${read.name} on ${builds[index].name}: ${result.errors} errors, ${result.non2xx} non-2xx responses`);
          rps[index] = result.requests.average;
          totals[index] += result.requests.average;
        }
        console.log(`  ${read.name}, round ${round + 1}: this checkout ${rps[0].toFixed(1)} req/s, before ${rps[1].toFixed(1)} req/s`);
      }
      console.log(`${read.name}: this checkout ${(totals[0] / ROUNDS).toFixed(1)} req/s, before ${(totals[1] / ROUNDS).toFixed(1)} req/s, ratio ${(totals[0] / totals[1]).toFixed(2)}×`);
    }
  } finally {
    for (const build of builds) {
      if (!build.child || build.child.exitCode !== null) continue;
      build.child.kill('SIGTERM');
      await new Promise((done) => build.child!.once('exit', done));
    }
    if (TARGET.kind === 'sqlite') for (const suffix of ['', '-wal', '-shm']) rmSync(copy + suffix, { force: true });
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
