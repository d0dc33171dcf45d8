import { Type } from '@mikro-orm/core';

/**
 * A small set of enum values (referral routes, delivery modes, languages,
 * weekdays) stored in one text column as ",A,B,". The leading and trailing
 * commas let SQL test membership with `LIKE '%,A,%'` on SQLite and
 * PostgreSQL alike, and count facets in one pass without a join table.
 */
export class EnumSetType extends Type<string[], string> {
  override convertToDatabaseValue(value: string[] | string | null | undefined): string {
    if (typeof value === 'string') return value;
    return encodeEnumSet(value ?? []);
  }

  override convertToJSValue(value: string[] | string | null | undefined): string[] {
    if (Array.isArray(value)) return value;
    return decodeEnumSet(value ?? '');
  }

  override getColumnType(): string {
    return 'text';
  }

  override compareAsType(): string {
    return 'string';
  }
}

export function encodeEnumSet(values: readonly string[]): string {
  const unique = [...new Set(values)];
  return unique.length === 0 ? '' : `,${unique.join(',')},`;
}

export function decodeEnumSet(value: string): string[] {
  return value.split(',').filter(Boolean);
}

/** The LIKE pattern that matches rows whose set contains `member`. */
export function enumSetPattern(member: string): string {
  return `%,${member},%`;
}
