import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useQuery } from '@urql/preact';
import { Link, navigate } from '../shared/router';
import { ageText, capacityText, formatDate, formatDayTime, listText, ROUTE_LABELS, summary, WEEKDAY_LABELS } from '../shared/format';
import { SHORTLIST_QUERY, type ShortlistResult, type ShortlistService } from './queries';
import { addAllToShortlist, clearShortlist, readShortlistParam, removeFromShortlist, shortlistHref, useShortlist } from './shortlist';
import { PrintButton, ShortlistToggle } from './shortlist-controls';
import { WebLink } from '../shared/web-link';

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((id) => b.includes(id));
type ShortlistNode = NonNullable<ShortlistResult['nodes']>[number];
const isService = (node: ShortlistNode): node is ShortlistService => node !== null && node.__typename === 'Service';

/**
 * A shortlist, at `/?shortlist=<id>,<id>`: the services the link names (the link is the list, so it
 * opens the same anywhere), read in one `nodes(ids:)` request, laid out to be handed over or printed.
 * When the link is this browser's own shortlist, taking a service off takes it off the page too;
 * a list someone shared can be kept as one's own.
 */
export function ShortlistView({ search }: { search: string }) {
  const params = useMemo(() => new URLSearchParams(search), [search]);
  const saved = useShortlist();
  const fromLink = useMemo(() => readShortlistParam(params), [params]);
  // `/?shortlist=` with no ids is "my shortlist": the address then names it, so it can be shared.
  const ids = fromLink.length ? fromLink : saved;
  const own = ids.length > 0 && sameSet(ids, saved);
  const allKept = ids.every((id) => saved.includes(id));
  /** Whether, as last shown, the page was this browser's own shortlist (or none yet): then it follows the shortlist's changes. */
  const followSaved = useRef(false);
  const [dropped, setDropped] = useState(0);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    // "Your shortlist" (an address without ids) opens one's own list: what a shared link lost is no longer news.
    if (!fromLink.length) setDropped(0);
    if (!fromLink.length && saved.length) navigate(shortlistHref(saved), { replace: true });
  }, [fromLink.length, saved.length]);
  // On one's own list, the page follows the shortlist as services are taken off (or added in another tab).
  useEffect(() => {
    if (followSaved.current && !sameSet(saved, ids)) navigate(shortlistHref(saved), { replace: true });
  }, [saved]);
  // After the effect above: it reads what the page was before this render.
  useEffect(() => {
    followSaved.current = own || ids.length === 0;
  });
  useEffect(() => {
    document.title = 'Shortlist - Find community services';
    heading.current?.focus();
  }, []);

  const [result] = useQuery<ShortlistResult>({ query: SHORTLIST_QUERY, variables: { ids }, pause: ids.length === 0 });

  // An id the directory refuses outright (not one of its ids) fails the whole request: leave it out and ask again.
  const refused = result.error?.graphQLErrors[0]?.extensions?.field;
  useEffect(() => {
    const match = typeof refused === 'string' ? /^ids\[(\d+)\]$/.exec(refused) : null;
    const bad = match ? ids[Number(match[1])] : undefined;
    if (bad === undefined) return;
    removeFromShortlist(bad);
    setDropped((n) => n + 1);
    navigate(shortlistHref(ids.filter((id) => id !== bad)), { replace: true });
  }, [result.error]);

  const nodes = result.data?.nodes ?? [];
  const services = nodes.filter(isService);
  const missing = result.data ? ids.filter((id) => !services.some((service) => service.id === id)) : [];
  const link = `${window.location.origin}${shortlistHref(ids)}`;

  return (
    <div class="shortlist-page">
      <p class="back">
        <Link href="/">Find services</Link>
      </p>
      <h1 ref={heading} tabIndex={-1}>
        {own || ids.length === 0 ? 'Your shortlist' : 'A shortlist shared with you'}
      </h1>
      {!own && ids.length > 0 && <p class="lede">Someone sent you these services as a link. Keep them on your shortlist to come back to them on this device.</p>}
      <p class="print-only">Printed on {formatDate(new Date().toISOString())}. This list online: {link}</p>
      {ids.length === 0 && <p>Nothing on your shortlist yet. Search for services and choose "Add to shortlist" on the ones to keep.</p>}
      {ids.length > 0 && result.fetching && !result.data && <p role="status">Loading…</p>}
      {result.error && !refused && (
        <p class="error" role="alert">
          The shortlist could not be loaded. Check your connection and try again.
        </p>
      )}
      {(missing.length > 0 || dropped > 0) && (
        <p class="notice">
          {missing.length + dropped === 1 ? 'One service on this list is' : `${missing.length + dropped} services on this list are`} no longer in the directory.
          {missing.some((id) => saved.includes(id)) && (
            <>
              {' '}
              <button type="button" class="button-link" onClick={() => missing.forEach(removeFromShortlist)}>
                Take {missing.length === 1 ? 'it' : 'them'} off your shortlist
              </button>
            </>
          )}
        </p>
      )}

      {services.length > 0 && (
        <>
          <div class="shortlist-actions no-print">
            <PrintButton label="Print this list" />
            {!allKept && (
              <button type="button" class="button-secondary" onClick={() => addAllToShortlist(services.map((service) => service.id))}>
                Keep these on my shortlist
              </button>
            )}
            {allKept && !own && <p>All of these are on your shortlist too.</p>}
            {own && (
              <button
                type="button"
                class="button-secondary"
                onClick={() => {
                  if (window.confirm('Take every service off your shortlist?')) clearShortlist();
                }}
              >
                Clear my shortlist
              </button>
            )}
          </div>
          <ShareLink link={link} />
          <ol class="shortlist-list">
            {services.map((service) => (
              <ShortlistItem key={service.id} service={service} ids={ids} />
            ))}
          </ol>
        </>
      )}
    </div>
  );
}

