import type { EntityManager } from '@mikro-orm/knex';
import { diffSnapshots, recordChange, type Snapshot } from '../audit/audit';
import { Category } from '../category/category.entity';
import { toGlobalId } from '../common/global-id';
import { sqlOf, writeTransaction } from '../common/write-lock';
import { CriterionKind, EligibilityCriterion } from '../eligibility/criterion.entity';
import { HubKind, Region } from '../hub/hub.enums';
import { ACCESSIBILITY_LABELS, type AccessibilityFeature } from '../place/accessibility';
import { Hub } from '../hub/hub.entity';
import { haversineKm } from '../place/geo';
import { Provider } from '../provider/provider.entity';
import { Schedule } from '../service/schedule.entity';
import { ServiceLocation } from '../service/service-location.entity';
import { Service } from '../service/service.entity';
import { DeliveryMode, NationalScope, ReferralRoute, ServiceStatus, Verifier, Weekday } from '../service/service.enums';
import { ServiceArea } from '../service/service-area.entity';
import { readExtent, storedArea, type AreaFields, type Extent } from '../service/service-area';
import { decodeEnumSet } from '../common/enum-set.type';
import { toDate } from '../common/row-mapper';
import { REGION_NAMES, STATUS, type ForeignDoc } from './oruk.documents';
import { ENUM_TERM_BY_ID, partId, TAXONOMIES, TAXONOMY } from './oruk.ids';
import { Taxonomy } from '../category/taxonomy.entity';
import type { FeedSource } from './oruk.source';
import { problemsOfService, type Problem } from './oruk.validate';

/**
 * Imports an Open Referral UK 3.0 feed: its services with their
 * organizations, locations (our hubs), schedules and terms, created or
 * updated by UUID (the upstream id is kept as the record's UUID, so the same
 * feed imported twice is the same records), each change audited as the
 * import's. Every record remembers its source; on a whole feed, a service
 * gone from it is archived, never deleted. Invalid records are skipped with
 * their problems reported (or, strict, nothing is imported); a batch that
 * fails leaves the database as it was before it.
 */
export interface ImportOptions {
  dryRun?: boolean;
  strict?: boolean;
  /** Services per transaction (default 200). */
  batchSize?: number;
  onProgress?: (done: number) => void;
}

export interface ImportReport {
  source: string;
  created: number;
  updated: number;
  unchanged: number;
  archived: number;
  skipped: number;
  /** Categories and criteria created or updated from the feed's terms. */
  terms: { created: number; updated: number; unchanged: number };
  problems: Problem[];
  /** Strict, with problems: nothing was imported. */
  refused: boolean;
  dryRun: boolean;
}

/** The closing summary, as the command prints it: the counts, then each problem with its record and JSON path. */
export function describeReport(report: ImportReport): string {
  const lines = [
    `${report.dryRun ? 'Dry run (nothing written): ' : ''}import of ${report.source}`,
    report.refused
      ? `refused: ${report.problems.length} problems, and --strict imports nothing when any record is invalid`
      : `services: ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged, ${report.archived} archived, ${report.skipped} skipped`,
    `terms: ${report.terms.created} created, ${report.terms.updated} updated, ${report.terms.unchanged} unchanged`,
  ];
  if (!report.refused && report.created + report.updated + report.archived === 0 && report.skipped === 0) lines.push('nothing changed');
  for (const problem of report.problems) lines.push(`  ${problem.record} ${problem.path}: ${problem.message}`);
  return lines.join('\n');
}

class DryRun extends Error {}

/** A batch the database refused: it was rolled back whole; the batches before it stay written. */
export class ImportFailed extends Error {}

