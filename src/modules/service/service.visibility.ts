import type { Knex } from '@mikro-orm/knex';
import { AccountRole } from '../common/viewer';
import type { Viewer } from '../common/viewer';
import type { Service } from './service.entity';

/**
 * Who sees which services: the public sees published, non-archived ones; a
 * partner also sees its own provider's drafts and archived services; an
 * admin sees everything. Applied to every read path: search, nested lists,
 * lookups by id.
 *
 * `hiddenBefore` (HIDE_STALE_SERVICES: review-policy.ts): a published
 * service last verified before then is hidden too, except from its own
 * provider and admins, who are the ones to confirm it.
 */
export function restrictToVisible(q: Knex.QueryBuilder, alias: string, viewer: Viewer, hiddenBefore?: Date): Knex.QueryBuilder {
  if (viewer.kind === 'account' && viewer.role === AccountRole.ADMIN) return q;
  const providerId = viewer.kind === 'account' ? viewer.providerId : null;
  return q.where((w) => {
    w.where((pub) => {
      pub.where(`${alias}.draft`, false).whereNull(`${alias}.archived_at`);
      if (hiddenBefore) pub.where(`${alias}.verified_at`, '>=', hiddenBefore);
    });
    if (providerId !== null) w.orWhere(`${alias}.provider_id`, providerId);
  });
}

export function isVisible(service: Service, viewer: Viewer, hiddenBefore?: Date): boolean {
  if (!service.draft && !service.archivedAt && !(hiddenBefore && service.verifiedAt < hiddenBefore)) return true;
  if (viewer.kind !== 'account') return false;
  return viewer.role === AccountRole.ADMIN || viewer.providerId === service.provider.id;
}
