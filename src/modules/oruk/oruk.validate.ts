import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import serviceSchema from './spec/schemas/compiled/service.json';
import type { ForeignDoc } from './oruk.documents';

/** One thing wrong with an imported record: which record, where in it (a JSON path), and what. */
export interface Problem {
  record: string;
  path: string;
  message: string;
}

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validateService = ajv.compile(serviceSchema);

/** `/service_at_locations/0/location/latitude` as `$.service_at_locations[0].location.latitude`. */
function jsonPath(pointer: string): string {
  return `$${pointer
    .split('/')
    .slice(1)
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part.replace(/~1/g, '/').replace(/~0/g, '~')}`))
    .join('')}`;
}

function fromAjv(record: string, error: ErrorObject): Problem {
  const missing = error.keyword === 'required' ? `.${(error.params as { missingProperty: string }).missingProperty}` : '';
  return { record, path: `${jsonPath(error.instancePath)}${missing}`, message: error.keyword === 'required' ? 'is required' : (error.message ?? error.keyword) };
}

/**
 * Everything wrong with a service document: the UK profile's schema (formats
 * included), then what the schema cannot say but an import needs: an
 * organization, coordinates on the Earth, schedules that name a location of
 * this service, times of day.
 */
export function problemsOfService(doc: unknown, where: string): Problem[] {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return [{ record: where, path: '$', message: 'is not a JSON object' }];
  const d = doc as ForeignDoc;
  const record = typeof d.id === 'string' ? d.id : where;
  const problems: Problem[] = [];
  if (!validateService(doc)) problems.push(...(validateService.errors ?? []).map((error) => fromAjv(record, error)));
  if (!d.organization && !d.organization_id) problems.push({ record, path: '$.organization', message: 'is required: a service needs its organization (or organization_id)' });
  if (d.organization && typeof d.organization.id !== 'string') problems.push({ record, path: '$.organization.id', message: 'is required' });
  // The schema's `uri` format allows any scheme; a page shows these as links, so only web addresses are taken (no javascript:, data:...).
  for (const [path, value] of [['$.url', d.url], ['$.organization.website', d.organization?.website], ['$.organization.logo', d.organization?.logo]] as const) {
    if (value !== undefined && value !== null && !isWebAddress(value) && !problems.some((p) => p.path === path)) problems.push({ record, path, message: `must be an http(s) address (got ${JSON.stringify(String(value).slice(0, 100))})` });
  }
  const locations: ForeignDoc[] = Array.isArray(d.service_at_locations) ? d.service_at_locations : [];
  locations.forEach((sal, i) => {
    const location = sal?.location;
    if (!location || typeof location !== 'object') return problems.push({ record, path: `$.service_at_locations[${i}].location`, message: 'is required' });
    if (location.latitude !== undefined && !(typeof location.latitude === 'number' && location.latitude >= -90 && location.latitude <= 90)) {
      problems.push({ record, path: `$.service_at_locations[${i}].location.latitude`, message: `must be between -90 and 90 (got ${JSON.stringify(location.latitude)})` });
    }
    if (location.longitude !== undefined && !(typeof location.longitude === 'number' && location.longitude >= -180 && location.longitude <= 180)) {
      problems.push({ record, path: `$.service_at_locations[${i}].location.longitude`, message: `must be between -180 and 180 (got ${JSON.stringify(location.longitude)})` });
    }
    if (location.location_type !== 'virtual' && (typeof location.latitude !== 'number' || typeof location.longitude !== 'number')) {
      problems.push({ record, path: `$.service_at_locations[${i}].location`, message: 'a physical location needs a latitude and a longitude' });
    }
  });
  const locationIds = new Set(locations.map((sal) => sal?.id));
  (Array.isArray(d.schedules) ? d.schedules : []).forEach((schedule: ForeignDoc, i: number) => {
    const at = `$.schedules[${i}]`;
    if (schedule?.service_at_location_id !== undefined && !locationIds.has(schedule.service_at_location_id)) {
      problems.push({ record, path: `${at}.service_at_location_id`, message: `names no service_at_location of this service (${JSON.stringify(schedule.service_at_location_id)})` });
    }
    for (const field of ['opens_at', 'closes_at']) {
      if (schedule?.[field] !== undefined && !/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?/.test(String(schedule[field]))) problems.push({ record, path: `${at}.${field}`, message: 'must be a time of day, HH:MM' });
    }
  });
  return problems;
}

/** An absolute http: or https: URL. */
function isWebAddress(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
