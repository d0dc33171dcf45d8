/** What the benchmark scripts share to start servers and read their timings. */
import { createServer } from 'node:net';

/** A TCP port free on 127.0.0.1 a moment ago, for a server the script starts. */
export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Waits until `url` answers 2xx (30 s at most), as a started server becomes ready. */
export async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`${url} did not come up`);
}

/** The nearest-rank percentile of the values, in any order (NaN when there are none). */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] : NaN;
}

/**
 * The environment of a server a benchmark starts on `port` over `databaseUrl`: production settings, no logs,
 * no sample data. Ten concurrent deep slices on purpose: the rate limit and the admission bound (one expensive
 * query at a time) are raised out of the way.
 */
export function serverEnv(port: number, databaseUrl: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'silent',
    SEED_WHEN_EMPTY: 'false',
    RATE_LIMIT_POINTS: '1000000000',
    MAX_EXPENSIVE_IN_FLIGHT: '100',
    MAX_EXPENSIVE_QUEUED: '100',
    NODE_ENV: 'production',
  };
}
