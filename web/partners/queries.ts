import { gql } from '@urql/core';

/**
 * The partner page's operations. Every one is sent with the partner's key
 * (web/partners/session.ts) as POST. Each mutation answers with the whole
 * service as the page shows it, so the normalised cache (and with it the
 * list, the quick updates and the form's next starting point) follows at once.
 */

export const VIEWER_QUERY = gql`
  query PartnerViewer {
    viewer {
      role
      account { id name email provider { id name } }
    }
  }
`;

const SERVICE_FIELDS = gql`
  fragment PartnerServiceFields on Service {
    id
    name
    description
    status
    isDraft
    archivedAt
    importedFrom
    version
    updatedAt
    minimumAge
    maximumAge
    referralRoutes
    deliveryModes
    cost { free description }
    contact { phone email url }
    howToRefer { formUrl email phone instructions signpostingOnly }
    capacity { status waitDays note setAt isStale }
    review { lastVerifiedAt reviewDueAt isDue isStale verifiedBy verifiedByName }
    openProblemReports
    provider { id name }
  }
`;

/** Every status: a partner sees its own drafts and archived services too (README, "Drafts and archiving"). */
export const ALL_STATUSES = ['ACTIVE', 'TEMPORARILY_CLOSED', 'INACTIVE', 'DEFUNCT'] as const;

export const SERVICES_QUERY = gql`
  query PartnerServices($filter: ServiceFilter!) {
    services(first: 100, filter: $filter, orderBy: NAME) {
      totalCount
      nodes {
        id
        name
        status
        isDraft
        archivedAt
        importedFrom
        version
        capacity { status waitDays setAt isStale }
        review { lastVerifiedAt reviewDueAt isDue isStale }
        openProblemReports
      }
    }
  }
`;

export const SERVICE_QUERY = gql`
  query PartnerService($id: ID!) {
    service(id: $id) { ...PartnerServiceFields }
  }
  ${SERVICE_FIELDS}
`;

export const UPDATE_SERVICE = gql`
  mutation PartnerUpdateService($input: UpdateServiceInput!) {
    updateService(input: $input) { service { ...PartnerServiceFields } }
  }
  ${SERVICE_FIELDS}
`;

export const SET_CAPACITY = gql`
  mutation PartnerSetCapacity($input: SetServiceCapacityInput!) {
    setServiceCapacity(input: $input) { service { ...PartnerServiceFields } }
  }
  ${SERVICE_FIELDS}
`;

export const CONFIRM_DETAILS = gql`
  mutation PartnerConfirmDetails($input: ServiceVersionInput!) {
    confirmServiceDetails(input: $input) { service { ...PartnerServiceFields } }
  }
  ${SERVICE_FIELDS}
`;

export const PUBLISH_SERVICE = gql`
  mutation PartnerPublish($input: ServiceVersionInput!) {
    publishService(input: $input) { service { ...PartnerServiceFields } }
  }
  ${SERVICE_FIELDS}
`;

export const PAUSE_SERVICE = gql`
  mutation PartnerPause($input: ServiceVersionInput!) {
    pauseService(input: $input) { service { ...PartnerServiceFields } }
  }
  ${SERVICE_FIELDS}
`;

export const ARCHIVE_SERVICE = gql`
  mutation PartnerArchive($input: ServiceVersionInput!) {
    archiveService(input: $input) { service { ...PartnerServiceFields } }
  }
  ${SERVICE_FIELDS}
`;

export const RESTORE_SERVICE = gql`
  mutation PartnerRestore($input: ServiceVersionInput!) {
    restoreService(input: $input) { service { ...PartnerServiceFields } }
  }
  ${SERVICE_FIELDS}
`;

export const PROBLEM_REPORTS_QUERY = gql`
  query PartnerProblemReports($filter: ProblemReportFilter) {
    problemReports(first: 50, filter: $filter) {
      totalCount
      nodes { id kind message contactEmail createdAt status service { id name } }
    }
  }
`;

export const RESOLVE_REPORT = gql`
  mutation PartnerResolveReport($input: ResolveProblemReportInput!) {
    resolveProblemReport(input: $input) {
      report { id status resolvedAt resolutionNote service { id openProblemReports } }
    }
  }
`;

export const HISTORY_QUERY = gql`
  query PartnerServiceHistory($id: ID!) {
    auditTrail(first: 20, filter: { objectId: $id }) {
      totalCount
      nodes { id at actor action version changes { field from to } }
    }
  }
`;

export type CapacityStatus = 'TAKING_REFERRALS' | 'WAITING_LIST' | 'NOT_TAKING_REFERRALS' | 'UNKNOWN';
export type ServiceStatus = (typeof ALL_STATUSES)[number];

export interface Viewer {
  role: 'PARTNER' | 'ADMIN' | null;
  account: { id: string; name: string; email: string | null; provider: { id: string; name: string } | null } | null;
}

export interface ViewerResult {
  viewer: Viewer | null;
}

export interface ServiceSummary {
  id: string;
  name: string;
  status: ServiceStatus;
  isDraft: boolean;
  archivedAt: string | null;
  importedFrom: string | null;
  version: number;
  capacity: { status: CapacityStatus; waitDays: number | null; setAt: string | null; isStale: boolean };
  review: { lastVerifiedAt: string; reviewDueAt: string; isDue: boolean; isStale: boolean };
  openProblemReports: number | null;
}

export interface ServicesResult {
  services: { totalCount: number; nodes: ServiceSummary[] } | null;
}

export interface PartnerService {
  id: string;
  name: string;
  description: string;
  status: ServiceStatus;
  isDraft: boolean;
  archivedAt: string | null;
  importedFrom: string | null;
  version: number;
  updatedAt: string;
  minimumAge: number | null;
  maximumAge: number | null;
  referralRoutes: string[];
  deliveryModes: string[];
  cost: { free: boolean; description: string | null };
  contact: { phone: string | null; email: string | null; url: string | null };
  howToRefer: { formUrl: string | null; email: string | null; phone: string | null; instructions: string | null; signpostingOnly: boolean };
  capacity: { status: CapacityStatus; waitDays: number | null; note: string | null; setAt: string | null; isStale: boolean };
  review: { lastVerifiedAt: string; reviewDueAt: string; isDue: boolean; isStale: boolean; verifiedBy: string | null; verifiedByName: string | null };
  openProblemReports: number | null;
  provider: { id: string; name: string };
}

export interface ServiceResult {
  service: PartnerService | null;
}

/** The answer of every service mutation above, under its own field name. */
export type ServiceMutationResult = Record<string, { service: PartnerService } | null>;

export interface ProblemReport {
  id: string;
  kind: 'CLOSED' | 'WRONG_TIMES' | 'WRONG_CONTACT' | 'OTHER';
  message: string;
  contactEmail: string | null;
  createdAt: string;
  status: 'OPEN' | 'RESOLVED' | 'DISMISSED';
  service: { id: string; name: string };
}

export interface ProblemReportsResult {
  problemReports: { totalCount: number; nodes: ProblemReport[] } | null;
}

export interface AuditEntry {
  id: string;
  at: string;
  actor: string;
  action: string;
  version: number | null;
  changes: Array<{ field: string; from: unknown; to: unknown }>;
}

export interface HistoryResult {
  auditTrail: { totalCount: number; nodes: AuditEntry[] } | null;
}