export async function importOruk(em: EntityManager, source: FeedSource, options: ImportOptions = {}): Promise<ImportReport> {
  const report: ImportReport = { source: source.label, created: 0, updated: 0, unchanged: 0, archived: 0, skipped: 0, terms: { created: 0, updated: 0, unchanged: 0 }, problems: [], refused: false, dryRun: Boolean(options.dryRun) };
  const actor = { actor: `import ${source.label}` };
  if (options.strict) {
    for await (const { doc, where } of source.services()) report.problems.push(...problemsOfService(doc, where));
    if (report.problems.length > 0) {
      report.refused = true;
      return report;
    }
  }
  const inBatch = async (work: (tx: EntityManager) => Promise<void>) => {
    await writeTransaction(em, async (tx) => {
      await work(tx);
      if (options.dryRun) throw new DryRun();
    }).catch((error: unknown) => {
      if (!(error instanceof DryRun)) throw error;
    });
  };

  const taxonomies: unknown[] = [];
  for await (const taxonomy of source.taxonomies()) taxonomies.push(taxonomy);
  if (taxonomies.length > 0) {
    await inBatch(async (tx) => {
      const cache = new ReferenceCache(tx, source.label, actor);
      for (const doc of taxonomies) if (typeof doc === 'object' && doc !== null) await cache.taxonomy(doc as ForeignDoc);
    });
  }
  const terms: unknown[] = [];
  for await (const term of source.terms()) terms.push(term);
  if (terms.length > 0) await inBatch((tx) => importTerms(tx, terms, source.label, report));

  const seen = new Set<string>();
  const knownTerms = new Map<string, KnownTerm | null>();
  const knownProviders = new Map<string, number>();
  const knownHubs = new Map<string, number>();
  const knownTaxonomies = new Map<string, number>();
  let batch: Array<{ doc: ForeignDoc; where: string }> = [];
  let done = 0;
  const flush = async () => {
    const docs = batch;
    batch = [];
    const counts = { created: 0, updated: 0, unchanged: 0 };
    await inBatch(async (tx) => {
      // A dry run's batches are rolled back: what one made is not there for the next.
      const cache = options.dryRun ? new ReferenceCache(tx, source.label, actor) : new ReferenceCache(tx, source.label, actor, knownTerms, knownProviders, knownHubs, knownTaxonomies);
      // Which of the batch's services exist already, in one statement.
      const rows: StoredService[] = await sqlOf(tx)('service').whereIn('uuid', docs.map(({ doc }) => String(doc.id).toLowerCase())).select('id', 'uuid', 'provider_id', 'source');
      const stored = new Map(rows.map((row) => [row.uuid, row]));
      for (const { doc } of docs) counts[await importService(tx, doc, cache, stored.get(String(doc.id).toLowerCase()))] += 1;
      // One flush for the batch's new rows, then their audit entries (which need their ids).
      await tx.flush();
      for (const written of cache.written) {
        const { service } = written;
        recordChange(tx, actor, { entityType: 'Service', entityId: service.id, providerId: service.provider.id, action: written.created ? 'CREATE' : 'UPDATE', changes: written.changes, version: service.version });
      }
      await tx.flush();
      // The upstream records' own times of change, so a re-published feed says what the source said; written
      // last, as raw updates, since any later flush of a service would stamp it with the time of the import.
      for (const { service, lastModified } of cache.written) {
        if (lastModified) await sqlOf(tx)('service').where('id', service.id).update({ updated_at: tx.getPlatform().processDateProperty(lastModified) });
      }
      tx.clear();
    }).catch((error: unknown) => {
      const ids = docs.map(({ doc }) => String(doc.id));
      throw new ImportFailed(`The batch of ${ids.length} services from ${ids[0]} to ${ids[ids.length - 1]} could not be written (${String((error as Error).message).split(' - ').pop()}); nothing of it was kept, and the ${done} services before it were.`, { cause: error });
    });
    report.created += counts.created;
    report.updated += counts.updated;
    report.unchanged += counts.unchanged;
    done += docs.length;
    options.onProgress?.(done);
  };
  for await (const { doc, where } of source.services()) {
    const problems = problemsOfService(doc, where);
    if (problems.length > 0) {
      report.problems.push(...problems);
      report.skipped += 1;
      continue;
    }
    const service = doc as ForeignDoc;
    seen.add(service.id.toLowerCase());
    batch.push({ doc: service, where });
    if (batch.length >= (options.batchSize ?? 200)) await flush();
  }
  if (batch.length > 0) await flush();
  // A whole feed read without a problem says which of its services are gone.
  if (source.whole && report.skipped === 0) await inBatch(async (tx) => void (report.archived = await archiveGone(tx, source.label, seen, actor)));
  return report;
}

/** The feed's own terms: categories (parents first) and criteria; other taxonomies' terms are not imported yet. */
async function importTerms(tx: EntityManager, terms: unknown[], label: string, report: ImportReport): Promise<void> {
  const cache = new ReferenceCache(tx, label, { actor: `import ${label}` });
  const docs = terms.filter((t): t is ForeignDoc => typeof t === 'object' && t !== null && typeof (t as { id?: unknown }).id === 'string');
  const byId = new Map(docs.map((d) => [d.id, d]));
  const depth = (d: ForeignDoc, seen = new Set<string>()): number => (d.parent_id && byId.has(d.parent_id) && !seen.has(d.id) ? 1 + depth(byId.get(d.parent_id)!, seen.add(d.id)) : 0);
  for (const doc of docs.sort((a, b) => depth(a) - depth(b))) {
    const outcome = await cache.term(doc);
    if (outcome) report.terms[outcome] += 1;
  }
}

type Outcome = 'created' | 'updated' | 'unchanged';

interface KnownTerm {
  kind: 'category' | 'criterion';
  id: number;
  code: string;
}

/**
 * Finds or makes the records a service refers to, once per batch: its
 * organization, locations and terms. Each is looked up by UUID and its
 * fields set from the document; what changed is audited.
 */
