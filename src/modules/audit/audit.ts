import type { EntityManager } from '@mikro-orm/knex';
import { actorOf, type Viewer } from '../common/viewer';
import { AuditEntry, type FieldChange } from './audit-entry.entity';

/** A plain, JSON-comparable picture of an object's audited fields. */
export type Snapshot = Record<string, unknown>;

/** The fields whose values differ, with before and after. */
export function diffSnapshots(before: Snapshot, after: Snapshot): FieldChange[] {
  const fields = new Set([...Object.keys(before), ...Object.keys(after)]);
  const changes: FieldChange[] = [];
  for (const field of fields) {
    const from = before[field] ?? null;
    const to = after[field] ?? null;
    if (JSON.stringify(from) !== JSON.stringify(to)) changes.push({ field, from, to });
  }
  return changes;
}

export interface AuditRecord {
  entityType: string;
  entityId: number;
  providerId: number | null;
  action: string;
  changes: FieldChange[];
  version?: number | null;
}

/** Records a change in the caller's transaction (`tx`), so the change and its record commit or fail together. */
export function recordChange(tx: EntityManager, viewer: Viewer | 'command line' | { actor: string }, record: AuditRecord): AuditEntry {
  const actor = viewer === 'command line' ? { accountId: null, actor: 'command line' } : 'actor' in viewer ? { accountId: null, actor: viewer.actor } : actorOf(viewer);
  return tx.create(AuditEntry, { ...actor, ...record, at: new Date() });
}
