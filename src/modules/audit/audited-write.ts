import type { EntityClass } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { NotFoundError } from '../../errors';
import type { Viewer } from '../account/auth';
import { parseTypedId, type NodeTypeName } from '../common/global-id';
import { claimVersion } from '../common/versioning';
import { diffSnapshots, recordChange, type Snapshot } from './audit';
import { writeTransaction } from '../common/write-lock';

/**
 * The shape every simple admin or partner edit takes (providers, hubs,
 * categories, criteria, accounts): one transaction holding the permission
 * check, the version compare-and-set (for versioned objects), the change and
 * its audit entry. Services have their own writer for their relations.
 */
export interface AuditedUpdate<T> {
  entity: EntityClass<T>;
  type: NodeTypeName;
  /** Global id from the input. */
  id: string;
  /** The version the client read; required for versioned objects. */
  version?: number;
  /** Throws if the viewer may not change this row (after it was found). */
  authorize: (row: T) => void;
  /** Checks the input against the row (uniqueness, cross-field rules); throws BAD_USER_INPUT. */
  check?: (tx: EntityManager, row: T) => Promise<void>;
  apply: (tx: EntityManager, row: T) => Promise<void> | void;
  snapshot: (row: T) => Snapshot;
  providerIdOf: (row: T) => number | null;
}

export function updateAudited<T extends { id: number; updatedAt: Date }>(em: EntityManager, viewer: Viewer, update: AuditedUpdate<T>): Promise<T> {
  return writeTransaction(em, async (tx) => {
    const row = await tx.findOne(update.entity, parseTypedId(update.id, update.type, 'input.id') as never);
    if (!row) throw new NotFoundError(`There is no ${update.type} with this id.`);
    update.authorize(row);
    await update.check?.(tx, row);
    const before = update.snapshot(row);
    if (update.version !== undefined) await claimVersion(tx, update.entity as never, row as never, update.version, `${update.type} ${row.id}`);
    else row.updatedAt = new Date();
    await update.apply(tx, row);
    await tx.flush();
    recordChange(tx, viewer, {
      entityType: update.type,
      entityId: row.id,
      providerId: update.providerIdOf(row),
      action: 'UPDATE',
      changes: diffSnapshots(before, update.snapshot(row)),
      version: (row as { version?: number }).version ?? null,
    });
    return row;
  });
}

export function createAudited<T extends { id: number }>(
  em: EntityManager,
  viewer: Viewer | 'command line',
  create: { type: NodeTypeName; build: (tx: EntityManager) => Promise<T> | T; snapshot: (row: T) => Snapshot; providerIdOf: (row: T) => number | null },
): Promise<T> {
  return writeTransaction(em, async (tx) => {
    const row = await create.build(tx);
    await tx.flush();
    recordChange(tx, viewer, {
      entityType: create.type,
      entityId: row.id,
      providerId: create.providerIdOf(row),
      action: 'CREATE',
      changes: diffSnapshots({}, create.snapshot(row)),
      version: (row as { version?: number }).version ?? null,
    });
    return row;
  });
}
