import type { ServiceSummary } from './queries';

type Stateful = Pick<ServiceSummary, 'isDraft' | 'archivedAt' | 'status' | 'review' | 'openProblemReports' | 'importedFrom'>;

/** Where a listing stands, in words: who can see it. */
export function stateText(service: Stateful): string {
  if (service.archivedAt) return 'Archived: hidden from the public. Restore it to show it again.';
  if (service.isDraft) return 'Draft: only your organisation and the directory team can see it. Publish it when it is ready.';
  if (service.status === 'TEMPORARILY_CLOSED') return 'Paused: listed as temporarily closed, and left out of searches. Resume it when it runs again.';
  if (service.status === 'INACTIVE' || service.status === 'DEFUNCT') return 'Published, but marked as no longer running: left out of searches.';
  return 'Published: everyone can find it.';
}

/** The short tags beside a service in the list and at the top of its page. */
export function StateTags({ service }: { service: Stateful }) {
  const tags: Array<{ text: string; tone: 'neutral' | 'warn' | 'bad' }> = [];
  if (service.archivedAt) tags.push({ text: 'Archived', tone: 'neutral' });
  else if (service.isDraft) tags.push({ text: 'Draft', tone: 'neutral' });
  else tags.push({ text: 'Published', tone: 'neutral' });
  if (service.status === 'TEMPORARILY_CLOSED') tags.push({ text: 'Paused', tone: 'warn' });
  if (service.status === 'INACTIVE' || service.status === 'DEFUNCT') tags.push({ text: 'Not running', tone: 'warn' });
  if (service.review.isStale) tags.push({ text: 'Review overdue', tone: 'bad' });
  else if (service.review.isDue) tags.push({ text: 'Review due', tone: 'warn' });
  if (service.openProblemReports) tags.push({ text: `${service.openProblemReports} open ${service.openProblemReports === 1 ? 'report' : 'reports'}`, tone: 'bad' });
  if (service.importedFrom) tags.push({ text: 'Imported', tone: 'neutral' });
  return (
    <ul class="tags" aria-label="Status">
      {tags.map((tag) => (
        <li key={tag.text} class={`tag tag-${tag.tone}`}>
          {tag.text}
        </li>
      ))}
    </ul>
  );
}