function ShareLink({ link }: { link: string }) {
  const [copied, setCopied] = useState<string>('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link);
      setCopied('Link copied. Paste it into an email or a message.');
    } catch {
      setCopied('Copying is not allowed here: select the link and copy it.');
    }
  };
  return (
    <div class="share no-print">
      <label for="share-link">Link to this list (it opens the same services on any device)</label>
      <div class="share-row">
        <input id="share-link" type="text" readOnly value={link} onFocus={(event) => event.currentTarget.select()} />
        <button type="button" onClick={copy}>
          Copy link
        </button>
      </div>
      <p class="hint">
        <a href={`mailto:?subject=${encodeURIComponent('Services from the community directory')}&body=${encodeURIComponent(link)}`}>Email the link</a>
      </p>
      <p role="status" class="hint">
        {copied}
      </p>
    </div>
  );
}

/** One service as a link worker hands it over: who it is for, where and when, how to refer, contact. */
function ShortlistItem({ service, ids }: { service: ShortlistService; ids: string[] }) {
  const ages = ageText(service.minimumAge, service.maximumAge);
  const hubs = service.locations.nodes.filter((location) => location.hub.kind !== 'ONLINE');
  const refer = service.howToRefer;
  const who = [...(ages ? [ages] : []), ...service.eligibility.nodes.map((criterion) => criterion.label)];
  const website = service.contact.url ?? service.provider.website;
  const next = service.locations.nodes
    .map((location) => (location.openNow ? 'now' : location.nextOpen))
    .filter((value): value is string => value !== null)
    .sort()[0];
  return (
    <li class="shortlist-item" data-service-id={service.id}>
      <h2>
        <Link href={`/services/${encodeURIComponent(service.id)}?shortlist=${ids.join(',')}`}>{service.name}</Link>
      </h2>
      <p class="provider">Run by {service.provider.name}</p>
      <p class="description">{summary(service.description, 320)}</p>
      <dl class="handover">
        <dt>Who it is for</dt>
        <dd>{who.length ? who.join('; ') : 'Anyone'}</dd>
        <dt>Where and when</dt>
        <dd>
          {hubs.length === 0 && <p>{service.nationalScope ? 'By phone or online, anywhere in the country.' : 'By phone or online.'}</p>}
          {hubs.map((location) => (
            <p key={location.id}>
              <strong>{location.hub.name}</strong>, {[...location.hub.address.lines, location.hub.address.town, location.hub.address.postcode].join(', ')}
              {location.schedules.length > 0 &&
                `: ${location.schedules.map((schedule) => `${listText(schedule.days.map((day) => WEEKDAY_LABELS[day] ?? day))} ${schedule.opensAt} to ${schedule.closesAt}${schedule.notes ? ` (${schedule.notes})` : ''}`).join('; ')}`}
            </p>
          ))}
          {next && <p>{next === 'now' ? 'Open now.' : `Next: ${formatDayTime(next)}.`}</p>}
        </dd>
        <dt>How to refer</dt>
        <dd>
          <p>
            {capacityText(service.capacity)}. {service.cost.free ? 'Free' : (service.cost.description ?? 'There is a charge')}.
          </p>
          {refer.signpostingOnly ? (
            <p>Takes no referrals: the person can go themselves.</p>
          ) : (
            <>
              {refer.routes.length > 0 && <p>Referrals from {listText(refer.routes.map((route) => ROUTE_LABELS[route] ?? route))}.</p>}
              {refer.formUrl && (
                <p>
                  Referral form: <WebLink address={refer.formUrl} />
                </p>
              )}
              {refer.email && <p>Referral email: {refer.email}</p>}
              {refer.phone && <p>Referral phone: {refer.phone}</p>}
              {refer.instructions && <p>{refer.instructions}</p>}
            </>
          )}
        </dd>
        {(service.contact.phone || service.contact.email || website) && (
          <>
            <dt>Contact</dt>
            <dd>
              {service.contact.phone && (
                <p>
                  Phone: <a href={`tel:${service.contact.phone.replace(/\s+/g, '')}`}>{service.contact.phone}</a>
                </p>
              )}
              {service.contact.email && (
                <p>
                  Email: <a href={`mailto:${service.contact.email}`}>{service.contact.email}</a>
                </p>
              )}
              {website && (
                <p>
                  Website: <WebLink address={website} />
                </p>
              )}
            </dd>
          </>
        )}
      </dl>
      <p class={service.review.isStale ? 'verified stale' : 'verified'}>
        Last checked on {formatDate(service.review.lastVerifiedAt)}
        {service.review.isStale ? ': these details may be out of date.' : '.'}
      </p>
      <div class="no-print">
        <ShortlistToggle id={service.id} name={service.name} />
      </div>
    </li>
  );
}
