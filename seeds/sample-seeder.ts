import type { EntityManager } from '@mikro-orm/knex';
import { Provider } from '../src/modules/provider/provider.entity';
import { Hub } from '../src/modules/hub/hub.entity';
import { type HubKind, type Region } from '../src/modules/hub/hub.enums';
import { AccessibilityFeature } from '../src/modules/place/accessibility';
import { Category } from '../src/modules/category/category.entity';
import { EligibilityCriterion, type CriterionKind } from '../src/modules/eligibility/criterion.entity';
import { Service } from '../src/modules/service/service.entity';
import { ServiceLocation } from '../src/modules/service/service-location.entity';
import { Schedule, scheduleFields } from '../src/modules/service/schedule.entity';
import { ServiceArea } from '../src/modules/service/service-area.entity';
import { readServiceAreas } from '../src/modules/service/service-area';
import { DistrictCentroidGeocoder } from '../src/modules/place/postcode';
import type { FieldProblem } from '../src/errors';
import { SAMPLE_AREAS } from './sample-areas';
import { CapacityStatus, NationalScope, type DeliveryMode, type ReferralRoute, type ServiceStatus, type Weekday } from '../src/modules/service/service.enums';
import type { SampleDirectory } from './sample-types';
import { sampleDirectory } from './sample-directory';
import { DAY_MS } from '../src/modules/common/time';

export interface SeedCounts {
  providers: number;
  hubs: number;
  categories: number;
  criteria: number;
  services: number;
  locations: number;
  schedules: number;
}

/**
 * Loads a sample directory (by default the hand-written one in
 * sample-directory.ts) in one transaction. Keys and codes in the data are
 * resolved to the new rows; an unknown one stops the load with its name.
 */
export async function loadSampleDirectory(em: EntityManager, directory: SampleDirectory = sampleDirectory): Promise<SeedCounts> {
  const counts: SeedCounts = { providers: 0, hubs: 0, categories: 0, criteria: 0, services: 0, locations: 0, schedules: 0 };
  await em.transactional(async (tx) => {
    const providers = new Map<string, Provider>();
    for (const p of directory.providers) {
      providers.set(
        p.key,
        tx.create(Provider, {
          name: p.name,
          description: p.description,
          charityNumber: p.charityNumber ?? null,
          website: p.website ?? null,
          email: p.email ?? null,
          phone: p.phone ?? null,
          logoUrl: p.logoUrl ?? null,
        }),
      );
    }
    const hubs = new Map<string, Hub>();
    for (const h of directory.hubs) {
      hubs.set(
        h.key,
        tx.create(Hub, {
          name: h.name,
          kind: h.kind as HubKind,
          description: h.description,
          address1: h.addressLines[0] ?? '',
          address2: h.addressLines[1] ?? null,
          town: h.town,
          postcode: h.postcode,
          region: h.region as Region,
          latitude: h.latitude,
          longitude: h.longitude,
          accessibility: h.accessibility ?? null,
          accessibilityFeatures: featuresOf(h.accessibility ?? '', h.kind),
          operator: h.operator,
        }),
      );
    }
    const categories = new Map<string, Category>();
    for (const c of directory.categories) {
      categories.set(c.code, tx.create(Category, { code: c.code, name: c.name, description: c.description ?? '' }));
    }
    for (const c of directory.categories) {
      if (c.parent) categories.get(c.code)!.parent = lookup(categories, c.parent, `category ${c.code} parent`);
    }
    const criteria = new Map<string, EligibilityCriterion>();
    for (const c of directory.criteria) {
      criteria.set(c.code, tx.create(EligibilityCriterion, { code: c.code, label: c.label, kind: c.kind as CriterionKind, description: c.description }));
    }
    const loadedAt = Date.now();
    const geocoder = DistrictCentroidGeocoder.fromFile();
    const unknownArea = Object.keys(SAMPLE_AREAS).find((name) => !directory.services.some((s) => s.name === name));
    if (directory === sampleDirectory && unknownArea) throw new Error(`Sample directory: areas for "${unknownArea}", which is not a service.`);
    for (const [index, s] of directory.services.entries()) {
      const capacity = sampleCapacity(index, loadedAt);
      const service = tx.create(Service, {
        ...capacity,
        ...sampleHowToRefer(index, s.name),
        name: s.name,
        description: s.description,
        status: s.status as ServiceStatus,
        provider: lookup(providers, s.provider, `service "${s.name}" provider`),
        minAge: s.minAge ?? null,
        maxAge: s.maxAge ?? null,
        referralRoutes: s.referralRoutes as ReferralRoute[],
        deliveryModes: s.deliveryModes as DeliveryMode[],
        costFree: s.cost.free,
        costDescription: s.cost.description ?? null,
        contactPhone: s.contact.phone ?? null,
        contactEmail: s.contact.email ?? null,
        contactUrl: s.contact.url ?? null,
        languages: s.languages,
        // Delivered only by phone or online (every location the virtual hub): national.
        nationalScope: s.locations.length > 0 && s.locations.every((l) => hubs.get(l.hub)?.kind === 'ONLINE') ? (index % 2 ? NationalScope.UK : NationalScope.ENGLAND) : null,
      });
      const problems: FieldProblem[] = [];
      for (const area of readServiceAreas(SAMPLE_AREAS[s.name] ?? [], geocoder, problems, `service "${s.name}" areas`)) tx.create(ServiceArea, { service, ...area });
      if (problems.length > 0) throw new Error(`Sample directory: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`);
      for (const code of s.categories) service.categories.add(lookup(categories, code, `service "${s.name}" category`));
      for (const code of s.criteria) service.criteria.add(lookup(criteria, code, `service "${s.name}" criterion`));
      for (const l of s.locations) {
        const location = tx.create(ServiceLocation, { service, hub: lookup(hubs, l.hub, `service "${s.name}" hub`) });
        for (const rule of l.schedules) {
          tx.create(Schedule, { location, ...scheduleFields({ ...rule, days: rule.days as Weekday[] }) });
          counts.schedules += 1;
        }
        counts.locations += 1;
      }
    }
    counts.providers = providers.size;
    counts.hubs = hubs.size;
    counts.categories = categories.size;
    counts.criteria = criteria.size;
    counts.services = directory.services.length;
  });
  return counts;
}

