import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { NotFoundError } from '../../errors';
import { ANONYMOUS, type Viewer } from '../common/viewer';
import { parseTypedId } from '../common/global-id';
import { dialectOf } from '../common/dialect';
import { writeTransaction } from '../common/write-lock';
import { diffSnapshots, recordChange } from '../audit/audit';
import { Service } from '../service/service.entity';
import { isVisible } from '../service/service.visibility';
import { ProblemReport } from './problem-report.entity';
import { ProblemReportStatus, ProblemResolution } from './problem-report.enums';
import { mayReadReportsOf } from './problem-report.access';
import type { ProblemReportLimit } from './problem-report.limit';
import type { ReportProblemInput, ResolveProblemReportInput } from './problem-report.inputs';

/**
 * Every write of problem reports, each one transaction: anyone sending one
 * (within its address's hourly allowance), and its provider's partners or
 * an admin resolving or dismissing it (audited). Field formats (lengths,
 * the email) are checked earlier by the input classes' validators.
 */
export class ProblemReportWriter {
  constructor(
    private readonly em: EntityManager,
    private readonly viewer: Viewer,
    private readonly limit: ProblemReportLimit,
    /** Whose allowance a report spends. */
    private readonly clientAddress: string,
  ) {}

  /**
   * A report on a service the public can see. The allowance is spent before
   * the service is looked up: asking about ids costs as much as reporting,
   * and an address over its limit writes nothing. Drafts and archived
   * services are NOT_FOUND with the same sentence as ids that never existed,
   * so nobody learns a draft is there, whoever sends the report.
   */
  async report(input: ReportProblemInput): Promise<ProblemReport> {
    const serviceId = parseTypedId(input.serviceId, 'Service', 'input.serviceId');
    await this.limit.spend(this.clientAddress);
    return writeTransaction(this.em, async (tx) => {
      const service = await tx.findOne(Service, serviceId);
      if (!service || !isVisible(service, ANONYMOUS)) throw new NotFoundError('There is no service with this id.');
      const report = tx.create(ProblemReport, { service, kind: input.kind, message: input.message.trim(), contactEmail: input.contactEmail ?? null });
      await tx.flush();
      return report;
    });
  }

  /**
   * Closes a report as RESOLVED or DISMISSED, with who did it and when, and
   * its audit entry. A report the viewer may not read (another provider's)
   * is NOT_FOUND, as a draft is to those who may not see it
   * (ServiceWriter.editable): its id confirms nothing.
   *
   * Closing a report again the way it already is (same resolution, same
   * note) changes nothing and writes nothing, not a CONFLICT: the codebase's
   * rule for state changes (publishing a published service) and edits that
   * change nothing (assertChanged), so retrying a request whose answer was
   * lost is safe. Anything else (a new note, dismissing a resolved report)
   * is a new decision, written and audited like the first.
   */
  resolve(input: ResolveProblemReportInput): Promise<ProblemReport> {
    const id = parseTypedId(input.id, 'ProblemReport', 'input.id');
    return writeTransaction(this.em, async (tx) => {
      // On PostgreSQL two people closing one report at once take turns (SQLite writes one at a time anyway).
      const lockMode = dialectOf(tx.getKnex()) === 'postgresql' ? LockMode.PESSIMISTIC_WRITE : undefined;
      const report = await tx.findOne(ProblemReport, id, { lockMode, refresh: true });
      const service = report && (await tx.findOne(Service, report.service.id));
      if (!report || !service || !mayReadReportsOf(this.viewer, service.provider.id)) throw new NotFoundError('There is no problem report with this id.');
      const status = input.resolution === ProblemResolution.RESOLVED ? ProblemReportStatus.RESOLVED : ProblemReportStatus.DISMISSED;
      const note = input.note?.trim() || null;
      if (report.status === status && (report.resolutionNote ?? null) === note) return report;
      const before = picture(report);
      report.status = status;
      report.resolutionNote = note;
      report.resolvedAt = new Date();
      report.resolvedByAccountId = this.viewer.kind === 'account' ? this.viewer.accountId : null;
      await tx.flush();
      recordChange(tx, this.viewer, {
        entityType: 'ProblemReport',
        entityId: report.id,
        providerId: service.provider.id,
        action: status === ProblemReportStatus.RESOLVED ? 'RESOLVE' : 'DISMISS',
        changes: diffSnapshots(before, picture(report)),
        version: null,
      });
      return report;
    });
  }
}

/** What the audit trail keeps of a decision: not the message or the email, which stay on the report. */
function picture(report: ProblemReport): Record<string, unknown> {
  return { status: report.status, resolutionNote: report.resolutionNote ?? null };
}
