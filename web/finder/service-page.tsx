import type { RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useMutation, useQuery } from '@urql/preact';
import { Link } from '../shared/router';
import { ageText, capacityText, DELIVERY_LABELS, formatDate, formatDayTime, formatTime, languageName, listText, PROBLEM_KINDS, ROUTE_LABELS, WEEKDAY_LABELS } from '../shared/format';
import { REPORT_PROBLEM_MUTATION, SERVICE_QUERY, type ServiceDetails, type ServicePageResult } from './queries';
import { hasSearch } from './search-state';
import { accessibilityLabel } from './filter-labels';
import { readShortlistParam, shortlistHref } from './shortlist';
import { PrintButton, ShortlistToggle } from './shortlist-controls';
import { WebLink } from '../shared/web-link';

/** A service's own page: what it is, who it is for, where and when, how to refer, when it was last checked, and "report a problem". */
export function ServicePage({ id, search }: { id: string; search: string }) {
  const [result] = useQuery<ServicePageResult>({ query: SERVICE_QUERY, variables: { id } });
  const heading = useRef<HTMLHeadingElement>(null);
  const service = result.data?.service;
  const params = new URLSearchParams(search);
  // From a shortlist, back to it; from a search, back to its results.
  const shortlist = readShortlistParam(params);
  const back = shortlist.length ? { href: shortlistHref(shortlist), label: 'Back to shortlist' } : hasSearch(params) ? { href: `/${search}`, label: 'Back to results' } : { href: '/', label: 'Find services' };

  useEffect(() => {
    if (service) {
      document.title = `${service.name} - Find community services`;
      heading.current?.focus();
    }
  }, [service?.id]);

  return (
    <div class="service-page">
      <p class="back">
        <Link href={back.href}>{back.label}</Link>
      </p>
      {result.fetching && !service && <p role="status">Loading…</p>}
      {!result.fetching && !service && (
        <>
          <h1>Service not found</h1>
          <p>It may have closed or been removed from the directory.</p>
        </>
      )}
      {service && <ServiceDetailsView service={service} heading={heading} />}
    </div>
  );
}