class ReferenceCache {
  /** The services written in this batch: what changed, and the time their source says they last changed. */
  readonly written: Array<{ service: Service; created: boolean; changes: ReturnType<typeof diffSnapshots>; lastModified?: Date }> = [];

  constructor(
    private readonly tx: EntityManager,
    readonly label: string,
    readonly actor: { actor: string },
    /** Terms already met in this import, by UUID (null: none of ours). */
    private readonly known: Map<string, KnownTerm | null> = new Map(),
    /** Organizations and locations already brought up to date in this import, by UUID: each is checked once, not once per service. */
    private readonly providers: Map<string, number> = new Map(),
    private readonly hubs: Map<string, number> = new Map(),
    private readonly taxonomies: Map<string, number> = new Map(),
  ) {}

  /** The service's organization: from its nested document; a service that only names it (organization_id) links to it as it is, or to a placeholder until its document comes. */
  async provider(doc: ForeignDoc, onlyNamed = false): Promise<Provider> {
    const id = String(doc.id).toLowerCase();
    const cached = this.providers.get(id);
    if (cached !== undefined) return this.tx.getReference(Provider, cached);
    if (onlyNamed) {
      const existing = await sqlOf(this.tx)('provider').where('uuid', id).first('id');
      if (existing) {
        this.providers.set(id, Number(existing.id));
        return this.tx.getReference(Provider, Number(existing.id));
      }
      doc = { id, name: `Organization ${id}` };
    }
    const identifier = (doc.organization_identifiers ?? []).find((i: ForeignDoc) => i.identifier_scheme === 'GB-CHC')?.identifier;
    const fields = {
      name: String(doc.name ?? '').slice(0, 200),
      description: doc.description && doc.description !== doc.name ? String(doc.description) : '',
      email: doc.email ?? null,
      website: doc.website ?? null,
      logoUrl: doc.logo ?? null,
      charityNumber: identifier ?? null,
    };
    const [provider] = await this.upsert(Provider, 'Provider', id, fields, (p) => p.id);
    this.providers.set(id, provider.id);
    return provider;
  }

  async hub(doc: ForeignDoc): Promise<Hub> {
    const id = String(doc.id).toLowerCase();
    const cached = this.hubs.get(id);
    if (cached !== undefined) return this.tx.getReference(Hub, cached);
    const virtual = doc.location_type === 'virtual';
    const address = (doc.addresses ?? [])[0] ?? {};
    const kindTerm = (doc.attributes ?? []).map((a: ForeignDoc) => ENUM_TERM_BY_ID.get(a.taxonomy_term_id ?? a.taxonomy_term?.id)).find((t: ForeignDoc) => t?.taxonomy.key === 'locationKinds');
    const latitude = typeof doc.latitude === 'number' ? doc.latitude : ONLINE_PLACEHOLDER.latitude;
    const longitude = typeof doc.longitude === 'number' ? doc.longitude : ONLINE_PLACEHOLDER.longitude;
    const fields = {
      name: String(doc.name ?? address.address_1 ?? 'Location').slice(0, 200),
      kind: (kindTerm?.code as HubKind | undefined) ?? (virtual ? HubKind.ONLINE : HubKind.OTHER),
      description: doc.description ?? '',
      address1: String(address.address_1 ?? '').slice(0, 200),
      address2: address.address_2 ?? null,
      town: String(address.city ?? '').slice(0, 100),
      postcode: String(address.postal_code ?? '').slice(0, 10),
      region: regionOf(address.state_province, { latitude, longitude }),
      latitude,
      longitude,
      ...accessibilityOf(doc.accessibility),
    };
    const [hub] = await this.upsert(Hub, 'Hub', id, fields, () => null, { operator: '' });
    this.hubs.set(id, hub.id);
    return hub;
  }

  /**
   * The category or criterion a service's attribute names: made or updated
   * from the attribute's term the first time the import meets it, then
   * remembered for the rest of the import (the `known` map outlives the batch).
   */
  async termOf(term: ForeignDoc): Promise<KnownTerm | undefined> {
    const id = String(term.id).toLowerCase();
    if (this.known.has(id)) return this.known.get(id) ?? undefined;
    if (term.name) await this.term(term);
    const sql = sqlOf(this.tx);
    const category = await sql('category').where('uuid', id).first('id', 'code');
    const criterion = category ? undefined : await sql('eligibility_criterion').where('uuid', id).first('id', 'code');
    const found: KnownTerm | null = category ? { kind: 'category', id: Number(category.id), code: category.code } : criterion ? { kind: 'criterion', id: Number(criterion.id), code: criterion.code } : null;
    this.known.set(id, found);
    return found ?? undefined;
  }

