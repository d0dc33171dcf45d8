import type { EntityManager } from '@mikro-orm/knex';
import type { Logger } from 'pino';
import type { Orm } from '../../orm';
import type { MailConfig } from '../../config';
import { smtpMailer } from './mailer';
import { sendReminders } from './reminders';
import type { ReviewPolicy } from '../service/review-policy';
import { HOUR_MS } from '../common/time';

/** The first run waits a minute after start-up, so a restart loop cannot send a burst. */
export const FIRST_RUN_DELAY_MS = 60_000;

/**
 * `npm run reminders` on a timer inside the server (REMINDERS_EVERY_HOURS).
 * Several instances may all run it: the reminder rows' unique key lets one
 * of them send each email (reminders.ts). A failing run is logged, and the
 * next one tries again.
 */
export class ReminderSchedule {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  private constructor(
    private readonly orm: Orm,
    private readonly options: Required<Pick<MailConfig, 'smtpUrl'>> & MailConfig & { policy: ReviewPolicy; everyHours: number; logger: Logger; firstRunDelayMs?: number },
  ) {}

  static start(orm: Orm, options: ReminderSchedule['options']): ReminderSchedule {
    const schedule = new ReminderSchedule(orm, options);
    schedule.timer = setTimeout(() => schedule.tick(), options.firstRunDelayMs ?? FIRST_RUN_DELAY_MS);
    schedule.timer.unref();
    options.logger.info({ everyHours: options.everyHours }, 'review reminders are sent from this server');
    return schedule;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    this.running ??= this.runOnce().finally(() => {
      this.running = undefined;
      if (this.timer) {
        this.timer = setTimeout(() => this.tick(), this.options.everyHours * HOUR_MS);
        this.timer.unref();
      }
    });
  }

  private async runOnce(): Promise<void> {
    const { logger } = this.options;
    const mailer = smtpMailer(this.options.smtpUrl);
    try {
      const run = await sendReminders(this.orm.em.fork() as EntityManager, { ...this.options, mailer });
      logger.info({ emails: run.emails.length, services: run.emails.reduce((n, e) => n + e.services.length, 0), failed: run.failed.length }, 'review reminders sent');
      for (const failure of run.failed) logger.warn(failure, 'a review reminder was not sent');
    } catch (error) {
      logger.error({ err: error }, 'review reminders failed');
    } finally {
      mailer.close();
    }
  }
}
