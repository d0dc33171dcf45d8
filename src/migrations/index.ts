import type { MigrationObject } from '@mikro-orm/core';
import type { DatabaseTarget } from '../config';
import { Migration20261122185228_Initial } from './sqlite/Migration20261122185228_Initial';
import { Migration20261122191500_ServiceSearch } from './sqlite/Migration20261122191500_ServiceSearch';
import { Migration20261122194000_DropStatusIndex } from './sqlite/Migration20261122194000_DropStatusIndex';
import { Migration20261122200000_PartnerEditing } from './sqlite/Migration20261122200000_PartnerEditing';
import { Migration20261201090000_ServerSecret as SqliteServerSecret } from './sqlite/Migration20261201090000_ServerSecret';
import { Migration20261201090000_ServerSecret as PostgresServerSecret } from './postgresql/Migration20261201090000_ServerSecret';
import { Migration20261201120000_Uuids as SqliteUuids } from './sqlite/Migration20261201120000_Uuids';
import { Migration20261201120000_Uuids as PostgresUuids } from './postgresql/Migration20261201120000_Uuids';
import { Migration20261201130000_ImportSource as SqliteImportSource } from './sqlite/Migration20261201130000_ImportSource';
import { Migration20261201130000_ImportSource as PostgresImportSource } from './postgresql/Migration20261201130000_ImportSource';
import { Migration20261201140000_Taxonomies as SqliteTaxonomies } from './sqlite/Migration20261201140000_Taxonomies';
import { Migration20261201140000_Taxonomies as PostgresTaxonomies } from './postgresql/Migration20261201140000_Taxonomies';
import { Migration20261201150000_Capacity as SqliteCapacity } from './sqlite/Migration20261201150000_Capacity';
import { Migration20261201150000_Capacity as PostgresCapacity } from './postgresql/Migration20261201150000_Capacity';
import { Migration20261201160000_HowToRefer as SqliteHowToRefer } from './sqlite/Migration20261201160000_HowToRefer';
import { Migration20261201160000_HowToRefer as PostgresHowToRefer } from './postgresql/Migration20261201160000_HowToRefer';
import { Migration20261201170000_ServiceAreas as SqliteServiceAreas } from './sqlite/Migration20261201170000_ServiceAreas';
import { Migration20261201170000_ServiceAreas as PostgresServiceAreas } from './postgresql/Migration20261201170000_ServiceAreas';
import { Migration20261201180000_AccessibilityFeatures as SqliteAccessibilityFeatures } from './sqlite/Migration20261201180000_AccessibilityFeatures';
import { Migration20261201180000_AccessibilityFeatures as PostgresAccessibilityFeatures } from './postgresql/Migration20261201180000_AccessibilityFeatures';
import { Migration20261201190000_SynonymGroups as SqliteSynonymGroups } from './sqlite/Migration20261201190000_SynonymGroups';
import { Migration20261201190000_SynonymGroups as PostgresSynonymGroups } from './postgresql/Migration20261201190000_SynonymGroups';
import { Migration20261201200000_ServiceAreaBoxes as SqliteServiceAreaBoxes } from './sqlite/Migration20261201200000_ServiceAreaBoxes';
import { Migration20261201200000_ServiceAreaBoxes as PostgresServiceAreaBoxes } from './postgresql/Migration20261201200000_ServiceAreaBoxes';
import { Migration20261202100000_Verification as SqliteVerification } from './sqlite/Migration20261202100000_Verification';
import { Migration20261202100000_Verification as PostgresVerification } from './postgresql/Migration20261202100000_Verification';
import { Migration20261202110000_ProblemReports as SqliteProblemReports } from './sqlite/Migration20261202110000_ProblemReports';
import { Migration20261202110000_ProblemReports as PostgresProblemReports } from './postgresql/Migration20261202110000_ProblemReports';
import { Migration20261202120000_SearchInsights as SqliteSearchInsights } from './sqlite/Migration20261202120000_SearchInsights';
import { Migration20261202120000_SearchInsights as PostgresSearchInsights } from './postgresql/Migration20261202120000_SearchInsights';
import { Migration20261203100000_CoveringIndexes as PostgresCoveringIndexes } from './postgresql/Migration20261203100000_CoveringIndexes';
import { Migration20261122210000_Initial } from './postgresql/Migration20261122210000_Initial';
import { Migration20261122210100_ServiceSearch } from './postgresql/Migration20261122210100_ServiceSearch';

