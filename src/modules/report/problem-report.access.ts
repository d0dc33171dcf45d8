import type { Knex } from '@mikro-orm/knex';
import { AccountRole, type Viewer } from '../common/viewer';

/**
 * Who reads problem reports: admins every one, a partner those on its own
 * provider's services, nobody else (the public sends them, never reads
 * them). Applied to every read path (the list, the counts on services)
 * and to resolving: a report the viewer may not read is, to them, not there.
 */
export function mayReadReportsOf(viewer: Viewer, providerId: number): boolean {
  if (viewer.kind !== 'account') return false;
  return viewer.role === AccountRole.ADMIN || (viewer.providerId !== null && viewer.providerId === providerId);
}

/** Keeps the reports (as `alias`) the viewer may read. */
export function restrictToReadable(q: Knex.QueryBuilder, alias: string, viewer: Viewer): Knex.QueryBuilder {
  if (viewer.kind === 'account' && viewer.role === AccountRole.ADMIN) return q;
  const providerId = viewer.kind === 'account' ? viewer.providerId : null;
  // A partner account without a provider (and anyone anonymous) reads none.
  if (providerId === null) return q.whereRaw('1 = 0');
  return q.whereIn(`${alias}.service_id`, (sub) => sub.from('service as rs').select('rs.id').where('rs.provider_id', providerId));
}
