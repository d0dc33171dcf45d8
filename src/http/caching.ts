import type { ApolloServerPlugin } from '@apollo/server';
import { ErrorsAreMissesCache, InMemoryLRUCache, type KeyValueCache, type KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';
import type { RequestHandler } from 'express';
import { Redis } from 'ioredis';
import type { Context } from '../context';

/**
 * HTTP caching of GraphQL answers. The rule, from the safest case up:
 *
 * - every answer says `Vary: Authorization`, so no shared cache hands one
 *   caller's answer to another with a different key (or none);
 * - an answer to a request with an API key is `private, no-store`: a
 *   partner's drafts are never kept by a browser or a CDN;
 * - an anonymous query sent with GET and answered without errors is
 *   `public, max-age=N` (CACHE_MAX_AGE_SECONDS, 30 s by default): the
 *   public directory, the same for everyone, at most N seconds old;
 * - everything else (POST, mutations, errors, refusals) is `no-store`,
 *   except the persisted-query misses Apollo answers itself with
 *   `private, no-cache, must-revalidate`, as the APQ protocol has it.
 */
export interface HttpCaching {
  /** max-age of public answers; 0 makes them `no-store` too. */
  publicMaxAgeSeconds: number;
}

export const DEFAULT_PUBLIC_MAX_AGE_SECONDS = 30;

const NO_STORE = 'no-store';
const PRIVATE = 'private, no-store';

/** Express, before Apollo: the headers of an answer Apollo's plugins never see (a refused key, a body that is not JSON). */
export function cachingDefaults(): RequestHandler {
  return (_req, res, next) => {
    res.setHeader('Vary', 'Authorization');
    res.setHeader('Cache-Control', NO_STORE);
    next();
  };
}

/** Sets Cache-Control and Vary on every answer Apollo sends, by the rule above. */
export function cachingPlugin({ publicMaxAgeSeconds }: HttpCaching): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ request, contextValue }) {
      const keyed = contextValue.viewer.kind !== 'anonymous' || request.http?.headers.get('authorization') !== undefined;
      return {
        async willSendResponse({ response, operation, errors }) {
          const { headers } = response.http;
          headers.set('vary', mergeVary(headers.get('vary')));
          if (keyed) return void headers.set('cache-control', PRIVATE);
          // Apollo's own answer to a persisted-query miss carries the header the protocol asks for.
          if (headers.has('cache-control')) return;
          const failed = (errors?.length ?? 0) > 0 || (response.body.kind === 'single' && (response.body.singleResult.errors?.length ?? 0) > 0);
          const cacheable = request.http?.method === 'GET' && operation?.operation === 'query' && !failed && publicMaxAgeSeconds > 0;
          headers.set('cache-control', cacheable ? `public, max-age=${publicMaxAgeSeconds}` : NO_STORE);
        },
      };
    },
  };
}

function mergeVary(existing: string | undefined): string {
  const names = (existing ?? '').split(',').map((name) => name.trim()).filter(Boolean);
  if (!names.some((name) => name.toLowerCase() === 'authorization')) names.push('Authorization');
  return names.join(', ');
}

export interface PersistedQueryStoreOptions {
  /** Redis shared by the instances; in this process's memory when absent. */
  redisUrl?: string;
  /** In memory: the most the stored documents may take, in bytes (least recently used dropped first). */
  maxBytes: number;
  /** Namespace of the documents in Redis. */
  keyPrefix: string;
}

export const DEFAULT_PERSISTED_QUERY_BYTES = 8 * 1024 * 1024;
/** How long a registered document is kept after it was last registered (Apollo sets it again on every registration). */
export const PERSISTED_QUERY_TTL_SECONDS = 24 * 60 * 60;

/** A store the automatic persisted queries can use, and how to close it. */
export interface PersistedQueryStore {
  cache: KeyValueCache<string>;
  close(): Promise<void>;
}

/**
 * Where automatic persisted queries keep their documents: bounded in
 * memory (Apollo's LRU cache, sized in bytes), or in Redis, where every
 * document expires after PERSISTED_QUERY_TTL_SECONDS; an unreachable Redis
 * reads as a miss (the client then sends the document again), never as an
 * error.
 */
export function persistedQueryStore({ redisUrl, maxBytes, keyPrefix }: PersistedQueryStoreOptions): PersistedQueryStore {
  if (!redisUrl) {
    return { cache: new InMemoryLRUCache<string>({ maxSize: maxBytes, sizeCalculation: (document) => Math.max(1, document.length * 2) }), close: async () => undefined };
  }
  const redis = new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined); // a lost connection is a miss, reported by ErrorsAreMissesCache's logger
  return {
    cache: new ErrorsAreMissesCache(new RedisDocumentCache(redis, keyPrefix)),
    close: async () => void (await redis.quit().catch(() => redis.disconnect())),
  };
}

class RedisDocumentCache implements KeyValueCache<string> {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(this.prefix + key)) ?? undefined;
  }

  /** A document Redis could not take is not stored: the client sends it again on its next miss. */
  async set(key: string, value: string, options?: KeyValueCacheSetOptions): Promise<void> {
    await this.redis.set(this.prefix + key, value, 'EX', options?.ttl ?? PERSISTED_QUERY_TTL_SECONDS).catch(() => undefined);
  }

  async delete(key: string): Promise<boolean> {
    return (await this.redis.del(this.prefix + key).catch(() => 0)) > 0;
  }
}
