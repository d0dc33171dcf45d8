import type { RequestHandler } from 'express';
import type { Admission } from './admission';
import type { CapacityLimits } from './limits';
import { budgetKey, retryAfterSeconds, type RateLimits } from './rate-limit';

/**
 * What one full service of the Open Referral UK feed costs, in the units of
 * GraphQL's query cost: the deep slice `services(first: 100)` with
 * everything nested costs 28,601, about 286 a service.
 */
export const FEED_COST_PER_SERVICE = 286;

/**
 * The feed's share of the abuse limits GraphQL has (README, "Running it in
 * public"): each request spends its cost from the caller's address budget
 * (429 past it), and a page that costs as much as an expensive query waits
 * for an admission turn (503 when the queue is full), so ten big pages at
 * once cannot freeze the server for everyone else.
 */
export function feedLimits({ rateLimits, admission, capacity }: { rateLimits: RateLimits; admission: Admission; capacity: CapacityLimits }): RequestHandler {
  return async (req, res, next) => {
    try {
      const perPage = Number(typeof req.query.per_page === 'string' ? req.query.per_page : 50);
      const lists = /^\/(services|service_at_locations)\/?$/.test(req.path);
      const cost = lists && Number.isFinite(perPage) ? Math.max(1, Math.min(perPage, 100)) * FEED_COST_PER_SERVICE : FEED_COST_PER_SERVICE;
      const budget = budgetKey(req.ip ?? 'unknown');
      const spent = await rateLimits.spend(budget, cost);
      if (!spent.ok) {
        const retryAfter = retryAfterSeconds(spent.refusal);
        res.setHeader('retry-after', String(retryAfter));
        res.status(429).json({ code: 'RATE_LIMITED', message: `Rate limit reached: try again in ${retryAfter} s. Each request spends its cost from a budget per address.` });
        return;
      }
      if (cost < capacity.expensiveCost) return next();
      const leave = await admission.enter();
      if (!leave) {
        await rateLimits.refund(budget, cost);
        const retryAfter = Math.max(1, Math.ceil(capacity.maxQueueWaitMs / 1000));
        res.setHeader('retry-after', String(retryAfter));
        res.status(503).json({ code: 'SERVER_BUSY', message: `The server is busy with other large requests: try again in ${retryAfter} s, or ask for smaller pages (per_page).` });
        return;
      }
      res.once('close', leave);
      next();
    } catch (error) {
      next(error);
    }
  };
}
