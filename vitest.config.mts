import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

const require = createRequire(`${process.cwd()}/package.json`);

/*
 * The whole suite runs on SQLite (in memory, no setup) and, when
 * TEST_DATABASE_URL names a PostgreSQL database, a second time on
 * PostgreSQL: each test app then gets a schema of its own there.
 */
const postgresUrl = process.env.TEST_DATABASE_URL?.trim();
if (postgresUrl && !/^postgres(ql)?:\/\//.test(postgresUrl)) {
  throw new Error(`TEST_DATABASE_URL must be a postgres:// URL, but it is "${postgresUrl}".`);
}
// Vitest reads this file more than once (the root, then each project): say it once.
if (!postgresUrl && !process.env.SPD_POSTGRES_SKIP_SAID) {
  process.env.SPD_POSTGRES_SKIP_SAID = '1';
  console.log('PostgreSQL run skipped: TEST_DATABASE_URL is not set (e.g. TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm test).');
}

/*
 * Vitest transforms with esbuild, which emits no decorator metadata. The code
 * never relies on it: every type-graphql and MikroORM decorator names its type
 * explicitly (`@Field(() => String)`, `@Args(() => PageArgs)`,
 * `@Property({ type: 'string' })`), so tests and the tsc build see one schema.
 */
export default defineConfig({
  resolve: {
    // One copy of graphql: its CJS and ESM builds must not both load.
    alias: { graphql: require.resolve('graphql/index.js') },
  },
  test: {
    setupFiles: ['reflect-metadata'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default is one worker per core but one: a single worker on the 2-core machines this runs on.
    // The tests spend much of their time waiting (on PostgreSQL, Chromium, child servers), so two workers
    // there took the whole run (SQLite and PostgreSQL) from about 10 minutes to 3.5.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Test files share their worker's modules (imported once per worker, not once per file): the
    // suite's import time fell from 27 s to 5 s on 12 files (54 s to 22 s in all). Every test app has
    // a database of its own, and the module-level caches are keyed by database, so nothing leaks.
    isolate: false,
    projects: [
      { extends: true, test: { name: 'sqlite', include: ['test/**/*.test.ts'], env: { TEST_DATABASE: 'sqlite' } } },
      ...(postgresUrl
        ? [
            {
              extends: true,
              test: {
                name: 'postgresql',
                include: ['test/**/*.test.ts'],
                env: { TEST_DATABASE: 'postgresql', TEST_DATABASE_URL: postgresUrl },
                globalSetup: ['test/postgres-setup.ts'],
              },
            },
          ]
        : []),
    ],
  },
});