/**
 * Every migration of each database, in order. Listed explicitly (not found by
 * a file glob) so the same lists work from TypeScript under vitest and from
 * compiled dist/. PostgreSQL support began with the schema SQLite had reached
 * by then, so its history starts there.
 */
const MIGRATIONS: Record<DatabaseTarget['kind'], MigrationObject[]> = {
  sqlite: [
    { name: 'Migration20261122185228_Initial', class: Migration20261122185228_Initial },
    { name: 'Migration20261122191500_ServiceSearch', class: Migration20261122191500_ServiceSearch },
    { name: 'Migration20261122194000_DropStatusIndex', class: Migration20261122194000_DropStatusIndex },
    { name: 'Migration20261122200000_PartnerEditing', class: Migration20261122200000_PartnerEditing },
    { name: 'Migration20261201090000_ServerSecret', class: SqliteServerSecret },
    { name: 'Migration20261201120000_Uuids', class: SqliteUuids },
    { name: 'Migration20261201130000_ImportSource', class: SqliteImportSource },
    { name: 'Migration20261201140000_Taxonomies', class: SqliteTaxonomies },
    { name: 'Migration20261201150000_Capacity', class: SqliteCapacity },
    { name: 'Migration20261201160000_HowToRefer', class: SqliteHowToRefer },
    { name: 'Migration20261201170000_ServiceAreas', class: SqliteServiceAreas },
    { name: 'Migration20261201180000_AccessibilityFeatures', class: SqliteAccessibilityFeatures },
    { name: 'Migration20261201190000_SynonymGroups', class: SqliteSynonymGroups },
    { name: 'Migration20261201200000_ServiceAreaBoxes', class: SqliteServiceAreaBoxes },
    { name: 'Migration20261202100000_Verification', class: SqliteVerification },
    { name: 'Migration20261202110000_ProblemReports', class: SqliteProblemReports },
    { name: 'Migration20261202120000_SearchInsights', class: SqliteSearchInsights },
  ],
  postgresql: [
    { name: 'Migration20261122210000_Initial', class: Migration20261122210000_Initial },
    { name: 'Migration20261122210100_ServiceSearch', class: Migration20261122210100_ServiceSearch },
    { name: 'Migration20261201090000_ServerSecret', class: PostgresServerSecret },
    { name: 'Migration20261201120000_Uuids', class: PostgresUuids },
    { name: 'Migration20261201130000_ImportSource', class: PostgresImportSource },
    { name: 'Migration20261201140000_Taxonomies', class: PostgresTaxonomies },
    { name: 'Migration20261201150000_Capacity', class: PostgresCapacity },
    { name: 'Migration20261201160000_HowToRefer', class: PostgresHowToRefer },
    { name: 'Migration20261201170000_ServiceAreas', class: PostgresServiceAreas },
    { name: 'Migration20261201180000_AccessibilityFeatures', class: PostgresAccessibilityFeatures },
    { name: 'Migration20261201190000_SynonymGroups', class: PostgresSynonymGroups },
    { name: 'Migration20261201200000_ServiceAreaBoxes', class: PostgresServiceAreaBoxes },
    { name: 'Migration20261202100000_Verification', class: PostgresVerification },
    { name: 'Migration20261202110000_ProblemReports', class: PostgresProblemReports },
    { name: 'Migration20261202120000_SearchInsights', class: PostgresSearchInsights },
    // PostgreSQL only: covering indexes for the place search (SQLite's plans read its rows by rowid already).
    { name: 'Migration20261203100000_CoveringIndexes', class: PostgresCoveringIndexes },
  ],
};

export function migrationsFor(kind: DatabaseTarget['kind']): MigrationObject[] {
  return MIGRATIONS[kind];
}
