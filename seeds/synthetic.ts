import type { Knex } from '@mikro-orm/knex';
import { dialectOf } from '../src/modules/common/dialect';
import { encodeEnumSet } from '../src/modules/common/enum-set.type';
import type { SampleDirectory } from './sample-types';
import { sampleDirectory } from './sample-directory';
import { seededRandom } from './random';
import { v5 as uuidV5 } from 'uuid';
import { UUID_TABLES } from '../src/migrations/uuid-tables';
import { DAY_MS } from '../src/modules/common/time';

/** Namespace of the synthetic directory's UUIDs (a random UUID, fixed here): with the seed, the table and the id, each row's UUID is the same on every run. */
const SYNTHETIC_NAMESPACE = '6f1d3c2a-8b4e-4f7a-9c1d-2e5b7a9f0c31';

/**
 * A deterministic synthetic directory for load and benchmark work: the same
 * options always give the same rows. Hubs are scattered around the sample
 * hubs' towns (so every postcode district is a real one), categories and
 * criteria are the sample taxonomy, and services draw their names, ages,
 * routes, schedules and links from weighted pools.
 *
 * Rows are written with multi-row INSERTs in one transaction, bypassing the
 * ORM's unit of work: 50,000 services with their relations is roughly half a
 * million rows.
 */
export interface SyntheticOptions {
  services: number;
  seed?: number;
  /** Defaults to one hub per 100 services, at least 50. */
  hubs?: number;
  /** Defaults to one provider per 50 services, at least 20. */
  providers?: number;
}

export interface SyntheticCounts {
  providers: number;
  hubs: number;
  services: number;
  locations: number;
  schedules: number;
  serviceCategories: number;
  serviceCriteria: number;
}

const ACTIVITIES = [
  ['Gardening club', 'gardening'],
  ['Sensory garden sessions', 'sensory-gardens'],
  ['Walking group', 'walking-groups'],
  ['Befriending service', 'befriending'],
  ['Counselling', 'counselling'],
  ['Talking therapy group', 'talking-therapy'],
  ['Peer support group', 'peer-support'],
  ['Art workshop', 'arts-and-crafts'],
  ['Community choir', 'music-and-singing'],
  ['Creative writing circle', 'writing-and-reading'],
  ['Lunch club', 'lunch-clubs'],
  ["Men's shed", 'mens-groups'],
  ['Veterans breakfast club', 'veterans-groups'],
  ['Walking football', 'walking-football'],
  ['Chair exercise class', 'chair-exercise'],
  ['Breastfeeding support', 'breastfeeding'],
  ['Parent and baby group', 'parent-and-baby-groups'],
  ['Debt and money advice', 'money-and-debt'],
  ["Carers' cafe", 'carers-support'],
  ['Dementia cafe', 'dementia-support'],
  ['Cancer support drop-in', 'cancer-support'],
  ['Conservation volunteering', 'conservation-volunteering'],
  ['Listening service', 'suicide-prevention'],
  ['Weight management course', 'weight-management'],
] as const;

