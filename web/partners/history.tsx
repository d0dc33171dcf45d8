import { useEffect, useRef } from 'preact/hooks';
import { useQuery } from '@urql/preact';
import { CAPACITY_LABELS, formatDayTime } from '../shared/format';
import { HISTORY_QUERY, type AuditEntry, type HistoryResult } from './queries';

const ACTIONS: Record<string, string> = {
  CREATE: 'Created',
  UPDATE: 'Details changed',
  PUBLISH: 'Published',
  PAUSE: 'Paused',
  ARCHIVE: 'Archived',
  RESTORE: 'Restored',
  CAPACITY: 'Referral status said',
  VERIFY: 'Confirmed as correct',
  DETACH: 'Detached from its source feed',
};

/** The audit trail's field names (src/modules/service/service.writer.ts, snapshot) as a partner reads them. */
const FIELDS: Record<string, string> = {
  name: 'Name',
  description: 'Description',
  status: 'Status',
  isDraft: 'Draft',
  archivedAt: 'Archived on',
  minimumAge: 'Youngest age',
  maximumAge: 'Oldest age',
  referralRoutes: 'Who can refer',
  deliveryModes: 'How it is offered',
  languages: 'Languages',
  'cost.free': 'Free',
  'cost.description': 'Cost details',
  'contact.phone': 'Phone',
  'contact.email': 'Email',
  'contact.url': 'Website',
  'howToRefer.formUrl': 'Referral form address',
  'howToRefer.email': 'Referral email',
  'howToRefer.phone': 'Referral phone',
  'howToRefer.instructions': 'What to include in a referral',
  'howToRefer.signpostingOnly': 'Takes no referrals',
  nationalScope: 'Offered nationally',
  areas: 'Areas served',
  categories: 'Categories',
  criteria: 'Who it is for',
  locations: 'Places and times',
  verifiedAt: 'Last checked',
  waitDays: 'Wait (days)',
  note: 'Note',
  setAt: 'Said on',
  importedFrom: 'Imported from',
};

const STATUS_WORDS: Record<string, string> = { ACTIVE: 'active', TEMPORARILY_CLOSED: 'paused (temporarily closed)', INACTIVE: 'inactive', DEFUNCT: 'closed for good' };

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

function valueText(field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '(empty)';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (field === 'status' && typeof value === 'string') return CAPACITY_LABELS[value] ?? STATUS_WORDS[value] ?? value;
  if (typeof value === 'string' && ISO_INSTANT.test(value)) return formatDayTime(value);
  if (typeof value === 'string') return value.length > 300 ? `“${value.slice(0, 300)}…”` : `“${value}”`;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value.length ? value.join(', ') : '(none)';
  const json = JSON.stringify(value);
  return json.length > 300 ? `${json.slice(0, 300)}…` : json;
}

/** One line per field that changed; a group stored whole (contact, how to refer, cost) is opened into the fields that changed inside it. */
function changeLines(entry: AuditEntry): Array<{ field: string; from: unknown; to: unknown }> {
  return entry.changes.flatMap((change) => {
    const { from, to } = change;
    const isGroup = (value: unknown) => value !== null && typeof value === 'object' && !Array.isArray(value);
    if (!['cost', 'contact', 'howToRefer'].includes(change.field) || !(isGroup(from) || isGroup(to))) return [change];
    const before = (from ?? {}) as Record<string, unknown>;
    const after = (to ?? {}) as Record<string, unknown>;
    return [...new Set([...Object.keys(before), ...Object.keys(after)])]
      .filter((key) => JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null))
      .map((key) => ({ field: `${change.field}.${key}`, from: before[key], to: after[key] }));
  });
}

/** The service's history from the audit trail: when, who, and what changed from what to what. Read again whenever the service's version moves. */
export function History({ serviceId, version }: { serviceId: string; version: number }) {
  const [result, reexecute] = useQuery<HistoryResult>({ query: HISTORY_QUERY, variables: { id: serviceId }, requestPolicy: 'network-only' });
  const seen = useRef(version);
  useEffect(() => {
    if (seen.current === version) return;
    seen.current = version;
    reexecute({ requestPolicy: 'network-only' });
  }, [version]);
  const trail = result.data?.auditTrail;
  return (
    <section class="panel" aria-labelledby="history-heading">
      <h2 id="history-heading">History</h2>
      {!trail && result.fetching && <p>Loading…</p>}
      {!trail && result.error && <p class="error">The history could not be read just now.</p>}
      {trail && trail.nodes.length === 0 && <p>No changes recorded yet.</p>}
      {trail && trail.nodes.length > 0 && (
        <>
          <p class="hint">
            {trail.totalCount > trail.nodes.length ? `The latest ${trail.nodes.length} of ${trail.totalCount} changes, newest first.` : 'Every change, newest first.'}
          </p>
          <ol class="history">
            {trail.nodes.map((entry) => ({ entry, lines: changeLines(entry) })).map(({ entry, lines }) => (
              <li key={entry.id}>
                <p class="history-what">
                  <strong>{ACTIONS[entry.action] ?? entry.action}</strong> on {formatDayTime(entry.at)} by {entry.actor}
                </p>
                {lines.length > 0 && (
                  <ul class="history-changes">
                    {lines.map((line) => (
                      <li key={line.field}>
                        {entry.action === 'CAPACITY' && line.field === 'status' ? 'Referral status' : (FIELDS[line.field] ?? line.field)}: was {valueText(line.field, line.from)}, now {valueText(line.field, line.to)}
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
