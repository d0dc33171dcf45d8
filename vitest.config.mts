import { createRequire } from 'node:module';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

const require = createRequire(`${process.cwd()}/package.json`);

export default defineConfig({
  // esbuild emits no decorator metadata; SWC does, as tsc does for the build.
  plugins: [swc.vite({ module: { type: 'es6' } })],
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
