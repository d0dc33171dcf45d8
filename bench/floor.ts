/**
 * The floor: the same data as the GraphQL server returns, fetched by the
 * same SQL through the same driver (sqlite3) and serialised as JSON over
 * plain HTTP, with no GraphQL, ORM or loaders in between. The SQL of each
 * request is what the server sent for it (captured by bench/http.ts), so the
 * ratio to it is the cost of everything above the database.
 *
 *   node dist/bench/floor.js <port> <database> <plan.json>
 */
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import sqlite3 from 'sqlite3';

type Plan = Record<string, Array<{ sql: string; bindings: unknown[] }>>;

const [port, database, planFile] = process.argv.slice(2);
const plan = JSON.parse(readFileSync(planFile, 'utf8')) as Plan;
const db = new sqlite3.Database(database);
db.configure('busyTimeout', 5000);

const all = (sql: string, bindings: unknown[]) =>
  new Promise<unknown[]>((resolve, reject) => db.all(sql, bindings, (error, rows) => (error ? reject(error) : resolve(rows))));
const run = (sql: string, bindings: unknown[]) =>
  new Promise<number>((resolve, reject) =>
    db.run(sql, bindings, function (this: { changes: number }, error: Error | null) {
      return error ? reject(error) : resolve(this.changes);
    }),
  );

/** One write transaction at a time on the one connection, as the server does. */
let writes: Promise<unknown> = Promise.resolve();

async function update(body: { id: number; version: number; description: string }): Promise<unknown> {
  const next = writes.then(async () => {
    await run('begin', []);
    try {
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
          JSON.stringify([{ field: 'description', to: body.description }]),
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
}

createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', async () => {
    try {
      const kind = (req.url ?? '/').slice(1);
      let result: unknown;
      if (kind === 'update') result = await update(JSON.parse(Buffer.concat(chunks).toString()));
      else if (kind === 'version') result = await all('select version from service where id = ?', [JSON.parse(Buffer.concat(chunks).toString()).id]);
      else {
        const statements = plan[kind];
        if (!statements) throw new Error(`unknown request ${kind}`);
        const results: unknown[] = [];
        for (const statement of statements) results.push(await all(statement.sql, statement.bindings));
        result = results;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: result }));
    } catch (error) {
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: String(error) }));
    }
  });
}).listen(Number(port), '127.0.0.1', () => console.log('floor ready'));
