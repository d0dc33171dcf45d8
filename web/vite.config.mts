import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { readmeExamplesPlugin } from './readme-examples.mts';

const web = import.meta.dirname;

/**
 * The public pages, built into dist/web and served by the API's own Express
 * server (src/http/pages.ts). One HTML entry per page: the finder, and the
 * GraphQL playground (GraphiQL, served at /graphql); the partner page is a
 * further entry beside them.
 */
export default defineConfig({
  root: web,
  base: '/',
  // Nothing is loaded from another host: no CDN, no web fonts. Leaflet's CSS images are inlined or emitted as assets.
  publicDir: false,
  // The finder is Preact; the playground (GraphiQL, a React component) says `@jsxImportSource react` in its own file.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  // The playground opens with the README's ```graphql examples, read here at build time so they never drift.
  plugins: [readmeExamplesPlugin(resolve(web, '../README.md'))],
  // GraphiQL's editor (Monaco) runs its language services in web workers, bundled here as files of their own
  // (graphiql/setup-workers/vite imports them with `?worker`), as module workers so they can share chunks.
  worker: { format: 'es' },
  build: {
    outDir: resolve(web, '../dist/web'),
    emptyOutDir: true,
    // The manifest says which files each page loads: the JS budget test (test/pages.test.ts) reads it.
    manifest: true,
    target: 'es2022',
    // Monaco alone is 2.8 MB (700 kB gzipped): the playground is a developer's tool, loaded only at /graphql. The finder has its own budget (test/pages.test.ts).
    chunkSizeWarningLimit: 3000,
    rolldownOptions: {
      input: { finder: resolve(web, 'finder/index.html'), playground: resolve(web, 'playground/index.html'), partners: resolve(web, 'partners/index.html') },
      // GraphiQL's libraries (framer-motion, Radix) start their files with React's "use client", which means nothing in a plain bundle.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
});
