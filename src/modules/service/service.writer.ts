import type { EntityManager } from '@mikro-orm/knex';
import { BadUserInputError, ForbiddenError, InvalidInputError, NotFoundError, type FieldProblem } from '../../errors';
import { assertCanEditProvider, isAdmin, partnerProvider, type Viewer } from '../common/viewer';
import { diffSnapshots, recordChange, type Snapshot } from '../audit/audit';
import { Category } from '../category/category.entity';
import { EligibilityCriterion } from '../eligibility/criterion.entity';
import { parseTypedId, toGlobalId, type NodeTypeName } from '../common/global-id';
import { claimVersion } from '../common/versioning';
import { Hub } from '../hub/hub.entity';
import { Provider } from '../provider/provider.entity';
import { Schedule, scheduleFields } from './schedule.entity';
import { ServiceLocation } from './service-location.entity';
import { Service } from './service.entity';
import { CapacityStatus, ServiceStatus, Verifier } from './service.enums';
import type { CreateServiceInput, LocationInput, ServiceFieldsInput, ServiceVersionInput, SetServiceCapacityInput, UpdateServiceInput } from './service-write.inputs';
import { isVisible } from './service.visibility';
import { ServiceArea } from './service-area.entity';
import { readServiceAreas, type AreaFields } from './service-area';
import type { Geocoder } from '../place/postcode';
import { writeTransaction } from '../common/write-lock';
import { assertChanged, editTransaction } from '../audit/audited-write';

export type ServiceStateChange = 'PUBLISH' | 'PAUSE' | 'ARCHIVE' | 'RESTORE';

/** References in an input, checked and loaded: nothing is written until all of them hold. */
interface ResolvedReferences {
  categories?: Category[];
  criteria?: EligibilityCriterion[];
  locations?: Array<{ hub: Hub; input: LocationInput }>;
  areas?: AreaFields[];
}

/**
 * Every change to a service goes through here, each as one transaction:
 * who may (assertCanEditProvider), whether the input holds together (ages,
 * schedules, duplicate hubs, ids that exist), the version compare-and-set,
 * the change itself and its audit entry. Field formats (lengths, email, URL,
 * phone, times) are checked earlier by the input classes' validators.
 */
export class ServiceWriter {
  constructor(
    private readonly em: EntityManager,
    private readonly viewer: Viewer,
    /** Knows which postcode districts exist, for service areas. */
    private readonly geocoder: Geocoder,
  ) {}

  create(input: CreateServiceInput): Promise<Service> {
    return writeTransaction(this.em, async (tx) => {
      const providerId = this.providerFor(input);
      assertCanEditProvider(this.viewer, providerId, 'services');
      const provider = await tx.findOne(Provider, providerId);
      if (!provider) throw new BadUserInputError('input.providerId', 'there is no provider with this id.');
      const references = await this.resolve(tx, input, { minAge: null, maxAge: null });
      const service = tx.create(Service, { name: input.name.trim(), provider, draft: input.draft ?? true });
      await this.apply(tx, service, input, references);
      this.verify(service);
      await tx.flush();
      recordChange(tx, this.viewer, {
        entityType: 'Service',
        entityId: service.id,
        providerId,
        action: 'CREATE',
        changes: diffSnapshots({}, await snapshot(tx, service)),
        version: service.version,
      });
      return service;
    });
  }

