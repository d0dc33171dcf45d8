import { normalisePostcode, outwardCodeOf } from '../place/postcode';
import type { SearchCounter } from './search-counter';
import { normaliseSearchText } from './search-text';

/** What of a `services(...)` search is counted, as the search read it (its arguments already checked). */
export interface SearchFacts {
  /** `filter.text` as typed. */
  text?: string | null;
  /** `near.postcode` as given; a search near coordinates gives none (its district is not counted). */
  postcode?: string | null;
  /** The category ids asked for (`filter.categoryIds`, decoded). */
  categoryIds?: readonly number[];
  /** Paging: only a search's first page is counted, not each `after` page. */
  page: { first?: number | null; after?: string | null };
  /** The request's time (its week). */
  at: Date;
}

/** The answer of the search: its first page, and its total (a number when the request computed it already). */
interface SearchAnswer {
  nodes: readonly unknown[];
  totalCount: number | Promise<number>;
}

/**
 * Counts an answered search (service.resolver.ts calls it): its first page
 * only, with whether it found nothing. An empty first page means no results,
 * so no count is run for that; only `first: 0` needs the total. Counting
 * never fails the search.
 */
export async function countSearch(counter: SearchCounter, facts: SearchFacts, answer: SearchAnswer): Promise<void> {
  if (!counter.enabled || facts.page.after) return;
  try {
    const zeroResults = answer.nodes.length === 0 && (facts.page.first !== 0 || (await answer.totalCount) === 0);
    counter.count(
      {
        text: normaliseSearchText(facts.text) ?? '',
        // The district alone: "LS7 3AB" is counted as LS7. The postcode was checked by the search.
        district: facts.postcode ? outwardCodeOf(normalisePostcode(facts.postcode, 'near.postcode')) : '',
        categories: [...new Set(facts.categoryIds ?? [])].sort((a, b) => a - b).join(','),
        zeroResults,
      },
      facts.at,
    );
  } catch (error) {
    counter.countFailed(error);
  }
}
