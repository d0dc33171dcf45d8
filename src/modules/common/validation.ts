import { ValidateBy, buildMessage, type ValidationOptions } from 'class-validator';
import { isValid as isValidPostcode } from 'postcode';

/** 24-hour "HH:mm", 00:00 to 23:59. */
export const TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Not empty once surrounding spaces are removed. */
export function IsNotBlank(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isNotBlank',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && value.trim().length > 0,
        defaultMessage: buildMessage((prefix) => `${prefix}$property must not be blank`, options),
      },
    },
    options,
  );
}

/** A real calendar date written "YYYY-MM-DD". */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value),
        defaultMessage: buildMessage((prefix) => `${prefix}$property must be a date written YYYY-MM-DD`, options),
      },
    },
    options,
  );
}

export function IsUkPostcode(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isUkPostcode',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isValidPostcode(value),
        defaultMessage: buildMessage((prefix) => `${prefix}$property must be a UK postcode, e.g. LS7 4SA`, options),
      },
    },
    options,
  );
}

/**
 * Mutation inputs opt in to class-validator (`@Arg('input', () => X, { validate:
 * VALIDATED })`); other arguments (page sizes, filters) are checked in code, so
 * they skip class-validator's per-call cost (measurable on deep queries).
 */
export const VALIDATED = { forbidUnknownValues: false };
