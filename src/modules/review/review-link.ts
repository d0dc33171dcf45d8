import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The token in a reminder's confirmation link: which reminder row it is
 * for and until when it works, signed with the server's secret
 * (HMAC-SHA256), so a token nobody was sent cannot be made up and an
 * expired one is refused before the database is asked. That it works only
 * once is the reminder row's `used_at` (reminders.ts).
 *
 *   <reminder id>.<expiry, ms since 1970>.<signature, base64url>
 */
export interface ReviewLinkClaim {
  reminderId: number;
  expiresAt: Date;
}

/** Why a token is refused, as the page says it. */
export type ReviewLinkRefusal = 'malformed' | 'forged' | 'expired';

export class ReviewLinks {
  constructor(private readonly secret: Buffer) {}

  sign(claim: ReviewLinkClaim): string {
    const body = `${claim.reminderId}.${claim.expiresAt.getTime()}`;
    return `${body}.${this.signature(body)}`;
  }

  /** The claim of a token this server signed and that has not expired, or why not. */
  read(token: string, now: Date): { ok: true; claim: ReviewLinkClaim } | { ok: false; refusal: ReviewLinkRefusal } {
    const parts = /^(\d{1,15})\.(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!parts) return { ok: false, refusal: 'malformed' };
    const [, id, expires, signature] = parts;
    const expected = Buffer.from(this.signature(`${id}.${expires}`));
    if (!timingSafeEqual(expected, Buffer.from(signature))) return { ok: false, refusal: 'forged' };
    const expiresAt = new Date(Number(expires));
    if (expiresAt <= now) return { ok: false, refusal: 'expired' };
    return { ok: true, claim: { reminderId: Number(id), expiresAt } };
  }

  private signature(body: string): string {
    return createHmac('sha256', this.secret).update(`review-link:${body}`).digest('base64url');
  }
}
