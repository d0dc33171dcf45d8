/** The words of text, as search reads them (see text-query.ts for the rules). */

/** PostgreSQL's English stopwords (snowball), dropped before either database sees the query. */
export const STOPWORDS = new Set(
  `i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers herself it its itself they them their theirs themselves what which who whom this that these those am is are was were be been being have has had having do does did doing a an the and but if or because as until while of at by for with about against between into through during before after above below to from up down in out on off over under again further then once here there when where why how all any both each few more most other some such no nor not only own same so than too very s t can will just don should now`.split(
    ' ',
  ),
);

/** Splits text into lower-case words: letters and digits; a possessive dropped ("men's" → "men"), another apostrophe joins ("o'neill"). */
export function wordsOf(text: string, max = Infinity): string[] {
  return (text.normalize('NFC').toLowerCase().replace(/(\p{L})['’]s(?!\p{L})/gu, '$1').replace(/(\p{L})['’](\p{L})/gu, '$1$2').match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, max);
}

