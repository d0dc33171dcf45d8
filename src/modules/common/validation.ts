import { IsEmail, IsOptional, IsPhoneNumber, IsUrl, Length, Matches, MaxLength, ValidateBy, buildMessage, type ValidationOptions } from 'class-validator';
import { Field } from 'type-graphql';
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

/* Field shapes used by several inputs: the GraphQL field and its rules in one decorator. */

function combine(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => decorators.forEach((decorator) => decorator(target, key));
}

/** A name or label: 2 to 200 characters, not blank. */
export function NameField(options: { required?: boolean; description?: string } = {}): PropertyDecorator {
  const rules = [IsNotBlank(), Length(2, 200)];
  return options.required
    ? combine(Field(() => String, { description: options.description }), ...rules)
    : combine(Field(() => String, { nullable: true, description: options.description }), IsOptional(), ...rules);
}

/** Optional free text of at most `max` characters. */
export function TextField(max: number, description?: string): PropertyDecorator {
  return combine(Field(() => String, { nullable: true, description }), IsOptional(), MaxLength(max));
}

export function EmailField(description?: string): PropertyDecorator {
  return combine(Field(() => String, { nullable: true, description }), IsOptional(), IsEmail({}, { message: '$property must be an email address' }), MaxLength(254));
}

/** An http(s) address; `httpsOnly` for images shown on other sites' pages. */
export function WebAddressField(options: { httpsOnly?: boolean; description?: string } = {}): PropertyDecorator {
  const protocols = options.httpsOnly ? ['https'] : ['http', 'https'];
  return combine(
    Field(() => String, { nullable: true, description: options.description }),
    IsOptional(),
    IsUrl({ protocols, require_protocol: true }, { message: `$property must be an ${options.httpsOnly ? 'https' : 'http(s)'} address` }),
    MaxLength(500),
  );
}

export function UkPhoneField(description = 'A UK phone number.'): PropertyDecorator {
  return combine(Field(() => String, { nullable: true, description }), IsOptional(), IsPhoneNumber('GB', { message: '$property must be a valid UK phone number' }));
}

const CODE = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** A stable machine code (categories, criteria): lower-case words joined by hyphens, 2 to 80 characters. */
export function CodeField(options: { required?: boolean } = {}): PropertyDecorator {
  const rules = [Length(2, 80), Matches(CODE, { message: 'code must be lower-case words joined by hyphens, e.g. "walking-groups"' })];
  return options.required ? combine(Field(() => String), ...rules) : combine(Field(() => String, { nullable: true }), IsOptional(), ...rules);
}
