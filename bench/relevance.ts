/**
 * Relevance benchmark (not a test): the link-worker searches of
 * relevance-queries.ts over the sample directory, on SQLite (in memory) and
 * on PostgreSQL (a scratch schema, dropped afterwards), printing precision
 * at 5 and recall at 20 for each database and the searches that miss.
 *
 *   npm run bench:relevance
 *   npm run bench:relevance -- --database 'postgres://postgres@127.0.0.1:5432/test'   # the PostgreSQL URL (default this one)
 *   npm run bench:relevance -- --sqlite-only
 *
 * precision at 5: the share of the first five results (all of them, when
 * there are fewer) that are relevant; recall at 20: the share of the
 * relevant services found in the first twenty.
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import type { EntityManager } from '@mikro-orm/knex';
import { pino } from 'pino';
import { createApp } from '../src/app';
import type { DatabaseTarget } from '../src/config';
import { dropSchema } from '../src/orm';
import { loadSampleDirectory } from '../seeds/sample-seeder';
import { RELEVANCE_CASES } from './relevance-queries';

interface Score {
  text: string;
  precisionAt5: number;
  recallAt20: number;
  results: number;
  missed: string[];
}

async function scores(database: DatabaseTarget): Promise<Score[]> {
  const app = await createApp({ database, logger: pino({ level: 'silent' }), rateLimitPoints: 1e9 });
  try {
    await loadSampleDirectory(app.orm.em.fork() as EntityManager);
    const out: Score[] = [];
    for (const { text, relevant } of RELEVANCE_CASES) {
      const result = await app.execute({ query: `query ($text: String!) { services(first: 20, filter: { text: $text }) { totalCount nodes { name } } }`, variables: { text } }, {});
      if (result.errors) throw new Error(`"${text}": ${JSON.stringify(result.errors)}`);
      const data = result.data as { services: { totalCount: number; nodes: Array<{ name: string }> } };
      const names = data.services.nodes.map((n) => n.name);
      const top5 = names.slice(0, 5);
      out.push({
        text,
        precisionAt5: top5.length === 0 ? 0 : top5.filter((n) => relevant.includes(n)).length / top5.length,
        recallAt20: relevant.filter((n) => names.includes(n)).length / relevant.length,
        results: data.services.totalCount,
        missed: relevant.filter((n) => !names.includes(n)),
      });
    }
    return out;
  } finally {
    await app.close();
    if (database.kind === 'postgresql') await dropSchema(database);
  }
}

function report(label: string, rows: Score[]): void {
  const mean = (pick: (s: Score) => number) => rows.reduce((sum, s) => sum + pick(s), 0) / rows.length;
  console.log(`\n${label}: ${rows.length} searches, precision at 5 ${mean((s) => s.precisionAt5).toFixed(3)}, recall at 20 ${mean((s) => s.recallAt20).toFixed(3)}, searches with no result ${rows.filter((s) => s.results === 0).length}`);
  const misses = rows.filter((s) => s.recallAt20 < 1 || s.precisionAt5 < 0.6);
  if (misses.length > 0) console.table(misses.map((s) => ({ search: s.text, 'P@5': s.precisionAt5.toFixed(2), 'R@20': s.recallAt20.toFixed(2), results: s.results, missed: s.missed.join('; ').slice(0, 90) })));
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { database: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' }, 'sqlite-only': { type: 'boolean', default: false } } });
  report('SQLite', await scores({ kind: 'sqlite', path: ':memory:' }));
  if (!values['sqlite-only']) report('PostgreSQL', await scores({ kind: 'postgresql', url: values.database!, schema: `bench_relevance_${process.pid}` }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
