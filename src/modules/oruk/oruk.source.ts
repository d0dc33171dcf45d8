import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Where an import reads Open Referral UK documents from: a feed over HTTP
 * (its /services pages, then each /services/{id} unless the page already
 * holds fully nested services, and its /taxonomy_terms),
 * a JSON file (one service, a page of them, or a list) or a folder of such
 * files. A feed is read a page at a time, so a large one is never held in
 * memory whole.
 */
export interface FeedSource {
  /** How the records are labelled as imported: the feed's base URL or the file's path. */
  label: string;
  /** Whether this reads a whole feed, so that a service gone from it is archived. */
  whole: boolean;
  /** Every service document, with where it came from (for the report). */
  services(): AsyncIterable<{ doc: unknown; where: string }>;
  /** The feed's taxonomies and taxonomy terms, when it publishes them (a feed over HTTP). */
  taxonomies(): AsyncIterable<unknown>;
  terms(): AsyncIterable<unknown>;
  /** How many services there are to read, when the source can say before reading them. */
  count(): Promise<number | undefined>;
}

export interface HttpOptions {
  /** Requests in flight at once for /services/{id}. */
  concurrency: number;
  timeoutMs: number;
  /** Largest response body accepted. */
  maxBytes: number;
  /** Attempts for a request answered 429 or 5xx, or that failed on the network. */
  attempts: number;
  /** Wait before the first retry; doubled each time (or the answer's Retry-After). */
  backoffMs: number;
}

export const DEFAULT_HTTP: HttpOptions = { concurrency: 8, timeoutMs: 30_000, maxBytes: 20 * 1024 * 1024, attempts: 5, backoffMs: 500 };

export class SourceError extends Error {}

export async function openSource(location: string, http: HttpOptions = DEFAULT_HTTP): Promise<FeedSource> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) {
    const url = new URL(location);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new SourceError(`Only http(s) feeds can be read, not ${url.protocol} (${location}).`);
    return httpSource(location.replace(/\/+$/, ''), http);
  }
  const info = await stat(location).catch(() => {
    throw new SourceError(`There is no file or folder ${location}.`);
  });
  const files = info.isDirectory() ? (await readdir(location)).filter((name) => name.endsWith('.json')).sort().map((name) => join(location, name)) : [location];
  return {
    label: location,
    whole: false,
    async *services() {
      for (const file of files) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(await readFile(file, 'utf8'));
        } catch (error) {
          throw new SourceError(`${file} is not valid JSON: ${(error as Error).message}`);
        }
        const docs = Array.isArray(parsed) ? parsed : isPage(parsed) ? parsed.contents : [parsed];
        for (const [index, doc] of docs.entries()) yield { doc, where: docs.length > 1 ? `${file}[${index}]` : file };
      }
    },
    async *taxonomies() {},
    async *terms() {},
    count: async () => undefined,
  };
}

function isPage(value: unknown): value is { contents: unknown[] } {
  return typeof value === 'object' && value !== null && Array.isArray((value as { contents?: unknown }).contents);
}

function httpSource(base: string, options: HttpOptions): FeedSource {
  const get = (path: string) => fetchJson(`${base}${path}`, options);
  /** Every item of a paged list endpoint. */
  async function* pages(path: string): AsyncIterable<unknown> {
    for (let page = 1; ; page++) {
      const body = await get(`${path}${path.includes('?') ? '&' : '?'}page=${page}&per_page=100`);
      if (!isPage(body)) throw new SourceError(`${base}${path} page ${page} is not a paged list (no "contents").`);
      yield* body.contents;
      const { last_page: last, total_pages: total } = body as { last_page?: boolean; total_pages?: number };
      if (last === true || body.contents.length === 0 || (typeof total === 'number' && page >= total)) return;
    }
  }
  return {
    label: base,
    whole: true,
    async *services() {
      // Each page's services are fetched whole by id, `concurrency` at a time, in the list's order.
      const ids: string[] = [];
      const flush = async function* () {
        const batch = ids.splice(0);
        for (let i = 0; i < batch.length; i += options.concurrency) {
          const docs = await Promise.all(batch.slice(i, i + options.concurrency).map((id) => get(`/services/${encodeURIComponent(id)}`)));
          for (const [j, doc] of docs.entries()) yield { doc, where: `${base}/services/${batch[i + j]}` };
        }
      };
      for await (const item of pages('/services')) {
        const id = (item as { id?: unknown }).id;
        if (typeof id !== 'string') throw new SourceError(`${base}/services lists an item without an id.`);
        // A list of fully nested services (as this directory's own feed serves) needs no second request per service.
        if (Array.isArray((item as { service_at_locations?: unknown }).service_at_locations)) {
          yield* flush();
          yield { doc: item, where: `${base}/services/${id}` };
          continue;
        }
        ids.push(id);
        if (ids.length >= 100) yield* flush();
      }
      yield* flush();
    },
    async *taxonomies() {
      yield* pages('/taxonomies');
    },
    async *terms() {
      yield* pages('/taxonomy_terms');
    },
    async count() {
      const first = (await get('/services?page=1&per_page=1')) as { total_items?: unknown };
      return typeof first.total_items === 'number' ? first.total_items : undefined;
    },
  };
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** GET a JSON document: a timeout and a size cap on each answer; 429, 5xx and network failures retried with backoff. */
export async function fetchJson(url: string, options: HttpOptions): Promise<unknown> {
  for (let attempt = 1; ; attempt++) {
    let retryAfterMs: number | undefined;
    try {
      const response = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(options.timeoutMs), redirect: 'follow' });
      if (response.status === 429 || response.status >= 500) {
        const after = Number(response.headers.get('retry-after'));
        retryAfterMs = Number.isFinite(after) && after > 0 ? Math.min(after * 1000, 60_000) : undefined;
        await response.body?.cancel();
        throw new RetryableError(`${url} answered ${response.status}`);
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw new SourceError(`${url} answered ${response.status}.`);
      }
      const text = await readCapped(response, options.maxBytes, url);
      try {
        return JSON.parse(text);
      } catch {
        throw new SourceError(`${url} did not answer JSON.`);
      }
    } catch (error) {
      if (error instanceof SourceError) throw error;
      if (attempt >= options.attempts) throw new SourceError(`${url} failed ${attempt} times: ${(error as Error).message}`);
      await sleep(retryAfterMs ?? options.backoffMs * 2 ** (attempt - 1));
    }
  }
}

class RetryableError extends Error {}

async function readCapped(response: Response, maxBytes: number, url: string): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (declared > maxBytes) throw new SourceError(`${url} is ${declared} bytes; the limit is ${maxBytes}.`);
  const reader = response.body!.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new SourceError(`${url} is more than ${maxBytes} bytes, the limit.`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