function ServiceDetailsView({ service, heading }: { service: ServiceDetails; heading: RefObject<HTMLHeadingElement | null> }) {
  const ages = ageText(service.minimumAge, service.maximumAge);
  const hubs = service.locations.nodes.filter((location) => location.hub.kind !== 'ONLINE');
  const refer = service.howToRefer;
  return (
    <article class="service">
      <h1 ref={heading} tabIndex={-1}>
        {service.name}
      </h1>
      <p class="provider">Run by {service.provider.name}</p>
      <div class="service-actions no-print">
        <ShortlistToggle id={service.id} name={service.name} />
        <PrintButton />
      </div>
      <p class="print-only">This page online: {`${window.location.origin}/services/${encodeURIComponent(service.id)}`}</p>
      <p class="description">{service.description}</p>

      <section aria-labelledby="who-heading">
        <h2 id="who-heading">Who it is for</h2>
        {service.eligibility.nodes.length === 0 && !ages ? <p>Anyone can use it.</p> : null}
        <ul>
          {ages && <li>{ages}</li>}
          {service.eligibility.nodes.map((criterion) => (
            <li key={criterion.id}>{criterion.label}</li>
          ))}
        </ul>
        <p>
          <strong>Who it reaches: </strong>
          {reachText(service)}
        </p>
        <p>
          <strong>Cost: </strong>
          {service.cost.free ? 'Free' : (service.cost.description ?? 'There is a charge')}
          {service.cost.free && service.cost.description ? ` (${service.cost.description})` : ''}
        </p>
        {service.languages.length > 0 && (
          <p>
            <strong>Languages: </strong>
            {listText(service.languages.map(languageName))}
          </p>
        )}
      </section>

      <section aria-labelledby="refer-heading" class="refer">
        <h2 id="refer-heading">How to refer</h2>
        <p class={`capacity capacity-${service.capacity.status.toLowerCase()}`}>
          <strong>{capacityText(service.capacity)}</strong>
          {service.capacity.setAt && !service.capacity.isStale ? ` (as of ${formatDate(service.capacity.setAt)})` : ''}
          {service.capacity.isStale && service.capacity.setAt ? ` (last said on ${formatDate(service.capacity.setAt)}, too long ago to rely on)` : ''}
        </p>
        {service.capacity.note && <p>{service.capacity.note}</p>}
        {refer.signpostingOnly ? (
          <p>This service takes no referrals: tell the person about it and they can go themselves.</p>
        ) : (
          <>
            {refer.routes.length > 0 && <p>Referrals from {listText(refer.routes.map((route) => ROUTE_LABELS[route] ?? route))}.</p>}
            <ul>
              {refer.formUrl && (
                <li>
                  Referral form: <WebLink address={refer.formUrl} />
                </li>
              )}
              {refer.email && (
                <li>
                  Email: <a href={`mailto:${refer.email}`}>{refer.email}</a>
                </li>
              )}
              {refer.phone && (
                <li>
                  Phone: <a href={`tel:${refer.phone.replace(/\s+/g, '')}`}>{refer.phone}</a>
                </li>
              )}
            </ul>
            {refer.instructions && <p>{refer.instructions}</p>}
          </>
        )}
      </section>

      <section aria-labelledby="where-heading">
        <h2 id="where-heading">Where and when</h2>
        {service.deliveryModes.length > 0 && <p>Offered {listText(service.deliveryModes.map((mode) => DELIVERY_LABELS[mode] ?? mode))}.</p>}
        {hubs.length === 0 && <p>Not at a place you visit.</p>}
        {hubs.map((location) => (
          <div class="location" key={location.id}>
            <h3>{location.hub.name}</h3>
            <p class="address">{[...location.hub.address.lines, location.hub.address.town, location.hub.address.postcode].join(', ')}</p>
            <p class="next-open">
              {location.openNow
                ? `Open now${location.openUntil ? ` until ${formatTime(location.openUntil)}` : ''}`
                : location.nextOpen
                  ? `Next opening: ${formatDayTime(location.nextOpen)}`
                  : 'No session in the next two weeks'}
            </p>
            {location.schedules.length > 0 && (
              <ul>
                {location.schedules.map((schedule) => (
                  <li key={schedule.id}>
                    {listText(schedule.days.map((day) => WEEKDAY_LABELS[day] ?? day))}, {schedule.opensAt} to {schedule.closesAt}
                    {schedule.notes ? ` (${schedule.notes})` : ''}
                  </li>
                ))}
              </ul>
            )}
            {location.description && <p>{location.description}</p>}
            {location.hub.accessibilityFeatures.length > 0 && <p>Access: {listText(location.hub.accessibilityFeatures.map(accessibilityLabel))}.</p>}
            {location.hub.accessibility && <p>{location.hub.accessibilityFeatures.length > 0 ? 'Access notes' : 'Access'}: {location.hub.accessibility}</p>}
          </div>
        ))}
      </section>

      <section aria-labelledby="contact-heading">
        <h2 id="contact-heading">Contact</h2>
        <ul>
          {service.contact.phone && <li>Phone: {service.contact.phone}</li>}
          {service.contact.email && (
            <li>
              Email: <a href={`mailto:${service.contact.email}`}>{service.contact.email}</a>
            </li>
          )}
          {(service.contact.url ?? service.provider.website) && (
            <li>
              Website: <WebLink address={(service.contact.url ?? service.provider.website)!} />
            </li>
          )}
        </ul>
      </section>

      <p class={service.review.isStale ? 'verified stale' : 'verified'}>
        Last checked on {formatDate(service.review.lastVerifiedAt)}
        {service.review.isStale ? ': these details may be out of date.' : '.'}
      </p>

      <ReportProblem serviceId={service.id} />
    </article>
  );
}

