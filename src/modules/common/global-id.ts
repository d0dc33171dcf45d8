import { BadUserInputError } from '../../errors';

/**
 * Global ids follow the Relay convention: opaque to clients, but they carry
 * the type name so `node(id:)` can resolve any entity. The encoding is
 * base64url("<Type>:<databaseId>"), e.g. "SHViOjE" for Hub 1.
 */
export const NODE_TYPES = ['Hub', 'Service', 'Provider', 'EligibilityCriterion', 'Category', 'ServiceLocation', 'Schedule', 'Account', 'ApiKey', 'AuditEntry', 'SynonymGroup', 'ProblemReport'] as const;
export type NodeTypeName = (typeof NODE_TYPES)[number];

export interface GlobalId {
  type: NodeTypeName;
  id: number;
}

export function toGlobalId(type: NodeTypeName, id: number): string {
  return Buffer.from(`${type}:${id}`, 'utf8').toString('base64url');
}

const ID_PATTERN = /^([A-Za-z]+):([1-9][0-9]{0,14})$/;

/** Decodes a global id; a malformed id is a BAD_USER_INPUT error naming `argument`. */
export function parseGlobalId(value: string, argument: string): GlobalId {
  const decoded = /^[A-Za-z0-9_-]{1,64}={0,2}$/.test(value) ? Buffer.from(value, 'base64url').toString('utf8') : '';
  const match = ID_PATTERN.exec(decoded);
  if (!match || !(NODE_TYPES as readonly string[]).includes(match[1])) {
    throw new BadUserInputError(argument, `"${truncate(value)}" is not a valid directory id.`);
  }
  return { type: match[1] as NodeTypeName, id: Number(match[2]) };
}

/** Decodes a global id that must be of one type, e.g. `hub(id:)` given a Service id is an error. */
export function parseTypedId(value: string, type: NodeTypeName, argument: string): number {
  const parsed = parseGlobalId(value, argument);
  if (parsed.type !== type) {
    throw new BadUserInputError(argument, `expected a ${type} id but got a ${parsed.type} id.`);
  }
  return parsed.id;
}

/** At most this many ids in one list argument (`nodes(ids:)`, filter lists). */
export const MAX_IDS = 100;

export function parseTypedIds(values: readonly string[], type: NodeTypeName, argument: string): number[] {
  if (values.length > MAX_IDS) throw new BadUserInputError(argument, `at most ${MAX_IDS} ids are allowed (got ${values.length}).`);
  return values.map((value, index) => parseTypedId(value, type, `${argument}[${index}]`));
}

function truncate(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}
