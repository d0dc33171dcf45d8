import { Arg, Args, Authorized, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { PageArgs, type Connection } from '../common/connection';
import { parseTypedId } from '../common/global-id';
import { whenKnown, type Loaded } from '../common/loaders';
import { VALIDATED } from '../common/validation';
import { Service } from '../service/service.entity';
import { ProblemReport, ProblemReportConnection } from './problem-report.entity';
import { ProblemReportStatus } from './problem-report.enums';
import { ProblemReportFilter, ProblemReportPayload, ReportProblemInput, ReportProblemPayload, ResolveProblemReportInput } from './problem-report.inputs';
import { ProblemReportWriter } from './problem-report.writer';

/** Anyone reports a problem with a listing; its provider's partners and admins read and close the reports. */
@Resolver(() => ProblemReport)
export class ProblemReportResolver {
  @Mutation(() => ReportProblemPayload, {
    description: 'Say that a listing is wrong (no sign-in needed). A few reports an hour per address (PROBLEM_REPORTS_PER_HOUR); the answer says only that it was received.',
  })
  async reportProblem(@Arg('input', () => ReportProblemInput, { validate: VALIDATED }) input: ReportProblemInput, @Ctx() { em, viewer, problemReportLimit, clientAddress }: Context): Promise<ReportProblemPayload> {
    const report = await new ProblemReportWriter(em, viewer, problemReportLimit, clientAddress).report(input);
    return { report: { id: report.globalId, kind: report.kind, createdAt: report.createdAt } };
  }

  @Authorized()
  @Query(() => ProblemReportConnection, { nullable: true, description: "Reports that listings are wrong, newest first: partners those on their own provider's services, admins all. Open ones unless filter.status says otherwise." })
  problemReports(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => ProblemReportFilter, { nullable: true }) filter: ProblemReportFilter | null,
    @Ctx() { repos }: Context,
  ): Promise<Connection<ProblemReport>> {
    const statuses = filter?.status?.length ? filter.status : [ProblemReportStatus.OPEN];
    const serviceId = filter?.serviceId ? parseTypedId(filter.serviceId, 'Service', 'filter.serviceId') : undefined;
    return repos.problemReport.list({ statuses, serviceId }, page);
  }

  @Authorized()
  @Mutation(() => ProblemReportPayload, { description: "Close a report on one of your provider's services (admins: any) as RESOLVED or DISMISSED, with a note; audited. Closing it again the same way changes nothing." })
  async resolveProblemReport(@Arg('input', () => ResolveProblemReportInput, { validate: VALIDATED }) input: ResolveProblemReportInput, @Ctx() { em, viewer, problemReportLimit, clientAddress }: Context): Promise<ProblemReportPayload> {
    return { report: await new ProblemReportWriter(em, viewer, problemReportLimit, clientAddress).resolve(input) };
  }

  @FieldResolver(() => Service, { description: 'The service the report is about.' })
  service(@Root() report: ProblemReport, @Ctx() { repos }: Context): Loaded<Service> {
    // Whoever may read a report may see its service (its provider's partners see their drafts and archived services too).
    return whenKnown(repos.service.byId.get(report.service.id), (service) => service!);
  }
}

@Resolver(() => Service)
export class ServiceProblemReportsResolver {
  @FieldResolver(() => Int, { nullable: true, description: "How many reports that the listing is wrong are open: for the service's provider and admins; null for everyone else." })
  openProblemReports(@Root() service: Service, @Ctx() { repos }: Context): Loaded<number | null> {
    return repos.problemReport.openCountOf(service);
  }
}