function reachText(service: ServiceDetails): string {
  if (service.nationalScope === 'UK') return 'Anyone in the UK.';
  if (service.nationalScope === 'ENGLAND') return 'Anyone in England.';
  if (service.areas.length > 0) return `People living in ${listText(service.areas.map((area) => area.name))}.`;
  const towns = [...new Set(service.locations.nodes.filter((location) => location.hub.kind !== 'ONLINE').map((location) => location.hub.address.town))];
  return towns.length ? `Anyone who can get to it in ${listText(towns)}.` : 'Anyone.';
}

/** "Report a problem": one mutation, no sign-in; the answer is a receipt. */
function ReportProblem({ serviceId }: { serviceId: string }) {
  const [open, setOpen] = useState(false);
  const [kind, setKind] = useState<string>('WRONG_TIMES');
  const [message, setMessage] = useState('');
  const [email, setEmail] = useState('');
  const [problem, setProblem] = useState<{ field?: string; text: string } | null>(null);
  const [sent, setSent] = useState(false);
  const [state, report] = useMutation(REPORT_PROBLEM_MUTATION);

  if (sent) {
    return (
      <section class="report" aria-labelledby="report-heading">
        <h2 id="report-heading">Report a problem</h2>
        <p role="status">Thank you. The people who run this listing will check it.</p>
      </section>
    );
  }
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!message.trim()) return setProblem({ field: 'message', text: 'Say what is wrong.' });
    const answer = await report({ input: { serviceId, kind, message: message.trim(), ...(email.trim() ? { contactEmail: email.trim() } : {}) } });
    const error = answer.error?.graphQLErrors[0];
    if (answer.data?.reportProblem) return setSent(true);
    const field = typeof error?.extensions?.field === 'string' ? error.extensions.field : undefined;
    if (field?.endsWith('contactEmail')) return setProblem({ field: 'email', text: 'Enter an email address like name@example.org, or leave it empty.' });
    if (field?.endsWith('message')) return setProblem({ field: 'message', text: error?.message ?? 'Say what is wrong.' });
    if (error?.extensions?.code === 'RATE_LIMITED') return setProblem({ text: 'Too many reports from this connection: try again later.' });
    setProblem({ text: 'The report could not be sent. Try again in a moment.' });
  };
  return (
    <section class="report" aria-labelledby="report-heading">
      <h2 id="report-heading">Report a problem</h2>
      {!open ? (
        <button type="button" class="button-secondary" aria-expanded="false" onClick={() => setOpen(true)}>
          Something wrong with this listing?
        </button>
      ) : (
        <form onSubmit={submit} noValidate>
          <div class="field">
            <label for="report-kind">What is wrong</label>
            <select id="report-kind" value={kind} onChange={(event) => setKind((event.currentTarget as HTMLSelectElement).value)}>
              {Object.entries(PROBLEM_KINDS).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="report-message">Tell us more</label>
            <textarea
              id="report-message"
              rows={4}
              maxLength={2000}
              value={message}
              aria-invalid={problem?.field === 'message' ? 'true' : undefined}
              aria-describedby={problem?.field === 'message' ? 'report-problem' : undefined}
              onInput={(event) => setMessage((event.currentTarget as HTMLTextAreaElement).value)}
            />
          </div>
          <div class="field">
            <label for="report-email">Your email (optional, if they may ask you more)</label>
            <input
              id="report-email"
              type="email"
              autocomplete="email"
              value={email}
              aria-invalid={problem?.field === 'email' ? 'true' : undefined}
              aria-describedby={problem?.field === 'email' ? 'report-problem' : undefined}
              onInput={(event) => setEmail((event.currentTarget as HTMLInputElement).value)}
            />
          </div>
          {problem && (
            <p id="report-problem" class="field-error" role="alert">
              {problem.text}
            </p>
          )}
          <button type="submit" disabled={state.fetching}>
            Send report
          </button>
        </form>
      )}
    </section>
  );
}
