/**
 * Configuration comes from the environment and is validated once at start-up;
 * a bad value stops the process with a sentence naming the variable.
 */
export interface Config {
  port: number;
  host: string;
  /** SQLite database file, or ":memory:". */
  sqlitePath: string;
  /** Load the sample directory when the database has no services. */
  seedWhenEmpty: boolean;
  /** Serve the interactive GraphQL playground (Apollo Sandbox) at /graphql. */
  playground: boolean;
  /** NODE_ENV=production: no field suggestions in errors; introspection and playground off unless set on. */
  production: boolean;
  introspection: boolean;
  /** Shared rate-limit budgets across instances; in memory when absent. */
  redisUrl?: string;
  /** Cost points each API key (or address without one) may spend per window. */
  rateLimitPoints: number;
  rateLimitWindowSeconds: number;
  /** A request that is still sending SQL after this long is stopped. */
  requestTimeoutMs: number;
  logLevel: string;
  /** Trust X-Forwarded-For (behind a proxy) for the client address. */
  trustProxy: boolean;
  /** Benchmarks only: false turns DataLoader batching off (the "naive build"). */
  batchLoads: boolean;
}

export class ConfigError extends Error {}

const DEFAULT_DATABASE_URL = 'sqlite:data/directory.sqlite';

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === 'production';
  return {
    port: readPort(env.PORT),
    host: env.HOST?.trim() || '0.0.0.0',
    sqlitePath: readDatabaseUrl(env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL),
    seedWhenEmpty: readBoolean('SEED_WHEN_EMPTY', env.SEED_WHEN_EMPTY, true),
    playground: readBoolean('PLAYGROUND', env.PLAYGROUND, !production),
    production,
    introspection: readBoolean('INTROSPECTION', env.INTROSPECTION, !production),
    redisUrl: readRedisUrl(env.REDIS_URL),
    rateLimitPoints: readInteger('RATE_LIMIT_POINTS', env.RATE_LIMIT_POINTS, 2_000_000, 1, 1e9),
    rateLimitWindowSeconds: readInteger('RATE_LIMIT_WINDOW_SECONDS', env.RATE_LIMIT_WINDOW_SECONDS, 60, 1, 86_400),
    requestTimeoutMs: readInteger('REQUEST_TIMEOUT_MS', env.REQUEST_TIMEOUT_MS, 10_000, 100, 600_000),
    logLevel: readLogLevel(env.LOG_LEVEL),
    trustProxy: readBoolean('TRUST_PROXY', env.TRUST_PROXY, false),
    batchLoads: readBoolean('BATCH_LOADS', env.BATCH_LOADS, true),
  };
}

function readInteger(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const number = Number(value);
  if (!/^\d+$/.test(value.trim()) || number < min || number > max) throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, but it is "${value}".`);
  return number;
}

function readRedisUrl(value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (!/^rediss?:\/\//.test(value.trim())) throw new ConfigError(`REDIS_URL must look like "redis://127.0.0.1:6379", but it is "${value}".`);
  return value.trim();
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function readLogLevel(value: string | undefined): string {
  if (value === undefined || value.trim() === '') return 'info';
  if (!LOG_LEVELS.includes(value.trim())) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, but it is "${value}".`);
  return value.trim();
}

function readPort(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return 4000;
  const port = Number(value);
  if (!/^\d+$/.test(value.trim()) || port < 1 || port > 65535) {
    throw new ConfigError(`PORT must be a whole number from 1 to 65535, but it is "${value}".`);
  }
  return port;
}

function readDatabaseUrl(url: string): string {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (path === '') throw new ConfigError('DATABASE_URL "sqlite:" names no file; use e.g. "sqlite:data/directory.sqlite" or "sqlite::memory:".');
    return path;
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    throw new ConfigError('DATABASE_URL names a PostgreSQL database, which this version does not support yet; use "sqlite:<file>".');
  }
  throw new ConfigError(`DATABASE_URL must look like "sqlite:data/directory.sqlite", but it is "${url}".`);
}

function readBoolean(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value.trim() === '') return fallback;
  const normalised = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(normalised)) return true;
  if (['0', 'false', 'no', 'off'].includes(normalised)) return false;
  throw new ConfigError(`${name} must be true or false, but it is "${value}".`);
}