  /** An update that changes nothing writes nothing (see assertChanged); a stale version is still a CONFLICT. */
  update(input: UpdateServiceInput): Promise<Service> {
    return editTransaction(this.em, async (tx) => {
      const service = await this.editable(tx, input.id);
      const references = await this.resolve(tx, input, service);
      const before = await snapshot(tx, service);
      const read = { version: service.version, updatedAt: service.updatedAt };
      const verified = { verifiedAt: service.verifiedAt, verifiedBy: service.verifiedBy, verifiedByName: service.verifiedByName };
      await claimVersion(tx, Service, service, input.version, `Service "${service.name}"`);
      await this.apply(tx, service, input, references);
      this.verify(service);
      await tx.flush();
      const changes = diffSnapshots(before, await snapshot(tx, service));
      // An edit that changes nothing writes nothing, verification included (confirmServiceDetails says "still correct").
      if (changes.length === 0) Object.assign(service, verified);
      assertChanged(service, changes, read);
      recordChange(tx, this.viewer, {
        entityType: 'Service',
        entityId: service.id,
        providerId: service.provider.id,
        action: 'UPDATE',
        changes,
        version: service.version,
      });
      return service;
    });
  }

  /**
   * Publishing a published service, restoring one that is not archived (and
   * so on) changes nothing: the service comes back as it is, unwritten,
   * whatever version was sent, so retrying a request whose answer was lost
   * is safe.
   */
  changeState(input: ServiceVersionInput, change: ServiceStateChange): Promise<Service> {
    return writeTransaction(this.em, async (tx) => {
      const service = await this.editable(tx, input.id);
      if (isAlready(service, change)) return service;
      const before = await snapshot(tx, service);
      await claimVersion(tx, Service, service, input.version, `Service "${service.name}"`);
      if (change === 'PUBLISH') service.draft = false;
      if (change === 'PAUSE') service.status = ServiceStatus.TEMPORARILY_CLOSED;
      if (change === 'ARCHIVE') service.archivedAt = new Date();
      if (change === 'RESTORE') service.archivedAt = null;
      this.verify(service);
      await tx.flush();
      recordChange(tx, this.viewer, {
        entityType: 'Service',
        entityId: service.id,
        providerId: service.provider.id,
        action: change,
        changes: diffSnapshots(before, await snapshot(tx, service)),
        version: service.version,
      });
      return service;
    });
  }

  private providerFor(input: CreateServiceInput): number {
    if (input.providerId) return parseTypedId(input.providerId, 'Provider', 'input.providerId');
    const own = partnerProvider(this.viewer);
    if (own === undefined) throw new BadUserInputError('input.providerId', 'is required: say which provider the service belongs to.');
    return own;
  }

  /** A service the viewer may change; one they may not even see is NOT_FOUND, so drafts do not leak. */
  private async editable(tx: EntityManager, id: string): Promise<Service> {
    const service = await tx.findOne(Service, parseTypedId(id, 'Service', 'input.id'));
    if (!service || !isVisible(service, this.viewer)) throw new NotFoundError('There is no service with this id.');
    assertCanEditProvider(this.viewer, service.provider.id, 'services');
    // An imported service is kept up to date by its source: a partner's edit would be overwritten by the next import.
    if (service.source && !isAdmin(this.viewer)) {
      throw new ForbiddenError(`This service is imported from ${service.source}, and kept up to date from there: change it at the source, or ask the directory team to detach it (detachService) so that it is edited here.`);
    }
    return service;
  }

  /**
   * What a provider says of its capacity now: one small change, version
   * checked and audited, that also says when (so a status nobody keeps up
   * goes stale). Saying the same again is a fresh confirmation, so it is
   * written too.
   */
  setCapacity(input: SetServiceCapacityInput): Promise<Service> {
    return writeTransaction(this.em, async (tx) => {
      const service = await this.editable(tx, input.id);
      const picture = (s: Service) => ({ status: s.capacityStatus ?? null, waitDays: s.capacityWaitDays ?? null, note: s.capacityNote ?? null, setAt: s.capacitySetAt?.toISOString() ?? null });
      const before = picture(service);
      await claimVersion(tx, Service, service, input.version, `Service "${service.name}"`);
      const cleared = input.status === CapacityStatus.UNKNOWN;
      service.capacityStatus = cleared ? null : input.status;
      service.capacityWaitDays = cleared ? null : (input.waitDays ?? null);
      service.capacityNote = cleared ? null : (input.note?.trim() || null);
      service.capacitySetAt = cleared ? null : new Date();
      this.verify(service);
      await tx.flush();
      recordChange(tx, this.viewer, { entityType: 'Service', entityId: service.id, providerId: service.provider.id, action: 'CAPACITY', changes: diffSnapshots(before, picture(service)), version: service.version });
      return service;
    });
  }

