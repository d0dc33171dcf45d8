/**
 * The floor: the same data as the GraphQL server returns, fetched by the
 * same SQL through the same driver as the ORM (sqlite3, or pg on PostgreSQL)
 * and serialised as JSON over plain HTTP, with no GraphQL, ORM or loaders in
 * between. The SQL of each request is what the server sent for it (captured
 * by bench/http.ts), so the ratio to it is the cost of everything above the
 * database.
 *
 *   node dist/bench/floor.js <port> <database> <plan.json>
 *
 * <database> is an SQLite file or a postgres:// URL (with ?schema=), as `--database`.
 */
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import sqlite3 from 'sqlite3';
import { readDatabaseOption, type DatabaseTarget } from '../src/config';

/** Statements as knex handed them to the driver: `?` placeholders on SQLite, `$1, $2, ...` on PostgreSQL. */
type Plan = Record<string, Array<{ sql: string; bindings: unknown[] }>>;

interface UpdateBody {
  id: number;
  version: number;
  description: string;
}

/** What the floor needs from a database: rows for a statement, a version check, and the partner update. */
interface FloorDatabase {
  all(sql: string, bindings: unknown[]): Promise<unknown[]>;
  version(id: number): Promise<unknown[]>;
  update(body: UpdateBody): Promise<{ updated: boolean }>;
}

const AUDIT_CHANGES = (body: UpdateBody) => JSON.stringify([{ field: 'description', to: body.description }]);

function openSqlite(path: string): FloorDatabase {
  const db = new sqlite3.Database(path);
  db.configure('busyTimeout', 5000);
  const all = (sql: string, bindings: unknown[]) =>
    new Promise<unknown[]>((resolve, reject) => db.all(sql, bindings, (error, rows) => (error ? reject(error) : resolve(rows))));
  const run = (sql: string, bindings: unknown[]) =>
    new Promise<number>((resolve, reject) =>
      db.run(sql, bindings, function (this: { changes: number }, error: Error | null) {
        return error ? reject(error) : resolve(this.changes);
      }),
    );

  /** One write transaction at a time on the one connection, as the server queues its writes on SQLite (write-lock.ts). */
  let writes: Promise<unknown> = Promise.resolve();
  return {
    all,
    version: (id) => all('select version from service where id = ?', [id]),
    update(body) {
      const next = writes.then(async () => {
        await run('begin', []);
        try {
          // Dates as the ORM stores them on SQLite: milliseconds since the epoch.
          const changed = await run('update service set description = ?, version = version + 1, updated_at = ? where id = ? and version = ?', [
            body.description,
            Date.now(),
            body.id,
            body.version,
          ]);
          if (changed === 1) {
            await run("insert into audit_entry (at, account_id, actor, provider_id, entity_type, entity_id, action, changes, version) values (?, null, 'floor', null, 'Service', ?, 'UPDATE', ?, ?)", [
              Date.now(),
              body.id,
              AUDIT_CHANGES(body),
              body.version + 1,
            ]);
          }
          await run('commit', []);
          return { updated: changed === 1 };
        } catch (error) {
          await run('rollback', []);
          throw error;
        }
      });
      writes = next.catch(() => undefined);
      return next;
    },
  };
}

/** The server's own pool size on PostgreSQL (POSTGRES_CONNECTIONS in src/orm.ts). */
const POSTGRES_CONNECTIONS = 10;

function openPostgres(target: Extract<DatabaseTarget, { kind: 'postgresql' }>): FloorDatabase {
  const pool = new pg.Pool({ connectionString: target.url, max: POSTGRES_CONNECTIONS });
  // As the server does for each new connection; pg runs queries in order, so this one goes first.
  // The schema name was checked by readDatabaseOption (letters, digits, underscores).
  if (target.schema) pool.on('connect', (client) => void client.query(`set search_path to "${target.schema}", public`).catch((error) => console.error(error)));
  pool.on('error', (error) => console.error(error));
  const all = async (sql: string, bindings: unknown[]) => (await pool.query(sql, bindings)).rows as unknown[];
  return {
    all,
    version: (id) => all('select version from service where id = $1', [id]),
    // No queue: PostgreSQL takes concurrent writers itself, and the server does not queue writes there either.
    async update(body) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        // Dates as the ORM stores them on PostgreSQL: timestamptz, sent by pg as a timestamp with its offset.
        const { rowCount } = await client.query('update service set description = $1, version = version + 1, updated_at = $2 where id = $3 and version = $4', [
          body.description,
          new Date(),
          body.id,
          body.version,
        ]);
        if (rowCount === 1) {
          await client.query("insert into audit_entry (at, account_id, actor, provider_id, entity_type, entity_id, action, changes, version) values ($1, null, 'floor', null, 'Service', $2, 'UPDATE', $3, $4)", [
            new Date(),
            body.id,
            AUDIT_CHANGES(body),
            body.version + 1,
          ]);
        }
        await client.query('commit');
        return { updated: rowCount === 1 };
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
  };
}

const [port, database, planFile] = process.argv.slice(2);
// Dates were written as { $date: ms } (bench/http.ts): the driver gets a Date again, as ours gave it.
const plan = JSON.parse(readFileSync(planFile, 'utf8'), (_key, value) => (value && typeof value === 'object' && typeof value.$date === 'number' ? new Date(value.$date) : value)) as Plan;
const target = readDatabaseOption(database);
const db = target.kind === 'postgresql' ? openPostgres(target) : openSqlite(target.path);

createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', async () => {
    try {
      const kind = (req.url ?? '/').slice(1);
      let result: unknown;
      if (kind === 'readyz') result = await db.all('select 1 as ok', []);
      else if (kind === 'update') result = await db.update(JSON.parse(Buffer.concat(chunks).toString()));
      else if (kind === 'version') result = await db.version(JSON.parse(Buffer.concat(chunks).toString()).id);
      else {
        const statements = plan[kind];
        if (!statements) throw new Error(`unknown request ${kind}`);
        const results: unknown[] = [];
        for (const statement of statements) results.push(await db.all(statement.sql, statement.bindings));
        result = results;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: result }));
    } catch (error) {
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: String(error) }));
    }
  });
}).listen(Number(port), '127.0.0.1', () => console.log('floor ready'));
