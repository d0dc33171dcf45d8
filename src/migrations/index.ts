import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261122185228_Initial } from './Migration20261122185228_Initial';
import { Migration20261122191500_ServiceSearch } from './Migration20261122191500_ServiceSearch';
import { Migration20261122194000_DropStatusIndex } from './Migration20261122194000_DropStatusIndex';
import { Migration20261122200000_PartnerEditing } from './Migration20261122200000_PartnerEditing';

/**
 * Every migration, in order. Listed explicitly (not found by a file glob) so
 * the same list works from TypeScript under vitest and from compiled dist/.
 */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261122185228_Initial', class: Migration20261122185228_Initial },
  { name: 'Migration20261122191500_ServiceSearch', class: Migration20261122191500_ServiceSearch },
  { name: 'Migration20261122194000_DropStatusIndex', class: Migration20261122194000_DropStatusIndex },
  { name: 'Migration20261122200000_PartnerEditing', class: Migration20261122200000_PartnerEditing },
];
