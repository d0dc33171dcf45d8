import type { Category } from '../category/category.entity';
import type { Taxonomy } from '../category/taxonomy.entity';
import type { EligibilityCriterion } from '../eligibility/criterion.entity';
import { HubKind, Region } from '../hub/hub.enums';
import { ACCESSIBILITY_LABELS } from '../place/accessibility';
import type { Hub } from '../hub/hub.entity';
import type { Provider } from '../provider/provider.entity';
import type { Schedule } from '../service/schedule.entity';
import type { ServiceLocation } from '../service/service-location.entity';
import type { Service } from '../service/service.entity';
import { type NationalScope, ServiceStatus, Weekday } from '../service/service.enums';
import type { ServiceArea } from '../service/service-area.entity';
import { ENUM_TERMS, enumTermOf, partId, TAXONOMY, type EnumTerm, type TaxonomyInfo } from './oruk.ids';

/**
 * Our records as Open Referral UK 3.0 documents (the UK profile's compiled
 * schemas in shared/reference/oruk-3.0): plain functions of records already
 * loaded (oruk.feed.ts loads them, batched). Empty optional fields are left
 * out, never null or "".
 */
export type Doc = Record<string, unknown>;

/** Drops the fields with no value: undefined, null, "" and empty lists. */
export function compact(doc: Doc): Doc {
  // A page of 100 services compacts about 2,000 documents: a plain loop, not Object.entries' pair per field.
  const out: Doc = {};
  for (const key in doc) {
    const value = doc[key];
    if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)) continue;
    out[key] = value;
  }
  return out;
}

export const STATUS: Record<ServiceStatus, string> = {
  [ServiceStatus.ACTIVE]: 'active',
  [ServiceStatus.INACTIVE]: 'inactive',
  [ServiceStatus.TEMPORARILY_CLOSED]: 'temporarily closed',
  [ServiceStatus.DEFUNCT]: 'defunct',
};

/** An enum's name as words: NORTH_EAST "North East", EAST_OF_ENGLAND "East of England". */
const titleOf = (name: string) =>
  name
    .split('_')
    .map((word, i) => (i > 0 && ['AND', 'THE', 'OF'].includes(word) ? word.toLowerCase() : word.charAt(0) + word.slice(1).toLowerCase()))
    .join(' ');

/** England's regions by name, as addresses give them (state_province). */
export const REGION_NAMES = Object.fromEntries(Object.values(Region).map((region) => [region, titleOf(region)])) as Record<Region, string>;

const DAY_NAMES = Object.fromEntries(Object.entries(Weekday).map(([name, code]) => [code, `${titleOf(name)}s`])) as Record<Weekday, string>;

const displayNames = new Intl.DisplayNames(['en'], { type: 'language' });
const languageNames = new Map<string, string>();
const languageName = (code: string) => languageNames.get(code) ?? languageNames.set(code, displayNames.of(code) ?? code).get(code)!;

/** HSDS organization. Its description is required: a provider without one is described by its name. */
export function organizationDoc(provider: Provider): Doc {
  return compact({
    id: provider.uuid,
    name: provider.name,
    description: provider.description || provider.name,
    email: provider.email,
    website: provider.website,
    logo: provider.logoUrl,
    organization_identifiers: provider.charityNumber
      ? [{ id: partId(provider.uuid, 'charity-number'), organization_id: provider.uuid, identifier_scheme: 'GB-CHC', identifier_type: 'Registered charity number', identifier: provider.charityNumber }]
      : [],
  });
}

/** HSDS location: a hub. An online hub is a virtual location, without an address. */
export function locationDoc(hub: Hub): Doc {
  const virtual = hub.kind === HubKind.ONLINE;
  return compact({
    id: hub.uuid,
    location_type: virtual ? 'virtual' : 'physical',
    name: hub.name,
    description: hub.description,
    latitude: virtual ? undefined : hub.latitude,
    longitude: virtual ? undefined : hub.longitude,
    addresses: virtual
      ? []
      : [
          compact({
            id: partId(hub.uuid, 'address'),
            location_id: hub.uuid,
            address_1: hub.address1,
            address_2: hub.address2,
            city: hub.town,
            state_province: REGION_NAMES[hub.region],
            postal_code: hub.postcode,
            country: 'GB',
            address_type: 'physical',
          }),
        ],
    accessibility: [
      ...(hub.accessibility ? [{ id: partId(hub.uuid, 'accessibility'), location_id: hub.uuid, description: hub.accessibility }] : []),
      ...hub.accessibilityFeatures.map((feature) => ({ id: partId(hub.uuid, `accessibility:${feature}`), location_id: hub.uuid, description: ACCESSIBILITY_LABELS[feature] })),
    ],
    attributes: [attributeDoc(hub.uuid, 'location', enumTermDoc(enumTermOf('locationKinds', hub.kind)))],
  });
}

