import type { DocumentNode } from 'graphql';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useClient, useQuery } from '@urql/preact';
import { CAPACITY_LABELS, capacityText, formatDate } from '../shared/format';
import { Link } from '../shared/router';
import { fieldMessage, readFailure, type Failure, type FieldProblem } from './errors';
import { History } from './history';
import { ProblemReports } from './problem-reports';
import {
  ARCHIVE_SERVICE,
  CONFIRM_DETAILS,
  PAUSE_SERVICE,
  PUBLISH_SERVICE,
  RESTORE_SERVICE,
  SERVICE_QUERY,
  SET_CAPACITY,
  UPDATE_SERVICE,
  type CapacityStatus,
  type PartnerService,
  type ServiceMutationResult,
  type ServiceResult,
} from './queries';
import { ServiceForm, type SaveOutcome } from './service-form';
import { useSession } from './session-context';
import { StateTags, stateText } from './state';

/** A version-checked mutation of this service: its answer, or why it failed. */
type Run = (document: DocumentNode, field: string, input?: Record<string, unknown>) => Promise<{ service: PartnerService } | Failure>;

/**
 * One service, for its partner: quick updates (taking referrals, still correct, publish / pause /
 * archive / restore), the edit form, open problem reports and the history.
 *
 * Every change sends the version this page last knew (`version`): the one it loaded, then the one each
 * of its own changes returned. A change someone else saved in between is a CONFLICT: the page says so
 * and keeps what was typed until the partner chooses to reload the latest version.
 */
export function ServicePage({ id }: { id: string }) {
  const client = useClient();
  const { signOut } = useSession();
  // Always from the server on opening: a version the cache kept from earlier could be older than the details.
  const [result] = useQuery<ServiceResult>({ query: SERVICE_QUERY, variables: { id }, requestPolicy: 'network-only' });
  const service = result.data?.service;
  const version = useRef<number | null>(null);
  const [formStart, setFormStart] = useState<PartnerService | null>(null);
  const [generation, setGeneration] = useState(0);
  const [conflict, setConflict] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const banner = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (service && version.current === null) {
      version.current = service.version;
      setFormStart(service);
      document.title = `${service.name} - Update your listings`;
      heading.current?.focus();
    }
  }, [service?.id]);

  useEffect(() => {
    if (conflict) banner.current?.focus();
  }, [conflict]);

  // One change at a time: two panels clicked in quick succession would otherwise both send the version read
  // before either answered, and the second would be refused as a CONFLICT nobody else caused.
  const previous = useRef<Promise<unknown>>(Promise.resolve());
  const run: Run = (document, field, input = {}) => {
    const turn = previous.current.then(() => send(document, field, input));
    previous.current = turn.catch(() => undefined);
    return turn;
  };

  const send: Run = async (document, field, input = {}) => {
    const answer = await client.mutation<ServiceMutationResult>(document, { input: { id, version: version.current, ...input } }).toPromise();
    const saved = answer.data?.[field]?.service;
    if (saved) {
      version.current = saved.version;
      setNotice(null);
      return { service: saved };
    }
    const failure: Failure = answer.error ? readFailure(answer.error) : { kind: 'failed', message: 'Something went wrong, and nothing was saved. Try again in a moment.' };
    if (failure.kind === 'conflict') setConflict(true);
    if (failure.kind === 'signed-out') signOut('Your key is no longer accepted (it may have been revoked): sign in again.');
    return failure;
  };

  const reload = async () => {
    const answer = await client.query<ServiceResult>(SERVICE_QUERY, { id }, { requestPolicy: 'network-only' }).toPromise();
    const latest = answer.data?.service;
    if (!latest) return setNotice('The latest version could not be read just now. Try again in a moment.');
    version.current = latest.version;
    setFormStart(latest);
    setGeneration((current) => current + 1);
    setConflict(false);
    setNotice('This is the latest version, with the other changes. Make your changes again, then save.');
    heading.current?.focus();
  };

  const save = async (input: Record<string, unknown>): Promise<SaveOutcome> => {
    const outcome = await run(UPDATE_SERVICE, 'updateService', input);
    if ('service' in outcome) return { saved: outcome.service };
    if (outcome.kind === 'invalid') return { saved: null, problems: outcome.problems };
    if (outcome.kind === 'conflict') return { saved: null, message: 'Not saved: someone else changed this service since you opened it (see the top of the page).' };
    if (outcome.kind === 'failed') return { saved: null, message: outcome.message };
    return { saved: null };
  };

  if (!service) {
    return (
      <div class="service-editor">
        <p class="back">
          <Link href="/partners">Your services</Link>
        </p>
        {result.fetching ? (
          <p role="status">Loading…</p>
        ) : (
          <>
            <h1>Service not found</h1>
            <p>{result.error ? 'The service could not be read just now. Try again in a moment.' : 'It is not in the directory, or it belongs to another organisation.'}</p>
          </>
        )}
      </div>
    );
  }

  const imported = service.importedFrom !== null;
  return (
    <div class="service-editor">
      <p class="back">
        <Link href="/partners">Your services</Link>
      </p>
      <h1 ref={heading} tabIndex={-1}>
        {service.name}
      </h1>
      <StateTags service={service} />

      {conflict && (
        <div class="conflict" ref={banner} tabIndex={-1} role="alert" aria-labelledby="conflict-heading">
          <h2 id="conflict-heading">Someone else changed this service since you opened it</h2>
          <p>Nothing was saved. What you typed is still in the form below. Reload the latest version to see their changes: your unsaved edits will then be lost, so copy anything you want to keep first.</p>
          <button type="button" onClick={reload}>
            Reload the latest version
          </button>
        </div>
      )}
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      {imported && (
        <p class="notice">
          This service is kept up to date from {service.importedFrom}, where it was imported from: change it there, or ask the directory team to let you edit it here.
        </p>
      )}

      <div class="quick-updates">
        <CapacityPanel key={`capacity-${generation}`} service={service} run={run} disabled={imported} />
        <ReviewPanel service={service} run={run} disabled={imported} />
        <ListingPanel service={service} run={run} disabled={imported} />
      </div>

      <section class="panel" aria-labelledby="edit-heading">
        <h2 id="edit-heading">Edit the details</h2>
        <p class="hint">Change what you need, then save. The changes show on the public page at once (for a published service).</p>
        {formStart && <ServiceForm key={generation} service={formStart} disabled={imported} onSave={save} />}
      </section>

      <ProblemReports serviceId={service.id} />
      <History serviceId={service.id} version={service.version} />
    </div>
  );
}

