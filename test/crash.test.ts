import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MikroORM } from '@mikro-orm/core';
import { dropSchema, ormOptions } from '../src/orm';
import { TEST_SCHEMA_PREFIX } from './postgres-setup';
import { onPostgres } from './utils';
import { buildInto, createAdminKey, killAllServers, postGraphql, sleep, startServer as startBuiltServer, type ServerProcess } from './server-process';

/**
 * Crash safety: the built server runs as a real process on an SQLite file
 * (or, in the PostgreSQL run, on a schema of the test database) while
 * partners' updates stream in; it is killed with SIGKILL (no shutdown hook
 * runs) with requests in flight, then started again on the same database.
 * Every update the server acknowledged must still be there, with its audit
 * entry, and an SQLite file must pass SQLite's integrity check.
 *
 * A write that was in flight at the kill was never acknowledged, so it may
 * or may not have been committed: either outcome is correct, but nothing in
 * between (half a write, or a write without its audit entry).
 */
const postgresSchema = `${TEST_SCHEMA_PREFIX}crash_${process.pid}`;
let BUILD: string;
const WRITERS = 4;
/** Kill once this many updates are acknowledged and a second has passed; at the latest after five. */
const KILL_AFTER_ACKNOWLEDGED = 40;
const KILL_NOT_BEFORE_MS = 1_000;
const KILL_NOT_AFTER_MS = 5_000;

let dir: string;
/** The SQLite file (SQLite run only). */
let database: string;
/** DATABASE_URL of the server and --database of the scripts. */
let databaseUrl: string;
let adminKey: string;

const graphql = (server: ServerProcess, query: string, variables: Record<string, unknown> = {}) => postGraphql(server.origin, query, variables, adminKey);
const startServer = () => startBuiltServer(BUILD, { DATABASE_URL: databaseUrl, SEED_WHEN_EMPTY: 'true' });

/**
 * Runs one statement on the database file with a connection of its own,
 * read-only unless `writable` (FTS5's part of integrity_check needs a
 * writable handle, though it changes nothing).
 */
async function readDatabase<T>(sql: string, { writable = false } = {}): Promise<T[]> {
  if (onPostgres) {
    // The server's own connection settings for the schema (search_path), without running migrations.
    const orm = await MikroORM.init(ormOptions({ kind: 'postgresql', url: process.env.TEST_DATABASE_URL!, schema: postgresSchema }));
    try {
      return await orm.em.fork().getConnection().execute<T[]>(sql);
    } finally {
      await orm.close(true);
    }
  }
  const db = await new Promise<sqlite3.Database>((done, fail) => {
    const opened = new sqlite3.Database(database, writable ? sqlite3.OPEN_READWRITE : sqlite3.OPEN_READONLY, (error) => (error ? fail(error) : done(opened)));
  });
  db.configure('busyTimeout', 5_000);
  try {
    return await new Promise<T[]>((done, fail) => db.all(sql, (error, rows) => (error ? fail(error) : done(rows as T[]))));
  } finally {
    await new Promise((done) => db.close(done));
  }
}

const databaseId = (globalId: string) => Number(Buffer.from(globalId, 'base64url').toString().split(':')[1]);

// ---------------------------------------------------------------------------
// The stream of writes and the kill

interface Write {
  id: string;
  version: number;
  description: string;
}

interface Stream {
  /** Every update the server answered with 200 and the saved service, in the order the answers came. */
  acknowledged: Write[];
  /** Per service, the update sent and never answered (killed in flight); it may or may not have been committed. */
  unanswered: Map<string, Write>;
  /** Answers that were neither a saved service nor a dropped connection (there should be none). */
  unexpected: unknown[];
  inFlightAtKill: number;
  msBeforeKill: number;
  versionsBefore: Map<string, number>;
}

const UPDATE = 'mutation ($input: UpdateServiceInput!) { updateService(input: $input) { service { id version description } } }';

/**
 * WRITERS loops, each updating its own share of the services one request at
 * a time (so writers never conflict), until the server is killed under them.
 */