  /**
   * "These details are still correct": the owning partner or an admin
   * verifies the service as it is, version checked (so nobody confirms
   * details they have not seen) and audited. Fields stay as they are; the
   * review cycle starts again (review-policy.ts).
   */
  confirm(input: ServiceVersionInput): Promise<Service> {
    return writeTransaction(this.em, async (tx) => {
      const service = await this.editable(tx, input.id);
      await claimVersion(tx, Service, service, input.version, `Service "${service.name}"`);
      const before = service.verifiedAt;
      this.verify(service);
      await tx.flush();
      recordChange(tx, this.viewer, { entityType: 'Service', entityId: service.id, providerId: service.provider.id, action: 'VERIFY', changes: [{ field: 'verifiedAt', from: before.toISOString(), to: service.verifiedAt.toISOString() }], version: service.version });
      return service;
    });
  }

  /** Every edit by a partner or an admin is also a check of the listing: it restarts the review cycle. */
  private verify(service: Service): void {
    if (this.viewer.kind !== 'account') return;
    service.verifiedAt = new Date();
    service.verifiedBy = isAdmin(this.viewer) ? Verifier.DIRECTORY_TEAM : Verifier.PROVIDER;
    service.verifiedByName = this.viewer.name;
  }

  /** Admins: a service imported from a feed becomes this directory's own, edited here from now on; the next import of its source leaves it alone. */
  detach(input: ServiceVersionInput): Promise<Service> {
    return writeTransaction(this.em, async (tx) => {
      if (!isAdmin(this.viewer)) throw new ForbiddenError('Only admin accounts may detach an imported service.');
      const service = await this.editable(tx, input.id);
      if (!service.source) throw new BadUserInputError('input.id', 'this service was not imported: there is nothing to detach it from.');
      const source = service.source;
      await claimVersion(tx, Service, service, input.version, `Service "${service.name}"`);
      service.source = null;
      await tx.flush();
      recordChange(tx, this.viewer, { entityType: 'Service', entityId: service.id, providerId: service.provider.id, action: 'DETACH', changes: [{ field: 'importedFrom', from: source, to: null }], version: service.version });
      return service;
    });
  }

