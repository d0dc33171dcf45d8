import { Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { toGlobalId } from '../common/global-id';
import { connectionType } from '../common/connection';
import { Service } from '../service/service.entity';
import { ProblemKind, ProblemReportStatus } from './problem-report.enums';

/**
 * Someone's word that a listing is wrong (closed, wrong times, wrong
 * contact), sent without signing in. Read only by the service's provider
 * and the directory team, who resolve or dismiss it; open reports count
 * towards a service being due for review. `message` and `contactEmail` are
 * kept as the person typed them (trimmed): plain text, never HTML, so
 * whatever shows them must escape them as any other text.
 */
@ObjectType({ description: "A report that a listing is wrong. Read only by the service's provider and admins." })
@Entity({ tableName: 'problem_report' })
@Index({ properties: ['service', 'status'] })
export class ProblemReport {
  [OptionalProps]?: 'globalId' | 'contactEmail' | 'status' | 'createdAt' | 'resolvedAt' | 'resolvedByAccountId' | 'resolutionNote';

  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Field(() => ID, { name: 'id' })
  get globalId(): string {
    return toGlobalId('ProblemReport', this.id);
  }

  // A report is about its service and nothing else: it goes if the service is ever deleted (they are archived, normally).
  @ManyToOne(() => Service, { deleteRule: 'cascade' })
  service!: Service;

  @Field(() => ProblemKind)
  @Enum({ items: () => ProblemKind })
  kind!: ProblemKind;

  @Field(() => String, { description: 'What the person said is wrong: plain text as typed, never HTML.' })
  @Property({ type: 'text' })
  message!: string;

  @Field(() => String, { nullable: true, description: 'Where the person who reported it may be asked more, if they gave an address.' })
  @Property({ type: 'string', length: 254, nullable: true })
  contactEmail?: string | null;

  @Field(() => ProblemReportStatus)
  @Enum({ items: () => ProblemReportStatus, default: ProblemReportStatus.OPEN })
  status: ProblemReportStatus = ProblemReportStatus.OPEN;

  @Field(() => DateTimeResolver)
  @Property({ type: 'Date', defaultRaw: 'current_timestamp' })
  createdAt: Date = new Date();

  @Field(() => DateTimeResolver, { nullable: true, description: 'When it was resolved or dismissed.' })
  @Property({ type: 'Date', nullable: true })
  resolvedAt?: Date | null;

  /** The account that resolved or dismissed it; a plain id, as audit_entry.account_id: the record of who did it outlives any change to accounts. */
  @Property({ type: 'integer', nullable: true })
  resolvedByAccountId?: number | null;

  @Field(() => String, { nullable: true, description: 'What the provider or admin said when resolving or dismissing it.' })
  @Property({ type: 'text', nullable: true })
  resolutionNote?: string | null;
}

export const ProblemReportConnection = connectionType('ProblemReport', ProblemReport);