async function writeUntilKilled(server: ServerProcess, services: Array<{ id: string; version: number }>): Promise<Stream> {
  const acknowledged: Write[] = [];
  const unanswered = new Map<string, Write>();
  const unexpected: unknown[] = [];
  const versionsBefore = new Map(services.map((s) => [s.id, s.version]));
  let inFlight = 0;
  let killed = false;

  const writer = async (w: number) => {
    const mine = services.filter((_, i) => i % WRITERS === w).map((s) => ({ ...s }));
    for (let n = 0; n < 10_000 && !killed; n++) {
      const service = mine[n % mine.length];
      const write = { id: service.id, version: service.version + 1, description: `crash-test ${w}-${n}` };
      unanswered.set(service.id, write);
      inFlight += 1;
      let answer: { status: number; body: any };
      try {
        answer = await graphql(server, UPDATE, { input: { id: service.id, version: service.version, description: write.description } });
      } catch {
        return; // the connection died with the server: this write stays unanswered
      } finally {
        inFlight -= 1;
      }
      const saved = answer.body?.data?.updateService?.service;
      if (answer.status !== 200 || !saved) {
        unexpected.push({ write, answer });
        return;
      }
      acknowledged.push({ id: saved.id, version: saved.version, description: saved.description });
      unanswered.delete(service.id);
      service.version = saved.version;
    }
  };

  const started = Date.now();
  const writers = Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
  let inFlightAtKill = 0;
  let msBeforeKill = 0;
  const killer = (async () => {
    while (Date.now() - started < KILL_NOT_AFTER_MS && (acknowledged.length < KILL_AFTER_ACKNOWLEDGED || Date.now() - started < KILL_NOT_BEFORE_MS)) await sleep(5);
    inFlightAtKill = inFlight;
    msBeforeKill = Date.now() - started;
    const exited = once(server.child, 'exit');
    server.child.kill('SIGKILL');
    killed = true;
    await exited;
  })();
  await Promise.all([writers, killer]);
  return { acknowledged, unanswered, unexpected, inFlightAtKill, msBeforeKill, versionsBefore };
}

// ---------------------------------------------------------------------------

let stream: Stream;
let restarted: ServerProcess;

beforeAll(() => {
  BUILD = buildInto(`crash-${onPostgres ? 'postgresql' : 'sqlite'}`);
}, 130_000);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'directory-crash-'));
  database = join(dir, 'directory.sqlite');
  databaseUrl = onPostgres ? `${process.env.TEST_DATABASE_URL}?schema=${postgresSchema}` : `sqlite:${database}`;
  adminKey = createAdminKey(BUILD, databaseUrl);

  const first = await startServer(); // seeds the sample directory into the empty database
  const listed = await graphql(first, '{ services(first: 100, filter: { statuses: [ACTIVE, INACTIVE, TEMPORARILY_CLOSED, DEFUNCT] }) { nodes { id version } } }');
  if (listed.status !== 200 || !listed.body.data) throw new Error(`Could not list services: ${JSON.stringify(listed.body)}\n${first.output()}`);
  stream = await writeUntilKilled(first, listed.body.data.services.nodes);
  restarted = await startServer();
  console.log(
    `crash test: ${stream.acknowledged.length} updates acknowledged, SIGKILL after ${stream.msBeforeKill} ms with ${stream.inFlightAtKill} in flight, ${stream.unanswered.size} unanswered`,
  );
}, 120_000);

afterAll(async () => {
  await killAllServers();
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (onPostgres) await dropSchema({ kind: 'postgresql', url: process.env.TEST_DATABASE_URL!, schema: postgresSchema });
});

