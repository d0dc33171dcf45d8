import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useQuery } from '@urql/preact';
import type { CombinedError } from '@urql/core';
import { Link, navigate } from '../shared/router';
import { capacityText, formatDate, formatDayTime, REACH_LABELS, summary } from '../shared/format';
import { CRITERIA_QUERY, SEARCH_QUERY, type CriteriaResult, type SearchResult } from './queries';
import { EMPTY_SEARCH, hasSearch, isPostcode, moreFiltersCount, PAGE_SIZE, RADII_KM, readSearch, toVariables, writeSearch, type SearchState } from './search-state';
import { ResultsMap, type MapMarker } from './results-map';
import { MoreFilters, type FilterEdits } from './more-filters';
import { describeSearch } from './filter-labels';
import { PrintButton, ShortlistToggle } from './shortlist-controls';

/** On a phone the filters start folded, so the results are not pushed below a long list. */
const wideScreen = () => window.matchMedia('(min-width: 60rem)').matches;

/** How long typing must pause before the results follow it: one request per pause, not per key. */
export const TYPING_PAUSE_MS = 300;
/** Fewer letters than this search nothing yet (the search rules read a last word of 3 letters or more as a prefix). */
const MIN_TYPED = 3;

type Edge = NonNullable<SearchResult['services']>['edges'][number];

/** The error a person can act on, and the field it belongs to (the place, or the search as a whole). */
function describeError(error: CombinedError | undefined): { place?: string; general?: string } {
  if (!error) return {};
  const first = error.graphQLErrors[0];
  if (!first) return { general: 'The directory could not be reached. Check your connection and try again.' };
  const field = first.extensions?.field;
  if (typeof field === 'string' && field.startsWith('near')) return { place: 'We could not find that postcode. Check it, or type a town instead.' };
  if (first.extensions?.code === 'BAD_USER_INPUT') return { general: first.message };
  if (first.extensions?.code === 'RATE_LIMITED') return { general: 'Too many searches from this connection just now. Wait a minute and try again.' };
  return { general: 'Something went wrong with this search. Try again in a moment.' };
}