const QUALIFIERS = ['Community', 'Friendly', 'Weekly', 'Neighbourhood', 'Wellbeing', 'Open', 'Drop-in', 'Evening', 'Morning', 'Family'];
const DESCRIPTION_WORDS = [
  'friendly', 'welcoming', 'relaxed', 'supportive', 'volunteers', 'tea', 'conversation', 'outdoors', 'garden', 'growing',
  'vegetables', 'flowers', 'walk', 'park', 'music', 'singing', 'painting', 'crafts', 'stories', 'confidence', 'wellbeing',
  'loneliness', 'isolation', 'bereavement', 'carers', 'memory', 'exercise', 'gentle', 'advice', 'benefits', 'housing',
  'listening', 'trained', 'confidential', 'peer', 'group', 'one-to-one', 'online', 'telephone', 'accessible',
];
const HUB_KINDS = ['HEALTH_CENTRE', 'HEALTH_CENTRE', 'HEALTH_CENTRE', 'COMMUNITY_HUB', 'COMMUNITY_HUB', 'GREEN_SPACE', 'LIBRARY', 'GP_SURGERY', 'PHARMACY', 'HOSPITAL'];
const STATUSES = [...Array(17).fill('ACTIVE'), 'TEMPORARILY_CLOSED', 'INACTIVE', 'DEFUNCT'];
const ROUTES = ['GP', 'LINK_WORKER', 'PHARMACY', 'HOSPITAL_DISCHARGE', 'OTHER_PROFESSIONAL', 'SELF_REFERRAL'];
const MODES = ['IN_PERSON', 'ONLINE', 'PHONE'];
const LANGUAGES = ['cy', 'ur', 'pa', 'pl', 'bn', 'so', 'ar', 'gu'];
const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const SESSIONS: Array<[string, string]> = [
  ['09:00', '11:00'], ['09:30', '12:00'], ['10:00', '12:00'], ['10:00', '15:00'], ['11:00', '13:00'],
  ['13:00', '15:00'], ['14:00', '16:00'], ['18:00', '20:00'], ['19:00', '21:00'], ['22:00', '02:00'],
];
const AGE_BANDS: Array<[number | null, number | null]> = [
  [null, null], [null, null], [null, null], [18, null], [18, null], [65, null], [50, null], [16, 25], [0, 5], [11, 18],
];

