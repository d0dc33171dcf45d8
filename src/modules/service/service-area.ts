import type { Knex } from '@mikro-orm/knex';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { bbox } from '@turf/bbox';
import { kinks } from '@turf/kinks';
import type { FieldProblem } from '../../errors';
import type { GeoPoint } from '../place/geo';
import { outwardCodeOf, postcodeAreaOf, type Geocoder } from '../place/postcode';

/**
 * Service areas (HSDS service_area): reading a partner's areas into what is
 * stored, and finding the areas whose GeoJSON extent holds a point. The
 * postcode side of membership is SQL (service.queries.ts): an area covers
 * a person when it lists their district ("LS7") or its area ("LS").
 *
 * Terminology:
 * - *postcode area*: the leading letters of a postcode, "LS" (Leeds), "WF";
 * - *district*: the outward code, "LS7", "WF10";
 * - *range*: "WF1-WF17", every district of one area numbered in between,
 *   which is how small charities describe their patch;
 * - *extent*: a GeoJSON Polygon or MultiPolygon in longitude/latitude.
 */

/** ONS GSS codes: a letter for the country (E, W, S, N) or K for the UK and GB, then eight digits ("E08000035" is Leeds). */
export const GSS_CODE = /^[EWSNK]\d{8}$/i;
/** Enough for a local authority's outline drawn by hand or simplified; a full-resolution boundary should be simplified first. */
const MAX_EXTENT_POSITIONS = 20_000;
const MAX_POSTCODES_PER_AREA = 300;

/** An area as a partner gives it (ServiceAreaInput). */
export interface AreaInput {
  name: string;
  gssCode?: string | null;
  postcodes?: string[] | null;
  extent?: Record<string, unknown> | null;
}

/** An area as stored: its postcodes normalised and expanded, its extent as text with its bounding box. */
export interface AreaFields {
  name: string;
  gssCode: string | null;
  postcodes: string[];
  extent: string | null;
  south: number | null;
  north: number | null;
  west: number | null;
  east: number | null;
}

/** Reads `input.areas`, noting every problem at its field; each area must say who it covers (postcodes or an extent). */
export function readServiceAreas(inputs: AreaInput[], geocoder: Geocoder, problems: FieldProblem[], at = 'input.areas'): AreaFields[] {
  return inputs.map((input, i) => {
    const field = `${at}[${i}]`;
    const postcodes = readPostcodes(input.postcodes ?? [], geocoder, `${field}.postcodes`, problems);
    const extent = input.extent === undefined || input.extent === null ? null : readExtent(input.extent, `${field}.extent`, problems);
    if (!input.postcodes?.length && !input.extent) {
      problems.push({ field: `${field}.postcodes`, message: 'give the postcode districts or areas it covers, or an extent: an area with neither covers nobody.' });
    }
    return storedArea(input.name, input.gssCode ?? null, postcodes, extent);
  });
}

/** An area as stored, its bounding box computed from its extent. */
export function storedArea(name: string, gssCode: string | null, postcodes: string[], extent: Extent | null): AreaFields {
  const box = extent ? bbox(extent) : null;
  return {
    name: name.trim().slice(0, 200),
    gssCode: gssCode?.trim().toUpperCase() || null,
    postcodes,
    extent: extent ? JSON.stringify(extent) : null,
    west: box ? box[0] : null,
    south: box ? box[1] : null,
    east: box ? box[2] : null,
    north: box ? box[3] : null,
  };
}