  /** Checks everything the field validators cannot: rules across fields and ids that must exist. */
  private async resolve(tx: EntityManager, input: ServiceFieldsInput, current: { minAge?: number | null; maxAge?: number | null }): Promise<ResolvedReferences> {
    const problems: FieldProblem[] = [];
    for (const field of ['name', 'status'] as const) {
      if (input[field] === null) problems.push({ field: `input.${field}`, message: 'cannot be removed.' });
    }
    const minAge = input.minimumAge !== undefined ? input.minimumAge : current.minAge;
    const maxAge = input.maximumAge !== undefined ? input.maximumAge : current.maxAge;
    if (minAge !== null && minAge !== undefined && maxAge !== null && maxAge !== undefined && minAge > maxAge) {
      // Blame the field the client sent: a new minimum above the stored maximum is the minimum's fault.
      if (input.maximumAge === undefined) problems.push({ field: 'input.minimumAge', message: `must not be above the maximum age (${maxAge}).` });
      else problems.push({ field: 'input.maximumAge', message: `must not be below the minimum age (${minAge}).` });
    }
    const references: ResolvedReferences = {};
    if (input.categoryIds) references.categories = await findAll(tx, Category, 'Category', input.categoryIds, 'input.categoryIds', problems);
    if (input.criterionIds) {
      references.criteria = await findAll(tx, EligibilityCriterion, 'EligibilityCriterion', input.criterionIds, 'input.criterionIds', problems);
    }
    if (input.locations) {
      const hubIds = input.locations.map((location) => location.hubId);
      const hubs = await findAll(tx, Hub, 'Hub', hubIds, 'input.locations', problems, (i) => `input.locations[${i}].hubId`);
      const seen = new Set<string>();
      input.locations.forEach((location, i) => {
        if (seen.has(location.hubId)) problems.push({ field: `input.locations[${i}].hubId`, message: 'this hub is listed twice; give all its sessions in one location.' });
        seen.add(location.hubId);
        location.schedules.forEach((rule, j) => {
          const at = `input.locations[${i}].schedules[${j}]`;
          if (rule.opensAt === rule.closesAt) problems.push({ field: `${at}.closesAt`, message: 'must differ from opensAt (a session past midnight closes earlier than it opens).' });
          if (rule.validFrom && rule.validTo && rule.validTo < rule.validFrom) problems.push({ field: `${at}.validTo`, message: `must not be before validFrom (${rule.validFrom}).` });
        });
      });
      references.locations = input.locations.map((location, i) => ({ hub: hubs[i], input: location }));
    }
    if (input.areas) references.areas = readServiceAreas(input.areas, this.geocoder, problems);
    if (problems.length > 0) throw new InvalidInputError(problems);
    return references;
  }

  private async apply(tx: EntityManager, service: Service, input: ServiceFieldsInput, references: ResolvedReferences): Promise<void> {
    if (input.name) service.name = input.name.trim();
    if (input.description !== undefined) service.description = input.description ?? '';
    if (input.status) service.status = input.status;
    if (input.minimumAge !== undefined) service.minAge = input.minimumAge;
    if (input.maximumAge !== undefined) service.maxAge = input.maximumAge;
    if (input.referralRoutes !== undefined) service.referralRoutes = input.referralRoutes ?? [];
    if (input.deliveryModes !== undefined) service.deliveryModes = input.deliveryModes ?? [];
    if (input.languages !== undefined) service.languages = input.languages ?? [];
    if (input.cost !== undefined) {
      service.costFree = input.cost?.free ?? true;
      service.costDescription = input.cost?.description ?? null;
    }
    if (input.contact !== undefined) {
      service.contactPhone = input.contact?.phone ?? null;
      service.contactEmail = input.contact?.email ?? null;
      service.contactUrl = input.contact?.url ?? null;
    }
    if (input.howToRefer !== undefined) {
      service.referralFormUrl = input.howToRefer?.formUrl ?? null;
      service.referralEmail = input.howToRefer?.email ?? null;
      service.referralPhone = input.howToRefer?.phone ?? null;
      service.referralInstructions = input.howToRefer?.instructions?.trim() || null;
      service.signpostingOnly = input.howToRefer?.signpostingOnly ?? false;
    }
    if (input.nationalScope !== undefined) service.nationalScope = input.nationalScope;
    if (references.categories) service.categories.set(references.categories);
    if (references.areas) {
      if (service.id !== undefined) {
        const old = await tx.find(ServiceArea, { service: service.id }, { fields: ['id'] });
        if (old.length > 0) await tx.nativeDelete(ServiceArea, { id: { $in: old.map((a) => a.id) } });
        for (const area of old) tx.getUnitOfWork().unsetIdentity(area);
      }
      for (const area of references.areas) tx.create(ServiceArea, { service, ...area });
    }
    if (references.criteria) service.criteria.set(references.criteria);
    if (references.locations) {
      if (service.id !== undefined) {
        const old = await tx.find(ServiceLocation, { service: service.id }, { fields: ['id'] });
        if (old.length > 0) {
          await tx.nativeDelete(Schedule, { location: { $in: old.map((l) => l.id) } });
          await tx.nativeDelete(ServiceLocation, { id: { $in: old.map((l) => l.id) } });
          for (const location of old) tx.getUnitOfWork().unsetIdentity(location);
        }
      }
      for (const { hub, input: location } of references.locations) {
        const created = tx.create(ServiceLocation, { service, hub, description: location.description ?? null });
        for (const rule of location.schedules) {
          tx.create(Schedule, { location: created, ...scheduleFields(rule) });
        }
      }
    }
  }
}