export async function generateSyntheticDirectory(
  knex: Knex,
  options: SyntheticOptions,
  directory: SampleDirectory = sampleDirectory,
): Promise<SyntheticCounts> {
  const rand = seededRandom(options.seed ?? 1);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)];
  const pickSome = <T>(items: readonly T[], min: number, max: number): T[] => {
    const count = min + Math.floor(rand() * (max - min + 1));
    const chosen = new Set<T>();
    while (chosen.size < Math.min(count, items.length)) chosen.add(pick(items));
    return [...chosen];
  };
  const serviceCount = options.services;
  const hubCount = options.hubs ?? Math.max(50, Math.ceil(serviceCount / 100));
  const providerCount = options.providers ?? Math.max(20, Math.ceil(serviceCount / 50));
  const anchors = directory.hubs.filter((hub) => hub.kind !== 'ONLINE');
  const dialect = dialectOf(knex);
  // Dates as the ORM stores them: milliseconds since the epoch on SQLite, timestamps on PostgreSQL.
  const now = dialect === 'postgresql' ? new Date() : Date.now();
  const counts: SyntheticCounts = { providers: 0, hubs: 0, services: 0, locations: 0, schedules: 0, serviceCategories: 0, serviceCriteria: 0 };

  await knex.transaction(async (trx) => {
    const nextId = async (table: string): Promise<number> => {
      const [row] = await trx(table).max({ id: 'id' });
      return Number((row as { id: number | null }).id ?? 0) + 1;
    };
    const seedNamespace = uuidV5(`seed:${options.seed ?? 1}`, SYNTHETIC_NAMESPACE);
    const insert = async (table: string, rows: Record<string, unknown>[]): Promise<void> => {
      if (rows.length === 0) return;
      if (UUID_TABLES.includes(table)) rows = rows.map((row) => ({ ...row, uuid: uuidV5(`${table}:${row.id}`, seedNamespace) }));
      const perRow = Object.keys(rows[0]).length;
      // Within SQLite's limits on bound variables (32,766) and on the compound
      // SELECT knex builds for a multi-row insert (500 terms).
      const chunk = Math.max(1, Math.min(500, Math.floor(30000 / perRow)));
      for (let i = 0; i < rows.length; i += chunk) await trx(table).insert(rows.slice(i, i + chunk));
    };
    const ensureTaxonomy = async (): Promise<{ categoryIds: Map<string, number>; criterionIds: number[] }> => {
      const existing = await trx('category').select('id', 'code');
      if (existing.length === 0) {
        let id = await nextId('category');
        const ids = new Map(directory.categories.map((c) => [c.code, id++]));
        await insert(
          'category',
          directory.categories.map((c) => ({ id: ids.get(c.code), code: c.code, name: c.name, description: c.description ?? '', parent_id: null, created_at: now, updated_at: now })),
        );
        for (const c of directory.categories.filter((c) => c.parent)) {
          await trx('category').where('id', ids.get(c.code)).update({ parent_id: ids.get(c.parent!) });
        }
        let criterionId = await nextId('eligibility_criterion');
        await insert(
          'eligibility_criterion',
          directory.criteria.map((c) => ({ id: criterionId++, code: c.code, label: c.label, kind: c.kind, description: c.description, created_at: now, updated_at: now })),
        );
      }
      const categories = await trx('category').select('id', 'code');
      const criteria = await trx('eligibility_criterion').select('id');
      return { categoryIds: new Map(categories.map((c: { id: number; code: string }) => [c.code, c.id])), criterionIds: criteria.map((c: { id: number }) => c.id) };
    };

    const { categoryIds, criterionIds } = await ensureTaxonomy();
    const allCategoryIds = [...categoryIds.values()];

    const firstProvider = await nextId('provider');
    const providers = Array.from({ length: providerCount }, (_, i) => ({
      id: firstProvider + i,
      name: `${pick(anchors).town} ${pick(['Community Trust', 'Wellbeing Network', 'Together', 'Mind', 'Age Concern', 'Carers Centre', 'Voluntary Action', 'Growing Project'])} ${i + 1}`,
      description: `A synthetic provider for load testing, number ${i + 1}.`,
      charity_number: String(1_000_000 + i),
      website: `https://provider-${i + 1}.example.org`,
      email: `hello@provider-${i + 1}.example.org`,
      phone: `0113 496 ${String(i % 10000).padStart(4, '0')}`,
      logo_url: null,
      created_at: now,
      updated_at: now,
    }));
    await insert('provider', providers);

    const firstHub = await nextId('hub');
    const hubs = Array.from({ length: hubCount }, (_, i) => {
      const anchor = anchors[i % anchors.length];
      const district = anchor.postcode.split(' ')[0];
      return {
        id: firstHub + i,
        name: `${anchor.town} ${pick(['Health Centre', 'Community Hub', 'Wellbeing Hub', 'Library', 'Park', 'Medical Centre'])} ${i + 1}`,
        kind: pick(HUB_KINDS),
        description: 'A synthetic hub for load testing.',
        address1: `${1 + Math.floor(rand() * 200)} ${pick(['High Street', 'Church Road', 'Station Road', 'Park Lane', 'Mill Street'])}`,
        address2: null,
        town: anchor.town,
        postcode: `${district} ${1 + Math.floor(rand() * 9)}${pick(['AB', 'DE', 'FG', 'HJ', 'LN', 'PQ', 'RS', 'TU', 'WX'])}`,
        region: anchor.region,
        // Within about 10 km of the town the anchor hub is in.
        latitude: Number((anchor.latitude + (rand() - 0.5) * 0.18).toFixed(6)),
        longitude: Number((anchor.longitude + (rand() - 0.5) * 0.28).toFixed(6)),
        accessibility: rand() < 0.7 ? 'Step-free access and an accessible toilet.' : null,
        accessibility_features: '',
        operator: pick(['NHS Property Services', 'Local council', 'Community trust']),
        created_at: now,
        updated_at: now,
      };
    });
    // Coded features by position (so the rest of a seed's directory is unchanged): the free text's two, and some more.
    for (const [i, hub] of hubs.entries()) {
      const features = hub.accessibility ? ['STEP_FREE_ACCESS', 'WHEELCHAIR_ACCESSIBLE_TOILET'] : [];
      if (i % 3 === 0) features.push('HEARING_LOOP');
      if (i % 5 === 0) features.push('PARKING');
      if (i % 7 === 0) features.push('QUIET_SPACE');
      hub.accessibility_features = encodeEnumSet(features);
    }
    await insert('hub', hubs);

    const firstService = await nextId('service');
    let locationId = await nextId('service_location');
    let scheduleId = await nextId('schedule');
    const services: Record<string, unknown>[] = [];
    const locations: Record<string, unknown>[] = [];
    const schedules: Record<string, unknown>[] = [];
    const serviceCategories: Record<string, unknown>[] = [];
    const serviceCriteria: Record<string, unknown>[] = [];
    const areas: Record<string, unknown>[] = [];
    let areaId = await nextId('service_area');
    for (let i = 0; i < serviceCount; i++) {
      const id = firstService + i;
      const [activity, categoryCode] = pick(ACTIVITIES);
      const hubIndexes = pickSome(hubs, 1, 3);
      const [minAge, maxAge] = pick(AGE_BANDS);
      const free = rand() < 0.8;
      services.push({
        id,
        name: `${pick(QUALIFIERS)} ${activity.toLowerCase()} ${hubIndexes[0].town} ${i + 1}`,
        description: `${activity}. ${pickSome(DESCRIPTION_WORDS, 6, 14).join(' ')}.`,
        status: pick(STATUSES),
        provider_id: firstProvider + Math.floor(rand() * providerCount),
        min_age: minAge,
        max_age: maxAge,
        referral_routes: encodeEnumSet(pickSome(ROUTES, 1, 4)),
        delivery_modes: encodeEnumSet(pickSome(MODES, 1, 2)),
        cost_free: free,
        cost_description: free ? null : `£${1 + Math.floor(rand() * 5)} per session`,
        contact_phone: `0161 496 ${String(i % 10000).padStart(4, '0')}`,
        contact_email: null,
        contact_url: null,
        languages: encodeEnumSet(rand() < 0.85 ? ['en'] : ['en', pick(LANGUAGES)]),
        ...capacityOf(i, dialect === 'postgresql'),
        national_scope: i % 40 === 3 ? (i % 80 === 3 ? 'ENGLAND' : 'UK') : null,
        // Every synthetic listing was just checked: none is stale, so the benchmarks' orders are the plain ones.
        verified_at: now,
        created_at: now,
        updated_at: now,
      });
      // Areas are around a hub chosen by position, not always one of the service's own: outreach run from elsewhere.
      const area = areaOf(i, i % 2 ? hubIndexes[0] : hubs[Math.floor(i / 25) % hubs.length]);
      if (area) areas.push({ id: areaId, uuid: uuidV5(`service_area:${areaId++}`, seedNamespace), service_id: id, ...area, created_at: now, updated_at: now });
      const categories = new Set([categoryIds.get(categoryCode) ?? pick(allCategoryIds)]);
      if (rand() < 0.4) categories.add(pick(allCategoryIds));
      for (const categoryId of categories) serviceCategories.push({ service_id: id, category_id: categoryId });
      for (const criterionId of pickSome(criterionIds, 0, 3)) serviceCriteria.push({ service_id: id, criterion_id: criterionId });
      for (const hub of hubIndexes) {
        const location = locationId++;
        locations.push({ id: location, service_id: id, hub_id: hub.id, description: null, created_at: now, updated_at: now });
        for (const [opensAt, closesAt] of pickSome(SESSIONS, 1, 2)) {
          schedules.push({
            id: scheduleId++,
            service_location_id: location,
            days: encodeEnumSet(pickSome(DAYS, 1, 3).sort((a, b) => DAYS.indexOf(a) - DAYS.indexOf(b))),
            opens_at: opensAt,
            closes_at: closesAt,
            valid_from: null,
            valid_to: null,
            notes: null,
            created_at: now,
            updated_at: now,
          });
        }
      }
    }
    await insert('service', services);
    await insert('service_location', locations);
    await insert('schedule', schedules);
    await insert('service_category', serviceCategories);
    await insert('service_criterion', serviceCriteria);
    await insert('service_area', areas);
    // Rows were inserted with explicit ids: PostgreSQL's id sequences must continue after them.
    if (dialect === 'postgresql') {
      for (const table of ['category', 'eligibility_criterion', 'provider', 'hub', 'service', 'service_location', 'schedule', 'service_area']) {
        await trx.raw(`select setval(pg_get_serial_sequence(?, 'id'), coalesce((select max(id) from ${table}), 0) + 1, false)`, [table]);
      }
    }
    // Planner statistics for the new rows: until autovacuum gets round to it
    // (if it is on at all), PostgreSQL would plan searches over 50,000 services
    // as if the tables were empty.
    if (dialect === 'postgresql') await analyzeDirectory(trx);
    Object.assign(counts, {
      providers: providers.length,
      hubs: hubs.length,
      services: services.length,
      locations: locations.length,
      schedules: schedules.length,
      serviceCategories: serviceCategories.length,
      serviceCriteria: serviceCriteria.length,
    });
  });
  return counts;
}

