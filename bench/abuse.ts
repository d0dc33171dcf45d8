/**
 * Hostile load (not a test): the server as `npm start` runs it (its own
 * process, the heap cap of the start command, the sample directory on
 * SQLite), hit from `--connections` connections with the most expensive
 * query it allows for `--seconds`, while a cheap query is sent once a second.
 *
 * The most expensive allowed query is found, not assumed: several shapes an
 * attacker would try (aliased deep slices, fan-out through criteria, facets
 * under an empty page) are each scaled up to the cost limit, timed alone,
 * and the slowest is used.
 *
 * Prints the requests sent, refusals by code, the cheap query's p50/p95
 * under load beside its idle figures, and the server's peak RSS beside its
 * heap cap; a crash or a 500 is reported and makes the exit code 1.
 *
 *   npm run bench:abuse [-- --seconds 20 --connections 10 --heap-mb 512]
 *
 * The attackers send from one address and the cheap query from another
 * (X-Forwarded-For, trusted for the run). The rate limit is raised for the
 * run (RATE_LIMIT_POINTS), standing for attackers on many addresses: from
 * one, they would be refused with 429 after a few requests, which is the
 * rate limit working, not the capacity this measures; `--rate-limit
 * default` keeps it.
 */
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'graphql';
import { buildDirectorySchema } from '../src/schema';
import { queryCost } from '../src/limits/cost';
import { DEFAULT_CAPACITY, LIMITS } from '../src/limits/limits';
import { freePort, percentile } from './http-util';
import { DEEP_SLICE_QUERY } from './queries';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    connections: { type: 'string', default: '10' },
    'heap-mb': { type: 'string', default: process.env.MAX_HEAP_MB ?? '512' },
    'rate-limit': { type: 'string', default: 'raised' },
  },
});
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const HEAP_MB = Number(values['heap-mb']);
const MAX_COST = Number(process.env.MAX_QUERY_COST ?? DEFAULT_CAPACITY.maxCost);
const CHEAP_QUERY = '{ categories(first: 5) { nodes { name } } }';

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** The heaviest shapes an attacker would try, each scaled to just under the cost limit. */
async function candidates(): Promise<Array<{ name: string; query: string; cost: number }>> {
  const schema = await buildDirectorySchema();
  const cost = (query: string) => queryCost(schema, parse(query), undefined);
  const aliased = (name: string, body: (alias: number) => string) => {
    let count = 1;
    while (count < LIMITS.maxAliases && cost(`{ ${Array.from({ length: count + 1 }, (_, i) => body(i)).join(' ')} }`) <= MAX_COST) count += 1;
    const query = `{ ${Array.from({ length: count }, (_, i) => body(i)).join(' ')} }`;
    return { name: `${name} x${count}`, query, cost: cost(query) };
  };
  const deep = DEEP_SLICE_QUERY.replace(/^\s*query Deep \{/, '').replace(/\}\s*$/, '');
  const largestPage = (make: (n: number) => string) => {
    let n = 100;
    while (n > 1 && cost(`{ ${make(n)} }`) > MAX_COST) n -= 1;
    return n;
  };
  const fanOut = (n: number) =>
    `eligibilityCriteria(first: 100) { nodes { services(first: ${n}) { nodes { name description eligibility(first: ${n}) { nodes { label services(first: ${n}) { nodes { name description } } } } } } } }`;
  const facets = (n: number) =>
    `services(first: 0) { facets { criteria { criterion { services(first: ${n}) { nodes { name description eligibility { nodes { services(first: ${n}) { nodes { name description } } } } } } } } } }`;
  const fanOutPage = largestPage(fanOut);
  const facetsPage = largestPage(facets);
  return [
    aliased('deep slice services(first: 100)', (i) => `a${i}: ${deep.trim()}`),
    aliased(`criteria fan-out, pages of ${fanOutPage}`, (i) => `a${i}: ${fanOut(fanOutPage)}`),
    aliased(`facets under first: 0, pages of ${facetsPage}`, (i) => `a${i}: ${facets(facetsPage)}`),
  ].filter((candidate) => candidate.cost <= MAX_COST);
}

interface Answer {
  status: number;
  code: string;
  ms: number;
  bytes: number;
}

/** The attackers and the cheap query's sender are told apart by address (the server trusts X-Forwarded-For here), so each has its own budget. */
const ATTACKER = '203.0.113.7';
const BYSTANDER = '198.51.100.1';

async function send(url: string, query: string, from = ATTACKER): Promise<Answer> {
  const started = performance.now();
  try {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': from }, body: JSON.stringify({ query }) });
    const text = await response.text();
    const code = /"code":"([A-Z_]+)"/.exec(text.slice(0, 4096))?.[1] ?? (response.status === 200 ? 'ok' : `HTTP ${response.status}`);
    return { status: response.status, code, ms: performance.now() - started, bytes: text.length };
  } catch (error) {
    return { status: 0, code: `no answer (${(error as Error).cause ?? (error as Error).message})`, ms: performance.now() - started, bytes: 0 };
  }
}

