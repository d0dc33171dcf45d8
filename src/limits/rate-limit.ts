import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

export interface RateLimitOptions {
  /** Budgets shared through Redis when given (every instance spends from the same budget); in memory otherwise. */
  redisUrl?: string;
  points: number;
  windowSeconds: number;
  /** Namespace of the budgets in Redis (instances sharing budgets share it). */
  keyPrefix: string;
  /** Failed sign-ins an address may make per window before every request it makes with a key is refused unread. */
  authFailures: number;
}

/**
 * The two budgets of the directory: query cost per API key (or per address
 * without one), and failed sign-ins per address. A refusal is a
 * `RateLimiterRes` (how long until the window resets), never an exception.
 */
export class RateLimits {
  private constructor(
    readonly budget: RateLimiterAbstract,
    private readonly authFailures: RateLimiterAbstract,
    private readonly redis: Redis | undefined,
  ) {}

  static create(options: RateLimitOptions): RateLimits {
    const budget = { points: options.points, duration: options.windowSeconds, keyPrefix: options.keyPrefix };
    const failures = { points: options.authFailures, duration: options.windowSeconds, keyPrefix: `${options.keyPrefix}-auth` };
    if (!options.redisUrl) return new RateLimits(new RateLimiterMemory(budget), new RateLimiterMemory(failures), undefined);
    const redis = new Redis(options.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    redis.on('error', () => undefined); // reported through the insurance limiter taking over
    // If Redis is unreachable, each instance keeps limiting on its own rather than failing requests.
    const insured = (settings: typeof budget) => new RateLimiterRedis({ ...settings, storeClient: redis, insuranceLimiter: new RateLimiterMemory(settings) });
    return new RateLimits(insured(budget), insured(failures), redis);
  }

  get points(): number {
    return this.budget.points;
  }

  /** Spends `points` from a budget: its state afterwards, or the refusal. */
  async spend(key: string, points: number): Promise<{ ok: true; state: RateLimiterRes } | { ok: false; refusal: RateLimiterRes }> {
    try {
      return { ok: true, state: await this.budget.consume(key, points) };
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return { ok: false, refusal: rejection };
      throw rejection;
    }
  }

  /** Gives points back (a request refused after it paid, e.g. for want of capacity). */
  async refund(key: string, points: number): Promise<void> {
    await this.budget.reward(key, points).catch(() => undefined);
  }

  /** The refusal a budget would give now, without spending from it (undefined while points remain). */
  async spent(key: string): Promise<RateLimiterRes | undefined> {
    const state = await this.budget.get(key).catch(() => null);
    return state && state.remainingPoints <= 0 ? state : undefined;
  }

  /** Whether an address has failed to sign in too often this window; its requests with a key are then refused unread. */
  async signInsBlocked(address: string): Promise<RateLimiterRes | undefined> {
    const state = await this.authFailures.get(address).catch(() => null);
    return state && state.remainingPoints <= 0 ? state : undefined;
  }

  /**
   * A failed sign-in: it counts against the address's failed sign-ins and
   * costs `penalty` from the address's query budget. Returns the refusal
   * when either is spent; an address already out of budget has its sign-ins
   * blocked for the rest of the window at its first failure.
   */
  async signInFailed(address: string, penalty: number): Promise<RateLimiterRes | undefined> {
    const failures = await this.authFailures.consume(address, 1).then(
      () => undefined,
      (rejection: unknown) => (rejection instanceof RateLimiterRes ? rejection : undefined),
    );
    const budget = await this.spend(budgetKey(address), penalty);
    if (failures) return failures;
    if (budget.ok) return undefined;
    await this.authFailures.block(address, Math.max(1, Math.ceil(budget.refusal.msBeforeNext / 1000))).catch(() => undefined);
    return budget.refusal;
  }

  async close(): Promise<void> {
    await this.redis?.quit().catch(() => undefined);
  }
}

/** The budget a request spends from: its API key's, or its address's without one. */
export function budgetKey(address: string, keyPrefix?: string): string {
  return keyPrefix ? `key:${keyPrefix}` : `ip:${address}`;
}

/** Whole seconds until a refusal ends, at least 1 (for `Retry-After`). */
export function retryAfterSeconds(refusal: RateLimiterRes): number {
  return Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
}