const CAPACITY_CHOICES: CapacityStatus[] = ['TAKING_REFERRALS', 'WAITING_LIST', 'NOT_TAKING_REFERRALS'];
const CAPACITY_FIELD_LABELS: Record<string, string> = { waitDays: 'Wait', note: 'Note' };

/** "Taking referrals?" in one click: the status button, with the wait and note typed above it. */
function CapacityPanel({ service, run, disabled }: { service: PartnerService; run: Run; disabled: boolean }) {
  const [wait, setWait] = useState(service.capacity.waitDays === null ? '' : String(service.capacity.waitDays));
  const [note, setNote] = useState(service.capacity.note ?? '');
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [status, setStatus] = useState<{ text: string; error?: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const capacity = service.capacity;

  const say = async (choice: CapacityStatus) => {
    const waitDays = wait.trim() === '' ? null : /^\d{1,3}$/.test(wait.trim()) ? Number(wait.trim()) : NaN;
    // The problem shows at its field; the status line (a live region) says there is one.
    const refused = (found: FieldProblem[]) => {
      setProblems(found);
      setStatus({ text: 'Not saved: see the problem above.', error: true });
    };
    if (Number.isNaN(waitDays)) return refused([{ path: 'waitDays', message: 'must be a whole number of days, like 14, or empty.' }]);
    setBusy(true);
    setStatus({ text: 'Saving…' });
    const outcome = await run(SET_CAPACITY, 'setServiceCapacity', { status: choice, waitDays, note: note.trim() || null });
    setBusy(false);
    if ('service' in outcome) {
      setProblems([]);
      setStatus({ text: `Saved: ${capacityText(outcome.service.capacity)}.` });
    } else if (outcome.kind === 'invalid') {
      refused(outcome.problems);
    } else {
      setStatus({ text: outcome.kind === 'failed' ? outcome.message : 'Not saved.', error: true });
    }
  };

  const problemAt = (path: string) => problems.find((problem) => problem.path === path);
  const errorFor = (path: string, id: string) => {
    const problem = problemAt(path);
    return problem ? (
      <p class="field-error" id={`${id}-error`}>
        <span class="visually-hidden">Error: </span>
        {fieldMessage(path, CAPACITY_FIELD_LABELS[path] ?? path, problem.message)}
      </p>
    ) : null;
  };
  const others = problems.filter((problem) => !(problem.path in CAPACITY_FIELD_LABELS));

  return (
    <section class="panel quick" aria-labelledby="capacity-heading">
      <h2 id="capacity-heading">Taking referrals?</h2>
      {!capacity.setAt ? (
        <p class="current">Now: not said yet.</p>
      ) : capacity.isStale ? (
        <p class="current due">Now: not known. It was last said on {formatDate(capacity.setAt)}, too long ago to rely on: say it again.</p>
      ) : (
        <p class="current">
          Now: <strong>{capacityText(capacity)}</strong>, said on {formatDate(capacity.setAt)}.
        </p>
      )}
      {capacity.note && !capacity.isStale && <p class="current-note">Note: {capacity.note}</p>}
      <div class="field">
        <label for="capacity-wait">Wait, in days (optional)</label>
        <p class="hint" id="capacity-wait-hint">
          For a waiting list: about how long before someone referred is seen.
        </p>
        {errorFor('waitDays', 'capacity-wait')}
        <input
          id="capacity-wait"
          type="text"
          inputMode="numeric"
          autocomplete="off"
          class="input-short"
          value={wait}
          aria-invalid={problemAt('waitDays') ? 'true' : undefined}
          aria-describedby={problemAt('waitDays') ? 'capacity-wait-hint capacity-wait-error' : 'capacity-wait-hint'}
          onInput={(event) => setWait(event.currentTarget.value)}
        />
      </div>
      <div class="field">
        <label for="capacity-note">Note (optional)</label>
        <p class="hint" id="capacity-note-hint">
          e.g. New groups start in March.
        </p>
        {errorFor('note', 'capacity-note')}
        <input
          id="capacity-note"
          type="text"
          autocomplete="off"
          maxLength={500}
          value={note}
          aria-invalid={problemAt('note') ? 'true' : undefined}
          aria-describedby={problemAt('note') ? 'capacity-note-hint capacity-note-error' : 'capacity-note-hint'}
          onInput={(event) => setNote(event.currentTarget.value)}
        />
      </div>
      {others.length > 0 && <p class="field-error">{others.map((problem) => problem.message).join(' ')}</p>}
      <p class="button-intro" id="capacity-say">
        Say that it is:
      </p>
      <div class="button-row" role="group" aria-labelledby="capacity-say">
        {CAPACITY_CHOICES.map((choice) => (
          <button key={choice} type="button" class={choice === capacity.status ? undefined : 'button-secondary'} aria-pressed={choice === capacity.status} disabled={disabled || busy} onClick={() => say(choice)}>
            {CAPACITY_LABELS[choice]}
          </button>
        ))}
      </div>
      <p class={status?.error ? 'form-status error' : 'form-status'} role="status">
        {status?.text ?? ''}
      </p>
    </section>
  );
}

/** "These details are still correct": the review cycle starts again, nothing else changes. */
function ReviewPanel({ service, run, disabled }: { service: PartnerService; run: Run; disabled: boolean }) {
  const [status, setStatus] = useState<{ text: string; error?: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const review = service.review;

  const confirm = async () => {
    setBusy(true);
    setStatus({ text: 'Saving…' });
    const outcome = await run(CONFIRM_DETAILS, 'confirmServiceDetails');
    setBusy(false);
    if ('service' in outcome) setStatus({ text: `Thank you: marked as checked on ${formatDate(outcome.service.review.lastVerifiedAt)}.` });
    else setStatus({ text: outcome.kind === 'failed' ? outcome.message : 'Not saved.', error: true });
  };

  return (
    <section class="panel quick" aria-labelledby="review-heading">
      <h2 id="review-heading">Still correct?</h2>
      <p class={review.isDue ? 'current due' : 'current'}>
        {review.isStale
          ? `Overdue for review since ${formatDate(review.reviewDueAt)}: it now shows below checked listings.`
          : review.isDue
            ? `Due for review since ${formatDate(review.reviewDueAt)}.`
            : `Next review due by ${formatDate(review.reviewDueAt)}.`}
      </p>
      <p class="verified-line">
        Last checked on {formatDate(review.lastVerifiedAt)}
        {review.verifiedByName ? ` by ${review.verifiedByName}` : ''}.
      </p>
      <p class="hint">If every detail below is still right, say so: nothing else changes. Any saved change counts as a check too.</p>
      <button type="button" disabled={disabled || busy} onClick={confirm}>
        These details are still correct
      </button>
      <p class={status?.error ? 'form-status error' : 'form-status'} role="status">
        {status?.text ?? ''}
      </p>
    </section>
  );
}

/** Publish, pause (and resume), archive and restore, as the service's state allows. */
function ListingPanel({ service, run, disabled }: { service: PartnerService; run: Run; disabled: boolean }) {
  const [status, setStatus] = useState<{ text: string; error?: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const statusLine = useRef<HTMLParagraphElement>(null);
  const archived = service.archivedAt !== null;
  const paused = service.status === 'TEMPORARILY_CLOSED';
  const stopped = service.status === 'INACTIVE' || service.status === 'DEFUNCT';

  const change = async (document: DocumentNode, field: string, done: string, input?: Record<string, unknown>) => {
    setBusy(true);
    const outcome = await run(document, field, input);
    setBusy(false);
    setStatus('service' in outcome ? { text: done } : { text: outcome.kind === 'failed' ? outcome.message : 'Not saved.', error: true });
    // The button pressed is gone with the state it offered: the focus goes to what happened.
    statusLine.current?.focus();
  };

  const actions: Array<{ label: string; run: () => void; secondary?: boolean }> = [];
  if (service.isDraft && !archived) actions.push({ label: 'Publish', run: () => change(PUBLISH_SERVICE, 'publishService', 'Published: everyone can find it now.') });
  if (!service.isDraft && !archived && !paused && !stopped) actions.push({ label: 'Pause', secondary: true, run: () => change(PAUSE_SERVICE, 'pauseService', 'Paused: it shows as temporarily closed.') });
  // Resuming is an update of the status (the API has no resumeService): the page's version goes with it, as with every change.
  if ((paused || stopped) && !archived) {
    actions.push({ label: paused ? 'Resume' : 'Mark as running', run: () => change(UPDATE_SERVICE, 'updateService', 'Running again: it is back in searches.', { status: 'ACTIVE' }) });
  }
  if (!archived) actions.push({ label: 'Archive', secondary: true, run: () => change(ARCHIVE_SERVICE, 'archiveService', 'Archived: hidden from the public. Restore it to show it again.') });
  if (archived) actions.push({ label: 'Restore', run: () => change(RESTORE_SERVICE, 'restoreService', 'Restored.') });

  return (
    <section class="panel quick" aria-labelledby="listing-heading">
      <h2 id="listing-heading">Listing</h2>
      <p class="current">{stateText(service)}</p>
      {!service.isDraft && !archived && (
        <p>
          <a href={`/services/${encodeURIComponent(service.id)}`}>See its public page</a>
        </p>
      )}
      <div class="button-row">
        {actions.map((action) => (
          <button key={action.label} type="button" class={action.secondary ? 'button-secondary' : undefined} disabled={disabled || busy} onClick={action.run}>
            {action.label}
          </button>
        ))}
      </div>
      <p ref={statusLine} tabIndex={-1} class={status?.error ? 'form-status error' : 'form-status'} role="status">
        {status?.text ?? ''}
      </p>
    </section>
  );
}
