import { ValidateBy, buildMessage, type ValidationOptions } from 'class-validator';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { EmailField, IsNotBlank, TextField } from '../common/validation';
import { ProblemReport } from './problem-report.entity';
import { ProblemKind, ProblemReportStatus, ProblemResolution } from './problem-report.enums';

export const MAX_MESSAGE_LENGTH = 2000;
export const MAX_NOTE_LENGTH = 2000;

/** At most `max` characters once surrounding spaces are removed (the text is stored trimmed). */
function MaxTrimmedLength(max: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'maxTrimmedLength',
      constraints: [max],
      validator: {
        validate: (value: unknown) => typeof value === 'string' && value.trim().length <= max,
        defaultMessage: buildMessage((prefix) => `${prefix}$property must be at most $constraint1 characters long`, options),
      },
    },
    options,
  );
}

@InputType({ description: 'What is wrong with a listing. Sent without signing in; read only by its provider and the directory team.' })
export class ReportProblemInput {
  @Field(() => ID, { description: 'The service whose listing is wrong.' })
  serviceId!: string;

  @Field(() => ProblemKind)
  kind!: ProblemKind;

  @Field(() => String, { description: `What is wrong, in a sentence or two: 1 to ${MAX_MESSAGE_LENGTH} characters, kept as plain text.` })
  @IsNotBlank()
  @MaxTrimmedLength(MAX_MESSAGE_LENGTH)
  message!: string;

  @EmailField('Where the provider may ask you more (optional); only the provider and the directory team see it.')
  contactEmail?: string | null;
}

@InputType()
export class ResolveProblemReportInput {
  @Field(() => ID)
  id!: string;

  @Field(() => ProblemResolution)
  resolution!: ProblemResolution;

  @TextField(MAX_NOTE_LENGTH, 'What was done, e.g. "Times corrected: the group moved to Thursdays."')
  note?: string | null;
}

@InputType()
export class ProblemReportFilter {
  @Field(() => [ProblemReportStatus], { nullable: true, description: 'Reports with any of these statuses. Default: [OPEN].' })
  status?: ProblemReportStatus[] | null;

  @Field(() => ID, { nullable: true, description: 'Reports on this service.' })
  serviceId?: string | null;
}

@ObjectType({ description: 'That a report was received: no more of it, and nothing of any other report.' })
export class ProblemReportReceipt {
  @Field(() => ID)
  id!: string;

  @Field(() => ProblemKind)
  kind!: ProblemKind;

  @Field(() => DateTimeResolver)
  createdAt!: Date;
}

@ObjectType()
export class ReportProblemPayload {
  @Field(() => ProblemReportReceipt)
  report!: ProblemReportReceipt;
}

@ObjectType()
export class ProblemReportPayload {
  @Field(() => ProblemReport)
  report!: ProblemReport;
}