export function FinderView({ search }: { search: string }) {
  const params = useMemo(() => new URLSearchParams(search), [search]);
  const active = hasSearch(params);
  const applied = useMemo(() => readSearch(params), [params]);
  const [form, setForm] = useState<SearchState>(applied);
  /** The address this view wrote while the person typed: the form already shows it, and may be a key ahead of it. */
  const typedAddress = useRef<string | null>(null);
  // Back, forward and shared links change the address: the form follows it.
  useEffect(() => {
    const own = typedAddress.current === search;
    typedAddress.current = null;
    // Categories are chosen on the results, never ahead in the form: they always follow the address.
    if (own) setForm((current) => ({ ...current, categoryIds: applied.categoryIds }));
    else setForm(applied);
  }, [applied]);

  const variables = useMemo(() => toVariables(applied), [applied]);
  const variablesKey = useMemo(() => JSON.stringify(variables), [variables]);
  /** "Show more results": the cursor to continue from, for the search it was asked on. */
  const [more, setMore] = useState<{ key: string; after: string } | null>(null);
  const after = more?.key === variablesKey ? more.after : undefined;
  const queryVariables = useMemo(() => (after ? { ...variables, after } : variables), [variables, after]);
  // A new search (a key typed, a box ticked) replaces the one in flight: urql tears it down and its fetch is aborted.
  const [result] = useQuery<SearchResult>({ query: SEARCH_QUERY, variables: queryVariables, pause: !active });

  const [moreOpen, setMoreOpen] = useState(() => moreFiltersCount(applied) > 0);
  // Opened by itself when the address brings filters of its own (a shared link, Back), not when a category is ticked.
  const moreFiltersKey = JSON.stringify([applied.criterionCodes, applied.openDay, applied.openTime, applied.access, applied.language]);
  useEffect(() => {
    if (moreFiltersCount(applied) > 0) setMoreOpen(true);
  }, [moreFiltersKey]);
  // A search brings the criteria with it; before one, "More filters" asks for them alone.
  const [criteriaResult] = useQuery<CriteriaResult>({ query: CRITERIA_QUERY, pause: !moreOpen || (active && !result.error) });
  const criteria = result.data?.eligibilityCriteria?.nodes ?? criteriaResult.data?.eligibilityCriteria?.nodes ?? [];

  const [highlightedHub, setHighlightedHub] = useState<string | null>(null);
  const status = useRef<HTMLDivElement>(null);
  const list = useRef<HTMLOListElement>(null);
  /** Set by a search the person made here (not a shared link or Back): its results take the focus, so they are seen at 375 px too. */
  const focusResults = useRef(false);
  /** Set by "Show more results": the first result it adds takes the focus. */
  const focusFrom = useRef<number | null>(null);
  const typingTimer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(typingTimer.current), []);

  useEffect(() => {
    document.title = applied.place || applied.what ? `Services${applied.what ? ` for ${applied.what}` : ''}${applied.place ? ` near ${applied.place}` : ''} - Find community services` : 'Find community services';
  }, [applied]);

  /** A new place or new words make a new search: categories chosen for the old one may not be among its facets. */
  const hrefOf = (next: SearchState) => {
    const keep = next.place.trim() === applied.place.trim() && next.what.trim() === applied.what.trim();
    return `/?${writeSearch({ ...next, categoryIds: keep ? next.categoryIds : [] }).toString()}`;
  };
  const currentHref = () => `/${window.location.search}`;
  const focusStatus = () => {
    status.current?.focus();
    status.current?.scrollIntoView({ block: 'start' });
  };

  /** Search as the person types: once typing pauses, the address is replaced (not a history entry per key) and the results follow. */
  const searchSoon = (next: SearchState) => {
    window.clearTimeout(typingTimer.current);
    typingTimer.current = window.setTimeout(() => {
      const text = next.what.trim();
      if (text.length > 0 && text.length < MIN_TYPED) return;
      if (!text && !next.place.trim()) return;
      const href = hrefOf(next);
      if (href === currentHref()) return;
      typedAddress.current = href.slice(1);
      // From the landing page the first results are a page of their own, so Back returns to it.
      navigate(href, { replace: active });
    }, TYPING_PAUSE_MS);
  };

  const edits: FilterEdits = {
    choose(patch) {
      const next = { ...form, ...patch };
      setForm(next);
      if (!active) return;
      window.clearTimeout(typingTimer.current);
      const href = hrefOf(next);
      if (href !== currentHref()) navigate(href);
    },
    type(patch) {
      const next = { ...form, ...patch };
      setForm(next);
      if (active) searchSoon(next);
    },
  };

  const onSubmit = (event: Event) => {
    event.preventDefault();
    window.clearTimeout(typingTimer.current);
    focusResults.current = true;
    const href = hrefOf(form);
    if (href !== currentHref()) return navigate(href);
    // Already searched as typed: Search takes the person to the results.
    if (!result.fetching) {
      focusResults.current = false;
      focusStatus();
    }
  };
  const toggleCategory = (id: string) => {
    const categoryIds = applied.categoryIds.includes(id) ? applied.categoryIds.filter((other) => other !== id) : [...applied.categoryIds, id];
    navigate(`/?${writeSearch({ ...applied, categoryIds }).toString()}`);
  };

  useEffect(() => {
    if (!focusResults.current || result.fetching || (!result.data && !result.error)) return;
    focusResults.current = false;
    focusStatus();
  }, [result.fetching, result.data, result.error]);

  const errors = describeError(result.error);
  const services = result.data?.services;
  const edges = services?.edges ?? [];

  useEffect(() => {
    if (focusFrom.current === null || edges.length <= focusFrom.current) return;
    list.current?.querySelectorAll<HTMLAnchorElement>('.result h3 a')[focusFrom.current]?.focus();
    focusFrom.current = null;
  }, [edges.length]);

  const showMore = () => {
    const cursor = services?.pageInfo.endCursor;
    if (!cursor || result.fetching) return;
    focusFrom.current = edges.length;
    setMore({ key: variablesKey, after: cursor });
  };

  const markers: MapMarker[] = useMemo(() => {
    const atHub = new Map<string, Array<{ id: string; name: string }>>();
    for (const edge of edges) {
      for (const location of edge.node.locations.nodes) {
        const list = atHub.get(location.hub.id) ?? [];
        list.push({ id: edge.node.id, name: edge.node.name });
        atHub.set(location.hub.id, list);
      }
    }
    return (result.data?.hubs?.edges ?? [])
      .filter((edge) => edge.node.kind !== 'ONLINE')
      .map((edge) => ({ hub: edge.node, serviceCount: edge.serviceCount, services: atHub.get(edge.node.id) ?? [] }));
  }, [result.data]);
  const categoryFacets = services?.facets.categories ?? [];
  const detailsHref = (id: string) => `/services/${encodeURIComponent(id)}?${writeSearch(applied).toString()}`;
  const categoryNames = useMemo(() => new Map(categoryFacets.map(({ category }) => [category.id, category.name])), [categoryFacets]);
  const loadingMore = after !== undefined && result.fetching;

  return (
    <div class="finder">
      <h1>Find community services</h1>
      <p class="lede">Groups, activities and support near you: for your wellbeing, to meet people, or for help with what matters to you.</p>
      <form class="search-form" role="search" aria-label="Find services" onSubmit={onSubmit} noValidate>
        <div class="field">
          <label for="place">Postcode or town</label>
          <input
            id="place"
            name="place"
            type="text"
            autocomplete="postal-code"
            value={form.place}
            aria-invalid={errors.place ? 'true' : undefined}
            aria-describedby={errors.place ? 'place-error' : undefined}
            onInput={(event) => setForm({ ...form, place: (event.currentTarget as HTMLInputElement).value })}
          />
          {errors.place && (
            <p id="place-error" class="field-error">
              {errors.place}
            </p>
          )}
        </div>
        <div class="field">
          <label for="what">What matters to you</label>
          <input
            id="what"
            name="q"
            type="search"
            aria-describedby="what-hint"
            value={form.what}
            onInput={(event) => {
              const next = { ...form, what: (event.currentTarget as HTMLInputElement).value };
              setForm(next);
              searchSoon(next);
            }}
          />
          <p id="what-hint" class="hint">
            For example: loneliness, gardening, walking, bereavement. Results follow as you type.
          </p>
        </div>
        <fieldset class="options">
          <legend>More options</legend>
          <div class="field field-inline">
            <label for="radius">Distance</label>
            <select id="radius" name="radius" value={String(form.radiusKm)} onChange={(event) => edits.choose({ radiusKm: Number((event.currentTarget as HTMLSelectElement).value) })}>
              {RADII_KM.map((km) => (
                <option key={km} value={String(km)}>
                  within {km} km
                </option>
              ))}
            </select>
          </div>
          <div class="field field-inline">
            <label for="age">Age (optional)</label>
            <input
              id="age"
              name="age"
              type="number"
              inputMode="numeric"
              min={0}
              max={130}
              value={form.age ?? ''}
              onInput={(event) => {
                const value = (event.currentTarget as HTMLInputElement).value;
                edits.type({ age: /^\d{1,3}$/.test(value) && Number(value) <= 130 ? Number(value) : null });
              }}
            />
          </div>
          <div class="check">
            <input id="open-now" type="checkbox" checked={form.openNow} onChange={(event) => edits.choose({ openNow: (event.currentTarget as HTMLInputElement).checked, openDay: (event.currentTarget as HTMLInputElement).checked ? null : form.openDay })} />
            <label for="open-now">Open now</label>
          </div>
          <div class="check">
            <input id="taking-referrals" type="checkbox" checked={form.takingReferrals} onChange={(event) => edits.choose({ takingReferrals: (event.currentTarget as HTMLInputElement).checked })} />
            <label for="taking-referrals">Taking referrals (or a waiting list)</label>
          </div>
        </fieldset>
        <MoreFilters form={form} criteria={criteria} criteriaLoading={criteriaResult.fetching || (active && result.fetching)} open={moreOpen} onToggle={setMoreOpen} edits={edits} />
        <div class="actions">
          <button type="submit">Search</button>
          {active && (
            <Link
              class="button-secondary"
              href="/"
              onClick={() => {
                window.clearTimeout(typingTimer.current);
                setForm(EMPTY_SEARCH);
              }}
            >
              Clear
            </Link>
          )}
        </div>
      </form>

      <div class="status" role="status" aria-live="polite" tabIndex={-1} ref={status}>
        {active && result.fetching && !services ? 'Searching…' : ''}
        {active && services ? `${services.totalCount} ${services.totalCount === 1 ? 'service' : 'services'} found${applied.place && isPostcode(applied.place) ? ` within ${applied.radiusKm} km of ${applied.place.toUpperCase()}` : ''}` : ''}
      </div>
      {errors.general && (
        <p class="error" role="alert">
          {errors.general}
        </p>
      )}

      {!active && <p class="start-hint">Type a postcode (for example LS7 4SA) or a town, and what matters to you: results follow as you type, or press Search.</p>}

      {active && services && (
        <div class="results-layout" aria-busy={result.fetching ? 'true' : 'false'}>
          <aside class="filters" aria-labelledby="filters-heading">
            <h2 id="filters-heading">Filter</h2>
            {categoryFacets.length > 0 ? (
              <details class="facet-group" open={wideScreen() || applied.categoryIds.length > 0}>
                <summary>
                  Category{applied.categoryIds.length > 0 ? ` (${applied.categoryIds.length} chosen)` : ''}
                </summary>
                <fieldset>
                  <legend class="visually-hidden">Category</legend>
                  <ul class="facet-list">
                    {categoryFacets.map(({ category, count }) => {
                      const id = `category-${category.id}`;
                      return (
                        <li key={category.id} class="check">
                          <input id={id} type="checkbox" checked={applied.categoryIds.includes(category.id)} onChange={() => toggleCategory(category.id)} />
                          <label for={id}>
                            {category.name} <span class="count">({count})</span>
                          </label>
                        </li>
                      );
                    })}
                  </ul>
                </fieldset>
              </details>
            ) : (
              <p>No categories to filter by.</p>
            )}
          </aside>
          <section class="results" aria-labelledby="results-heading">
            <div class="results-heading">
              <h2 id="results-heading">Results</h2>
              {edges.length > 0 && <PrintButton label="Print results" />}
            </div>
            <p class="print-only search-summary">
              {describeSearch(applied, criteria, categoryNames)} {services.totalCount} found; {edges.length} listed here. Printed on {formatDate(new Date().toISOString())} from {window.location.origin}.
            </p>
            {edges.length === 0 ? (
              <p>No services match. Try a larger distance, fewer words, or fewer filters.</p>
            ) : (
              <ol class="result-list" ref={list}>
                {edges.map((edge) => (
                  <ResultItem
                    key={edge.node.id}
                    edge={edge}
                    href={detailsHref(edge.node.id)}
                    highlighted={highlightedHub !== null && edge.node.locations.nodes.some((location) => location.hub.id === highlightedHub)}
                    onFocusHub={setHighlightedHub}
                  />
                ))}
              </ol>
            )}
            {services.totalCount > edges.length && (
              <div class="more">
                <p>
                  Showing {edges.length} of {services.totalCount}.
                </p>
                {services.pageInfo.hasNextPage && (
                  <button type="button" class="button-secondary show-more" onClick={showMore} aria-describedby="more-hint">
                    {loadingMore ? 'Loading more…' : 'Show more results'}
                  </button>
                )}
                <p id="more-hint" class="hint">
                  Or add words or filters to narrow the search.
                </p>
              </div>
            )}
            {services.totalCount > 0 && services.totalCount === edges.length && edges.length > PAGE_SIZE && <p class="more">Showing all {edges.length}.</p>}
          </section>
          <section class="map-panel" aria-labelledby="map-heading">
            <h2 id="map-heading">Map</h2>
            <ResultsMap markers={markers} highlightedHub={highlightedHub} onSelectHub={setHighlightedHub} serviceHref={detailsHref} />
          </section>
        </div>
      )}
    </div>
  );
}

