import type { EntityClass } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { NotFoundError } from '../../errors';
import type { Viewer } from '../common/viewer';
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

/**
 * Thrown inside an edit's transaction when the edit changes nothing: the
 * transaction is rolled back, version compare-and-set included, so an edit
 * that changes nothing writes nothing (no version bump that would give
 * other editors a CONFLICT, no audit entry).
 */
class Unchanged<T> extends Error {
  constructor(readonly row: T) {
    super('nothing changed');
  }
}

/** Rolls the edit back when `changes` is empty; the row gets back the version and time it was read with. */
export function assertChanged<T extends { updatedAt: Date; version?: number }>(row: T, changes: readonly unknown[], read: { version?: number; updatedAt: Date }): void {
  if (changes.length > 0) return;
  row.updatedAt = read.updatedAt;
  // Unversioned rows (categories, criteria, accounts) get no version property they never had.
  if (read.version !== undefined) row.version = read.version;
  throw new Unchanged(row);
}

/** A write transaction for an edit: the edited row, or the row as it was when the edit changed nothing (see assertChanged). */
export function editTransaction<T>(em: EntityManager, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  return writeTransaction(em, work).catch((error: unknown) => {
    if (error instanceof Unchanged) return error.row as T;
    throw error;
  });
}

export function updateAudited<T extends { id: number; updatedAt: Date }>(em: EntityManager, viewer: Viewer, update: AuditedUpdate<T>): Promise<T> {
  return editTransaction(em, async (tx) => {
    const row = await tx.findOne(update.entity, parseTypedId(update.id, update.type, 'input.id') as never);
    if (!row) throw new NotFoundError(`There is no ${update.type} with this id.`);
    update.authorize(row);
    await update.check?.(tx, row);
    const before = update.snapshot(row);
    const read = { version: (row as { version?: number }).version, updatedAt: row.updatedAt };
    if (update.version !== undefined) await claimVersion(tx, update.entity as never, row as never, update.version, `${update.type} ${row.id}`);
    else row.updatedAt = new Date();
    await update.apply(tx, row);
    await tx.flush();
    const changes = diffSnapshots(before, update.snapshot(row));
    assertChanged(row, changes, read);
    recordChange(tx, viewer, {
      entityType: update.type,
      entityId: row.id,
      providerId: update.providerIdOf(row),
      action: 'UPDATE',
      changes,
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
