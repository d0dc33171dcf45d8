import { useEffect, useMemo, useRef } from 'preact/hooks';
import { useQuery } from '@urql/preact';
import { capacityText, formatDate } from '../shared/format';
import { Link } from '../shared/router';
import { ProblemReports } from './problem-reports';
import { ALL_STATUSES, SERVICES_QUERY, type ServicesResult, type ServiceSummary } from './queries';
import { useSession } from './session-context';
import { StateTags } from './state';

/** What the list shows: `?show=` in the address, so a view can be bookmarked and Back works. */
const VIEWS = [
  { show: 'all', label: 'All' },
  { show: 'review', label: 'Due for review' },
  { show: 'drafts', label: 'Drafts' },
  { show: 'paused', label: 'Paused' },
  { show: 'archived', label: 'Archived' },
] as const;
type View = (typeof VIEWS)[number]['show'];

const inView: Record<Exclude<View, 'review'>, (service: ServiceSummary) => boolean> = {
  all: () => true,
  drafts: (service) => service.isDraft,
  paused: (service) => service.status === 'TEMPORARILY_CLOSED' && !service.archivedAt,
  archived: (service) => service.archivedAt !== null,
};

/**
 * The partner's own services, every status: drafts, paused and archived too. "Due for review" asks the
 * server (`filter.review: [DUE, OVERDUE]`, the same rule as the reminder emails); the other views are
 * cuts of the whole list.
 */
export function ServiceList({ search }: { search: string }) {
  const { viewer } = useSession();
  const provider = viewer.account.provider;
  const requested = new URLSearchParams(search).get('show');
  const view: View = VIEWS.some((v) => v.show === requested) ? (requested as View) : 'all';
  const filter = useMemo(
    () => ({ providerIds: [provider.id], statuses: [...ALL_STATUSES], ...(view === 'review' ? { review: ['DUE', 'OVERDUE'] } : {}) }),
    [provider.id, view === 'review'],
  );
  const [result] = useQuery<ServicesResult>({ query: SERVICES_QUERY, variables: { filter }, requestPolicy: 'cache-and-network' });
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    document.title = `Your services - ${provider.name} - Update your listings`;
    heading.current?.focus();
  }, []);

  const services = result.data?.services?.nodes ?? [];
  // The list reads one page of 100 (the API's largest): a provider with more is told, not shown a silently short list.
  const total = result.data?.services?.totalCount ?? 0;
  const shown = view === 'review' ? services : services.filter(inView[view]);
  const counts = view === 'review' ? null : Object.fromEntries(Object.entries(inView).map(([name, test]) => [name, services.filter(test).length]));

  return (
    <div class="service-list-page">
      <h1 ref={heading} tabIndex={-1}>
        Your services
      </h1>
      <p class="lede">
        {provider.name}'s listings in the directory. Open one to change its details, say whether it is taking referrals, or confirm it is still correct.
      </p>

      <ProblemReports />

      <section class="panel" aria-labelledby="services-heading">
        <h2 id="services-heading">Services</h2>
        <nav class="views" aria-label="Which services">
          <ul>
            {VIEWS.map((v) => (
              <li key={v.show}>
                <Link href={v.show === 'all' ? '/partners' : `/partners?show=${v.show}`} aria-current={v.show === view ? 'page' : undefined}>
                  {v.label}
                  {counts && v.show !== 'review' ? ` (${counts[v.show]})` : ''}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        {!result.data && result.fetching && <p role="status">Loading…</p>}
        {!result.data && result.error && <p class="error">Your services could not be read just now. Try again in a moment.</p>}
        {result.data && (
          <p class="list-status" role="status">
            {shown.length === 0 ? emptyText(view) : `${shown.length} ${shown.length === 1 ? 'service' : 'services'}`}
          </p>
        )}
        {total > services.length && (
          <p class="notice">
            Showing the first {services.length} of your {total} services, by name: find the others through the API, or ask the directory team.
          </p>
        )}
        <ul class="partner-services">
          {shown.map((service) => (
            <li key={service.id} class="partner-service" data-service-id={service.id}>
              <h3>
                <Link href={`/partners/services/${encodeURIComponent(service.id)}`}>{service.name}</Link>
              </h3>
              <StateTags service={service} />
              <p class="service-facts">
                {capacityText(service.capacity)}
                {' · '}
                {service.review.isDue ? `Review due since ${formatDate(service.review.reviewDueAt)}` : `Last checked on ${formatDate(service.review.lastVerifiedAt)}`}
              </p>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

function emptyText(view: View): string {
  if (view === 'review') return 'None is due for review: every listing was checked recently and has no open report.';
  if (view === 'drafts') return 'No drafts.';
  if (view === 'paused') return 'None is paused.';
  if (view === 'archived') return 'None is archived.';
  return 'Your organisation has no services in the directory yet.';
}