  /** A term of our own taxonomies, as a category or criterion (found or made); undefined for other taxonomies' and the fixed terms. */
  async term(doc: ForeignDoc): Promise<Outcome | undefined> {
    // The fixed terms are not rows; a term without a name is not one this import can make.
    if (ENUM_TERM_BY_ID.has(doc.id) || typeof doc.name !== 'string' || doc.name.trim() === '') return undefined;
    const code = slug(String(doc.code ?? doc.term ?? doc.name ?? doc.id));
    const description = doc.description && doc.description !== doc.name ? String(doc.description) : '';
    if (doc.taxonomy_id === TAXONOMY.categories.id) {
      const parent = doc.parent_id ? await this.tx.findOne(Category, { uuid: String(doc.parent_id).toLowerCase() }, { disableIdentityMap: true }) : null;
      const parentRef = parent ? this.tx.getReference(Category, parent.id) : null;
      return (await this.upsert(Category, 'Category', String(doc.id).toLowerCase(), { code, name: String(doc.name).slice(0, 200), description, parent: parentRef }, () => null))[1];
    }
    if (doc.taxonomy_id !== TAXONOMY.criteria.id) {
      // Another directory's taxonomy (LGA, esd, its own): kept as it is, its terms categories that belong to it.
      const taxonomy = await this.taxonomy({ id: doc.taxonomy_id, name: doc.taxonomy });
      if (!taxonomy) return undefined;
      const parent = doc.parent_id ? await this.tx.findOne(Category, { uuid: String(doc.parent_id).toLowerCase() }, { disableIdentityMap: true }) : null;
      const uuid = String(doc.id).toLowerCase();
      const ownCode = await this.codeFor(uuid, slug(`${taxonomy.name}-${doc.code ?? doc.term ?? doc.name ?? doc.id}`));
      const fields = { code: ownCode, name: String(doc.name).slice(0, 200), description, parent: parent ? this.tx.getReference(Category, parent.id) : null, taxonomy };
      return (await this.upsert(Category, 'Category', uuid, fields, () => null))[1];
    }
    if (doc.taxonomy_id === TAXONOMY.criteria.id) {
      const kind = ENUM_TERM_BY_ID.get(doc.parent_id)?.code as CriterionKind | undefined;
      return (await this.upsert(EligibilityCriterion, 'EligibilityCriterion', String(doc.id).toLowerCase(), { code, label: String(doc.name).slice(0, 200), description, kind: kind ?? CriterionKind.OTHER }, () => null))[1];
    }
    return undefined;
  }

  /**
   * An imported taxonomy, found or made: by its UUID when the feed gives one,
   * otherwise by a UUID derived from its name (the same on every import).
   * The directory's own taxonomies are not made here.
   */
  async taxonomy(doc: ForeignDoc): Promise<Taxonomy | undefined> {
    const named = typeof doc.name === 'string' && doc.name.trim() !== '' ? doc.name.trim() : undefined;
    const uuid = typeof doc.id === 'string' && UUID.test(doc.id) ? doc.id.toLowerCase() : named ? partId(IMPORTED_TAXONOMIES, named) : undefined;
    if (!uuid || TAXONOMIES.some((t) => t.id === uuid)) return undefined;
    const cached = this.taxonomies.get(uuid);
    if (cached !== undefined) return this.tx.getReference(Taxonomy, cached);
    const existing = await this.tx.findOne(Taxonomy, { uuid }, { disableIdentityMap: true });
    // A term names its taxonomy only in passing: a taxonomy the feed described itself (/taxonomies) keeps its own fields.
    const fields = existing && !doc.description ? {} : { name: (named ?? 'Imported taxonomy').slice(0, 200), description: doc.description ?? '', uri: doc.uri ?? null, version: doc.version ?? null };
    const [row] = existing && Object.keys(fields).length === 0 ? [this.tx.getReference(Taxonomy, existing.id)] : await this.upsert(Taxonomy, 'Taxonomy', uuid, fields, () => null);
    this.taxonomies.set(uuid, row.id);
    return row;
  }

  /** A category code for an imported term: its own, unless another category has it already (then the UUID's start is added). */
  private async codeFor(uuid: string, code: string): Promise<string> {
    const taken = await sqlOf(this.tx)('category').where('code', code).whereNot('uuid', uuid).first('id');
    return taken ? `${code.slice(0, 71)}-${uuid.slice(0, 8)}` : code;
  }

