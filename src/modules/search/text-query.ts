import { distance } from 'fastest-levenshtein';
import { BadUserInputError } from '../../errors';
import type { Lexicon } from './lexicon';
import { STOPWORDS, wordsOf } from './words';

/**
 * How a person's words become a search, the same on SQLite and PostgreSQL
 * (the README's search rules):
 *
 * 1. words are letters and digits, lower case, accents kept for the index to
 *    fold; a possessive is dropped ("men's" is "men");
 * 2. common words (PostgreSQL's English stopword list, applied here for both
 *    databases) are dropped; a query made only of them is BAD_USER_INPUT;
 * 3. a word or phrase in a synonym group is replaced by the whole group,
 *    any of which may match ("talking therapy" finds counselling);
 * 4. a word of 5 or more letters the directory does not use is replaced by
 *    the words it does use within one edit ("gardning" finds gardening);
 * 5. the last word matches as a prefix ("gard" finds gardening), unless
 *    it has fewer than 3 letters;
 * 6. a word that is a hub's town ("leeds") is a place: it matches a
 *    service's own text or a service at a hub in that town, and does not
 *    count towards relevance, so the service's own words rank it.
 * Every group must match (AND); the alternatives of one group are OR.
 */

export const MAX_TEXT_LENGTH = 200;
const MAX_WORDS = 20;
/** Words shorter than this are never corrected: too many neighbours one edit away. */
const TYPO_MIN_LENGTH = 5;
const PREFIX_MIN_LENGTH = 3;
/** At most this many corrections per word, closest and most used first. */
const MAX_CORRECTIONS = 5;

/** One way to match: one or more words, all of which must be in the service's text; the last word of the query may be a prefix. */
export interface Alternative {
  words: string[];
  prefix: boolean;
}

/** Any of these must match. */
export interface TermGroup {
  alternatives: Alternative[];
  /** A town: matched by text or by a hub there, and left out of the relevance rank. */
  place?: string;
}

/** A text search read and expanded: every group must match. */
export interface TextQuery {
  groups: TermGroup[];
  /** The words as typed (after dropping stopwords), for the LIKE-scan baseline and for logs. */
  words: string[];
}

/** Reads `text` (at most 200 characters) into a query, with the lexicon's synonyms, vocabulary and towns. */
export function readTextQuery(text: string, argument: string, lexicon: Lexicon): TextQuery {
  if (text.length > MAX_TEXT_LENGTH) throw new BadUserInputError(argument, `must be at most ${MAX_TEXT_LENGTH} characters (got ${text.length}).`);
  const all = wordsOf(text, MAX_WORDS * 2);
  if (all.length === 0) throw new BadUserInputError(argument, 'must contain at least one letter or digit.');
  const words = all.filter((word) => !STOPWORDS.has(word)).slice(0, MAX_WORDS);
  if (words.length === 0) {
    throw new BadUserInputError(argument, `is made only of common words (${all.slice(0, 5).map((w) => `"${w}"`).join(', ')}), which every service uses: say what the person is looking for.`);
  }
  const groups: TermGroup[] = [];
  for (let i = 0; i < words.length; ) {
    const last = (length: number) => i + length === words.length;
    const synonym = longestSynonym(words, i, lexicon);
    if (synonym) {
      groups.push({ alternatives: synonym.group.map((phrase) => ({ words: phrase, prefix: false })) });
      i += synonym.length;
      continue;
    }
    const word = words[i];
    const prefix = last(1) && word.length >= PREFIX_MIN_LENGTH && !/^\d+$/.test(word);
    const town = lexicon.towns.has(word) ? word : undefined;
    groups.push({ alternatives: alternativesOf(word, prefix, lexicon), ...(town ? { place: town } : {}) });
    i += 1;
  }
  return { groups, words };
}

/** The longest phrase starting at `start` that is a term of a synonym group. */
function longestSynonym(words: string[], start: number, lexicon: Lexicon): { group: string[][]; length: number } | undefined {
  for (let length = Math.min(4, words.length - start); length >= 1; length--) {
    const group = lexicon.synonyms.get(words.slice(start, start + length).join(' '));
    if (group) return { group, length };
  }
  return undefined;
}

/** The word itself, or, if the directory never uses it (nor, as the last word, anything it begins), the words one edit away. */
function alternativesOf(word: string, prefix: boolean, lexicon: Lexicon): Alternative[] {
  const itself = [{ words: [word], prefix }];
  if (word.length < TYPO_MIN_LENGTH || /\d/.test(word) || lexicon.vocabulary.has(word)) return itself;
  if (prefix && lexicon.hasPrefix(word)) return itself;
  const near = lexicon.wordsNear(word, (candidate) => distance(word, candidate) <= 1).slice(0, MAX_CORRECTIONS);
  if (near.length === 0) return itself;
  // A correction that is a synonym brings its group ("councelling" → counselling → talking therapy).
  const phrases = near.flatMap((candidate) => lexicon.synonyms.get(candidate) ?? [[candidate]]);
  const unique = new Map(phrases.map((words) => [words.join(' '), words]));
  return [...unique.values()].map((words) => ({ words, prefix: false }));
}
