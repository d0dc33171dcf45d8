import { DEFAULT_CAPACITY, type CapacityLimits } from './limits/limits';
import { DEFAULT_CAPACITY_STALE_DAYS } from './modules/service/capacity';
import { DEFAULT_PROBLEM_REPORTS_PER_HOUR } from './modules/report/problem-report.limit';
import { DEFAULT_REVIEW_POLICY, type ReviewPolicy } from './modules/service/review-policy';
import { DEFAULT_PERSISTED_QUERY_BYTES, DEFAULT_PUBLIC_MAX_AGE_SECONDS } from './http/caching';
import { DEFAULT_RETENTION_MONTHS, MAX_RETENTION_MONTHS } from './modules/insights/insights.defaults';

/**
 * Configuration comes from the environment and is validated once at start-up;
 * a bad value stops the process with a sentence naming the variable.
 */
export interface Config {
  port: number;
  host: string;
  /** Where the directory is kept: an SQLite file (the default) or a PostgreSQL database. */
  database: DatabaseTarget;
  /** Load the sample directory when the database has no services. */
  seedWhenEmpty: boolean;
  /** Serve the interactive GraphQL playground at /graphql: GraphiQL, bundled with the pages (web/playground). */
  playground: boolean;
  /** The playground is Apollo Sandbox (loaded from Apollo's CDN) instead of the bundled GraphiQL. */
  apolloSandbox: boolean;
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
  /** Queries the read compiler knows in full are answered by one statement building their JSON (modules/compiled); false: every query field by field. */
  compiledReads: boolean;
  /** Query cost limit and admission control, sized against the heap cap (see limits.ts and the README). */
  capacity: CapacityLimits;
  /**
   * How far V8 lets the heap grow past what the last full collection kept alive before it collects again (its
   * --heap-growing-percent, set by server.ts at start); 0: V8's own rule, which on a machine with a large heap cap lets
   * the heap grow to 4 times the live objects.
   */
  heapGrowthPercent: number;
  /** Signs cursors; when absent, a secret made once and stored in the database (so instances agree). */
  cursorSecret?: string;
  /** A service's capacity (taking referrals or not) said longer ago than this reads as UNKNOWN. */
  capacityStaleDays: number;
  /** max-age of an anonymous GET query's answer (Cache-Control: public); 0: not cached. See src/http/caching.ts. */
  cacheMaxAgeSeconds: number;
  /** Automatic persisted queries (a query sent once, then by its SHA-256 hash). */
  persistedQueries: boolean;
  /** In memory (no REDIS_URL): the most the persisted documents may take. */
  persistedQueryBytes: number;
  /** Problem reports (reportProblem) one client address may send per hour: a limit of its own, apart from the query budget. */
  problemReportsPerHour: number;
  /** The review cycle: how long a verified listing is trusted, the grace before it is stale, and whether stale ones are hidden. */
  review: ReviewPolicy;
  /** Review reminders: the SMTP server (absent: `npm run reminders` prints what it would send), the From address, and the site links point to. */
  mail: MailConfig;
  /** Send review reminders from inside the server every this many hours; 0 (the default): only `npm run reminders` sends them. */
  reminderEveryHours: number;
  /** Count what people search for (without personal data; see modules/insights). */
  searchInsights: boolean;
  /** Search counts of weeks that started longer ago than this are removed. */
  searchInsightsRetentionMonths: number;
  /** The pages' map (src/http/pages.ts). */
  pages: PagesConfig;
}

export interface PagesConfig {
  /** MAP_TILE_URL: a Leaflet tile URL template (`https://tile.example.org/{z}/{x}/{y}.png`); unset, the map shows markers only. */
  mapTileUrl?: string;
  /** MAP_TILE_ATTRIBUTION: the tiles' credit, shown on the map; default "© OpenStreetMap contributors". */
  mapTileAttribution?: string;
}

