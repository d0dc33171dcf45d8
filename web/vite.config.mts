import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const web = import.meta.dirname;

/**
 * The public pages, built into dist/web and served by the API's own Express
 * server (src/http/pages.ts). One HTML entry per page: the finder today; the
 * partner page and the playground are further entries beside it.
 */
export default defineConfig({
  root: web,
  base: '/',
  // Nothing is loaded from another host: no CDN, no web fonts. Leaflet's CSS images are inlined or emitted as assets.
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: resolve(web, '../dist/web'),
    emptyOutDir: true,
    // The manifest says which files each page loads: the JS budget test (test/pages.test.ts) reads it.
    manifest: true,
    target: 'es2022',
    rolldownOptions: {
      input: { finder: resolve(web, 'finder/index.html') },
    },
  },
});