/** HSDS schedule: a weekly rule at one location of the service. Times are Europe/London wall-clock times. */
export function scheduleDoc(schedule: Schedule, service: Service, location: ServiceLocation): Doc {
  const days = schedule.days.map((day) => DAY_NAMES[day]);
  const list = days.length > 1 ? `${days.slice(0, -1).join(', ')} and ${days[days.length - 1]}` : days[0];
  return compact({
    id: schedule.uuid,
    service_id: service.uuid,
    service_at_location_id: location.uuid,
    freq: 'WEEKLY',
    byday: schedule.days.join(','),
    opens_at: schedule.opensAt,
    closes_at: schedule.closesAt,
    valid_from: schedule.validFrom,
    valid_to: schedule.validTo,
    description: `${list}, ${schedule.opensAt} to ${schedule.closesAt} (UK time)`,
    notes: schedule.notes,
  });
}

/** A record's link to a taxonomy term (HSDS attribute). */
function attributeDoc(ownerUuid: string, linkType: 'service' | 'location', term: Doc): Doc {
  const termId = String(term.id);
  return { id: partId(ownerUuid, `attribute:${termId}`), link_id: ownerUuid, link_type: linkType, link_entity: linkType, taxonomy_term_id: termId, taxonomy_term: term };
}

/** HSDS taxonomy: one of the directory's own, or one imported with another directory's feed. */
export function taxonomyDoc(taxonomy: TaxonomyInfo | Taxonomy): Doc {
  if ('key' in taxonomy) return { id: taxonomy.id, name: taxonomy.name, description: taxonomy.description };
  return compact({ id: taxonomy.uuid, name: taxonomy.name, description: taxonomy.description || taxonomy.name, uri: taxonomy.uri, version: taxonomy.version });
}

/** A category as an HSDS taxonomy term; `parentUuid` is its broader category's, `taxonomy` the imported one it belongs to (none: ours). */
export function categoryTermDoc(category: Category, parentUuid: string | undefined, taxonomy?: Taxonomy | null): Doc {
  return compact({
    id: category.uuid,
    name: category.name,
    description: category.description || category.name,
    parent_id: parentUuid,
    taxonomy: taxonomy ? taxonomy.name : TAXONOMY.categories.name,
    taxonomy_id: taxonomy ? taxonomy.uuid : TAXONOMY.categories.id,
    term: category.code,
    code: category.code,
  });
}

export function criterionTermDoc(criterion: EligibilityCriterion): Doc {
  return compact({
    id: criterion.uuid,
    name: criterion.label,
    description: criterion.description || criterion.label,
    parent_id: enumTermOf('criteria', criterion.kind).id,
    taxonomy: TAXONOMY.criteria.name,
    taxonomy_id: TAXONOMY.criteria.id,
    term: criterion.code,
    code: criterion.code,
  });
}

/** The fixed terms' documents, written once (each page of 100 services holds hundreds of them): shared, so frozen. */
const ENUM_TERM_DOCS = new Map<EnumTerm, Doc>(
  ENUM_TERMS.map((term) => [
    term,
    Object.freeze({ id: term.id, name: term.name, description: `${term.taxonomy.name}: ${term.name}.`, taxonomy: term.taxonomy.name, taxonomy_id: term.taxonomy.id, term: term.code, code: term.code }),
  ]),
);

export function enumTermDoc(term: EnumTerm): Doc {
  return ENUM_TERM_DOCS.get(term)!;
}

/** The one-to-one fields of a service and its organization: what /services lists at the least (service_list.json). */
export function serviceFields(service: Service, provider: Provider): Doc {
  return compact({
    id: service.uuid,
    organization_id: provider.uuid,
    name: service.name,
    description: service.description,
    url: service.contactUrl,
    email: service.contactEmail,
    status: STATUS[service.status],
    minimum_age: service.minAge,
    maximum_age: service.maxAge,
    last_modified: service.updatedAt.toISOString(),
    // The date someone last said the details are correct (the review cycle): HSDS's "last checked".
    assured_date: service.verifiedAt.toISOString().slice(0, 10),
    organization: organizationDoc(provider),
  });
}

/** Everything a full service document holds beside its own fields, loaded. */
export interface ServiceParts {
  provider: Provider;
  locations: Array<{ location: ServiceLocation; hub: Hub; schedules: Schedule[] }>;
  categories: Array<{ category: Category; parentUuid: string | undefined; taxonomy: Taxonomy | null }>;
  criteria: EligibilityCriterion[];
  areas: ServiceArea[];
}

