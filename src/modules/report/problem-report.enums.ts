import { registerEnumType } from 'type-graphql';

/** What is wrong with a listing, as the person reporting it says. */
export enum ProblemKind {
  /** The service has closed, or no longer runs. */
  CLOSED = 'CLOSED',
  /** Its days or times are not as listed. */
  WRONG_TIMES = 'WRONG_TIMES',
  /** Its phone, email or web address does not reach it. */
  WRONG_CONTACT = 'WRONG_CONTACT',
  OTHER = 'OTHER',
}

/** Where a report stands: open until the provider (or the directory team) resolves or dismisses it. */
export enum ProblemReportStatus {
  OPEN = 'OPEN',
  /** The listing was put right. */
  RESOLVED = 'RESOLVED',
  /** The listing was right after all, or the report was not about it. */
  DISMISSED = 'DISMISSED',
}

/** How an open report is closed (resolveProblemReport). */
export enum ProblemResolution {
  RESOLVED = 'RESOLVED',
  DISMISSED = 'DISMISSED',
}

registerEnumType(ProblemKind, {
  name: 'ProblemKind',
  description: 'What is wrong with a listing.',
  valuesConfig: {
    CLOSED: { description: 'The service has closed or no longer runs.' },
    WRONG_TIMES: { description: 'Its days or times are not as listed.' },
    WRONG_CONTACT: { description: 'Its phone, email or web address does not reach it.' },
    OTHER: { description: 'Something else: the message says what.' },
  },
});
registerEnumType(ProblemReportStatus, { name: 'ProblemReportStatus', description: 'OPEN until resolved (the listing was put right) or dismissed.' });
registerEnumType(ProblemResolution, { name: 'ProblemResolution', description: 'RESOLVED: the listing was put right. DISMISSED: it was right after all, or the report was not about it.' });