async function main(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'spd-abuse-'));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const url = `${origin}/graphql`;
  const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, 'dist/src/server.js'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `sqlite:${join(folder, 'directory.sqlite')}`,
      SEED_WHEN_EMPTY: 'true',
      LOG_LEVEL: 'warn',
      TRUST_PROXY: 'true',
      ...(values['rate-limit'] === 'default' ? {} : { RATE_LIMIT_POINTS: '1000000000' }),
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  let exit: string | undefined;
  child.on('exit', (code, signal) => (exit = `exited with ${signal ?? code}`));
  try {
    for (let i = 0; i < 300 && !(await fetch(`${origin}/readyz`).then((r) => r.ok, () => false)); i++) await sleep(100);
    const status = () => readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const rssMb = (field: 'VmRSS' | 'VmHWM') => Math.round(Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status())![1]) / 1024);

    // Warm up, then the idle figures of the cheap query.
    for (let i = 0; i < 20; i++) await send(url, CHEAP_QUERY, BYSTANDER);
    const idle: number[] = [];
    for (let i = 0; i < 40; i++) {
      idle.push((await send(url, CHEAP_QUERY, BYSTANDER)).ms);
      await sleep(25);
    }
    const idleRss = rssMb('VmRSS');

    console.log(`Server: ${origin}, heap cap ${HEAP_MB} MB, query cost limit ${MAX_COST}, idle RSS ${idleRss} MB`);
    let heaviest: { name: string; query: string; cost: number; ms: number; bytes: number } | undefined;
    for (const candidate of await candidates()) {
      const runs = [await send(url, candidate.query), await send(url, candidate.query)];
      const ms = Math.min(...runs.map((run) => run.ms));
      console.log(`  alone: ${candidate.name}: cost ${candidate.cost}, ${runs[1].code}, ${(runs[1].bytes / 1e6).toFixed(2)} MB, ${ms.toFixed(0)} ms`);
      if (runs[1].status === 200 && (!heaviest || ms > heaviest.ms)) heaviest = { ...candidate, ms, bytes: runs[1].bytes };
    }
    if (!heaviest) throw new Error('no candidate query was allowed');
    console.log(`Most expensive allowed: ${heaviest.name} (cost ${heaviest.cost}, ${(heaviest.bytes / 1e6).toFixed(2)} MB, ${heaviest.ms.toFixed(0)} ms alone)`);

    const until = performance.now() + SECONDS * 1000;
    const answers: Answer[] = [];
    const cheap: Answer[] = [];
    let peakRss = 0;
    const sampler = setInterval(() => {
      if (!exit) peakRss = Math.max(peakRss, rssMb('VmRSS'));
    }, 50);
    const attackers = Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < until && !exit) {
        const answer = await send(url, heaviest!.query);
        answers.push(answer);
        // A refusal comes back at once: the client waits as Retry-After would have it, a little, not at all for a success.
        if (answer.status !== 200) await sleep(100);
      }
    });
    const prober = (async () => {
      while (performance.now() < until && !exit) {
        const next = performance.now() + 1000;
        cheap.push(await send(url, CHEAP_QUERY, BYSTANDER));
        await sleep(Math.max(0, next - performance.now()));
      }
    })();
    await Promise.all([...attackers, prober]);
    clearInterval(sampler);
    const hwm = exit ? peakRss : Math.max(peakRss, rssMb('VmHWM'));

    const byCode = new Map<string, number>();
    for (const answer of answers) byCode.set(`${answer.status} ${answer.code}`, (byCode.get(`${answer.status} ${answer.code}`) ?? 0) + 1);
    const served = answers.filter((answer) => answer.status === 200 && answer.code === 'ok');
    const cheapMs = cheap.filter((answer) => answer.status === 200).map((answer) => answer.ms);
    const idleP95 = percentile(idle, 95);
    const loadP95 = cheapMs.length ? percentile(cheapMs, 95) : Infinity;
    const errors5xx = answers.filter((answer) => answer.status >= 500 && answer.code !== 'SERVER_BUSY').length + cheap.filter((answer) => answer.status !== 200).length;

    console.log(`\n${CONNECTIONS} connections x ${SECONDS} s of "${heaviest.name}":`);
    console.log(`  requests: ${answers.length} (${served.length} answered in full, ${(served.length / SECONDS).toFixed(1)}/s)`);
    console.log(`  by status and code: ${[...byCode.entries()].map(([key, n]) => `${key}: ${n}`).join(', ')}`);
    if (served.length) console.log(`  full answers: p50 ${percentile(served.map((a) => a.ms), 50).toFixed(0)} ms, p95 ${percentile(served.map((a) => a.ms), 95).toFixed(0)} ms`);
    console.log(`  cheap query idle:       p50 ${percentile(idle, 50).toFixed(1)} ms, p95 ${idleP95.toFixed(1)} ms`);
    console.log(
      `  cheap query under load: p50 ${cheapMs.length ? percentile(cheapMs, 50).toFixed(1) : '-'} ms, p95 ${loadP95.toFixed(1)} ms (${(loadP95 / idleP95).toFixed(1)}x idle p95; target <= 10x), ${cheap.length - cheapMs.length} of ${cheap.length} failed`,
    );
    console.log(`  peak RSS: ${hwm} MB (heap cap ${HEAP_MB} MB; target: under it), idle ${idleRss} MB`);
    console.log(`  server: ${exit ?? 'still running'}; 5xx other than SERVER_BUSY: ${errors5xx}`);
    const ok = !exit && errors5xx === 0 && hwm < HEAP_MB && loadP95 <= 10 * idleP95;
    console.log(`  targets ${ok ? 'met' : 'NOT met'}`);
    process.exitCode = ok ? 0 : 1;
  } finally {
    child.kill('SIGTERM');
    await new Promise((done) => (exit ? done(undefined) : child.once('exit', done)));
    rmSync(folder, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
