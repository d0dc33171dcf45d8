import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import type { RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import type { Context } from '../context';
import { queryCost } from './cost';

/**
 * Abuse limits, after the OWASP GraphQL cheat sheet and GitHub's and
 * Shopify's published limits. The numbers leave every query in the README
 * and the tests plenty of room: the deep slice `services(first: 100)` with
 * providers, hubs, schedules, criteria and categories costs about 10,200.
 */
export const LIMITS = {
  /** Nesting depth of fields (the deep slice is 8). */
  maxDepth: 15,
  /** Aliased fields per operation. */
  maxAliases: 30,
  /** Directives per operation. */
  maxDirectives: 25,
  /** Lexical tokens per document (the largest README query is about 200). */
  maxTokens: 5_000,
  /** Objects a query may return, counted before it runs (see cost.ts); GitHub allows the same 500,000. */
  maxCost: 500_000,
};

export class QueryTooCostlyError extends GraphQLError {
  constructor(cost: number) {
    super(`This query could return ${cost} objects; the limit is ${LIMITS.maxCost}. Ask for smaller pages (first) or fewer nested lists.`, {
      extensions: { code: 'QUERY_TOO_COSTLY', cost, limit: LIMITS.maxCost, http: { status: 400 } },
    });
  }
}

export class RateLimitedError extends GraphQLError {
  constructor(retryAfterSeconds: number) {
    super(`Rate limit reached: try again in ${retryAfterSeconds} s. Each request spends its cost (extensions.cost) from a budget per API key, or per address without one.`, {
      extensions: { code: 'RATE_LIMITED', retryAfterSeconds, http: { status: 429 } },
    });
  }
}

export interface RequestLimitsOptions {
  schema: GraphQLSchema;
  rateLimiter: RateLimiterAbstract;
  logger: Logger;
}

/**
 * Per request: computes the cost before execution (refusing a too costly
 * query), spends it from the caller's rate-limit budget (setting the
 * RateLimit-* headers), reports it in `extensions.cost`, and writes the one
 * log line of the request.
 */
export function requestLimitsPlugin({ schema, rateLimiter, logger }: RequestLimitsOptions): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      let cost = 0;
      return {
        async didResolveOperation({ document, operationName, request, response }) {
          cost = queryCost(schema, document, operationName, request.variables ?? {});
          if (cost > LIMITS.maxCost) throw new QueryTooCostlyError(cost);
          const budgetKey = contextValue.viewer.kind === 'account' ? `key:${contextValue.viewer.keyPrefix}` : `ip:${contextValue.clientAddress}`;
          let result: RateLimiterRes;
          try {
            result = await rateLimiter.consume(budgetKey, Math.max(1, cost));
          } catch (rejection) {
            if (rejection instanceof Error) throw rejection;
            const refused = rejection as RateLimiterRes;
            const retryAfter = Math.ceil(refused.msBeforeNext / 1000);
            response.http.headers.set('retry-after', String(retryAfter));
            setRateLimitHeaders(response.http.headers, rateLimiter.points, 0, refused.msBeforeNext);
            throw new RateLimitedError(retryAfter);
          }
          setRateLimitHeaders(response.http.headers, rateLimiter.points, result.remainingPoints, result.msBeforeNext);
        },
        async willSendResponse({ response, errors, operationName }) {
          if (response.body.kind === 'single') {
            response.body.singleResult.extensions = { ...response.body.singleResult.extensions, cost: { requested: cost, limit: LIMITS.maxCost } };
          }
          const codes = [...new Set((errors ?? []).map((error) => String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR')))];
          logger.info(
            {
              requestId: contextValue.requestId,
              operationName: operationName ?? null,
              durationMs: Math.round((performance.now() - started) * 10) / 10,
              sqlStatements: contextValue.sqlStats.statements,
              cost,
              viewer: contextValue.viewer.kind === 'account' ? contextValue.viewer.keyPrefix : 'anonymous',
              outcome: codes.length === 0 ? 'ok' : codes.join(','),
            },
            'graphql request',
          );
        },
      };
    },
  };
}

function setRateLimitHeaders(headers: Map<string, string>, limit: number, remaining: number, msBeforeReset: number): void {
  headers.set('ratelimit-limit', String(limit));
  headers.set('ratelimit-remaining', String(Math.max(0, remaining)));
  headers.set('ratelimit-reset', String(Math.ceil(msBeforeReset / 1000)));
}
