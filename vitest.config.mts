import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(`${process.cwd()}/package.json`);

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
    include: ['test/**/*.test.ts'],
    setupFiles: ['reflect-metadata'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
