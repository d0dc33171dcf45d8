import { Collection, Entity, Enum, Index, ManyToMany, ManyToOne, OneToMany, Property } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { DateTimeResolver, EmailAddressResolver } from 'graphql-scalars';
import { WebAddress } from '../common/web-address.scalar';
import { BaseEntity } from '../common/base.entity';
import { EnumSetType } from '../common/enum-set.type';
import { Node } from '../common/node';
import { connectionType } from '../common/connection';
import { toGlobalId } from '../common/global-id';
import { Provider } from '../provider/provider.entity';
import { Category } from '../category/category.entity';
import { EligibilityCriterion } from '../eligibility/criterion.entity';
import { CapacityStatus, DeliveryMode, NationalScope, ReferralRoute, ServiceStatus, Verifier } from './service.enums';
import type { ServiceLocation } from './service-location.entity';

@ObjectType({ description: 'What a service costs (HSDS cost_option / fees_description).' })
export class Cost {
  @Field(() => Boolean)
  free!: boolean;

  @Field(() => String, { nullable: true, description: 'e.g. "£3 per session, includes lunch".' })
  description?: string | null;
}

@ObjectType({ description: 'How to contact the service itself.' })
export class Contact {
  @Field(() => String, { nullable: true })
  phone?: string | null;

  @Field(() => EmailAddressResolver, { nullable: true })
  email?: string | null;

  @Field(() => WebAddress, { nullable: true })
  url?: string | null;
}

@ObjectType({ description: 'How to refer someone to the service: who may (routes) and how.' })
export class HowToRefer {
  @Field(() => [ReferralRoute], { description: 'Who may refer: GP, link worker, self-referral...' })
  routes!: ReferralRoute[];

  @Field(() => WebAddress, { nullable: true, description: 'The referral form.' })
  formUrl?: string | null;

  @Field(() => EmailAddressResolver, { nullable: true, description: 'Where referrals are sent by email.' })
  email?: string | null;

  @Field(() => String, { nullable: true, description: 'Where referrals are made by phone.' })
  phone?: string | null;

  @Field(() => String, { nullable: true, description: 'What to include, e.g. "Name, date of birth, and what the person would like help with".' })
  instructions?: string | null;

  @Field(() => Boolean, { description: 'The service takes no referrals: a person is told about it and goes themselves.' })
  signpostingOnly!: boolean;
}

/** Support a provider offers: a walking group, counselling, a gardening club (HSDS service). */
@ObjectType({ implements: Node, description: 'Support a provider offers, e.g. a walking group or counselling (HSDS service).' })
@Entity({ tableName: 'service' })
export class Service extends BaseEntity<'description' | 'status' | 'referralRoutes' | 'deliveryModes' | 'costFree' | 'languages' | 'cost' | 'contact' | 'howToRefer' | 'signpostingOnly' | 'version' | 'draft' | 'verifiedAt'> {
  @Field(() => ID, { name: 'id' })
  get globalId(): string {
    return toGlobalId('Service', this.id);
  }

  @Field(() => Int, { description: 'Goes up by one with every change; send it back with an update so that two edits never silently overwrite each other.' })
  @Property({ type: 'integer', default: 1 })
  version: number = 1;

  /** A draft is visible only to its provider's partners and admins until published. */
  @Field(() => Boolean, { name: 'isDraft', description: 'A draft is seen only by its provider and admins until it is published.' })
  @Property({ type: 'boolean', default: false })
  draft: boolean = false;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When the service was archived; archived services are hidden from the public.' })
  @Property({ type: 'Date', nullable: true })
  archivedAt?: Date | null;

  @Field(() => String)
  @Index()
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Field(() => String)
  @Property({ type: 'text', default: '' })
  description: string = '';

  // No index on status: it has four values and most rows are ACTIVE, and an index tempts
  // SQLite to scan every active service instead of starting from a selective filter.
  @Field(() => ServiceStatus)
  @Enum({ items: () => ServiceStatus })
  status: ServiceStatus = ServiceStatus.ACTIVE;

  // SQLite gets an index on every foreign key column from the ORM.
  @ManyToOne(() => Provider, { deleteRule: 'restrict' })
  provider!: Provider;

