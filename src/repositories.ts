import type { Reader } from './modules/common/loaders';
import type { Viewer } from './modules/common/viewer';
import { AccountRepository } from './modules/account/account.repository';
import { AuditRepository } from './modules/audit/audit.repository';
import { CategoryRepository } from './modules/category/category.repository';
import { CriterionRepository } from './modules/eligibility/criterion.repository';
import { HubRepository } from './modules/hub/hub.repository';
import { ProviderRepository } from './modules/provider/provider.repository';
import { ProblemReportRepository } from './modules/report/problem-report.repository';
import { SearchInsightsRepository } from './modules/insights/insights.repository';
import { ServiceRepository } from './modules/service/service.repository';
import { DEFAULT_SEARCH_TUNING, type SearchTuning } from './modules/service/service.queries';
import { DEFAULT_REVIEW_POLICY, type ReviewPolicy } from './modules/service/review-policy';

/** The read switches of one app (createApp's options): both on in the server; the benchmarks turn them off to measure them. */
export interface ReadOptions {
  /** DataLoader batching (off: the benchmark's "naive build"). */
  batch: boolean;
  /** The bounding box and the full-text index of service search (bench:search). */
  search: SearchTuning;
  /** The review cycle: stale services rank lower, and are hidden from the public when it says so. */
  review: ReviewPolicy;
}

export const DEFAULT_READ_OPTIONS: ReadOptions = { batch: true, search: DEFAULT_SEARCH_TUNING, review: DEFAULT_REVIEW_POLICY };

/**
 * Every repository of one request, with their DataLoaders, so batches and
 * caches never outlive it: each module's reads go through its repository.
 */
export function createRepositories(reader: Reader, viewer: Viewer, { search, review }: ReadOptions) {
  const service = new ServiceRepository(reader, viewer, search, review);
  return {
    service,
    hub: new HubRepository(reader, service),
    provider: new ProviderRepository(reader),
    category: new CategoryRepository(reader),
    criterion: new CriterionRepository(reader),
    account: new AccountRepository(reader, viewer),
    audit: new AuditRepository(reader, viewer),
    problemReport: new ProblemReportRepository(reader, viewer),
    insights: new SearchInsightsRepository(reader.em),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