/** Whether the service is already in the state a change would put it in. */
function isAlready(service: Service, change: ServiceStateChange): boolean {
  switch (change) {
    case 'PUBLISH':
      return !service.draft;
    case 'PAUSE':
      return service.status === ServiceStatus.TEMPORARILY_CLOSED;
    case 'ARCHIVE':
      return service.archivedAt !== null && service.archivedAt !== undefined;
    case 'RESTORE':
      return service.archivedAt === null || service.archivedAt === undefined;
  }
}

/** Loads rows by global id, in order, noting each malformed or unknown id as a problem. */
async function findAll<T extends { id: number }>(
  tx: EntityManager,
  entity: new (...args: never[]) => T,
  type: NodeTypeName,
  ids: readonly string[],
  field: string,
  problems: FieldProblem[],
  fieldOf: (index: number) => string = (index) => `${field}[${index}]`,
): Promise<T[]> {
  const parsed = ids.map((id, index) => {
    try {
      return parseTypedId(id, type, fieldOf(index));
    } catch (error) {
      problems.push({ field: fieldOf(index), message: (error as Error).message });
      return undefined;
    }
  });
  const wanted = parsed.filter((id): id is number => id !== undefined);
  const rows = wanted.length ? await tx.find(entity, { id: { $in: wanted } } as never) : [];
  const byId = new Map(rows.map((row) => [row.id, row]));
  return parsed.map((id, index) => {
    const row = id === undefined ? undefined : byId.get(id);
    if (id !== undefined && !row) problems.push({ field: fieldOf(index), message: `there is no ${type} with this id.` });
    return row as T;
  });
}

/** The audited picture of a service: every field a partner can change, with related rows by readable code or id. */
async function snapshot(tx: EntityManager, service: Service): Promise<Snapshot> {
  await service.categories.init({ ref: false });
  await service.criteria.init({ ref: false });
  const locations = await tx.find(ServiceLocation, { service }, { populate: ['schedules'], orderBy: { id: 'asc' } });
  const areas = service.id === undefined ? [] : await tx.find(ServiceArea, { service }, { orderBy: { id: 'asc' } });
  return {
    name: service.name,
    description: service.description,
    status: service.status,
    isDraft: service.draft,
    archivedAt: service.archivedAt?.toISOString() ?? null,
    minimumAge: service.minAge ?? null,
    maximumAge: service.maxAge ?? null,
    referralRoutes: service.referralRoutes,
    deliveryModes: service.deliveryModes,
    languages: service.languages,
    cost: { free: service.costFree, description: service.costDescription ?? null },
    contact: { phone: service.contactPhone ?? null, email: service.contactEmail ?? null, url: service.contactUrl ?? null },
    howToRefer: {
      formUrl: service.referralFormUrl ?? null,
      email: service.referralEmail ?? null,
      phone: service.referralPhone ?? null,
      instructions: service.referralInstructions ?? null,
      signpostingOnly: service.signpostingOnly,
    },
    nationalScope: service.nationalScope ?? null,
    areas: areas.map((area) => ({ name: area.name, gssCode: area.gssCode ?? null, postcodes: area.postcodes, extent: area.extent ?? null })),
    categories: service.categories.getItems().map((c) => c.code).sort(),
    criteria: service.criteria.getItems().map((c) => c.code).sort(),
    locations: locations.map((location) => ({
      hub: toGlobalId('Hub', location.hub.id),
      description: location.description ?? null,
      schedules: location.schedules.getItems().map(scheduleFields),
    })),
  };
}
