import DataLoader from 'dataloader';
import type { Connection, PageArgs } from '../common/connection';
import { paginate, type Loaded, type Reader } from '../common/loaders';
import type { OrderTerm } from '../common/pagination';
import type { Viewer } from '../common/viewer';
import type { Service } from '../service/service.entity';
import { ProblemReport } from './problem-report.entity';
import { ProblemReportStatus } from './problem-report.enums';
import { mayReadReportsOf, restrictToReadable } from './problem-report.access';

/** What `problemReports(filter:)` asks for, its ids decoded (problem-report.resolver.ts). */
export interface ProblemReportCriteria {
  statuses: ProblemReportStatus[];
  serviceId?: number;
}

/** Newest first: the order is on the negated id. */
const NEWEST_FIRST: OrderTerm[] = [{ column: 'r.__newest', key: '__newest' }];

/** Problem reports as the viewer may read them (problem-report.access.ts); built per request (repositories.ts). */
export class ProblemReportRepository {
  /** Open reports per service id, for a whole batch of services in one statement. */
  private readonly openCounts;

  constructor(
    private readonly reader: Reader,
    private readonly viewer: Viewer,
  ) {
    this.openCounts = new DataLoader<number, number>(
      async (serviceIds) => {
        const rows: Array<{ service_id: number | string; n: number | string }> = await reader.em
          .getKnex()
          .from('problem_report')
          .select('service_id')
          .count({ n: '*' })
          .where('status', ProblemReportStatus.OPEN)
          .whereIn('service_id', serviceIds as number[])
          .groupBy('service_id');
        const counts = new Map(rows.map((row) => [Number(row.service_id), Number(row.n)]));
        return serviceIds.map((id) => counts.get(id) ?? 0);
      },
      { batch: reader.batch },
    );
  }

  /** A page of reports, newest first: with the given statuses, on one service if given. */
  list(criteria: ProblemReportCriteria, page: PageArgs): Promise<Connection<ProblemReport>> {
    const knex = this.reader.em.getKnex();
    const statuses = [...new Set(criteria.statuses)].sort();
    const inner = restrictToReadable(knex.from('problem_report as p').select('p.*', knex.raw('-p.id as __newest')), 'p', this.viewer).whereIn('p.status', statuses);
    if (criteria.serviceId !== undefined) inner.where('p.service_id', criteria.serviceId);
    const scope: [string, ...unknown[]] = ['problemReports', statuses, criteria.serviceId];
    return paginate(this.reader, { entity: ProblemReport, query: knex.select('*').from(inner.as('r')), order: NEWEST_FIRST, scope }, page);
  }

  /** How many reports on a service are open, for those who may read them; null for everyone else (no SQL then). */
  openCountOf(service: Service): Loaded<number | null> {
    if (!mayReadReportsOf(this.viewer, service.provider.id)) return null;
    return this.openCounts.load(service.id);
  }
}