/** "ls", "LS7", "wf1-wf17" → "LS", "LS7", "WF1", ..., "WF17": each a district or area the geocoder knows. */
function readPostcodes(values: string[], geocoder: Geocoder, field: string, problems: FieldProblem[]): string[] {
  const codes: string[] = [];
  values.forEach((value, j) => {
    const at = `${field}[${j}]`;
    const compact = value.replace(/\s+/g, '').toUpperCase();
    const range = /^([A-Z]{1,2})(\d{1,2})-([A-Z]{1,2})(\d{1,2})$/.exec(compact);
    if (range) {
      const [, area, from, toArea, to] = range;
      if (area !== toArea || Number(from) > Number(to)) {
        problems.push({ field: at, message: `${JSON.stringify(value)} is not a range of districts in one area, lowest first, e.g. "WF1-WF17".` });
        return;
      }
      const known = [];
      for (let n = Number(from); n <= Number(to); n++) if (geocoder.knowsDistrictOrArea(`${area}${n}`)) known.push(`${area}${n}`);
      if (known.length === 0) problems.push({ field: at, message: `no district from ${area}${from} to ${area}${to} is one this directory knows.` });
      codes.push(...known);
      return;
    }
    if (!/^[A-Z]{1,2}(\d[A-Z\d]?)?$/.test(compact)) {
      problems.push({ field: at, message: `${JSON.stringify(value.slice(0, 40))} is not a postcode district ("WF1"), area ("LS") or range of districts ("WF1-WF17").` });
    } else if (!geocoder.knowsDistrictOrArea(compact)) {
      problems.push({ field: at, message: `"${compact}" is not a postcode ${/\d/.test(compact) ? 'district' : 'area'} this directory knows.` });
    } else {
      codes.push(compact);
    }
  });
  const unique = [...new Set(codes)];
  if (unique.length > MAX_POSTCODES_PER_AREA) problems.push({ field, message: `at most ${MAX_POSTCODES_PER_AREA} districts or areas per area (got ${unique.length}); list whole areas ("LS") instead of each district.` });
  return unique;
}

/** The postcode codes that place a person in an area: their district and its area ("LS7", "LS"). */
export function codesCovering(district: string): string[] {
  const outward = outwardCodeOf(district);
  return [...new Set([outward, postcodeAreaOf(outward)])];
}

export type Extent = Polygon | MultiPolygon;

/** A GeoJSON Polygon or MultiPolygon (or a Feature holding one), with closed rings, in range, not crossing itself. */
export function readExtent(value: Record<string, unknown>, field: string, problems: FieldProblem[]): Extent | null {
  const geometry = value.type === 'Feature' ? (value.geometry as Record<string, unknown> | null) : value;
  const problem = (message: string) => {
    problems.push({ field, message });
    return null;
  };
  if (!geometry || (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon')) {
    return problem(`must be a GeoJSON Polygon or MultiPolygon (got ${JSON.stringify(geometry?.type ?? null)}).`);
  }
  const polygons = (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates) as unknown;
  if (!Array.isArray(polygons) || polygons.length === 0) return problem('has no coordinates.');
  let positions = 0;
  for (const polygon of polygons) {
    if (!Array.isArray(polygon) || polygon.length === 0) return problem('each polygon must be a list of rings: [[[longitude, latitude], ...]].');
    for (const ring of polygon as unknown[]) {
      if (!Array.isArray(ring) || ring.length < 4) return problem('each ring must have at least four positions, the last the same as the first.');
      for (const position of ring as unknown[]) {
        if (!isPosition(position)) return problem('every position must be [longitude, latitude], longitude -180 to 180 and latitude -90 to 90.');
      }
      const [first, last] = [ring[0] as Position, ring[ring.length - 1] as Position];
      if (first[0] !== last[0] || first[1] !== last[1]) return problem('each ring must be closed: its last position the same as its first.');
      positions += ring.length;
    }
  }
  if (positions > MAX_EXTENT_POSITIONS) return problem(`has ${positions} positions; at most ${MAX_EXTENT_POSITIONS} (simplify the boundary first).`);
  const extent = { type: geometry.type, coordinates: geometry.type === 'Polygon' ? polygons[0] : polygons } as Extent;
  if (kinks(extent).features.length > 0) return problem('crosses itself: a boundary must not intersect itself.');
  return extent;
}

function isPosition(value: unknown): value is Position {
  return (
    Array.isArray(value) &&
    value.length >= 2 &&
    typeof value[0] === 'number' &&
    typeof value[1] === 'number' &&
    Number.isFinite(value[0]) &&
    Number.isFinite(value[1]) &&
    Math.abs(value[0]) <= 180 &&
    Math.abs(value[1]) <= 90
  );
}

/**
 * The ids of areas whose extent holds the point: the bounding boxes narrow
 * the candidates in SQL, then Turf decides for those alone.
 */
export async function areasContaining(knex: Knex, point: GeoPoint): Promise<number[]> {
  const candidates: Array<{ id: number; extent: string }> = await knex
    .from('service_area')
    .select('id', 'extent')
    .whereNotNull('extent')
    .where('south', '<=', point.latitude)
    .where('north', '>=', point.latitude)
    .where('west', '<=', point.longitude)
    .where('east', '>=', point.longitude);
  return candidates.filter((area) => booleanPointInPolygon([point.longitude, point.latitude], JSON.parse(area.extent) as Extent)).map((area) => Number(area.id));
}