  @Field(() => Int, { nullable: true, name: 'minimumAge', description: 'Youngest age served, in years (HSDS minimum_age).' })
  @Property({ type: 'integer', nullable: true })
  minAge?: number | null;

  @Field(() => Int, { nullable: true, name: 'maximumAge', description: 'Oldest age served, in years (HSDS maximum_age).' })
  @Property({ type: 'integer', nullable: true })
  maxAge?: number | null;

  @Field(() => [ReferralRoute])
  @Property({ type: EnumSetType, default: '' })
  referralRoutes: ReferralRoute[] = [];

  @Field(() => [DeliveryMode])
  @Property({ type: EnumSetType, default: '' })
  deliveryModes: DeliveryMode[] = [];

  @Property({ type: 'boolean', default: true })
  costFree: boolean = true;

  @Property({ type: 'text', nullable: true })
  costDescription?: string | null;

  @Property({ type: 'string', length: 40, nullable: true })
  contactPhone?: string | null;

  @Property({ type: 'string', length: 254, nullable: true })
  contactEmail?: string | null;

  @Property({ type: 'string', length: 500, nullable: true })
  contactUrl?: string | null;

  @Field(() => [String], { description: 'Languages the service is offered in, as ISO 639-1 codes (HSDS language).' })
  @Property({ type: EnumSetType, default: '' })
  languages: string[] = [];

  @Property({ type: 'string', length: 500, nullable: true })
  referralFormUrl?: string | null;

  @Property({ type: 'string', length: 254, nullable: true })
  referralEmail?: string | null;

  @Property({ type: 'string', length: 40, nullable: true })
  referralPhone?: string | null;

  @Property({ type: 'text', nullable: true })
  referralInstructions?: string | null;

  @Property({ type: 'boolean', default: false })
  signpostingOnly: boolean = false;

  @Field(() => NationalScope, { nullable: true, description: 'Offered to everyone in England or the UK, wherever they live (a helpline, an online group); null for a local service.' })
  @Index()
  @Enum({ items: () => NationalScope, nullable: true })
  nationalScope?: NationalScope | null;

  @Enum({ items: () => CapacityStatus, nullable: true })
  capacityStatus?: CapacityStatus | null;

  @Property({ type: 'integer', nullable: true })
  capacityWaitDays?: number | null;

  @Property({ type: 'text', nullable: true })
  capacityNote?: string | null;

  @Property({ type: 'Date', nullable: true })
  capacitySetAt?: Date | null;

  /**
   * When someone last said the details are correct: any edit by a partner or
   * an admin, confirmServiceDetails, a reminder's link, or the source feed's
   * assured_date. The review cycle (review-policy.ts) runs from it.
   */
  @Index()
  @Property({ type: 'Date' })
  verifiedAt: Date = new Date();

  @Enum({ items: () => Verifier, nullable: true })
  verifiedBy?: Verifier | null;

  /** The account's name when it verified (as the audit trail names actors); null for a feed or an older record. */
  @Property({ type: 'string', length: 200, nullable: true })
  verifiedByName?: string | null;

  @ManyToMany({ entity: () => Category, pivotTable: 'service_category', joinColumn: 'service_id', inverseJoinColumn: 'category_id' })
  categories = new Collection<Category>(this);

  @ManyToMany({
    entity: () => EligibilityCriterion,
    pivotTable: 'service_criterion',
    joinColumn: 'service_id',
    inverseJoinColumn: 'criterion_id',
  })
  criteria = new Collection<EligibilityCriterion>(this);

  @OneToMany('ServiceLocation', 'service')
  locations = new Collection<ServiceLocation>(this);

  @Field(() => Cost)
  get cost(): Cost {
    return { free: this.costFree, description: this.costDescription ?? null };
  }

  @Field(() => HowToRefer)
  get howToRefer(): HowToRefer {
    return {
      routes: this.referralRoutes,
      formUrl: this.referralFormUrl ?? null,
      email: this.referralEmail ?? null,
      phone: this.referralPhone ?? null,
      instructions: this.referralInstructions ?? null,
      signpostingOnly: this.signpostingOnly,
    };
  }

  @Field(() => Contact)
  get contact(): Contact {
    return { phone: this.contactPhone ?? null, email: this.contactEmail ?? null, url: this.contactUrl ?? null };
  }
}

export const ServiceConnection = connectionType('Service', Service);
