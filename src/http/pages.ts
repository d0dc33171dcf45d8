import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, parse, resolve } from 'node:path';
import express, { type RequestHandler, type Response, type Router } from 'express';
import { tileOrigin, type PagesConfig } from '../config';

/**
 * The public pages (web/, built by `vite build` into dist/web), served by the
 * same server as the API. Each page is one HTML entry; the server fills in the
 * map's tile settings and sends it with a Content-Security-Policy that allows
 * scripts, styles and connections to this origin only, and images from it and
 * from the tile server. The GraphQL playground (playgroundPage) is one more
 * entry, sent at /graphql to a browser, with a policy of its own.
 */
export interface PagesOptions extends PagesConfig {
  /** The built pages; default: dist/web beside the package.json above this file. */
  root?: string;
}

/**
 * The page each path shows: the finder answers `/` and a service's own page (it routes between them in the browser);
 * the partner page answers `/partners` and every address under it (`/partners/services/<id>`), routed in the browser too.
 */
const PAGE_ROUTES: Array<{ paths: string[]; entry: string }> = [
  { paths: ['/', '/services/:id'], entry: 'finder/index.html' },
  { paths: ['/partners{/*rest}'], entry: 'partners/index.html' },
];

export function contentSecurityPolicy(mapTileUrl: string | undefined): string {
  const tiles = mapTileUrl ? ` ${tileOrigin(mapTileUrl)}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    // data: for the small images Leaflet's stylesheet inlines.
    `img-src 'self' data:${tiles}`,
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The folder holding package.json, walking up from here: the same from src/http (vitest) and dist/src/http (compiled). */
function packageRoot(start: string = __dirname): string {
  for (let directory = resolve(start); ; directory = dirname(directory)) {
    if (existsSync(join(directory, 'package.json'))) return directory;
    if (directory === parse(directory).root) return resolve(start);
  }
}

const escapeAttribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The playground's policy: the pages' own, and what GraphiQL's editor (Monaco) needs on top, from this
 * origin only. Monaco writes its styles (the editor's theme, its layout of lines and widgets) into
 * `<style>` elements and `style` attributes it makes at run time, which no hash or nonce can name ahead:
 * styles may be inline here, nothing else is. Its workers are files from /assets (`worker-src 'self'`).
 * GraphiQL's stylesheet carries its fonts (Roboto, Fira Code) inline as data: URLs (`font-src 'self' data:`).
 * Scripts stay `'self'` without inline script or eval.
 */
export function playgroundContentSecurityPolicy(): string {
  return contentSecurityPolicy(undefined)
    .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
    .replace("connect-src 'self'", "connect-src 'self'; worker-src 'self'")
    .replace("font-src 'self'", "font-src 'self' data:");
}

/** Sends the built page `entry` (read once: the build does not change under a running server) with `csp`. */
function pageSender(options: PagesOptions, csp: string): (entry: string) => RequestHandler {
  const root = options.root ?? join(packageRoot(), 'dist', 'web');
  const pages = new Map<string, string>();

  /** A page's HTML with the tile settings filled in. */
  const html = (entry: string): string | undefined => {
    const cached = pages.get(entry);
    if (cached !== undefined) return cached;
    const file = join(root, entry);
    if (!existsSync(file)) return undefined;
    const page = readFileSync(file, 'utf8')
      .replace('<meta name="map-tile-url" content="" />', `<meta name="map-tile-url" content="${escapeAttribute(options.mapTileUrl ?? '')}" />`)
      .replace('<meta name="map-tile-attribution" content="" />', `<meta name="map-tile-attribution" content="${escapeAttribute(options.mapTileAttribution ?? '')}" />`);
    pages.set(entry, page);
    return page;
  };

  return (entry) => (_req, res) => {
    secure(res, csp);
    const page = html(entry);
    if (page === undefined) {
      res.status(503).type('text/plain').send('The pages are not built yet: run `npm run build`, then restart the server.\n');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(page);
  };
}

function secure(res: Response, csp: string): void {
  res.setHeader('Content-Security-Policy', csp);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  // Tile servers (OpenStreetMap's among them) ask for a Referer: the origin is enough.
  res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');
}

/**
 * The GraphQL playground (web/playground: GraphiQL with the explorer, the README's examples in tabs),
 * for a browser opening /graphql: a GET that prefers HTML to JSON and has no query string. Every other
 * request (POST, GET with `?query=`, a client asking for JSON) goes on to Apollo. Mounted before it.
 */
export function playgroundPage(options: PagesOptions = {}): RequestHandler {
  const send = pageSender(options, playgroundContentSecurityPolicy())('playground/index.html');
  return (req, res, next) => {
    const wantsPage = (req.method === 'GET' || req.method === 'HEAD') && Object.keys(req.query).length === 0 && req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) === 'text/html';
    if (!wantsPage) {
      next();
      return;
    }
    // The same address answers JSON to other clients: a cache must tell them apart.
    res.vary('Accept');
    send(req, res, next);
  };
}

export function pagesRouter(options: PagesOptions = {}): Router {
  const root = options.root ?? join(packageRoot(), 'dist', 'web');
  const csp = contentSecurityPolicy(options.mapTileUrl);
  const servePage = pageSender(options, csp);
  const router = express.Router();

  for (const { paths, entry } of PAGE_ROUTES) router.get(paths, servePage(entry));
  // Vite names every asset by its content hash, so a browser may keep each one for good.
  router.use(
    '/assets',
    (_req, res, next) => {
      secure(res, csp);
      next();
    },
    express.static(join(root, 'assets'), { immutable: true, maxAge: '365d', index: false }),
  );
  return router;
}
