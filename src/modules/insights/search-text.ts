/** The longest search text kept; longer text is cut at a word. */
export const MAX_COUNTED_TEXT = 100;

const EMAIL = /\S+@\S+/gu;
const WEB_ADDRESS = /\b(?:https?:\/\/|www\.)\S+/gu;
/** A full UK postcode ("ls7 3ab", "ls73ab"): its district ($1) is kept, the inward code (which narrows it to a street) dropped. */
const FULL_POSTCODE = /\b([a-z]{1,2}\d[a-z\d]?)\s*\d[a-z]{2}\b/gu;
/** Digits with the spacing and signs phone numbers are written with; removed when they hold seven digits or more. */
const NUMBER_LIKE = /\+?\d[\d\s().-]*\d/gu;
const PHONE_DIGITS = 7;
/** What is left of long numbers (NHS numbers, account or case numbers) after phone numbers. */
const DIGIT_RUN = /\d{5,}/gu;
const APOSTROPHES = /['’`]/gu;
const NOT_A_WORD = /[^\p{L}\p{N}]+/gu;
const MARKS = /\p{M}/gu;

/**
 * The text of a search as it is counted: one form for the variants people
 * type ("Walking groups!", " walking   GROUPS"), and nothing that looks like
 * a way to reach or identify someone. Lower case, accents and punctuation
 * dropped, spaces collapsed; email and web addresses, phone numbers and
 * numbers of five digits or more removed; a full postcode reduced to its
 * district. Null when nothing is left.
 *
 * Free text can still hold a name: nothing can tell "john smith" from a
 * service's name, so the README says what is and is not kept.
 */
export function normaliseSearchText(text: string | null | undefined): string | null {
  if (typeof text !== 'string') return null;
  const words = text
    .normalize('NFKD')
    .replace(MARKS, '')
    .toLowerCase()
    .replace(EMAIL, ' ')
    .replace(WEB_ADDRESS, ' ')
    .replace(FULL_POSTCODE, '$1')
    .replace(NUMBER_LIKE, (number) => (number.replace(/\D/g, '').length >= PHONE_DIGITS ? ' ' : number))
    .replace(DIGIT_RUN, ' ')
    .replace(APOSTROPHES, '')
    .replace(NOT_A_WORD, ' ')
    .trim();
  if (words === '') return null;
  if (words.length <= MAX_COUNTED_TEXT) return words;
  const cut = words.slice(0, MAX_COUNTED_TEXT + 1);
  const lastSpace = cut.lastIndexOf(' ');
  return (lastSpace > 0 ? cut.slice(0, lastSpace) : cut.slice(0, MAX_COUNTED_TEXT)).trim();
}