  /** Finds the row with this UUID or makes it; sets the fields; audits a creation or a change. */
  private async upsert<T extends { id: number; uuid: string; source?: string | null }>(
    entity: { new (...args: never[]): T; name: string },
    type: string,
    uuid: string,
    fields: Record<string, unknown>,
    providerIdOf: (row: T) => number | null,
    onCreate: Record<string, unknown> = {},
  ): Promise<[T, Outcome]> {
    const { tx } = this;
    // Read outside the unit of work: a row the import leaves as it is must not be flushed (the ORM would stamp it).
    const existing = await tx.findOne(entity, { uuid } as never, { disableIdentityMap: true });
    const plain = (row: Record<string, unknown>) => Object.fromEntries(Object.keys(fields).map((key) => [key, comparable(row[key])]));
    if (existing) {
      const before = plain(existing as unknown as Record<string, unknown>);
      const after = Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, comparable(value)]));
      const changes = diffSnapshots(before, after);
      if (changes.length > 0) {
        const managed = await tx.findOneOrFail(entity, { uuid } as never);
        Object.assign(managed, fields);
        recordChange(tx, this.actor, { entityType: type, entityId: existing.id, providerId: providerIdOf(existing), action: 'UPDATE', changes });
      }
      return [tx.getReference(entity, existing.id as never) as T, changes.length > 0 ? 'updated' : 'unchanged'];
    }
    const row = tx.create(entity, { ...onCreate, ...fields, uuid, source: this.label } as never) as T;
    await tx.flush();
    recordChange(tx, this.actor, { entityType: type, entityId: row.id, providerId: providerIdOf(row), action: 'CREATE', changes: diffSnapshots({}, plain(row as unknown as Record<string, unknown>)) });
    return [row, 'created'];
  }
}

/** A value as the audit compares it: ids for rows, plain values otherwise. */
function comparable(value: unknown): unknown {
  if (value && typeof value === 'object' && 'id' in value) return (value as { id: number }).id;
  return value ?? null;
}

/** The one service: its references first, then its own fields, locations and schedules; unchanged when its audited picture is the same. */
interface StoredService {
  id: number;
  uuid: string;
  provider_id: number;
  source: string | null;
}

