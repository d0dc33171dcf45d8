import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import { AccountRole } from '../common/viewer';
import { VALIDATED } from '../common/validation';
import { CreateServiceInput, ServicePayload, ServiceVersionInput, SetServiceCapacityInput, UpdateServiceInput } from './service-write.inputs';
import { ServiceWriter, type ServiceStateChange } from './service.writer';

/** Partners change their own provider's services; admins any. All need an API key. */
@Resolver()
export class ServiceWriteResolver {
  @Authorized()
  @Mutation(() => ServicePayload, { description: 'Create a service (a draft unless draft: false), with its categories, criteria and locations.' })
  async createService(@Arg('input', () => CreateServiceInput, { validate: VALIDATED }) input: CreateServiceInput, @Ctx() { em, viewer, geocoder }: Context): Promise<ServicePayload> {
    return { service: await new ServiceWriter(em, viewer, geocoder).create(input) };
  }

  @Authorized()
  @Mutation(() => ServicePayload, {
    description:
      'Change a service: fields left out stay as they are; lists given (categories, criteria, locations with their schedules) replace the old ones. Send the version you read.',
  })
  async updateService(@Arg('input', () => UpdateServiceInput, { validate: VALIDATED }) input: UpdateServiceInput, @Ctx() { em, viewer, geocoder }: Context): Promise<ServicePayload> {
    return { service: await new ServiceWriter(em, viewer, geocoder).update(input) };
  }

  @Authorized()
  @Mutation(() => ServicePayload, { description: 'Make a draft visible to everyone.' })
  publishService(@Arg('input', () => ServiceVersionInput, { validate: VALIDATED }) input: ServiceVersionInput, @Ctx() context: Context): Promise<ServicePayload> {
    return this.change(input, 'PUBLISH', context);
  }

  @Authorized()
  @Mutation(() => ServicePayload, { description: 'Mark the service temporarily closed; updateService with status: ACTIVE resumes it.' })
  pauseService(@Arg('input', () => ServiceVersionInput, { validate: VALIDATED }) input: ServiceVersionInput, @Ctx() context: Context): Promise<ServicePayload> {
    return this.change(input, 'PAUSE', context);
  }

  @Authorized()
  @Mutation(() => ServicePayload, { description: 'Hide the service from the public; restoreService brings it back.' })
  archiveService(@Arg('input', () => ServiceVersionInput, { validate: VALIDATED }) input: ServiceVersionInput, @Ctx() context: Context): Promise<ServicePayload> {
    return this.change(input, 'ARCHIVE', context);
  }

  @Authorized()
  @Mutation(() => ServicePayload, { description: 'Undo archiveService.' })
  restoreService(@Arg('input', () => ServiceVersionInput, { validate: VALIDATED }) input: ServiceVersionInput, @Ctx() context: Context): Promise<ServicePayload> {
    return this.change(input, 'RESTORE', context);
  }

  @Authorized()
  @Mutation(() => ServicePayload, {
    description: "Say whether the service is taking referrals now (and the wait, and a note): partners their own, admins any. Send the version you read. A charity's script can call it every morning: saying the same again keeps it from going stale.",
  })
  async setServiceCapacity(@Arg('input', () => SetServiceCapacityInput, { validate: VALIDATED }) input: SetServiceCapacityInput, @Ctx() { em, viewer, geocoder }: Context): Promise<ServicePayload> {
    return { service: await new ServiceWriter(em, viewer, geocoder).setCapacity(input) };
  }

  @Authorized()
  @Mutation(() => ServicePayload, {
    description: 'Say "these details are still correct" without changing them: the owning partner or an admin. Send the version you read. The review cycle starts again (review.lastVerifiedAt); any edit does the same.',
  })
  async confirmServiceDetails(@Arg('input', () => ServiceVersionInput, { validate: VALIDATED }) input: ServiceVersionInput, @Ctx() { em, viewer, geocoder }: Context): Promise<ServicePayload> {
    return { service: await new ServiceWriter(em, viewer, geocoder).confirm(input) };
  }

  @Authorized(AccountRole.ADMIN)
  @Mutation(() => ServicePayload, { description: 'Admins: make a service imported from an Open Referral UK feed this directory\'s own. Partners may then edit it; its source\'s next import leaves it alone.' })
  async detachService(@Arg('input', () => ServiceVersionInput, { validate: VALIDATED }) input: ServiceVersionInput, @Ctx() { em, viewer, geocoder }: Context): Promise<ServicePayload> {
    return { service: await new ServiceWriter(em, viewer, geocoder).detach(input) };
  }

  private async change(input: ServiceVersionInput, change: ServiceStateChange, { em, viewer, geocoder }: Context): Promise<ServicePayload> {
    return { service: await new ServiceWriter(em, viewer, geocoder).changeState(input, change) };
  }
}
