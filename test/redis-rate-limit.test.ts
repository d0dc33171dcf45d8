import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisAvailable, REDIS_URL } from './redis';
import { createTestApp, listen, type Listening, type TestApp } from './utils';

/**
 * Two server instances sharing one rate-limit budget through Redis: what one
 * spends, the other sees. Runs when Redis answers on REDIS_URL (default
 * redis://127.0.0.1:6379); a machine without Redis skips it.
 */
describe('rate limits shared through Redis', () => {
  const instances: Array<{ app: TestApp; http: Listening; url: string }> = [];
  let available = false;
  beforeAll(async () => {
    available = await redisAvailable();
    if (!available) {
      console.log(`Redis not reachable at ${REDIS_URL}: shared rate-limit test skipped.`);
      return;
    }
    const prefix = `spd-test-${randomUUID()}`;
    for (let i = 0; i < 2; i++) {
      const app = await createTestApp({ app: { redisUrl: REDIS_URL, rateLimitPoints: 100, rateLimitWindowSeconds: 60, rateLimitKeyPrefix: prefix } });
      const http = await listen(app);
      instances.push({ app, http, url: http.url });
    }
  });
  afterAll(async () => {
    for (const { app, http } of instances) {
      await http.close();
      await app.close();
    }
  });

  it('a budget spent on one instance is spent on the other', async (context) => {
    if (!available) context.skip();
    const query = JSON.stringify({ query: '{ services(first: 9) { nodes { name } } }' }); // costs 10
    const post = (url: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: query });
    const remaining: number[] = [];
    for (let i = 0; i < 6; i++) {
      const response = await post(instances[i % 2].url);
      expect(response.status).toBe(200);
      remaining.push(Number(response.headers.get('ratelimit-remaining')));
    }
    // One budget, strictly decreasing across both instances.
    expect(remaining).toEqual([90, 80, 70, 60, 50, 40]);
    let status = 200;
    for (let i = 0; i < 10 && status === 200; i++) status = (await post(instances[i % 2].url)).status;
    expect(status).toBe(429);
    expect((await post(instances[0].url)).status).toBe(429);
    expect((await post(instances[1].url)).status).toBe(429);
  });
});
