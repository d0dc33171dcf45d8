import { DEFAULT_CAPACITY } from '../src/limits/limits';
import { describe, expect, it } from 'vitest';
import { ConfigError, describeDatabase, readConfig, readDatabaseOption } from '../src/config';

describe('configuration', () => {
  it('has working defaults', () => {
    expect(readConfig({})).toEqual({
      port: 4000,
      host: '0.0.0.0',
      database: { kind: 'sqlite', path: 'data/directory.sqlite' },
      seedWhenEmpty: true,
      playground: true,
      apolloSandbox: false,
      production: false,
      introspection: true,
      redisUrl: undefined,
      rateLimitPoints: 2_000_000,
      rateLimitWindowSeconds: 60,
      requestTimeoutMs: 10_000,
      logLevel: 'info',
      trustProxy: false,
      batchLoads: true,
      capacity: DEFAULT_CAPACITY,
      cursorSecret: undefined,
      capacityStaleDays: 30,
      heapGrowthPercent: 100,
      compiledReads: true,
      cacheMaxAgeSeconds: 30,
      persistedQueries: true,
      persistedQueryBytes: 8 * 1024 * 1024,
      problemReportsPerHour: 5,
      review: { intervalDays: 183, graceDays: 91, hideStale: false },
      mail: { smtpUrl: undefined, from: 'Social prescribing directory <directory@localhost>', publicUrl: 'http://localhost:4000', linkDays: 30 },
      reminderEveryHours: 0,
      searchInsights: true,
      searchInsightsRetentionMonths: 13,
      pages: { mapTileUrl: undefined, mapTileAttribution: undefined },
    });
  });

  it('reads the map tile settings, and names a bad one before anything is opened', () => {
    expect(readConfig({ MAP_TILE_URL: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png' }).pages).toEqual({ mapTileUrl: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png', mapTileAttribution: undefined });
    expect(() => readConfig({ MAP_TILE_URL: 'https://tile.example.org/tiles.png' })).toThrow(ConfigError);
    expect(() => readConfig({ MAP_TILE_URL: 'https://tile.example.org/tiles.png' })).toThrow(/MAP_TILE_URL must be an http\(s\) URL template with \{z\}, \{x\} and \{y\}/);
    expect(() => readConfig({ MAP_TILE_ATTRIBUTION: 'x'.repeat(301) })).toThrow(/MAP_TILE_ATTRIBUTION must be at most 300 characters/);
  });

  it('reads the capacity limits and the cursor secret, and names a bad one', () => {
    expect(readConfig({ MAX_QUERY_COST: '50000', MAX_EXPENSIVE_IN_FLIGHT: '2', MAX_RESPONSE_MB: '4' }).capacity).toMatchObject({ maxCost: 50_000, maxExpensiveInFlight: 2, maxResponseBytes: 4 * 1024 * 1024 });
    expect(() => readConfig({ MAX_EXPENSIVE_IN_FLIGHT: '0' })).toThrow(/MAX_EXPENSIVE_IN_FLIGHT must be a whole number from 1/);
    expect(() => readConfig({ CURSOR_SECRET: 'too short' })).toThrow(/CURSOR_SECRET must be at least 32 characters long \(it is 9\)/);
    expect(readConfig({ CAPACITY_STALE_DAYS: '14' }).capacityStaleDays).toBe(14);
    expect(() => readConfig({ CAPACITY_STALE_DAYS: '0' })).toThrow(/CAPACITY_STALE_DAYS must be a whole number from 1 to 3650, but it is "0"/);
    expect(readConfig({ HEAP_GROWTH_PERCENT: '0' }).heapGrowthPercent).toBe(0);
    expect(() => readConfig({ HEAP_GROWTH_PERCENT: 'lots' })).toThrow(/HEAP_GROWTH_PERCENT must be a whole number from 0 to 400, but it is "lots"/);
  });

  it('reads the HTTP caching settings, and names a bad one', () => {
    expect(readConfig({ CACHE_MAX_AGE_SECONDS: '0', PERSISTED_QUERIES: 'false', PERSISTED_QUERY_CACHE_MB: '2' })).toMatchObject({ cacheMaxAgeSeconds: 0, persistedQueries: false, persistedQueryBytes: 2 * 1024 * 1024 });
    expect(() => readConfig({ CACHE_MAX_AGE_SECONDS: '-5' })).toThrow(/CACHE_MAX_AGE_SECONDS must be a whole number from 0 to 86400, but it is "-5"/);
    expect(() => readConfig({ PERSISTED_QUERY_CACHE_MB: '0' })).toThrow(/PERSISTED_QUERY_CACHE_MB must be a whole number from 1 to 1024/);
  });

  it('reads PORT, DATABASE_URL and switches', () => {
    const config = readConfig({ PORT: '8080', DATABASE_URL: 'sqlite::memory:', SEED_WHEN_EMPTY: 'false', NODE_ENV: 'production' });
    expect(config).toMatchObject({ port: 8080, database: { kind: 'sqlite', path: ':memory:' }, seedWhenEmpty: false, playground: false, production: true, introspection: false });
    expect(readConfig({ NODE_ENV: 'production', INTROSPECTION: 'true', REDIS_URL: 'redis://127.0.0.1:6379' })).toMatchObject({ introspection: true, redisUrl: 'redis://127.0.0.1:6379' });
    expect(readConfig({ APOLLO_SANDBOX: 'true' })).toMatchObject({ playground: true, apolloSandbox: true });
    expect(() => readConfig({ APOLLO_SANDBOX: 'sandbox' })).toThrow(/APOLLO_SANDBOX must be true or false, but it is "sandbox"/);
    expect(readConfig({ COMPILED_READS: 'false' })).toMatchObject({ compiledReads: false });
    expect(() => readConfig({ COMPILED_READS: 'sometimes' })).toThrow(/COMPILED_READS must be true or false, but it is "sometimes"/);
  });

  it('reads a PostgreSQL DATABASE_URL, and never prints its password', () => {
    const url = 'postgres://directory:s3cret@db.example:5432/directory';
    expect(readConfig({ DATABASE_URL: url }).database).toEqual({ kind: 'postgresql', url });
    expect(readConfig({ DATABASE_URL: 'postgresql://postgres@127.0.0.1/test' }).database.kind).toBe('postgresql');
    expect(describeDatabase({ kind: 'postgresql', url })).toBe('postgres://directory:***@db.example:5432/directory');
    expect(() => readConfig({ DATABASE_URL: 'postgres://directory:s3cret@db.example:5432' })).toThrow(/must name a host and a database.*directory:\*\*\*@/);
    expect(readConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test?schema=directory_2' }).database).toEqual({
      kind: 'postgresql',
      url: 'postgres://postgres@127.0.0.1:5432/test',
      schema: 'directory_2',
    });
    expect(() => readConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test?schema=x;drop' })).toThrow(/schema "x;drop"/);
  });

  it('takes a --database path or URL on the command line', () => {
    expect(readDatabaseOption('data/x.sqlite')).toEqual({ kind: 'sqlite', path: 'data/x.sqlite' });
    expect(readDatabaseOption('sqlite::memory:')).toEqual({ kind: 'sqlite', path: ':memory:' });
    expect(readDatabaseOption('postgres://postgres@127.0.0.1:5432/test')).toEqual({ kind: 'postgresql', url: 'postgres://postgres@127.0.0.1:5432/test' });
    expect(() => readDatabaseOption('postgres://')).toThrow(/--database/);
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT must be a whole number/],
    [{ PORT: '70000' }, /PORT must be a whole number/],
    [{ PORT: '-1' }, /PORT/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must look like/],
    [{ DATABASE_URL: 'sqlite:' }, /DATABASE_URL "sqlite:" names no file/],
    [{ DATABASE_URL: 'postgres://localhost' }, /DATABASE_URL must name a host and a database/],
    [{ SEED_WHEN_EMPTY: 'maybe' }, /SEED_WHEN_EMPTY must be true or false/],
    [{ REDIS_URL: 'localhost:6379' }, /REDIS_URL must look like/],
    [{ RATE_LIMIT_POINTS: '0' }, /RATE_LIMIT_POINTS must be a whole number/],
    [{ REQUEST_TIMEOUT_MS: 'soon' }, /REQUEST_TIMEOUT_MS/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of/],
  ])('refuses %o with a sentence naming the variable', (env, message) => {
    expect(() => readConfig(env)).toThrow(ConfigError);
    expect(() => readConfig(env)).toThrow(message);
  });
});
