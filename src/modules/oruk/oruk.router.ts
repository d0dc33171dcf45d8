import express, { type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import { BadUserInputError, ClientError } from '../../errors';
import type { Geocoder } from '../place/postcode';
import { OrukFeed, type FeedRepositories } from './oruk.feed';
import { readPage, readServiceFilters, type Query } from './oruk.params';
import openapi from './spec/openapi.json';

export interface OrukRouterOptions {
  /** The repositories of a fresh request, as the anonymous public sees the directory. */
  repositories: () => FeedRepositories;
  geocoder: Geocoder;
  logger: Logger;
  /** max-age of an answer (public data, the same for everyone); 0: not cached. Refusals are never cached. */
  publicMaxAgeSeconds: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The error body of every feed refusal: what is wrong, and which parameter when one is. */
function fail(res: Response, status: number, code: string, message: string, parameter?: string): void {
  res.setHeader('Cache-Control', 'no-store');
  res.status(status).json(parameter ? { code, message, parameter } : { code, message });
}

/**
 * The Open Referral UK 3.0 feed (the nine GET endpoints of its API, and the
 * spec at /openapi.json): anonymous, read-only, public data only, JSON on
 * every answer, errors included. app.ts mounts it behind CORS (any origin)
 * and the feed's rate limits, so those answers carry the header too.
 */
export function orukRouter({ repositories, geocoder, logger, publicMaxAgeSeconds }: OrukRouterOptions): Router {
  const router = express.Router();
  const cacheable = publicMaxAgeSeconds > 0 ? `public, max-age=${publicMaxAgeSeconds}` : 'no-store';
  router.use((req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS') return fail(res, 405, 'METHOD_NOT_ALLOWED', 'The Open Referral UK feed is read-only: use GET.');
    next();
  });

  /** Runs `answer` with a fresh feed; a bad parameter is a 400 naming it, anything unexpected a 500 without details. */
  const handle = (answer: (feed: OrukFeed, req: Request, repos: FeedRepositories) => Promise<unknown> | unknown) => async (req: Request, res: Response) => {
    try {
      const repos = repositories();
      const body = await answer(new OrukFeed(repos), req, repos);
      if (body === undefined) return fail(res, 404, 'NOT_FOUND', `There is nothing at ${req.baseUrl}${req.path}: no public record has this id.`);
      res.setHeader('Cache-Control', cacheable);
      res.json(body);
    } catch (error) {
      if (error instanceof BadUserInputError) return fail(res, 400, 'BAD_REQUEST', error.message, String(error.extensions.field));
      if (error instanceof ClientError) return fail(res, Number((error.extensions.http as { status?: number } | undefined)?.status ?? 400), String(error.extensions.code), error.message);
      logger.error({ err: error, path: req.originalUrl }, 'oruk feed error');
      fail(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
    }
  };
  /** An unknown id and a malformed one are both a 404: there is no record at that address. */
  const byId = (find: (feed: OrukFeed, id: string) => Promise<unknown> | unknown) =>
    handle((feed, req) => {
      const id = String(req.params.id);
      return UUID.test(id) ? find(feed, id.toLowerCase()) : undefined;
    });
  const query = (req: Request) => req.query as Query;

  router.get(
    '/',
    handle((_feed, req) => ({
      version: 'HSDS-UK-3.0',
      profile: 'https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md',
      openapi_url: `${req.protocol}://${req.get('host')}${req.baseUrl}/openapi.json`,
    })),
  );
  router.get('/openapi.json', (_req, res) => void res.setHeader('Cache-Control', cacheable).json(openapi));
  /** A paged list of services or of services at locations: its page, then its filters (only the latter take a postcode). */
  const serviceList = (list: 'services' | 'serviceAtLocations') =>
    handle(async (feed, req, repos) => {
      const page = readPage(query(req));
      return feed[list](await readServiceFilters(query(req), repos, geocoder, { near: list === 'serviceAtLocations' }), page);
    });
  router.get('/services', serviceList('services'));
  router.get('/services/:id', byId((feed, id) => feed.service(id)));
  router.get('/service_at_locations', serviceList('serviceAtLocations'));
  router.get('/service_at_locations/:id', byId((feed, id) => feed.serviceAtLocationById(id)));
  router.get('/taxonomies', handle((feed, req) => feed.taxonomies(readPage(query(req)))));
  router.get('/taxonomies/:id', byId((feed, id) => feed.taxonomy(id)));
  router.get('/taxonomy_terms', handle((feed, req) => feed.taxonomyTerms(readPage(query(req)))));
  router.get('/taxonomy_terms/:id', byId((feed, id) => feed.taxonomyTerm(id)));
  router.use((req, res) => fail(res, 404, 'NOT_FOUND', `The Open Referral UK feed has no endpoint ${req.path}; see ${req.baseUrl}/openapi.json.`));
  return router;
}