async function importService(tx: EntityManager, doc: ForeignDoc, cache: ReferenceCache, found: StoredService | undefined): Promise<Outcome> {
  const uuid = String(doc.id).toLowerCase();
  const provider = doc.organization ? await cache.provider(doc.organization) : await cache.provider({ id: doc.organization_id }, true);
  const places: Array<{ uuid: string; hub: Hub; description: string | null; schedules: Array<ForeignDoc> }> = [];
  for (const sal of doc.service_at_locations ?? []) {
    const hub = await cache.hub(sal.location);
    const schedules = (doc.schedules ?? []).filter((s: ForeignDoc) => s.service_at_location_id === sal.id && s.byday && s.opens_at && s.closes_at);
    places.push({ uuid: String(sal.id).toLowerCase(), hub, description: sal.description ?? null, schedules });
  }
  const categories: KnownTerm[] = [];
  const criteria: KnownTerm[] = [];
  const referralRoutes: ReferralRoute[] = [];
  const deliveryModes: DeliveryMode[] = [];
  for (const attribute of doc.attributes ?? []) {
    const term = attribute.taxonomy_term ?? { id: attribute.taxonomy_term_id };
    const fixed = ENUM_TERM_BY_ID.get(term.id);
    if (fixed?.taxonomy.key === 'referralRoutes') referralRoutes.push(fixed.code as ReferralRoute);
    else if (fixed?.taxonomy.key === 'deliveryModes') deliveryModes.push(fixed.code as DeliveryMode);
    if (fixed) continue;
    const known = await cache.termOf(term);
    if (known?.kind === 'category') categories.push(known);
    else if (known?.kind === 'criterion') criteria.push(known);
  }
  const cost = (doc.cost_options ?? [])[0];
  const { areas, nationalScope } = foreignAreas(doc.service_areas);
  const fields = {
    name: String(doc.name).slice(0, 200),
    description: doc.description ?? '',
    status: (Object.entries(STATUS).find(([, value]) => value === doc.status)?.[0] as ServiceStatus | undefined) ?? ServiceStatus.ACTIVE,
    provider,
    minAge: doc.minimum_age ?? null,
    maxAge: doc.maximum_age ?? null,
    contactUrl: doc.url ?? null,
    contactEmail: doc.email ?? null,
    contactPhone: (doc.contacts ?? []).flatMap((c: ForeignDoc) => c.phones ?? [])[0]?.number ?? null,
    languages: (doc.languages ?? []).map((l: ForeignDoc) => l.code).filter((code: unknown): code is string => typeof code === 'string'),
    costFree: cost ? cost.amount === 0 || /^free$/i.test(String(cost.option ?? '')) : true,
    costDescription: cost?.amount_description ?? null,
    referralRoutes: [...new Set(referralRoutes)],
    deliveryModes: [...new Set(deliveryModes)],
    referralFormUrl: null,
    referralEmail: null,
    referralPhone: null,
    referralInstructions: null,
    signpostingOnly: false,
    nationalScope,
    draft: false,
    archivedAt: null,
  };
  // Detached by an admin (or made here): this directory's own now, which the source no longer changes.
  if (found && found.source !== cache.label) return 'unchanged';
  const incoming: Snapshot = {
    name: fields.name,
    description: fields.description,
    status: fields.status,
    isDraft: false,
    archivedAt: null,
    minimumAge: fields.minAge,
    maximumAge: fields.maxAge,
    referralRoutes: fields.referralRoutes,
    deliveryModes: fields.deliveryModes,
    languages: fields.languages,
    cost: { free: fields.costFree, description: fields.costDescription },
    contact: { phone: fields.contactPhone, email: fields.contactEmail, url: fields.contactUrl },
    // Not carried by ORUK: an imported service has none (its source owns it).
    howToRefer: { formUrl: null, email: null, phone: null, instructions: null, signpostingOnly: false },
    nationalScope,
    areas: areas.map(({ fields: area }) => ({ name: area.name, gssCode: area.gssCode, postcodes: area.postcodes, extent: area.extent })),
    categories: categories.map((c) => c.code).sort(),
    criteria: criteria.map((c) => c.code).sort(),
    locations: places.map((place) => ({
      hub: toGlobalId('Hub', place.hub.id),
      description: place.description,
      schedules: place.schedules.map((s) => ({ days: daysOf(s.byday), opensAt: hhmm(s.opens_at), closesAt: hhmm(s.closes_at), validFrom: s.valid_from ?? null, validTo: s.valid_to ?? null, notes: s.notes ?? null })),
    })),
  };
  const before = found ? await snapshotOf(tx, found.id) : {};
  const sameIds = found ? await sameLocationIds(tx, found.id, places) : false;
  if (found && sameIds && JSON.stringify(before) === JSON.stringify(incoming) && Number(found.provider_id) === provider.id) return 'unchanged';
  const existing = found ? await tx.findOneOrFail(Service, found.id) : null;
  const lastModified = doc.last_modified ? new Date(doc.last_modified) : undefined;
  // A new row takes the source's time of change as it is inserted; an updated one gets it afterwards (see importOruk).
  const service = existing ?? tx.create(Service, { uuid, name: fields.name, provider, source: cache.label, ...(lastModified ? { updatedAt: lastModified } : {}) });
  Object.assign(service, fields);
  // Checked when the source says it last checked it (assured_date), else when it last changed there, else now.
  service.verifiedAt = dateOrUndefined(doc.assured_date) ?? lastModified ?? new Date();
  service.verifiedBy = Verifier.SOURCE_FEED;
  service.verifiedByName = null;
  // A partner holding the version it read is told the record changed under it.
  if (existing) service.version += 1;
  service.categories.set(categories.map((c) => tx.getReference(Category, c.id)));
  service.criteria.set(criteria.map((c) => tx.getReference(EligibilityCriterion, c.id)));
  if (existing) {
    await tx.flush();
    await tx.nativeDelete(ServiceLocation, { service: existing.id });
    await tx.nativeDelete(ServiceArea, { service: existing.id });
  }
  for (const area of areas) tx.create(ServiceArea, { ...(area.uuid ? { uuid: area.uuid } : {}), service, source: cache.label, ...area.fields });
  for (const place of places) {
    const location = tx.create(ServiceLocation, { uuid: place.uuid, service, hub: place.hub, description: place.description });
    for (const s of place.schedules) {
      tx.create(Schedule, { uuid: String(s.id).toLowerCase(), location, days: daysOf(s.byday), opensAt: hhmm(s.opens_at), closesAt: hhmm(s.closes_at), validFrom: s.valid_from ?? null, validTo: s.valid_to ?? null, notes: s.notes ?? null });
    }
  }
  cache.written.push({ service, created: !existing, changes: diffSnapshots(before, incoming), lastModified: existing ? lastModified : undefined });
  return existing ? 'updated' : 'created';
}

const FEATURE_BY_LABEL = new Map(Object.entries(ACCESSIBILITY_LABELS).map(([feature, label]) => [label.toLowerCase(), feature as AccessibilityFeature]));

/** A location's accessibility entries: those that are one of our coded features (by label, as our feed writes them), and the first free text. */
function accessibilityOf(docs: unknown): { accessibility: string | null; accessibilityFeatures: AccessibilityFeature[] } {
  const descriptions = (Array.isArray(docs) ? (docs as ForeignDoc[]) : []).map((d) => d?.description).filter((d): d is string => typeof d === 'string' && d.trim() !== '');
  const features = descriptions.map((d) => FEATURE_BY_LABEL.get(d.trim().toLowerCase())).filter((f): f is AccessibilityFeature => f !== undefined);
  return { accessibility: descriptions.find((d) => !FEATURE_BY_LABEL.has(d.trim().toLowerCase())) ?? null, accessibilityFeatures: [...new Set(features)] };
}

