import type { Knex } from '@mikro-orm/knex';
import { STOPWORDS, wordsOf } from './words';

/**
 * What text search knows of the directory's words: the synonym groups, the
 * words services, providers, categories, criteria and hubs use (for typo
 * correction), and the towns of hubs (places). Read from the database and
 * kept per database, refreshed after LEXICON_TTL_MS (see lexiconOf), so a
 * search costs no extra statement; a synonym change made through this server
 * is seen at once (forgetLexicon), one made elsewhere within a minute or so.
 */
export interface Lexicon {
  /** Each term ("talking therapy") → every phrase of its group, as words. */
  synonyms: Map<string, string[][]>;
  vocabulary: Set<string>;
  towns: Set<string>;
  /** Whether some directory word starts with this. */
  hasPrefix(prefix: string): boolean;
  /** Directory words of about this word's length that pass `near`, most used first. */
  wordsNear(word: string, near: (candidate: string) => boolean): string[];
}

export const LEXICON_TTL_MS = 60_000;

const cache = new WeakMap<object, { at: number; lexicon: Promise<Lexicon>; refreshing?: boolean }>();

/**
 * The lexicon of this database. Reading it walks every service's text (about
 * 0.3 to 0.5 s over 50,000 services), so only the first search of a process
 * waits for it: after LEXICON_TTL_MS, searches keep using the one they have
 * while a fresh one is read.
 */
export function lexiconOf(knex: Knex, now = Date.now()): Promise<Lexicon> {
  const key = knex.client as object;
  const cached = cache.get(key);
  if (cached && (now - cached.at < LEXICON_TTL_MS || cached.refreshing)) return cached.lexicon;
  const lexicon = readLexicon(knex);
  if (!cached) {
    cache.set(key, { at: now, lexicon });
    // A failed first read is not kept: the next search tries again.
    lexicon.catch(() => cache.delete(key));
    return lexicon;
  }
  cached.refreshing = true;
  lexicon.then(
    () => cache.set(key, { at: Date.now(), lexicon }),
    () => cache.set(key, { ...cached, at: Date.now(), refreshing: false }),
  );
  return cached.lexicon;
}

/** After a synonym change: the next search reads the lexicon afresh. */
export function forgetLexicon(em: { getKnex(): Knex }): void {
  cache.delete(em.getKnex().client as object);
}

/** Terms as stored and matched: words of the phrase, lower case, stopwords dropped ("The Men's Shed" → "men shed"). */
export function normaliseTerm(term: string): string {
  return wordsOf(term)
    .filter((word) => !STOPWORDS.has(word))
    .join(' ');
}

async function readLexicon(knex: Knex): Promise<Lexicon> {
  const [groups, texts, hubTowns] = await Promise.all([
    knex.from('synonym_group').select('terms'),
    knex.raw(
      `select name as text from service union all select description from service where status = 'ACTIVE'
       union all select name from provider union all select name from category union all select label from eligibility_criterion
       union all select name from hub`,
    ),
    knex.from('hub').distinct('town'),
  ]);
  const synonyms = new Map<string, string[][]>();
  for (const { terms } of groups as Array<{ terms: string }>) {
    const phrases = [...new Set(terms.split('\n').map(normaliseTerm).filter(Boolean))];
    const group = phrases.map((phrase) => phrase.split(' '));
    for (const phrase of phrases) synonyms.set(phrase, group);
  }
  const towns = (hubTowns as Array<{ town: string }>).map((row) => wordsOf(row.town));
  const rows: Array<{ text: string | null }> = [...(Array.isArray(texts) ? texts : texts.rows), ...towns.map((words) => ({ text: words.join(' ') }))];
  const counts = new Map<string, number>();
  // Numbers are never corrected (text-query.ts), so they are not kept: a directory numbers many things.
  for (const { text } of rows) for (const word of wordsOf(text ?? '')) if (!/^\d+$/.test(word)) counts.set(word, (counts.get(word) ?? 0) + 1);
  const byLength = new Map<number, string[]>();
  for (const word of [...counts.keys()].sort((a, b) => counts.get(b)! - counts.get(a)! || (a < b ? -1 : 1))) {
    const list = byLength.get(word.length) ?? [];
    list.push(word);
    byLength.set(word.length, list);
  }
  const sorted = [...counts.keys()].sort();
  return {
    synonyms,
    vocabulary: new Set(counts.keys()),
    // One-word towns only, for now: "milton keynes" is not yet a place.
    towns: new Set(towns.filter((words) => words.length === 1).map(([town]) => town)),
    hasPrefix(prefix) {
      let low = 0;
      let high = sorted.length;
      while (low < high) {
        const mid = (low + high) >> 1;
        if (sorted[mid] < prefix) low = mid + 1;
        else high = mid;
      }
      return low < sorted.length && sorted[low].startsWith(prefix);
    },
    wordsNear(word, near) {
      return [word.length - 1, word.length, word.length + 1].flatMap((length) => (byLength.get(length) ?? []).filter(near));
    },
  };
}
