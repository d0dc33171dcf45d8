import type { EntityManager } from '@mikro-orm/knex';
import { recordChange } from '../audit/audit';
import { toDate } from '../common/row-mapper';
import { sqlOf, writeTransaction } from '../common/write-lock';
import { AccountRole } from '../common/viewer';
import { Service } from '../service/service.entity';
import { Verifier } from '../service/service.enums';
import type { ReviewLinks } from './review-link';

/** What a reminder link leads to: the listing it is for, or why it no longer works. */
export type LinkState =
  | { ok: true; reminderId: number; serviceId: number; serviceName: string; providerName: string; verifiedAt: Date; accountName: string }
  | { ok: false; reason: LinkRefusal };

/**
 * - malformed, forged: not a link this directory sent;
 * - expired: older than REVIEW_LINK_DAYS;
 * - used: it already confirmed the listing once;
 * - revoked: the account it was sent to is disabled, or no longer the provider's.
 */
export type LinkRefusal = 'malformed' | 'forged' | 'expired' | 'used' | 'revoked';

/** Reads a link without using it (the page a partner lands on). */
export async function readReviewLink(em: EntityManager, links: ReviewLinks, token: string, now: Date): Promise<LinkState> {
  const read = links.read(token, now);
  if (!read.ok) return { ok: false, reason: read.refusal };
  const row = await sqlOf(em)
    .from('review_reminder as r')
    .join('service as s', 's.id', 'r.service_id')
    .join('provider as p', 'p.id', 's.provider_id')
    .join('account as a', 'a.id', 'r.account_id')
    .where('r.id', read.claim.reminderId)
    .first('r.id', 'r.used_at', 'r.expires_at', 's.id as service_id', 's.name', 's.verified_at', 's.provider_id', 'p.name as provider_name', 'a.name as account_name', 'a.role', 'a.disabled', 'a.provider_id as account_provider_id');
  // Signed by this server, but for a row that is gone (a database restored from before it was sent).
  if (!row) return { ok: false, reason: 'forged' };
  if (row.used_at !== null) return { ok: false, reason: 'used' };
  if (toDate(row.expires_at)! <= now) return { ok: false, reason: 'expired' };
  if (row.disabled || row.role !== AccountRole.PARTNER || Number(row.account_provider_id) !== Number(row.provider_id)) return { ok: false, reason: 'revoked' };
  return { ok: true, reminderId: Number(row.id), serviceId: Number(row.service_id), serviceName: row.name, providerName: row.provider_name, verifiedAt: toDate(row.verified_at)!, accountName: row.account_name };
}

/**
 * Uses a link: "these details are still correct", as the account the
 * reminder went to. The link is spent and the service verified in one
 * transaction; the link's row is claimed with `used_at is null`, so two
 * clicks at once confirm once. Audited like confirmServiceDetails, the
 * version goes up the same way.
 */
export function confirmReviewLink(em: EntityManager, links: ReviewLinks, token: string, now = new Date()): Promise<LinkState & { verifiedAt?: Date }> {
  return writeTransaction(em, async (tx) => {
    const state = await readReviewLink(tx, links, token, now);
    if (!state.ok) return state;
    const claimed = await sqlOf(tx)('review_reminder').where('id', state.reminderId).whereNull('used_at').update({ used_at: tx.getPlatform().processDateProperty(now) });
    if (claimed === 0) return { ok: false, reason: 'used' };
    const service = await tx.findOneOrFail(Service, state.serviceId);
    const before = service.verifiedAt;
    service.version += 1;
    service.verifiedAt = now;
    service.verifiedBy = Verifier.PROVIDER;
    service.verifiedByName = state.accountName;
    await tx.flush();
    recordChange(tx, { actor: `${state.accountName} (review reminder link)` }, {
      entityType: 'Service',
      entityId: service.id,
      providerId: service.provider.id,
      action: 'VERIFY',
      changes: [{ field: 'verifiedAt', from: before.toISOString(), to: now.toISOString() }],
      version: service.version,
    });
    return { ...state, verifiedAt: now };
  });
}
