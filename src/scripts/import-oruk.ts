/**
 * Imports an Open Referral UK 3.0 feed into the directory:
 *
 *   npm run import:oruk -- https://example.org/oruk        a feed over HTTP (its /services, each /services/{id}, its /taxonomy_terms)
 *   npm run import:oruk -- services.json                   a JSON file: one service, a page of them, or a list
 *   npm run import:oruk -- exports/                        a folder of such files
 *   ... --dry-run   read, check and compare, write nothing
 *   ... --strict    import nothing if any record is invalid
 *   ... --database  another database than DATABASE_URL's
 *
 * Prints a progress bar on a terminal (plain lines otherwise) and a closing
 * summary: created, updated, unchanged, archived, skipped with each problem.
 * Exits 1 when records were skipped or refused, 2 when the source cannot be read.
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { SingleBar, Presets } from 'cli-progress';
import type { EntityManager } from '@mikro-orm/knex';
import { readConfig, readDatabaseOption } from '../config';
import { openDatabase } from '../orm';
import { describeReport, ImportFailed, importOruk } from '../modules/oruk/oruk.import';
import { openSource, SourceError } from '../modules/oruk/oruk.source';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { database: { type: 'string' }, 'dry-run': { type: 'boolean' }, strict: { type: 'boolean' } },
  });
  if (positionals.length !== 1) {
    console.error('Usage: npm run import:oruk -- <feed URL | JSON file | folder> [--dry-run] [--strict] [--database <url or file>]');
    return 2;
  }
  const source = await openSource(positionals[0]);
  const database = values.database ? readDatabaseOption(values.database) : readConfig().database;
  const orm = await openDatabase(database);
  const total = await source.count().catch(() => undefined);
  const bar = process.stdout.isTTY && total ? new SingleBar({ format: 'Importing {bar} {value}/{total} services | {duration_formatted}' }, Presets.shades_classic) : undefined;
  bar?.start(total!, 0);
  let lastLine = 0;
  try {
    const report = await importOruk(orm.em.fork() as EntityManager, source, {
      dryRun: values['dry-run'],
      strict: values.strict,
      onProgress: (done) => {
        bar?.update(done);
        if (!bar && done - lastLine >= 1000) {
          lastLine = done;
          console.log(`imported ${done} services${total ? ` of ${total}` : ''}`);
        }
      },
    });
    bar?.stop();
    console.log(describeReport(report));
    return report.skipped > 0 || report.refused ? 1 : 0;
  } finally {
    bar?.stop();
    await orm.close(true);
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof SourceError || error instanceof ImportFailed ? `Import failed: ${error.message}` : error);
    process.exit(2);
  },
);
