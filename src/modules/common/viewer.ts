import { registerEnumType, type AuthChecker } from 'type-graphql';
import { ForbiddenError, UnauthenticatedError } from '../../errors';

export enum AccountRole {
  /** Edits one provider's profile and services. */
  PARTNER = 'PARTNER',
  /** The directory team: edits everything, manages accounts, reads the whole audit trail. */
  ADMIN = 'ADMIN',
}

registerEnumType(AccountRole, { name: 'AccountRole', description: 'PARTNER edits one provider and its services; ADMIN edits everything.' });

/**
 * Who is asking. Anonymous callers read the public directory; an account
 * (through one of its API keys) is a partner tied to one provider, or an admin.
 */
export type Viewer =
  | { kind: 'anonymous' }
  | { kind: 'account'; accountId: number; name: string; role: AccountRole; providerId: number | null; keyId: number; keyPrefix: string };

export const ANONYMOUS: Viewer = { kind: 'anonymous' };

export function isAdmin(viewer: Viewer): boolean {
  return viewer.kind === 'account' && viewer.role === AccountRole.ADMIN;
}

/** The provider a partner acts for; undefined for admins and anonymous callers. */
export function partnerProvider(viewer: Viewer): number | undefined {
  return viewer.kind === 'account' && viewer.role === AccountRole.PARTNER ? (viewer.providerId ?? undefined) : undefined;
}

/**
 * type-graphql's authChecker: `@Authorized()` needs any account,
 * `@Authorized(AccountRole.ADMIN)` an admin. Object-level rules (a partner
 * may only change its own provider's things) are `assertCanEditProvider`.
 */
export const authChecker: AuthChecker<{ viewer: Viewer }, AccountRole> = ({ context }, roles) => {
  const { viewer } = context;
  // Throwing our own errors gives clients UNAUTHENTICATED / FORBIDDEN with a sentence, not a generic denial.
  if (viewer.kind === 'anonymous') throw new UnauthenticatedError('Sign in with an API key (Authorization: Bearer <key>) to do this.');
  if (roles.length > 0 && !roles.includes(viewer.role)) throw new ForbiddenError(`Only ${roles.join(' or ').toLowerCase()} accounts may do this.`);
  return true;
};

/** Whether the viewer may change what belongs to this provider (an admin, or one of its partners). */
export function canEditProvider(viewer: Viewer, providerId: number): boolean {
  return viewer.kind === 'account' && (viewer.role === AccountRole.ADMIN || viewer.providerId === providerId);
}

/** The one object-level rule: admins edit anything, a partner only what belongs to its own provider. */
export function assertCanEditProvider(viewer: Viewer, providerId: number, what: string): void {
  if (viewer.kind === 'anonymous') throw new UnauthenticatedError('Sign in with an API key to change the directory.');
  if (viewer.role === AccountRole.ADMIN) return;
  if (viewer.providerId !== providerId) throw new ForbiddenError(`Your account may only change ${what} of its own provider.`);
}

/** How a change is attributed in the audit trail. */
export function actorOf(viewer: Viewer): { accountId: number | null; actor: string } {
  return viewer.kind === 'account' ? { accountId: viewer.accountId, actor: `${viewer.name} (key ${viewer.keyPrefix})` } : { accountId: null, actor: 'anonymous' };
}
