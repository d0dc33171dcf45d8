import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, parse, type DocumentNode, type GraphQLSchema, type ValidationContext } from 'graphql';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { DocumentTooLargeError, QueryTooCostlyError, RateLimitedError, ServerBusyError } from '../errors';
import type { Logger } from 'pino';
import type { RateLimiterRes } from 'rate-limiter-flexible';
import type { Context } from '../context';
import type { Admission } from './admission';
import { assertNoControlCharacters } from './control-characters';
import { queryCost } from './cost';
import { budgetKey, retryAfterSeconds, type RateLimits } from './rate-limit';
import { measureDocument, overlapChecks } from './shape';

/**
 * Abuse limits, after the OWASP GraphQL cheat sheet and GitHub's and
 * Shopify's published limits. The shape limits leave every query in the
 * README and the tests plenty of room; the cost limit and the admission
 * bound are sized against the heap cap (README, "Sizing").
 */
export const LIMITS = {
  /** Nesting depth of fields (the deep slice is 8). */
  maxDepth: 15,
  /** Aliased fields per operation. */
  maxAliases: 30,
  /** Directives per operation. */
  maxDirectives: 25,
  /*
   * The document limits below leave eight times the room or more the README's and the tests' queries need:
   * the largest of those has 247 tokens, 52 fields once its fragments are spread, 15 fields in
   * one selection set, and needs 52 field comparisons to validate.
   */
  /** Lexical tokens per document. */
  maxTokens: 2_000,
  /** Field selections once every fragment is spread. */
  maxFields: 2_000,
  /** Fields one selection set may hold, its fragments merged in. */
  maxSelectionWidth: 100,
  /** Field comparisons validation may need (see overlapChecks): the worst document allowed, 19,500, validates in about 6 ms. */
  maxOverlapChecks: 20_000,
};

/**
 * graphql-armor's depth, alias and directive rules at LIMITS. They throw by
 * default, which Apollo treats as an internal failure; reported through the
 * validation context instead, a refusal is a GRAPHQL_VALIDATION_FAILED error
 * like any other invalid query.
 */
export function shapeRules() {
  const report = {
    exposeLimits: true,
    propagateOnRejection: false,
    onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, '')))],
  };
  return [maxDepthRule({ n: LIMITS.maxDepth, ...report }), maxAliasesRule({ n: LIMITS.maxAliases, ...report }), maxDirectivesRule({ n: LIMITS.maxDirectives, ...report })];
}

/** The limits sized for the machine: configurable (see config.ts), with these defaults. */
export interface CapacityLimits {
  /** Objects a query may return, counted before it runs (see cost.ts). */
  maxCost: number;
  /** Queries costing at least this much are expensive: they wait for an admission turn. */
  expensiveCost: number;
  /** Expensive requests running at once in this process. */
  maxExpensiveInFlight: number;
  /** Expensive requests waiting for a turn; past that they are refused with SERVER_BUSY. */
  maxExpensiveQueued: number;
  /** How long an expensive request may wait for its turn. */
  maxQueueWaitMs: number;
  /** Largest response body; a larger one is replaced by RESPONSE_TOO_LARGE. */
  maxResponseBytes: number;
  /** Cost charged to an address's budget for each failed sign-in. */
  signInFailureCost: number;
}

/**
 * Sized on a 2-core machine with the 512 MB heap cap of `npm start`, by
 * `npm run bench:abuse` (README, "Sizing"): the deep slice
 * `services(first: 100)` (28,601) is the largest query allowed; one
 * expensive query runs at a time, so the other core is left to the database
 * and cheap queries wait behind one query's event-loop turns, not ten.
 */
export const DEFAULT_CAPACITY: CapacityLimits = {
  maxCost: 30_000,
  expensiveCost: 10_000,
  maxExpensiveInFlight: 1,
  maxExpensiveQueued: 4,
  maxQueueWaitMs: 2_000,
  maxResponseBytes: 8 * 1024 * 1024,
  signInFailureCost: 10_000,
};

const SEND_FEWER = 'Send fewer fields (a field listed again, or a fragment spread again, counts again).';

/**
 * Refuses a document whose size would make validation expensive. graphql-js
 * validates in time that grows with the square of the fields a selection
 * set holds (OverlappingFieldsCanBeMerged), so this runs first, in one
 * linear pass; a document that does not parse is left to Apollo to report.
 */
export function screenDocument(source: unknown): void {
  if (typeof source !== 'string' || screened.has(source)) return;
  let document: DocumentNode;
  try {
    document = parse(source, { maxTokens: LIMITS.maxTokens, noLocation: true });
  } catch {
    return;
  }
  const shape = measureDocument(document);
  if (shape.fields > LIMITS.maxFields) {
    throw new DocumentTooLargeError(
      `This document selects this many fields once its fragments are spread: ${shape.fields}; the limit is ${LIMITS.maxFields}. ${SEND_FEWER}`,
      LIMITS.maxFields,
      shape.fields,
    );
  }
  if (shape.widestSelection > LIMITS.maxSelectionWidth) {
    throw new DocumentTooLargeError(
      `This document has a selection set with this many fields (fragments merged in): ${shape.widestSelection}; the limit is ${LIMITS.maxSelectionWidth}. ${SEND_FEWER}`,
      LIMITS.maxSelectionWidth,
      shape.widestSelection,
    );
  }
  if (overlapChecks(document, LIMITS.maxOverlapChecks) > LIMITS.maxOverlapChecks) {
    throw new DocumentTooLargeError(
      `This document repeats fields with sub-selections so often that checking they agree would take more than ${LIMITS.maxOverlapChecks} comparisons. Select each field once (fragments spread in one place count as repeats).`,
      LIMITS.maxOverlapChecks,
    );
  }
  screened.add(source);
}

