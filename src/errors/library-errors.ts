import {
  ConnectionException,
  DriverException,
  ForeignKeyConstraintViolationException,
  LockWaitTimeoutException,
  NotFoundError as OrmNotFoundError,
  ReadOnlyException,
  UniqueConstraintViolationException,
} from '@mikro-orm/core';
import { BadUserInputError, NotFoundError, ServiceUnavailableError, type ClientError } from './client-errors';

/** Turns a raw driver error (from a knex statement) into MikroORM's exception class for it. */
export type ConvertDriverError = (error: Error) => DriverException;

/**
 * The errors of the libraries under the resolvers that a client can act on,
 * as client errors; undefined for everything else (a bug, to be masked).
 * MikroORM converts the errors of its own calls; a raw statement's driver
 * error goes through the same converter first (`convert`, the platform's).
 */
export function clientErrorOf(error: unknown, convert: ConvertDriverError): ClientError | undefined {
  if (error instanceof OrmNotFoundError) return new NotFoundError('There is no such object (it may have been removed).');
  const driverError = error instanceof DriverException ? error : isDriverError(error) ? convert(error) : undefined;
  if (driverError === undefined) return undefined;
  if (driverError instanceof UniqueConstraintViolationException) return uniqueViolation(driverError);
  if (driverError instanceof ForeignKeyConstraintViolationException) {
    return new BadUserInputError('input', 'it refers to something that does not exist, or something else still refers to what it changes.');
  }
  if (driverError instanceof ReadOnlyException || driverError instanceof LockWaitTimeoutException || driverError instanceof ConnectionException) {
    return new ServiceUnavailableError();
  }
  if (isUnavailable(driverError)) return new ServiceUnavailableError();
  return undefined;
}

/** Errors as the drivers raise them: sqlite3's SQLITE_* codes, PostgreSQL's SQLSTATE, sockets, knex's pool timeout. */
function isDriverError(error: unknown): error is Error & { code?: string } {
  if (!(error instanceof Error)) return false;
  if (error.name === 'KnexTimeoutError') return true;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (/^SQLITE_/.test(code) || /^[0-9A-Z]{5}$/.test(code) || SOCKET_ERRORS.has(code));
}

const SOCKET_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);

/**
 * States the database recovers from, or an operator fixes, without the
 * request changing: PostgreSQL's connection classes (08), a read-only
 * transaction (25006: a standby or a read-only role), too many connections
 * (53300), shutdown (57P01-57P03); SQLite busy, full or unopenable; a pool
 * with no free connection in time.
 */
function isUnavailable(error: DriverException): boolean {
  const code = String(error.code ?? '');
  if (/^08/.test(code) || ['25006', '53300', '57P01', '57P02', '57P03'].includes(code)) return true;
  if (/^SQLITE_(BUSY|LOCKED|READONLY|FULL|CANTOPEN|IOERR)/.test(code)) return true;
  return SOCKET_ERRORS.has(code) || error.name === 'KnexTimeoutError' || /Timeout acquiring a connection/.test(error.message);
}

/**
 * A unique index refused a value: the field it is about, read from the
 * driver's message. SQLite says "UNIQUE constraint failed: category.code";
 * PostgreSQL says "Key (code)=(walking) already exists." on table "category".
 */
function uniqueViolation(error: UniqueConstraintViolationException): BadUserInputError {
  const sqlite = /UNIQUE constraint failed: (\w+)\.(\w+)/.exec(error.message);
  const table = sqlite?.[1] ?? (error as { table?: string }).table;
  const column = sqlite?.[2] ?? /Key \((\w+)[,)]/.exec(String((error as { detail?: string }).detail ?? ''))?.[1];
  const what = table ? table.replace(/_/g, ' ').replace(/^eligibility /, '') : 'object';
  if (!column) return new BadUserInputError('input', `another ${what} already has these values.`);
  const field = column.replace(/_(\w)/g, (_, letter: string) => letter.toUpperCase());
  return new BadUserInputError(`input.${field}`, `another ${what} already has this ${field}.`);
}