function ResultItem({ edge, href, highlighted, onFocusHub }: { edge: Edge; href: string; highlighted: boolean; onFocusHub: (hub: string | null) => void }) {
  const { node } = edge;
  const firstHub = node.locations.nodes.find((location) => location.hub.kind !== 'ONLINE');
  const next = node.locations.nodes
    .map((location) => (location.openNow ? 'now' : location.nextOpen))
    .filter((value): value is string => value !== null)
    .sort()[0];
  const where =
    edge.reach === 'AT_HUB' && firstHub
      ? `${firstHub.hub.name}, ${firstHub.hub.address.town}${edge.distanceKm !== null ? ` (${edge.distanceKm.toFixed(1)} km)` : ''}`
      : edge.reach
        ? REACH_LABELS[edge.reach]
        : firstHub
          ? `${firstHub.hub.name}, ${firstHub.hub.address.town}`
          : node.nationalScope
            ? REACH_LABELS.NATIONAL
            : 'Online or by phone';
  return (
    <li
      class={highlighted ? 'result highlighted' : 'result'}
      data-service-id={node.id}
      onMouseEnter={() => firstHub && onFocusHub(firstHub.hub.id)}
      onFocusIn={() => firstHub && onFocusHub(firstHub.hub.id)}
    >
      <h3>
        <Link href={href}>{node.name}</Link>
      </h3>
      <p class="provider">{node.provider.name}</p>
      <p class="where">{where}</p>
      <p class="description">{summary(node.description)}</p>
      <ul class="badges">
        <li class={`badge capacity-${node.capacity.status.toLowerCase()}`}>{capacityText(node.capacity)}</li>
        {next && <li class="badge">{next === 'now' ? 'Open now' : `Next: ${formatDayTime(next)}`}</li>}
        {node.review.isStale && <li class="badge badge-warning">Not checked since {formatDate(node.review.lastVerifiedAt)}</li>}
      </ul>
      <p class="print-only">Details: {`${window.location.origin}/services/${encodeURIComponent(node.id)}`}</p>
      {node.howToRefer.formUrl && !node.howToRefer.signpostingOnly && <p class="print-only">Referral form: {node.howToRefer.formUrl}</p>}
      <div class="result-actions">
        <ShortlistToggle id={node.id} name={node.name} />
      </div>
    </li>
  );
}