/** The tables a generated directory fills. */
export const DIRECTORY_TABLES = ['category', 'eligibility_criterion', 'provider', 'hub', 'service', 'service_location', 'schedule', 'service_category', 'service_criterion', 'service_area', 'service_search'];

/**
 * PostgreSQL: refreshes the planner's statistics of the directory's tables
 * (in the connection's schema), which a bulk load leaves stale until
 * autovacuum gets round to them, if it is on at all.
 */
export async function analyzeDirectory(knex: Knex): Promise<void> {
  await knex.raw(`analyze ${DIRECTORY_TABLES.join(', ')}`);
}

const CAPACITY = ['TAKING_REFERRALS', 'WAITING_LIST', 'NOT_TAKING_REFERRALS'];

/**
 * The sample directory's mix of capacity states (see sample-seeder.ts), by
 * position rather than from the random stream, so the rest of the directory
 * stays as it was for a seed: a quarter never said, the rest said within
 * the last 44 days (some of it too old to trust).
 */
function capacityOf(index: number, postgres: boolean): Record<string, unknown> {
  const kind = index % 4;
  if (kind === 3) return { capacity_status: null, capacity_wait_days: null, capacity_set_at: null };
  const at = Date.now() - ((index * 7) % 45) * DAY_MS;
  return { capacity_status: CAPACITY[kind], capacity_wait_days: kind === 1 ? 7 + (index % 5) * 7 : null, capacity_set_at: postgres ? new Date(at) : at };
}

