import { useEffect, useRef, useState } from 'preact/hooks';
import { useClient, useQuery } from '@urql/preact';
import { formatDayTime, PROBLEM_KINDS } from '../shared/format';
import { Link } from '../shared/router';
import { readFailure } from './errors';
import { PROBLEM_REPORTS_QUERY, RESOLVE_REPORT, type ProblemReport, type ProblemReportsResult } from './queries';
import { useSession } from './session-context';

/**
 * The open problem reports on the partner's services (or on one service), newest first, each with a
 * way to close it: resolved (the listing was put right) or dismissed (it was right), with a note.
 */
export function ProblemReports({ serviceId }: { serviceId?: string }) {
  const [result] = useQuery<ProblemReportsResult>({
    query: PROBLEM_REPORTS_QUERY,
    variables: { filter: { status: ['OPEN'], ...(serviceId ? { serviceId } : {}) } },
    requestPolicy: 'cache-and-network',
  });
  // What was closed last, said in a status line that takes the focus (the closed report's buttons are gone).
  const [closed, setClosed] = useState('');
  const closedStatus = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (closed) closedStatus.current?.focus();
  }, [closed]);
  // A report closed here stays in the cached list with its new status: only the open ones are shown.
  const open = (result.data?.problemReports?.nodes ?? []).filter((report) => report.status === 'OPEN');
  const headingId = serviceId ? 'service-reports-heading' : 'reports-heading';
  return (
    <section class="panel" id="reports" aria-labelledby={headingId}>
      <h2 id={headingId}>Problem reports{result.data ? ` (${open.length} open)` : ''}</h2>
      {open.length > 0 && <p class="hint">What people told the directory is wrong with {serviceId ? 'this listing' : 'your listings'}. Put it right, then close the report.</p>}
      {!result.data && result.fetching && <p>Loading…</p>}
      {!result.data && result.error && <p class="error">The reports could not be read just now.</p>}
      <p role="status" class="closed-status" ref={closedStatus} tabIndex={-1}>
        {closed}
      </p>
      {result.data && open.length === 0 && <p>No open reports.</p>}
      {open.length > 0 && (
        <ul class="reports">
          {open.map((report) => (
            <ReportItem key={report.id} report={report} showService={!serviceId} onClosed={setClosed} />
          ))}
        </ul>
      )}
    </section>
  );
}

function ReportItem({ report, showService, onClosed }: { report: ProblemReport; showService: boolean; onClosed: (text: string) => void }) {
  const client = useClient();
  const { signOut } = useSession();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const noteId = `report-note-${report.id}`;
  const titleId = `report-title-${report.id}`;

  const close = async (resolution: 'RESOLVED' | 'DISMISSED') => {
    setBusy(true);
    const answer = await client.mutation(RESOLVE_REPORT, { input: { id: report.id, resolution, ...(note.trim() ? { note: note.trim() } : {}) } }).toPromise();
    setBusy(false);
    if (answer.data?.resolveProblemReport) {
      onClosed(`Report "${PROBLEM_KINDS[report.kind]}" on ${report.service.name} closed as ${resolution === 'RESOLVED' ? 'resolved' : 'dismissed'}.`);
      return;
    }
    const failure = answer.error ? readFailure(answer.error) : { kind: 'failed' as const, message: 'The report could not be closed.' };
    if (failure.kind === 'signed-out') return signOut('Your key is no longer accepted: sign in again.');
    setProblem(failure.kind === 'invalid' ? failure.problems.map((p) => p.message).join(' ') : failure.kind === 'failed' ? failure.message : 'The report could not be closed.');
  };

  return (
    <li class="report-item">
      <h3 id={titleId}>
        {showService ? (
          <>
            <Link href={`/partners/services/${encodeURIComponent(report.service.id)}`}>{report.service.name}</Link>: {PROBLEM_KINDS[report.kind]}
          </>
        ) : (
          PROBLEM_KINDS[report.kind]
        )}
      </h3>
      <p class="report-meta">
        Reported on {formatDayTime(report.createdAt)}
        {report.contactEmail ? (
          <>
            {' '}
            by <a href={`mailto:${report.contactEmail}`}>{report.contactEmail}</a>
          </>
        ) : (
          ' (no contact given)'
        )}
      </p>
      <p class="report-message">{report.message}</p>
      <div class="field">
        <label for={noteId}>What you did (optional)</label>
        <textarea id={noteId} rows={2} maxLength={2000} value={note} onInput={(event) => setNote(event.currentTarget.value)} aria-describedby={problem ? `${noteId}-error` : undefined} />
        {problem && (
          <p class="field-error" id={`${noteId}-error`} role="alert">
            {problem}
          </p>
        )}
      </div>
      <div class="button-row">
        <button type="button" disabled={busy} aria-describedby={titleId} onClick={() => close('RESOLVED')}>
          Resolved: the listing is put right
        </button>
        <button type="button" class="button-secondary" disabled={busy} aria-describedby={titleId} onClick={() => close('DISMISSED')}>
          Dismiss: it was right
        </button>
      </div>
    </li>
  );
}
