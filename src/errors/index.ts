/**
 * Errors, in one module: the client error classes (client-errors.ts), the
 * mapping of library errors to them (library-errors.ts) and the masking of
 * everything else (mask.ts). It imports nothing of the domain modules.
 */
export * from './client-errors';
export { clientErrorOf, type ConvertDriverError } from './library-errors';
export { createErrorMask, jsonErrorHandler, responseTooLarge } from './mask';