/**
 * The sample directory's shapes of service area, by position (so the rest of
 * a seed's directory is unchanged): one service in 25 serves its first hub's
 * whole postcode area ("LS"), one in 25 that hub's district alone, one in
 * 50 a drawn square about 20 km across around it. One in 40 is national
 * (see national_scope above).
 */
function areaOf(index: number, hub: { town: string; postcode: string; latitude: number; longitude: number }): Record<string, unknown> | undefined {
  const district = hub.postcode.split(' ')[0];
  if (index % 25 === 7) return { name: `${hub.town} area`, gss_code: null, postcodes: encodeEnumSet([/^[A-Z]+/.exec(district)![0]]), extent: null, south: null, north: null, west: null, east: null };
  if (index % 25 === 13) return { name: `${hub.town} ${district}`, gss_code: null, postcodes: encodeEnumSet([district]), extent: null, south: null, north: null, west: null, east: null };
  if (index % 50 === 19) {
    const [south, north, west, east] = [hub.latitude - 0.09, hub.latitude + 0.09, hub.longitude - 0.14, hub.longitude + 0.14].map((v) => Number(v.toFixed(6)));
    const extent = { type: 'Polygon', coordinates: [[[west, south], [east, south], [east, north], [west, north], [west, south]]] };
    return { name: `Around ${hub.town}`, gss_code: null, postcodes: '', extent: JSON.stringify(extent), south, north, west, east };
  }
  return undefined;
}