/** ONS GSS codes of the two national areas, as the feed's service_area uri carries them (see oruk.documents.ts). */
const NATIONAL_GSS: Record<string, NationalScope> = { E92000001: NationalScope.ENGLAND, K02000001: NationalScope.UK };
const POSTCODES_TEXT = /^Postcode districts and areas: (.+)$/;

/**
 * A feed's service_areas: England or the UK (by GSS code in the uri) make the
 * service national; each other area keeps its name, its GSS code, the
 * postcodes this directory's own feed writes in its text, and its GeoJSON
 * extent when that is valid (an invalid one is dropped, the area kept).
 */
function foreignAreas(docs: unknown): { areas: Array<{ uuid: string | undefined; fields: AreaFields }>; nationalScope: NationalScope | null } {
  let nationalScope: NationalScope | null = null;
  const areas: Array<{ uuid: string | undefined; fields: AreaFields }> = [];
  for (const doc of Array.isArray(docs) ? (docs as ForeignDoc[]) : []) {
    if (!doc || typeof doc !== 'object' || typeof doc.name !== 'string' || doc.name.trim() === '') continue;
    const gss = typeof doc.uri === 'string' ? /([EWSNK]\d{8})$/.exec(doc.uri)?.[1] ?? null : null;
    if (gss && NATIONAL_GSS[gss]) {
      nationalScope = nationalScope === NationalScope.UK ? nationalScope : NATIONAL_GSS[gss];
      continue;
    }
    const text = typeof doc.service_area === 'string' ? POSTCODES_TEXT.exec(doc.service_area)?.[1] : undefined;
    const postcodes = text ? text.split(/,\s*/).filter((code) => /^[A-Z]{1,2}(\d[A-Z\d]?)?$/.test(code)) : [];
    let extent: Extent | null = null;
    if (typeof doc.extent === 'string' && /^geojson$/i.test(String(doc.extent_type ?? 'geojson'))) {
      try {
        extent = readExtent(JSON.parse(doc.extent), 'extent', []);
      } catch {
        extent = null;
      }
    }
    const uuid = typeof doc.id === 'string' && /^[0-9a-f-]{36}$/i.test(doc.id) ? doc.id.toLowerCase() : undefined;
    areas.push({ uuid, fields: storedArea(doc.name, gss, postcodes, extent) });
  }
  return { areas, nationalScope };
}

async function sameLocationIds(tx: EntityManager, serviceId: number, places: Array<{ uuid: string; schedules: Array<ForeignDoc> }>): Promise<boolean> {
  const rows: Array<{ uuid: string; schedules: string | null }> = await sqlOf(tx)
    .from('service_location as sl')
    .leftJoin('schedule as s', 's.service_location_id', 'sl.id')
    .where('sl.service_id', serviceId)
    .select('sl.uuid', 's.uuid as schedules');
  const have = rows.map((r) => `${r.uuid}/${r.schedules ?? ''}`).sort();
  const want = places.flatMap((p) => (p.schedules.length ? p.schedules.map((s) => `${p.uuid}/${String(s.id).toLowerCase()}`) : [`${p.uuid}/`])).sort();
  return JSON.stringify(have) === JSON.stringify(want);
}

/** The audited picture of a stored service (as service.writer's snapshot draws it), read as rows, outside the unit of work. */
async function snapshotOf(tx: EntityManager, id: number): Promise<Snapshot> {
  const sql = sqlOf(tx);
  const s = await sql('service').where('id', id).first();
  const codes = async (table: string, link: string, column: string) =>
    (await sql(`${table} as t`).join(`${link} as l`, `l.${column}`, 't.id').where('l.service_id', id).select('t.code')).map((r: { code: string }) => r.code).sort();
  const locations: Array<{ id: number; hub_id: number; description: string | null }> = await sql('service_location').where('service_id', id).orderBy('id').select('id', 'hub_id', 'description');
  const schedules: Array<Record<string, string | number | null>> = locations.length ? await sql('schedule').whereIn('service_location_id', locations.map((l) => l.id)).orderBy('id').select('*') : [];
  const areas: Array<Record<string, string | null>> = await sql('service_area').where('service_id', id).orderBy('id').select('name', 'gss_code', 'postcodes', 'extent');
  return {
    name: s.name,
    description: s.description,
    status: s.status,
    isDraft: Boolean(s.draft),
    archivedAt: toDate(s.archived_at)?.toISOString() ?? null,
    minimumAge: s.min_age ?? null,
    maximumAge: s.max_age ?? null,
    referralRoutes: decodeEnumSet(s.referral_routes ?? ''),
    deliveryModes: decodeEnumSet(s.delivery_modes ?? ''),
    languages: decodeEnumSet(s.languages ?? ''),
    cost: { free: Boolean(s.cost_free), description: s.cost_description ?? null },
    contact: { phone: s.contact_phone ?? null, email: s.contact_email ?? null, url: s.contact_url ?? null },
    howToRefer: { formUrl: s.referral_form_url ?? null, email: s.referral_email ?? null, phone: s.referral_phone ?? null, instructions: s.referral_instructions ?? null, signpostingOnly: Boolean(s.signposting_only) },
    nationalScope: s.national_scope ?? null,
    areas: areas.map((a) => ({ name: a.name, gssCode: a.gss_code ?? null, postcodes: decodeEnumSet(a.postcodes ?? ''), extent: a.extent ?? null })),
    categories: await codes('category', 'service_category', 'category_id'),
    criteria: await codes('eligibility_criterion', 'service_criterion', 'criterion_id'),
    locations: locations.map((location) => ({
      hub: toGlobalId('Hub', Number(location.hub_id)),
      description: location.description ?? null,
      schedules: schedules
        .filter((rule) => Number(rule.service_location_id) === Number(location.id))
        .map((rule) => ({ days: decodeEnumSet(String(rule.days)), opensAt: rule.opens_at, closesAt: rule.closes_at, validFrom: rule.valid_from ?? null, validTo: rule.valid_to ?? null, notes: rule.notes ?? null })),
    })),
  };
}

