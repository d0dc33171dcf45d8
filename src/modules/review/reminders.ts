import type { EntityManager } from '@mikro-orm/knex';
import { toDate } from '../common/row-mapper';
import { serverSecret } from '../common/server-secret';
import { writeTransaction } from '../common/write-lock';
import { AccountRole } from '../common/viewer';
import { dueBefore, reviewDueAt, type ReviewPolicy } from '../service/review-policy';
import { ReviewLinks } from './review-link';
import { ReviewReminder } from './review-reminder.entity';
import type { Mailer, MailMessage } from './mailer';
import { DAY_MS } from '../common/time';


/** A service due for review, for one partner account of its provider. */
export interface DueService {
  serviceId: number;
  name: string;
  verifiedAt: Date;
  /** The due date it is reminded of: its review date, or the day a problem report flagged it (the earlier). */
  dueAt: Date;
  /** Open problem reports on it. */
  openReports: number;
}

export interface ReminderEmail {
  accountId: number;
  accountName: string;
  to: string;
  services: DueService[];
  message: MailMessage;
}

export interface ReminderRun {
  /** What was sent (or, without a mailer, what would have been). */
  emails: ReminderEmail[];
  /** Accounts whose email could not be sent: nothing is recorded for them, so the next run tries again. */
  failed: Array<{ accountId: number; to: string; error: string }>;
  dryRun: boolean;
}

export interface ReminderOptions {
  policy: ReviewPolicy;
  /** The start of the links: PUBLIC_URL. */
  publicUrl: string;
  linkDays: number;
  /** SMTP through nodemailer; undefined: a dry run that records nothing. */
  mailer?: Mailer;
  from: string;
  now?: Date;
}

/**
 * Emails each partner account that has an email address the list of its
 * provider's published services due for review, each with its own
 * confirmation link (review-link.ts). A service's due date is reminded of
 * once per account: the rows are written before the email is sent (the
 * unique key stops a second instance, or a second run, from sending it
 * again), and removed if sending fails, so the next run tries again.
 */
export async function sendReminders(em: EntityManager, options: ReminderOptions): Promise<ReminderRun> {
  const now = options.now ?? new Date();
  const links = new ReviewLinks(await serverSecret(em, 'review-links'));
  const byAccount = await dueForReminders(em, options.policy, now);
  const run: ReminderRun = { emails: [], failed: [], dryRun: options.mailer === undefined };
  for (const group of byAccount) {
    if (group.services.length === 0) continue;
    const expiresAt = new Date(now.getTime() + options.linkDays * DAY_MS);
    if (!options.mailer) {
      const message = composeReminder(group, options, group.services.map(() => `${options.publicUrl}/review/<link made when it is sent>`), expiresAt);
      run.emails.push({ ...group, message });
      continue;
    }
    let reminders: ReviewReminder[];
    try {
      reminders = await writeTransaction(em, async (tx) => {
        const rows = group.services.map((service) => tx.create(ReviewReminder, { serviceId: service.serviceId, accountId: group.accountId, dueAt: service.dueAt, email: group.to, sentAt: now, expiresAt }));
        await tx.flush();
        return rows;
      });
    } catch (error) {
      // Another instance claimed them first (the unique key): it sends them.
      run.failed.push({ accountId: group.accountId, to: group.to, error: `not claimed: ${(error as Error).message}` });
      continue;
    }
    const message = composeReminder(group, options, reminders.map((r) => `${options.publicUrl}/review/${links.sign({ reminderId: r.id, expiresAt })}`), expiresAt);
    try {
      await options.mailer.send(message);
      run.emails.push({ ...group, message });
    } catch (error) {
      await writeTransaction(em, (tx) => tx.nativeDelete(ReviewReminder, { id: { $in: reminders.map((r) => r.id) } }));
      run.failed.push({ accountId: group.accountId, to: group.to, error: (error as Error).message });
    }
  }
  return run;
}

/**
 * Each partner account with an email address (and not disabled), with its
 * provider's published, non-archived services due for review (or flagged
 * by an open problem report) that it has not been reminded of for that due
 * date yet.
 */
