import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { NodeResolver } from './modules/node/node.resolver';
import { HubResolver } from './modules/hub/hub.resolver';
import { ProviderResolver } from './modules/provider/provider.resolver';
import { ServiceLocationResolver, ServiceResolver, ServiceSearchResolver } from './modules/service/service.resolver';
import { CategoryResolver } from './modules/category/category.resolver';
import { CriterionResolver } from './modules/eligibility/criterion.resolver';
import { ServiceWriteResolver } from './modules/service/service-write.resolver';
import { ProviderWriteResolver } from './modules/provider/provider-write.resolver';
import { HubWriteResolver } from './modules/hub/hub-write.resolver';
import { CategoryWriteResolver } from './modules/category/category-write.resolver';
import { CriterionWriteResolver } from './modules/eligibility/criterion-write.resolver';
import { AccountResolver } from './modules/account/account.resolver';
import { AuditResolver } from './modules/audit/audit.resolver';
import { SynonymResolver } from './modules/search/synonym.resolver';
import { ProblemReportResolver, ServiceProblemReportsResolver } from './modules/report/problem-report.resolver';
import { SearchInsightsResolver } from './modules/insights/insights.resolver';
import { authChecker } from './modules/common/viewer';

export const RESOLVERS = [
  NodeResolver,
  HubResolver,
  ServiceResolver,
  ServiceLocationResolver,
  ServiceSearchResolver,
  ProviderResolver,
  CriterionResolver,
  CategoryResolver,
  ServiceWriteResolver,
  ProviderWriteResolver,
  HubWriteResolver,
  CategoryWriteResolver,
  CriterionWriteResolver,
  AccountResolver,
  AuditResolver,
  SynonymResolver,
  ProblemReportResolver,
  ServiceProblemReportsResolver,
  SearchInsightsResolver,
] as const;

let schema: Promise<GraphQLSchema> | undefined;

/** The schema is the same for every server in a process, so it is built once. */
export function buildDirectorySchema(): Promise<GraphQLSchema> {
  schema ??= buildSchema({
    resolvers: RESOLVERS,
    validate: false,
    authChecker,
    // Anonymous callers get UNAUTHENTICATED, signed-in ones without the role FORBIDDEN.
    authMode: 'error',
  });
  return schema;
}

/** The text committed as schema.graphql. */
export async function printDirectorySchema(): Promise<string> {
  const header = '# Generated from the TypeScript resolvers by `npm run schema`; do not edit by hand.\n\n';
  // Sorted: the order type-graphql registers types in follows the order modules were imported, which
  // differs between the CLI and a test worker that ran other files first.
  return header + printSchema(lexicographicSortSchema(await buildDirectorySchema())) + '\n';
}
