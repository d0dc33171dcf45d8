import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { RateLimitedError } from '../../errors';
import { retryAfterSeconds } from '../../limits/rate-limit';

export const DEFAULT_PROBLEM_REPORTS_PER_HOUR = 5;
const HOUR_SECONDS = 60 * 60;

export interface ProblemReportLimitOptions {
  /** Reports one client address may send per hour (PROBLEM_REPORTS_PER_HOUR). */
  perHour: number;
  /** Shared through Redis when given, so every instance counts the same address's reports; in memory otherwise. */
  redisUrl?: string;
  /** Namespace of the allowances in Redis. */
  keyPrefix: string;
}

/**
 * How many problem reports a client address may send: a few an hour. It is
 * separate from the query budget (src/limits/rate-limit.ts), which a report
 * costs almost nothing from: anyone may write to the directory here, and
 * every report is a person's time to read, so the limit is on writes, not
 * on cost. Anonymous senders have no key, so the address is what counts.
 */
export class ProblemReportLimit {
  private constructor(
    private readonly limiter: RateLimiterAbstract,
    private readonly redis: Redis | undefined,
  ) {}

  static create(options: ProblemReportLimitOptions): ProblemReportLimit {
    const settings = { points: options.perHour, duration: HOUR_SECONDS, keyPrefix: options.keyPrefix };
    if (!options.redisUrl) return new ProblemReportLimit(new RateLimiterMemory(settings), undefined);
    const redis = new Redis(options.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    redis.on('error', () => undefined); // the insurance limiter takes over, as for the query budget
    return new ProblemReportLimit(new RateLimiterRedis({ ...settings, storeClient: redis, insuranceLimiter: new RateLimiterMemory(settings) }), redis);
  }

  get perHour(): number {
    return this.limiter.points;
  }

  /** Spends one report of the address's hourly allowance; RATE_LIMITED when none is left. */
  async spend(address: string): Promise<void> {
    try {
      await this.limiter.consume(address, 1);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      throw new RateLimitedError(this.perHour, retryAfterSeconds(rejection), `Each address may report at most ${this.perHour} problems an hour.`);
    }
  }

  async close(): Promise<void> {
    await this.redis?.quit().catch(() => undefined);
  }
}