describe('a server killed with SIGKILL while partners are saving', () => {
  it('was killed mid-stream: with updates acknowledged and others in flight, and no other answer than success', () => {
    expect(stream.unexpected).toEqual([]);
    expect(stream.acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER_ACKNOWLEDGED);
    expect(stream.inFlightAtKill).toBeGreaterThan(0);
  });

  it('after the restart, every acknowledged update is there', async () => {
    const last = new Map<string, Write>();
    for (const write of stream.acknowledged) last.set(write.id, write);
    const ids = [...stream.versionsBefore.keys()];
    const { body } = await graphql(restarted, 'query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Service { id version description } } }', { ids });
    expect(body.errors).toBeUndefined();

    const wrong: unknown[] = [];
    for (const stored of body.data.nodes as Write[]) {
      const unanswered = stream.unanswered.get(stored.id);
      // The last acknowledged state (or the first, with any description), or else the one unanswered write after it, committed in full.
      const allowed: Array<{ version?: number; description?: string }> = [last.get(stored.id) ?? { version: stream.versionsBefore.get(stored.id) }];
      if (unanswered) allowed.push(unanswered);
      const matches = allowed.some((w) => w.version === stored.version && (w.description === undefined || w.description === stored.description));
      if (!matches) wrong.push({ stored, allowed });
    }
    expect(body.data.nodes).toHaveLength(ids.length);
    expect(wrong).toEqual([]);
  });

  it('every acknowledged update kept its audit entry', async () => {
    const entries = await readDatabase<{ entity_id: number; version: number; changes: string }>("select entity_id, version, changes from audit_entry where entity_type = 'Service'");
    const recorded = new Map(entries.map((e) => [`${e.entity_id}@${e.version}`, (typeof e.changes === 'string' ? JSON.parse(e.changes) : e.changes) as Array<{ field: string; to: unknown }>]));
    const missing = stream.acknowledged.filter((write) => {
      const changes = recorded.get(`${databaseId(write.id)}@${write.version}`);
      return !changes?.some((change) => change.field === 'description' && change.to === write.description);
    });
    expect(missing).toEqual([]);
  });

  it.skipIf(onPostgres)('the database file passes SQLite integrity and foreign key checks', async () => {
    expect(await readDatabase('pragma integrity_check', { writable: true })).toEqual([{ integrity_check: 'ok' }]);
    expect(await readDatabase('pragma foreign_key_check')).toEqual([]);
    expect(await readDatabase('pragma journal_mode')).toEqual([{ journal_mode: 'wal' }]);
  });

  it('the restarted server takes the next update where the stored version left off', async () => {
    const { id } = stream.acknowledged[0];
    const read = await graphql(restarted, 'query ($id: ID!) { service(id: $id) { version } }', { id });
    const version = read.body.data.service.version;
    const { status, body } = await graphql(restarted, UPDATE, { input: { id, version, description: 'after the restart' } });
    expect(status).toBe(200);
    expect(body).toMatchObject({ data: { updateService: { service: { id, version: version + 1, description: 'after the restart' } } } });
  });
});

describe('a server stopped with SIGTERM', () => {
  it('finishes the requests in flight, refuses new connections, closes the database and exits 0', async () => {
    const server = restarted;
    const query = JSON.stringify({ query: '{ services(first: 100, filter: { statuses: [ACTIVE, INACTIVE, TEMPORARILY_CLOSED, DEFUNCT] }) { totalCount nodes { name provider { name } locations { nodes { hub { name } schedules { opensAt } } } } } }' });
    const inFlight = Array.from({ length: 20 }, () =>
      fetch(`${server.origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: query }).then(
        async (response) => {
          const body = (await response.json()) as any;
          return response.status === 200 ? { status: 200, total: body.data?.services?.totalCount } : { status: response.status, code: body.errors?.[0]?.extensions?.code };
        },
        (error: Error) => ({ status: 0, total: error.message }),
      ),
    );
    await sleep(20); // the requests are on their way
    const exited = once(server.child, 'exit');
    server.child.kill('SIGTERM');
    const answers = await Promise.all(inFlight);
    const [code] = await exited;
    // Every request that reached the server before the signal was answered: in full, or (past the
    // admission bound for expensive queries) refused at once with SERVER_BUSY.
    const answered = answers.filter((a) => a.status !== 0);
    expect(answered.filter((a) => a.status === 200).length).toBeGreaterThan(0);
    for (const answer of answered) expect([{ status: 200, total: expect.any(Number) }, { status: 503, code: 'SERVER_BUSY' }]).toContainEqual(answer);
    expect(code).toBe(0);
    await expect(fetch(`${server.origin}/healthz`, { signal: AbortSignal.timeout(1_000) })).rejects.toThrow();
    // The database was closed cleanly: the WAL was checkpointed into the main file.
    if (!onPostgres) expect(existsSync(`${database}-wal`) ? statSync(`${database}-wal`).size : 0).toBe(0);
  });
});