function lookup<T>(map: Map<string, T>, key: string, what: string): T {
  const value = map.get(key);
  if (value === undefined) throw new Error(`Sample directory: ${what} "${key}" is not defined.`);
  return value;
}


/**
 * A mix of what providers say of their capacity, the same on every load:
 * taking referrals, a waiting list, full, never said; said between today
 * and 44 days ago, so some of it is older than the 30 days a status is
 * trusted and reads as UNKNOWN.
 */
function sampleCapacity(index: number, now: number) {
  const kind = index % 4;
  if (kind === 3) return {};
  const status = [CapacityStatus.TAKING_REFERRALS, CapacityStatus.WAITING_LIST, CapacityStatus.NOT_TAKING_REFERRALS][kind];
  return {
    capacityStatus: status,
    capacityWaitDays: status === CapacityStatus.WAITING_LIST ? 7 + (index % 5) * 7 : null,
    capacityNote: status === CapacityStatus.NOT_TAKING_REFERRALS ? 'Full until the next course starts; ask to be told when it opens.' : null,
    capacitySetAt: new Date(now - ((index * 7) % 45) * DAY_MS),
  };
}

/** How to refer, for about a third of the sample's services; a few take no referrals at all (signposting). */
function sampleHowToRefer(index: number, name: string) {
  if (index % 11 === 5) return { signpostingOnly: true };
  if (index % 3 !== 0) return {};
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return {
    referralFormUrl: `https://refer.example.org/${slug}`,
    // A domain label may not end in a hyphen: the EmailAddress scalar refuses such an address when it is read.
    referralEmail: index % 2 === 0 ? `referrals@${slug.slice(0, 20).replace(/-+$/, '')}.example.org` : null,
    referralInstructions: 'Name, date of birth, a contact number, and what the person would like help with. Ask the person first.',
  };
}

/** What each feature is called in the sample's free text. */
const FEATURE_WORDS: Array<[AccessibilityFeature, RegExp]> = [
  [AccessibilityFeature.STEP_FREE_ACCESS, /step-free|level access|ramped entrance/i],
  [AccessibilityFeature.WHEELCHAIR_ACCESSIBLE_TOILET, /accessible toilet/i],
  [AccessibilityFeature.CHANGING_PLACES_TOILET, /changing places/i],
  [AccessibilityFeature.LIFT, /\blifts?\b/i],
  [AccessibilityFeature.HEARING_LOOP, /hearing loop/i],
  [AccessibilityFeature.DEMENTIA_FRIENDLY, /dementia/i],
  [AccessibilityFeature.ACCESSIBLE_PARKING, /disabled parking|blue badge/i],
  [AccessibilityFeature.PARKING, /(?<!no on-site )(car park|parking)/i],
  [AccessibilityFeature.NEAR_PUBLIC_TRANSPORT, /station|tram stop|bus stop|park and ride/i],
  [AccessibilityFeature.BABY_CHANGING, /baby change/i],
];

/** A sample hub's coded features, read from its free text (and a quiet space at every library). */
function featuresOf(text: string, kind: string): AccessibilityFeature[] {
  const features = FEATURE_WORDS.filter(([, words]) => words.test(text)).map(([feature]) => feature);
  if (kind === 'LIBRARY') features.push(AccessibilityFeature.QUIET_SPACE);
  return features;
}
