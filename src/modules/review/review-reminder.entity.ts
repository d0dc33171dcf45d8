import { Entity, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/**
 * One service in one reminder email: to which partner account, for which
 * due date, when it was sent, and its confirmation link's life (expiry, and
 * when it was used). The unique key is what makes a second run send nothing
 * for a due date already reminded of.
 */
@Entity({ tableName: 'review_reminder' })
@Unique({ properties: ['serviceId', 'accountId', 'dueAt'] })
export class ReviewReminder {
  [OptionalProps]?: 'sentAt' | 'usedAt';

  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Index()
  @Property({ type: 'integer' })
  serviceId!: number;

  @Index()
  @Property({ type: 'integer' })
  accountId!: number;

  /** The due date reminded of: the service's reviewDueAt, or the day a problem report flagged it. */
  @Property({ type: 'Date' })
  dueAt!: Date;

  @Property({ type: 'string', length: 254 })
  email!: string;

  @Property({ type: 'Date' })
  sentAt: Date = new Date();

  @Property({ type: 'Date' })
  expiresAt!: Date;

  @Property({ type: 'Date', nullable: true })
  usedAt?: Date | null;
}