/**
 * Documents that passed, so that a front end's queries, sent again and again, are parsed and measured once
 * (as Apollo parses and validates them once): at most SCREENED_CHARACTERS of them, the oldest dropped first.
 * Shared by every app in the process: the answer depends on the text and the constant LIMITS alone.
 * Measured on the one-service page, in process: 1.24 to 1.11 ms of CPU per request.
 */
const screened = new (class {
  private readonly sources = new Set<string>();
  private characters = 0;

  has(source: string): boolean {
    return this.sources.has(source);
  }

  add(source: string): void {
    this.sources.add(source);
    this.characters += source.length;
    for (const oldest of this.sources) {
      if (this.characters <= SCREENED_CHARACTERS) break;
      this.sources.delete(oldest);
      this.characters -= oldest.length;
    }
  }
})();
const SCREENED_CHARACTERS = 4_000_000;

/**
 * Before parsing: an address or key whose budget is spent, or an address
 * that has failed to sign in too often, is refused without reading its
 * document or looking its key up.
 */
export async function refuseSpentBudget(rateLimits: RateLimits, address: string, keyPrefix: string | undefined, hasAuthorization: boolean): Promise<void> {
  if (hasAuthorization) {
    const blocked = await rateLimits.signInsBlocked(address);
    if (blocked) throw new RateLimitedError(rateLimits.points, retryAfterSeconds(blocked), 'Too many failed sign-ins from this address.');
  }
  const spent = await rateLimits.spent(budgetKey(address, keyPrefix));
  if (spent) throw new RateLimitedError(rateLimits.points, retryAfterSeconds(spent));
}

export interface RequestLimitsOptions {
  schema: GraphQLSchema;
  rateLimits: RateLimits;
  capacity: CapacityLimits;
  admission: Admission;
  logger: Logger;
}

/**
 * Per request, once the document is valid: checks its text inputs for
 * control characters, computes its cost (refusing a too costly query),
 * spends it from the caller's rate-limit budget (setting the RateLimit-*
 * headers), makes an expensive query wait for an admission turn, reports
 * the cost in `extensions.cost`, and writes the one log line of the request.
 */
export function requestLimitsPlugin({ schema, rateLimits, capacity, admission, logger }: RequestLimitsOptions): ApolloServerPlugin<Context> {
  /** The admission turn each running expensive request holds, given back when its response is sent. */
  const turns = new WeakMap<Context, () => void>();
  const giveBack = (context: Context) => {
    turns.get(context)?.();
    turns.delete(context);
  };
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      let cost = 0;
      return {
        async didResolveOperation({ document, operationName, request, response }) {
          const variables = request.variables ?? {};
          assertNoControlCharacters(document, variables);
          cost = queryCost(schema, document, operationName, variables);
          if (cost > capacity.maxCost) throw new QueryTooCostlyError(cost, capacity.maxCost);
          const budget = budgetKey(contextValue.clientAddress, contextValue.viewer.kind === 'account' ? contextValue.viewer.keyPrefix : undefined);
          const spent = await rateLimits.spend(budget, Math.max(1, cost));
          if (!spent.ok) throw new RateLimitedError(rateLimits.points, retryAfterSeconds(spent.refusal));
          setRateLimitHeaders(response.http.headers, rateLimits.points, spent.state);
          if (cost >= capacity.expensiveCost) {
            const leave = await admission.enter();
            if (leave) turns.set(contextValue, leave);
            else {
              await rateLimits.refund(budget, Math.max(1, cost));
              throw new ServerBusyError(Math.max(1, Math.ceil(capacity.maxQueueWaitMs / 1000)));
            }
          }
        },
        async willSendResponse({ response, errors, operationName }) {
          giveBack(contextValue);
          if (response.body.kind === 'single') {
            response.body.singleResult.extensions = { ...response.body.singleResult.extensions, cost: { requested: cost, limit: capacity.maxCost } };
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
    // willSendResponse does not run when a request fails unexpectedly: its turn is given back here.
    async unexpectedErrorProcessingRequest({ requestContext }) {
      giveBack(requestContext.contextValue);
    },
  };
}

function setRateLimitHeaders(headers: Map<string, string>, limit: number, state: RateLimiterRes): void {
  headers.set('ratelimit-limit', String(limit));
  headers.set('ratelimit-remaining', String(Math.max(0, state.remainingPoints)));
  headers.set('ratelimit-reset', String(Math.ceil(state.msBeforeNext / 1000)));
}
