/**
 * Review reminders (modules/review/reminders.ts): emails each partner
 * account the list of its services due for review, with a one-step
 * confirmation link for each, never twice for the same due date.
 *
 *   npm run reminders                  # sends through SMTP_URL
 *   npm run reminders -- --dry-run     # prints what it would send, records nothing
 *
 * Without SMTP_URL it is always a dry run. The database is DATABASE_URL's
 * (default data/directory.sqlite), or --database. The review cycle is
 * REVIEW_INTERVAL_DAYS; links start with PUBLIC_URL and work for
 * REVIEW_LINK_DAYS. Exits 1 if any email could not be sent.
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import type { EntityManager } from '@mikro-orm/knex';
import { ConfigError, readConfig, readDatabaseOption } from '../config';
import { openDatabase } from '../orm';
import { smtpMailer } from '../modules/review/mailer';
import { sendReminders } from '../modules/review/reminders';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { database: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } } });
  const config = readConfig();
  const orm = await openDatabase(values.database ? readDatabaseOption(values.database) : config.database);
  const mailer = config.mail.smtpUrl && !values['dry-run'] ? smtpMailer(config.mail.smtpUrl) : undefined;
  try {
    const run = await sendReminders(orm.em.fork() as EntityManager, { ...config.mail, policy: config.review, mailer });
    if (run.dryRun) {
      console.log(`${config.mail.smtpUrl ? 'Dry run' : 'SMTP_URL is not set, so nothing is sent'}: ${run.emails.length} email(s) would go out; nothing is recorded.\n`);
      for (const email of run.emails) console.log(`To: ${email.message.to}\nSubject: ${email.message.subject}\n\n${email.message.text}\n${'-'.repeat(72)}`);
    } else {
      for (const email of run.emails) console.log(`Sent to ${email.to}: ${email.services.length} listing(s) due for review.`);
      console.log(`${run.emails.length} email(s) sent.`);
    }
    for (const failure of run.failed) console.error(`Not sent to ${failure.to} (account ${failure.accountId}): ${failure.error}`);
    return run.failed.length > 0 ? 1 : 0;
  } finally {
    mailer?.close();
    await orm.close(true);
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof ConfigError ? `Reminders failed: ${error.message}` : error);
    process.exit(1);
  },
);
