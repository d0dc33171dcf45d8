import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useQuery } from '@urql/preact';
import type { CombinedError } from '@urql/core';
import { Link, navigate } from '../shared/router';
import { capacityText, formatDate, formatDayTime, REACH_LABELS, summary } from '../shared/format';
import { SEARCH_QUERY, type SearchResult } from './queries';
import { EMPTY_SEARCH, hasSearch, isPostcode, RADII_KM, readSearch, toVariables, writeSearch, type SearchState } from './search-state';
import { ResultsMap, type MapMarker } from './results-map';

/** On a phone the filters start folded, so the results are not pushed below a long list. */
const wideScreen = () => window.matchMedia('(min-width: 60rem)').matches;

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
  // Back, forward and shared links change the address: the form follows it.
  useEffect(() => setForm(applied), [applied]);
  const variables = useMemo(() => toVariables(applied), [applied]);
  const [result] = useQuery<SearchResult>({ query: SEARCH_QUERY, variables, pause: !active });
  const [highlightedHub, setHighlightedHub] = useState<string | null>(null);
  const status = useRef<HTMLDivElement>(null);
  /** Set by a search the person made here (not a shared link or Back): its results take the focus, so they are seen at 375 px too. */
  const focusResults = useRef(false);

  useEffect(() => {
    document.title = applied.place || applied.what ? `Services${applied.what ? ` for ${applied.what}` : ''}${applied.place ? ` near ${applied.place}` : ''} - Find community services` : 'Find community services';
  }, [applied]);

  const go = (next: SearchState) => navigate(`/?${writeSearch(next).toString()}`);
  const onSubmit = (event: Event) => {
    event.preventDefault();
    focusResults.current = true;
    go({ ...form, categoryIds: form.place === applied.place && form.what === applied.what ? form.categoryIds : [] });
  };
  const toggleCategory = (id: string) => {
    const categoryIds = applied.categoryIds.includes(id) ? applied.categoryIds.filter((other) => other !== id) : [...applied.categoryIds, id];
    go({ ...applied, categoryIds });
  };

  useEffect(() => {
    if (!focusResults.current || result.fetching || (!result.data && !result.error)) return;
    focusResults.current = false;
    status.current?.focus();
    status.current?.scrollIntoView({ block: 'start' });
  }, [result.fetching, result.data, result.error]);

  const errors = describeError(result.error);
  const services = result.data?.services;
  const edges = services?.edges ?? [];
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
            onInput={(event) => setForm({ ...form, what: (event.currentTarget as HTMLInputElement).value })}
          />
          <p id="what-hint" class="hint">
            For example: loneliness, gardening, walking, bereavement
          </p>
        </div>
        <fieldset class="options">
          <legend>More options</legend>
          <div class="field field-inline">
            <label for="radius">Distance</label>
            <select id="radius" name="radius" value={String(form.radiusKm)} onChange={(event) => setForm({ ...form, radiusKm: Number((event.currentTarget as HTMLSelectElement).value) })}>
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
                setForm({ ...form, age: /^\d{1,3}$/.test(value) && Number(value) <= 130 ? Number(value) : null });
              }}
            />
          </div>
          <div class="check">
            <input id="open-now" type="checkbox" checked={form.openNow} onChange={(event) => setForm({ ...form, openNow: (event.currentTarget as HTMLInputElement).checked })} />
            <label for="open-now">Open now</label>
          </div>
          <div class="check">
            <input id="taking-referrals" type="checkbox" checked={form.takingReferrals} onChange={(event) => setForm({ ...form, takingReferrals: (event.currentTarget as HTMLInputElement).checked })} />
            <label for="taking-referrals">Taking referrals (or a waiting list)</label>
          </div>
        </fieldset>
        <div class="actions">
          <button type="submit">Search</button>
          {active && (
            <Link class="button-secondary" href="/" onClick={() => setForm(EMPTY_SEARCH)}>
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

      {!active && <p class="start-hint">Type a postcode (for example LS7 4SA) or a town, and what matters to you, then press Search.</p>}

      {active && services && (
        <div class="results-layout">
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
            <h2 id="results-heading">Results</h2>
            {edges.length === 0 ? (
              <p>No services match. Try a larger distance, fewer words, or fewer filters.</p>
            ) : (
              <ol class="result-list">
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
              <p class="more">
                Showing the first {edges.length} of {services.totalCount}. Add words or filters to narrow the search.
              </p>
            )}
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
    </li>
  );
}
