import { Router, type Response } from 'express';
import type { EntityManager } from '@mikro-orm/knex';
import type { Logger } from 'pino';
import type { Orm } from '../../orm';
import { confirmReviewLink, readReviewLink, type LinkRefusal } from './review-confirm';
import type { ReviewLinks } from './review-link';
import { reviewDueAt, type ReviewPolicy } from '../service/review-policy';

/**
 * The page a reminder's link opens: GET shows the listing and one button,
 * POST confirms it. Confirming on GET would let a mail scanner that follows
 * links confirm listings nobody looked at. Plain server-side HTML, every
 * value escaped, no scripts; never cached, never sends the link on
 * (Referrer-Policy), never indexed.
 */
export function reviewRouter({ orm, links, policy, logger }: { orm: Orm; links: ReviewLinks; policy: ReviewPolicy; logger: Logger }): Router {
  const router = Router();
  const em = () => orm.em.fork() as EntityManager;
  router.get('/:token', async (req, res) => {
    try {
      const state = await readReviewLink(em(), links, req.params.token, new Date());
      if (!state.ok) return refused(res, state.reason);
      page(res, 200, 'Are these details still correct?', [
        `<p>${escape(state.accountName)}, the directory lists <strong>${escape(state.serviceName)}</strong> (${escape(state.providerName)}), last checked on ${day(state.verifiedAt)}.</p>`,
        '<p>If its times, place, contact details and who it is for are all still right, say so here. If something has changed, edit the listing instead: that counts as a review too.</p>',
        `<form method="post"><button type="submit">These details are still correct</button></form>`,
      ]);
    } catch (error) {
      failed(res, logger, error);
    }
  });
  router.post('/:token', async (req, res) => {
    try {
      const state = await confirmReviewLink(em(), links, req.params.token, new Date());
      if (!state.ok) return refused(res, state.reason);
      logger.info({ serviceId: state.serviceId, reminderId: state.reminderId }, 'listing confirmed through a review link');
      page(res, 200, 'Thank you', [
        `<p><strong>${escape(state.serviceName)}</strong> is marked as checked today (${day(state.verifiedAt!)}). Its next review is due on ${day(reviewDueAt(state.verifiedAt!, policy))}.</p>`,
      ]);
    } catch (error) {
      failed(res, logger, error);
    }
  });
  return router;
}

const REFUSALS: Record<LinkRefusal, { status: number; title: string; text: string }> = {
  malformed: { status: 400, title: 'This link is not complete', text: 'The link is not one this directory sent. Copy the whole link from the email, or ask the directory team for a new reminder.' },
  forged: { status: 400, title: 'This link is not valid', text: 'The link is not one this directory sent. Use the link from your reminder email, or sign in with your API key and use confirmServiceDetails.' },
  expired: { status: 410, title: 'This link has expired', text: 'Review links work for a limited time. The next reminder brings a new one; or sign in with your API key and use confirmServiceDetails.' },
  used: { status: 410, title: 'This link has been used', text: 'The listing was already confirmed with this link; each link works once. Nothing more is needed.' },
  revoked: { status: 403, title: 'This link no longer works', text: 'The account it was sent to is disabled, or no longer looks after this provider. Ask the directory team.' },
};

function refused(res: Response, reason: LinkRefusal): void {
  const { status, title, text } = REFUSALS[reason];
  page(res, status, title, [`<p>${escape(text)}</p>`]);
}

function failed(res: Response, logger: Logger, error: unknown): void {
  logger.error({ err: error }, 'review link page failed');
  page(res, 500, 'Something went wrong', ['<p>The listing was not changed. Try the link again in a few minutes.</p>']);
}

function page(res: Response, status: number, title: string, body: string[]): void {
  res
    .status(status)
    .set({
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
      'X-Robots-Tag': 'noindex',
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
    })
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)} · Social prescribing directory</title>` +
        '<style>body{font:1.1rem/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}button{font:inherit;padding:.6rem 1.2rem;background:#005eb8;color:#fff;border:0;border-radius:4px;cursor:pointer}</style>' +
        `</head><body><main><h1>${escape(title)}</h1>${body.join('')}</main></body></html>`,
    );
}

const day = (date: Date) => date.toISOString().slice(0, 10);

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as HTML text: what a partner or an import wrote is shown, never run. */
function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}