export interface MailConfig {
  /** `smtp://user:password@host:587` or `smtps://...:465`. */
  smtpUrl?: string;
  from: string;
  /** Where the server is reached from outside, e.g. https://directory.example.org: the start of the links in emails. */
  publicUrl: string;
  /** How long a confirmation link in a reminder works. */
  linkDays: number;
}

export type DatabaseTarget =
  /** A file, or ":memory:". */
  | { kind: 'sqlite'; path: string }
  /** A `postgres://` URL; `schema` keeps the tables in a schema of their own (tests use one per app). */
  | { kind: 'postgresql'; url: string; schema?: string };

export class ConfigError extends Error {}

/** MAP_TILE_URL and MAP_TILE_ATTRIBUTION: a bad value stops the server at start-up with a sentence naming it. */
export function readPagesConfig(env: NodeJS.ProcessEnv = process.env): PagesConfig {
  const mapTileUrl = env.MAP_TILE_URL?.trim() || undefined;
  if (mapTileUrl !== undefined) tileOrigin(mapTileUrl);
  const mapTileAttribution = env.MAP_TILE_ATTRIBUTION?.trim() || undefined;
  if (mapTileAttribution && mapTileAttribution.length > 300) throw new ConfigError('MAP_TILE_ATTRIBUTION must be at most 300 characters.');
  return { mapTileUrl, mapTileAttribution };
}