/**
 * Services this source made that its feed no longer lists: archived, never
 * deleted. Read and written as rows: loading every service of the source as
 * entities would have the ORM stamp each with a new time of change.
 */
async function archiveGone(tx: EntityManager, label: string, seen: Set<string>, actor: { actor: string }): Promise<number> {
  const sql = sqlOf(tx);
  const rows: Array<{ id: number; uuid: string; provider_id: number }> = await sql('service').where('source', label).whereNull('archived_at').select('id', 'uuid', 'provider_id');
  const gone = rows.filter((row) => !seen.has(row.uuid));
  const now = new Date();
  for (const row of gone) {
    await sql('service').where('id', row.id).update({ archived_at: tx.getPlatform().processDateProperty(now) });
    recordChange(tx, actor, { entityType: 'Service', entityId: row.id, providerId: row.provider_id, action: 'ARCHIVE', changes: [{ field: 'archivedAt', from: null, to: now.toISOString() }] });
  }
  await tx.flush();
  return gone.length;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The namespace of the UUIDs given to imported taxonomies that a feed names without an id (a random UUID, fixed here). */
const IMPORTED_TAXONOMIES = '0d3f6c1e-5b2a-4e7f-8c9d-1a2b3c4d5e6f';

const WEEKDAYS = new Set<string>(Object.values(Weekday));
const daysOf = (byday: string): Weekday[] => String(byday).split(',').map((d) => d.trim().toUpperCase().replace(/^[+-]?\d+/, '')).filter((d): d is Weekday => WEEKDAYS.has(d));
const hhmm = (time: string) => String(time).slice(0, 5);
const slug = (text: string) => text.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'term';

/** Where an online service's hub is put (it has no place): the placeholder the sample directory uses, near the centre of England. */
const ONLINE_PLACEHOLDER = { latitude: 52.4366, longitude: -1.6464 };

/** Approximate centres of England's regions, to place a location whose address names no region of ours. */
const REGION_CENTRES: Record<Region, { latitude: number; longitude: number }> = {
  [Region.NORTH_EAST]: { latitude: 55.0, longitude: -1.9 },
  [Region.NORTH_WEST]: { latitude: 54.0, longitude: -2.6 },
  [Region.YORKSHIRE_AND_THE_HUMBER]: { latitude: 53.9, longitude: -1.2 },
  [Region.EAST_MIDLANDS]: { latitude: 52.9, longitude: -0.9 },
  [Region.WEST_MIDLANDS]: { latitude: 52.5, longitude: -2.3 },
  [Region.EAST_OF_ENGLAND]: { latitude: 52.2, longitude: 0.4 },
  [Region.LONDON]: { latitude: 51.5, longitude: -0.1 },
  [Region.SOUTH_EAST]: { latitude: 51.3, longitude: -0.6 },
  [Region.SOUTH_WEST]: { latitude: 50.9, longitude: -3.5 },
};

function regionOf(name: unknown, point: { latitude: number; longitude: number }): Region {
  const named = (Object.entries(REGION_NAMES) as Array<[Region, string]>).find(([, label]) => label.toLowerCase() === String(name ?? '').trim().toLowerCase());
  if (named) return named[0];
  return (Object.entries(REGION_CENTRES) as Array<[Region, { latitude: number; longitude: number }]>).sort(([, a], [, b]) => haversineKm(point, a) - haversineKm(point, b))[0][0];
}

/** A date the feed gives (assured_date: "2026-05-01"), or undefined when it gives none or no real date. */
function dateOrUndefined(value: unknown): Date | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