export async function dueForReminders(em: EntityManager, policy: ReviewPolicy, now: Date): Promise<Array<Omit<ReminderEmail, 'message'>>> {
  const knex = em.getKnex();
  const due = dueBefore(now, policy);
  const rows = await knex
    .from('account as a')
    .join('service as s', 's.provider_id', 'a.provider_id')
    .leftJoin(knex.from('problem_report').select('service_id').min({ first_report: 'created_at' }).count({ reports: '*' }).where('status', 'OPEN').groupBy('service_id').as('pr'), 'pr.service_id', 's.id')
    .select('a.id as account_id', 'a.name as account_name', 'a.email', 's.id as service_id', 's.name', 's.verified_at', 'pr.first_report', 'pr.reports')
    .where('a.role', AccountRole.PARTNER)
    .where('a.disabled', false)
    .whereNotNull('a.email')
    .where('s.draft', false)
    .whereNull('s.archived_at')
    .where((w) => w.where('s.verified_at', '<', due).orWhereNotNull('pr.service_id'))
    .orderBy([{ column: 'a.id' }, { column: 's.name' }, { column: 's.id' }]);
  const sent = new Set(
    (await knex.from('review_reminder').select('service_id', 'account_id', 'due_at').whereIn('service_id', [...new Set(rows.map((r) => Number(r.service_id)))])).map((r) => reminderKey(Number(r.service_id), Number(r.account_id), toDate(r.due_at)!)),
  );
  const groups = new Map<number, Omit<ReminderEmail, 'message'>>();
  for (const row of rows) {
    const verifiedAt = toDate(row.verified_at)!;
    const byDate = reviewDueAt(verifiedAt, policy);
    const reported = row.first_report === null || row.first_report === undefined ? undefined : toDate(row.first_report)!;
    // Flagged by a report before its review date: reminded of as due from the report's day.
    const dueAt = reported && reported < byDate ? reported : byDate;
    const accountId = Number(row.account_id);
    if (sent.has(reminderKey(Number(row.service_id), accountId, dueAt))) continue;
    const group = groups.get(accountId) ?? { accountId, accountName: String(row.account_name), to: String(row.email), services: [] as DueService[] };
    group.services.push({ serviceId: Number(row.service_id), name: row.name, verifiedAt, dueAt, openReports: Number(row.reports ?? 0) });
    groups.set(accountId, group);
  }
  return [...groups.values()];
}

function reminderKey(serviceId: number, accountId: number, dueAt: Date): string {
  return `${serviceId}:${accountId}:${dueAt.getTime()}`;
}

/** The reminder as plain text: nothing a partner typed is ever read as HTML. */
function composeReminder(group: Omit<ReminderEmail, 'message'>, options: ReminderOptions, links: string[], expiresAt: Date): MailMessage {
  const day = (date: Date) => date.toISOString().slice(0, 10);
  const count = group.services.length;
  const lines = group.services.map((service, i) => {
    const why = service.openReports > 0 ? `${service.openReports} open problem report${service.openReports === 1 ? '' : 's'}` : `last checked ${day(service.verifiedAt)}, due ${day(service.dueAt)}`;
    return `- ${service.name} (${why})\n  Still correct? Confirm it in one step: ${links[i]}`;
  });
  return {
    from: options.from,
    to: group.to,
    subject: `${count} listing${count === 1 ? '' : 's'} due for review in the social prescribing directory`,
    text: [
      `Hello ${group.accountName},`,
      '',
      `People are referred to services from this directory, so it asks every provider to check its listings every ${options.policy.intervalDays} days.`,
      `${count === 1 ? 'This listing is' : 'These listings are'} due for review:`,
      '',
      ...lines,
      '',
      `If something has changed, edit the listing through the API (updateService); that counts as a review too.`,
      `Each link works once, until ${day(expiresAt)}.`,
      '',
      'The social prescribing directory',
    ].join('\n'),
  };
}