/** The origin a tile template loads from, for the pages' CSP (img-src); `{s}` subdomains become a wildcard. */
export function tileOrigin(template: string): string {
  const problem = `MAP_TILE_URL must be an http(s) URL template with {z}, {x} and {y}, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png; it is "${template}".`;
  if (!['{z}', '{x}', '{y}'].every((part) => template.includes(part))) throw new ConfigError(problem);
  let url: URL;
  try {
    url = new URL(template.replace(/\{s\}/g, 'a').replace(/\{[a-z]+\}/g, '0'));
  } catch {
    throw new ConfigError(problem);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError(problem);
  const host = template.slice(template.indexOf('//') + 2).split(/[/?#]/)[0];
  return `${url.protocol}//${host.replace(/^\{s\}\./, '*.').toLowerCase()}`;
}

const DEFAULT_DATABASE_URL = 'sqlite:data/directory.sqlite';

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === 'production';
  return {
    port: readPort(env.PORT),
    host: env.HOST?.trim() || '0.0.0.0',
    database: readDatabaseUrl(env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL),
    seedWhenEmpty: readBoolean('SEED_WHEN_EMPTY', env.SEED_WHEN_EMPTY, true),
    playground: readBoolean('PLAYGROUND', env.PLAYGROUND, !production),
    apolloSandbox: readBoolean('APOLLO_SANDBOX', env.APOLLO_SANDBOX, false),
    production,
    introspection: readBoolean('INTROSPECTION', env.INTROSPECTION, !production),
    redisUrl: readRedisUrl(env.REDIS_URL),
    rateLimitPoints: readInteger('RATE_LIMIT_POINTS', env.RATE_LIMIT_POINTS, 2_000_000, 1, 1e9),
    rateLimitWindowSeconds: readInteger('RATE_LIMIT_WINDOW_SECONDS', env.RATE_LIMIT_WINDOW_SECONDS, 60, 1, 86_400),
    requestTimeoutMs: readInteger('REQUEST_TIMEOUT_MS', env.REQUEST_TIMEOUT_MS, 10_000, 100, 600_000),
    logLevel: readLogLevel(env.LOG_LEVEL),
    trustProxy: readBoolean('TRUST_PROXY', env.TRUST_PROXY, false),
    batchLoads: readBoolean('BATCH_LOADS', env.BATCH_LOADS, true),
    compiledReads: readBoolean('COMPILED_READS', env.COMPILED_READS, true),
    heapGrowthPercent: readInteger('HEAP_GROWTH_PERCENT', env.HEAP_GROWTH_PERCENT, 100, 0, 400),
    capacity: {
      ...DEFAULT_CAPACITY,
      maxCost: readInteger('MAX_QUERY_COST', env.MAX_QUERY_COST, DEFAULT_CAPACITY.maxCost, 100, 10_000_000),
      maxExpensiveInFlight: readInteger('MAX_EXPENSIVE_IN_FLIGHT', env.MAX_EXPENSIVE_IN_FLIGHT, DEFAULT_CAPACITY.maxExpensiveInFlight, 1, 1_000),
      maxExpensiveQueued: readInteger('MAX_EXPENSIVE_QUEUED', env.MAX_EXPENSIVE_QUEUED, DEFAULT_CAPACITY.maxExpensiveQueued, 0, 10_000),
      maxResponseBytes: readInteger('MAX_RESPONSE_MB', env.MAX_RESPONSE_MB, DEFAULT_CAPACITY.maxResponseBytes / MB, 1, 1_024) * MB,
    },
    cursorSecret: readSecret('CURSOR_SECRET', env.CURSOR_SECRET),
    capacityStaleDays: readInteger('CAPACITY_STALE_DAYS', env.CAPACITY_STALE_DAYS, DEFAULT_CAPACITY_STALE_DAYS, 1, 3650),
    cacheMaxAgeSeconds: readInteger('CACHE_MAX_AGE_SECONDS', env.CACHE_MAX_AGE_SECONDS, DEFAULT_PUBLIC_MAX_AGE_SECONDS, 0, 86_400),
    persistedQueries: readBoolean('PERSISTED_QUERIES', env.PERSISTED_QUERIES, true),
    persistedQueryBytes: readInteger('PERSISTED_QUERY_CACHE_MB', env.PERSISTED_QUERY_CACHE_MB, DEFAULT_PERSISTED_QUERY_BYTES / MB, 1, 1_024) * MB,
    problemReportsPerHour: readInteger('PROBLEM_REPORTS_PER_HOUR', env.PROBLEM_REPORTS_PER_HOUR, DEFAULT_PROBLEM_REPORTS_PER_HOUR, 1, 10_000),
    review: {
      intervalDays: readInteger('REVIEW_INTERVAL_DAYS', env.REVIEW_INTERVAL_DAYS, DEFAULT_REVIEW_POLICY.intervalDays, 1, 3650),
      graceDays: readInteger('REVIEW_GRACE_DAYS', env.REVIEW_GRACE_DAYS, DEFAULT_REVIEW_POLICY.graceDays, 0, 3650),
      hideStale: readBoolean('HIDE_STALE_SERVICES', env.HIDE_STALE_SERVICES, DEFAULT_REVIEW_POLICY.hideStale),
    },
    mail: {
      smtpUrl: readSmtpUrl(env.SMTP_URL),
      from: env.MAIL_FROM?.trim() || DEFAULT_MAIL.from,
      publicUrl: readPublicUrl(env.PUBLIC_URL, readPort(env.PORT)),
      linkDays: readInteger('REVIEW_LINK_DAYS', env.REVIEW_LINK_DAYS, DEFAULT_MAIL.linkDays, 1, 365),
    },
    reminderEveryHours: readInteger('REMINDERS_EVERY_HOURS', env.REMINDERS_EVERY_HOURS, 0, 0, 720),
    searchInsights: readBoolean('SEARCH_INSIGHTS', env.SEARCH_INSIGHTS, true),
    searchInsightsRetentionMonths: readInteger('SEARCH_INSIGHTS_RETENTION_MONTHS', env.SEARCH_INSIGHTS_RETENTION_MONTHS, DEFAULT_RETENTION_MONTHS, 1, MAX_RETENTION_MONTHS),
    pages: readPagesConfig(env),
  };
}

const MB = 1024 * 1024;
const DEFAULT_PORT = 4000;
/** The mail settings with no variable set (createApp's default when it is given none). */
export const DEFAULT_MAIL: Omit<MailConfig, 'smtpUrl'> = {
  from: 'Social prescribing directory <directory@localhost>',
  publicUrl: `http://localhost:${DEFAULT_PORT}`,
  linkDays: 30,
};

function readSmtpUrl(value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (!/^smtps?:\/\/[^/]/.test(value.trim())) throw new ConfigError(`SMTP_URL must look like "smtp://user:password@smtp.example.org:587", but it is "${redactPassword(value)}".`);
  return value.trim();
}

function readPublicUrl(value: string | undefined, port: number): string {
  if (value === undefined || value.trim() === '') return port === DEFAULT_PORT ? DEFAULT_MAIL.publicUrl : `http://localhost:${port}`;
  const url = value.trim().replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+/.test(url)) throw new ConfigError(`PUBLIC_URL must be the address people reach the server at, like "https://directory.example.org", but it is "${value}".`);
  return url;
}

function readSecret(name: string, value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (value.length < 32) throw new ConfigError(`${name} must be at least 32 characters long (it is ${value.length}); e.g. the output of "openssl rand -base64 32".`);
  return value;
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
  if (value === undefined || value.trim() === '') return DEFAULT_PORT;
  const port = Number(value);
  if (!/^\d+$/.test(value.trim()) || port < 1 || port > 65535) {
    throw new ConfigError(`PORT must be a whole number from 1 to 65535, but it is "${value}".`);
  }
  return port;
}

/** `sqlite:<file>`, `sqlite::memory:` or `postgres://user@host:port/database[?schema=name]`. */
export function readDatabaseUrl(url: string, name = 'DATABASE_URL'): DatabaseTarget {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (path === '') throw new ConfigError(`${name} "sqlite:" names no file; use e.g. "sqlite:data/directory.sqlite" or "sqlite::memory:".`);
    return { kind: 'sqlite', path };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ConfigError(`${name} is not a valid URL: "${redactPassword(url)}".`);
    }
    if (!parsed.hostname || parsed.pathname.length <= 1) {
      throw new ConfigError(`${name} must name a host and a database, like "postgres://postgres@127.0.0.1:5432/directory", but it is "${redactPassword(url)}".`);
    }
    // `?schema=name` keeps the directory's tables in that schema (created if missing) instead of `public`.
    const schema = parsed.searchParams.get('schema');
    if (schema === null) return { kind: 'postgresql', url };
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
      throw new ConfigError(`${name} names the schema "${schema}"; a schema name is letters, digits and underscores, not starting with a digit.`);
    }
    parsed.searchParams.delete('schema');
    return { kind: 'postgresql', url: parsed.toString(), schema };
  }
  throw new ConfigError(`${name} must look like "sqlite:data/directory.sqlite" or "postgres://user@host:5432/database", but it is "${redactPassword(url)}".`);
}

/** A command-line `--database`: a database URL, or else the path of an SQLite file. */
export function readDatabaseOption(value: string): DatabaseTarget {
  return /^(sqlite:|postgres(ql)?:\/\/)/.test(value) ? readDatabaseUrl(value, '--database') : { kind: 'sqlite', path: value };
}

/** A database URL fit for logs and error messages: the password replaced by "***". */
export function redactPassword(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*):[^@]*@/i, '$1:***@');
}

/** How a database target is named in logs, without a password. */
export function describeDatabase(target: DatabaseTarget): string {
  return target.kind === 'sqlite' ? `sqlite:${target.path}` : redactPassword(target.url) + (target.schema ? ` (schema ${target.schema})` : '');
}

function readBoolean(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value.trim() === '') return fallback;
  const normalised = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(normalised)) return true;
  if (['0', 'false', 'no', 'off'].includes(normalised)) return false;
  throw new ConfigError(`${name} must be true or false, but it is "${value}".`);
}
