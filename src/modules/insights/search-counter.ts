import type { EntityManager } from '@mikro-orm/knex';
import { writeTransaction } from '../common/write-lock';
import { SearchInsightsRepository, type SearchCount } from './insights.repository';
import { monthsBefore, weekStartingOf } from './weeks';

/** Distinct keys held between flushes; beyond it (a database down for long), new keys are dropped and said so in the log. */
export const MAX_PENDING_KEYS = 20_000;
/** Retention runs at most this often (at a flush). */
const RETENTION_EVERY_MS = 24 * 60 * 60 * 1000;

/** One search, as counted (count-search.ts reads it from the search's arguments): nothing in it can name a person. */
export type CountedSearch = Omit<SearchCount, 'week' | 'searches'>;

export interface SearchCounterOptions {
  /** Off (SEARCH_INSIGHTS=false): nothing is counted or written (weeks past retention are still removed). */
  enabled: boolean;
  /** Weeks that started more than this many months ago are removed. */
  retentionMonths: number;
  /** How often the counts are written; 0: only by `flush()` (and on close). */
  flushIntervalMs: number;
  /** Where a failed flush is logged (it never fails a request). */
  warn: (error: unknown, message: string) => void;
  maxPendingKeys?: number;
  clock?: () => Date;
}

/**
 * Counts searches in memory and writes the counts every few seconds, so a
 * search costs a map update, never a write of its own: one statement per
 * hundred distinct keys per flush, through the database's write queue
 * (write-lock.ts), beside the requests' reads. One per app.
 *
 * A flush that fails (a locked or unreachable database) puts its counts
 * back, to be added at the next one; what is held is capped at
 * `maxPendingKeys` keys, and counts that would go past it are dropped and
 * the number logged. Counts of the last seconds before a crash are lost;
 * on close they are written.
 */
export class SearchCounter {
  private pending = new Map<string, SearchCount>();
  private dropped = 0;
  private running: Promise<void> = Promise.resolve();
  private retentionDoneAt = Number.NEGATIVE_INFINITY;
  /** The week of the current minute: UK offsets are whole hours, so a minute never spans two dates. */
  private weekOfMinute = { minute: Number.NaN, week: '' };
  private readonly timer?: NodeJS.Timeout;
  private readonly maxPendingKeys: number;
  private readonly clock: () => Date;

  constructor(
    private readonly em: EntityManager,
    private readonly options: SearchCounterOptions,
  ) {
    this.maxPendingKeys = options.maxPendingKeys ?? MAX_PENDING_KEYS;
    this.clock = options.clock ?? (() => new Date());
    if (options.flushIntervalMs > 0) {
      this.timer = setInterval(() => void this.flush(), options.flushIntervalMs);
      // A pending flush never keeps a process alive; close() writes the last counts.
      this.timer.unref();
    }
  }

  get enabled(): boolean {
    return this.options.enabled;
  }

  /** Counts one search made at `at` (the request's time). */
  count(search: CountedSearch, at: Date): void {
    if (!this.options.enabled) return;
    const minute = Math.floor(at.getTime() / 60_000);
    if (minute !== this.weekOfMinute.minute) this.weekOfMinute = { minute, week: weekStartingOf(at) };
    this.add({ ...search, week: this.weekOfMinute.week, searches: 1 });
  }

  /**
   * Writes what was counted so far (and, at most once a day, removes the
   * weeks past retention). Flushes run one after another; the promise
   * settles when this one is done, and never rejects.
   */
  flush(): Promise<void> {
    this.running = this.running.then(() => this.write());
    return this.running;
  }

  /** Stops the timer and writes the last counts (app close, before the ORM closes). */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }

  /** A search that could not be counted is logged; the search itself is answered all the same. */
  countFailed(error: unknown): void {
    this.options.warn(error, 'could not count a search');
  }

  private add(count: SearchCount): void {
    const key = `${count.week}\u0000${count.text}\u0000${count.district}\u0000${count.categories}\u0000${count.zeroResults ? 1 : 0}`;
    const known = this.pending.get(key);
    if (known) known.searches += count.searches;
    else if (this.pending.size < this.maxPendingKeys) this.pending.set(key, count);
    else this.dropped += count.searches;
  }

  private async write(): Promise<void> {
    const now = this.clock();
    const retentionDue = now.getTime() - this.retentionDoneAt >= RETENTION_EVERY_MS;
    if (this.pending.size === 0 && !retentionDue) return;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    try {
      await writeTransaction(this.em.fork() as EntityManager, async (tx) => {
        const store = new SearchInsightsRepository(tx);
        await store.add(batch);
        if (retentionDue) await store.removeWeeksBefore(monthsBefore(now, this.options.retentionMonths));
      });
      if (retentionDue) this.retentionDoneAt = now.getTime();
    } catch (error) {
      // Kept for the next flush, within the cap.
      for (const count of batch) this.add(count);
      this.options.warn(error, `could not write search counts (${batch.length} kept for the next try)`);
    }
    if (this.dropped > 0) {
      this.options.warn(undefined, `dropped ${this.dropped} search counts: more than ${this.maxPendingKeys} distinct searches were waiting to be written`);
      this.dropped = 0;
    }
  }
}