/** ONS linked data: the persistent URI of a GSS code (E08000035 is Leeds; E92000001 England, K02000001 the UK). */
const gssUri = (code: string) => `http://statistics.data.gov.uk/id/statistical-geography/${code}`;
const NATIONAL_AREAS: Record<NationalScope, { name: string; text: string; gss: string }> = {
  ENGLAND: { name: 'England', text: 'Everyone in England', gss: 'E92000001' },
  UK: { name: 'United Kingdom', text: 'Everyone in the United Kingdom', gss: 'K02000001' },
};

/** service_areas: each area (its postcodes as the free text, its extent as GeoJSON, its GSS code as the URI); a national service's country. */
function serviceAreaDocs(service: Service, areas: ServiceArea[]): Doc[] {
  const docs = areas.map((area) =>
    compact({
      id: area.uuid,
      service_id: service.uuid,
      name: area.name,
      service_area: area.postcodes.length > 0 ? `Postcode districts and areas: ${area.postcodes.join(', ')}` : undefined,
      extent: area.extent ?? undefined,
      extent_type: area.extent ? 'geojson' : undefined,
      uri: area.gssCode ? gssUri(area.gssCode) : undefined,
    }),
  );
  if (service.nationalScope) {
    const { name, text, gss } = NATIONAL_AREAS[service.nationalScope];
    docs.push({ id: partId(service.uuid, `national:${service.nationalScope}`), service_id: service.uuid, name, service_area: text, uri: gssUri(gss) });
  }
  return docs;
}

/** A fully nested service (service.json): where and when it runs, its terms, languages, cost and contact. */
export function serviceDoc(service: Service, parts: ServiceParts): Doc {
  const attribute = (_termId: string, term: Doc) => attributeDoc(service.uuid, 'service', term);
  return compact({
    ...serviceFields(service, parts.provider),
    service_at_locations: parts.locations.map(({ location, hub }) => serviceAtLocationFields(location, service, hub)),
    schedules: parts.locations.flatMap(({ location, schedules }) => schedules.map((schedule) => scheduleDoc(schedule, service, location))),
    service_areas: serviceAreaDocs(service, parts.areas),
    languages: service.languages.map((code) => ({ id: partId(service.uuid, `language:${code}`), service_id: service.uuid, name: languageName(code), code })),
    cost_options: [
      compact({
        id: partId(service.uuid, 'cost'),
        service_id: service.uuid,
        option: service.costFree ? 'Free' : 'Charge',
        amount: service.costFree ? 0 : undefined,
        amount_description: service.costDescription,
      }),
    ],
    contacts: service.contactPhone
      ? [{ id: partId(service.uuid, 'contact'), service_id: service.uuid, name: service.name, phones: [{ id: partId(service.uuid, 'contact-phone'), number: service.contactPhone }] }]
      : [],
    attributes: [
      ...parts.categories.map(({ category, parentUuid, taxonomy }) => attribute(category.uuid, categoryTermDoc(category, parentUuid, taxonomy))),
      ...parts.criteria.map((criterion) => attribute(criterion.uuid, criterionTermDoc(criterion))),
      ...service.referralRoutes.map((code) => enumTermOf('referralRoutes', code)).map((term) => attribute(term.id, enumTermDoc(term))),
      ...service.deliveryModes.map((code) => enumTermOf('deliveryModes', code)).map((term) => attribute(term.id, enumTermDoc(term))),
    ],
  });
}

/** A service at a location, without the service (as nested in a service). */
export function serviceAtLocationFields(location: ServiceLocation, service: Service, hub: Hub): Doc {
  return compact({ id: location.uuid, service_id: service.uuid, location_id: hub.uuid, description: location.description, location: locationDoc(hub) });
}

/** A service at a location on its own (service_at_location.json): the location, its schedules there, and the service. */
export function serviceAtLocationDoc(location: ServiceLocation, service: Service, provider: Provider, hub: Hub, schedules: Schedule[]): Doc {
  return compact({
    ...serviceAtLocationFields(location, service, hub),
    schedules: schedules.map((schedule) => scheduleDoc(schedule, service, location)),
    service: serviceFields(service, provider),
  });
}

/**
 * A document read from another directory's feed: untyped JSON, checked
 * against the UK profile (oruk.validate.ts) and read field by field with a
 * fallback for each, so it is never trusted to have a shape.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above: the shape is checked where each field is read.
export type ForeignDoc = Record<string, any>;
