import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, parse, resolve } from 'node:path';
import { isValid, toNormalised } from 'postcode';
import { BadUserInputError } from '../../errors';
import type { GeoPoint } from './geo';

/**
 * Terminology, as Royal Mail and the ONS use it:
 * - postcode: a full unit postcode, "LS7 4SA" (outward code, space, inward code).
 * - outward code, or postcode district: the part before the space, "LS7". About 2,300 are in use
 *   in England; each covers a few thousand addresses, so its centroid is good to a few km.
 * - inward code: the last three characters, "4SA"; always one digit and two letters.
 */

/** The example shown in every error message, so a person sees the shape we want. */
export const POSTCODE_EXAMPLE = 'LS7 4SA';

/** File names inside the geodata directory; the ONSPD import writes the same two. */
export const DISTRICT_CENTROIDS_FILE = 'postcode-districts.csv';
export const POSTCODE_POINTS_FILE = 'postcodes.csv';

/**
 * UK outward codes: A9, A99, AA9, AA99, A9A, AA9A. Deliberately the same shape the `postcode`
 * package accepts before the space, so the district of any postcode we accept is accepted on its
 * own; whether it exists is the geocoder's question, not the validator's.
 */
const OUTWARD_CODE = /^[A-Z]{1,2}[0-9][A-Z0-9]?$/;

/** Echoing a huge or multi-line value back in an error helps nobody. */
const MAX_ECHOED_LENGTH = 40;

/**
 * Normalises a UK postcode, or a bare outward code, to its upper-case display form:
 * "ls74sa" and " LS7  4SA " become "LS7 4SA", and "ls7" becomes "LS7".
 *
 * A bare outward code is accepted on purpose: people searching "near LS7" know their district
 * better than a full postcode, and the geocoder locates it at district precision.
 *
 * All whitespace is dropped before validating because the inward code is always exactly three
 * characters, so spacing carries no information ("LS 74SA" can only mean "LS7 4SA").
 *
 * @param argument the GraphQL argument or input field at fault, e.g. "near.postcode"
 * @throws BadUserInputError naming the argument and the bad value
 */
export function normalisePostcode(input: string, argument: string): string {
  const compact = input.replace(/\s+/g, '').toUpperCase();
  if (compact === '') {
    throw new BadUserInputError(argument, `a UK postcode is required (example: ${POSTCODE_EXAMPLE}).`);
  }
  if (OUTWARD_CODE.test(compact)) return compact;
  if (isValid(compact)) {
    const normalised = toNormalised(compact);
    if (normalised) return normalised;
  }
  throw new BadUserInputError(argument, `${echo(input)} is not a valid UK postcode (example: ${POSTCODE_EXAMPLE}).`);
}

function echo(input: string): string {
  const shown = input.trim().replace(/\s+/g, ' ');
  return JSON.stringify(shown.length > MAX_ECHOED_LENGTH ? `${shown.slice(0, MAX_ECHOED_LENGTH)}…` : shown);
}

/** The district ("LS7") of a normalised postcode ("LS7 4SA") or of a bare district. */
export function outwardCodeOf(postcode: string): string {
  const space = postcode.indexOf(' ');
  return space === -1 ? postcode : postcode.slice(0, space);
}

export type { GeoPoint };

export interface GeocodeResult extends GeoPoint {
  /** The postcode or district that was asked for, as given. */
  postcode: string;
  /** 'postcode' when the unit postcode itself was found; 'district' when only its centroid was. */
  precision: 'postcode' | 'district';
}

export interface Geocoder {
  /**
   * @param postcode already normalised by `normalisePostcode` ("LS7 4SA" or "LS7")
   * @returns null when neither the postcode nor its district is known
   */
  locate(postcode: string): Promise<GeocodeResult | null>;
  /** The postcode district ("LS7") whose centroid is nearest the point: the district of a search given as coordinates. */
  districtNear(point: GeoPoint): string | null;
  /** Whether a district ("WF1") or a whole postcode area ("LS": any district starting with it) is one this directory knows. */
  knowsDistrictOrArea(code: string): boolean;
}

/** What the geocoder needs of a table of points: a Map<string, GeoPoint> will do. */
export interface PointLookup {
  get(key: string): GeoPoint | undefined;
  /** Every key and point (the district table, for the nearest district). */
  entries(): Iterable<[string, GeoPoint]>;
}

/** The postcode area of a district: its leading letters ("LS" of "LS7", "E" of "E1W"). */
export function postcodeAreaOf(district: string): string {
  return /^[A-Z]+/.exec(district)?.[0] ?? district;
}

/**
 * Locates a postcode from files, no network: the full postcode when `postcodes.csv` (written by
 * `src/scripts/import-onspd.ts`) has it, otherwise the centroid of its district from
 * `postcode-districts.csv`, which ships with the repository.
 */
export class DistrictCentroidGeocoder implements Geocoder {
  constructor(
    private readonly districts: PointLookup,
    private readonly postcodes?: PointLookup,
  ) {}

  /**
   * Builds a geocoder from the geodata files. Each file is read once per process (cached by path),
   * so calling this per request costs nothing after the first call; restart to pick up a new import.
   *
   * @param districtsPath defaults to the repository's `geodata/postcode-districts.csv`
   * @param postcodesPath defaults to `postcodes.csv` beside the districts file, used only when it
   *   exists (it comes from the ONS download, which is not in the repository); null skips it
   */
  static fromFile(districtsPath?: string, postcodesPath?: string | null): DistrictCentroidGeocoder {
    const districtsFile = resolve(districtsPath ?? join(findGeodataDirectory(), DISTRICT_CENTROIDS_FILE));
    const postcodesFile =
      postcodesPath === null ? null : resolve(postcodesPath ?? join(dirname(districtsFile), POSTCODE_POINTS_FILE));
    const postcodes = postcodesFile && existsSync(postcodesFile) ? loadPointTable(postcodesFile, 'postcode') : undefined;
    return new DistrictCentroidGeocoder(loadPointTable(districtsFile, 'district'), postcodes);
  }

  async locate(postcode: string): Promise<GeocodeResult | null> {
    const exact = postcode.includes(' ') ? this.postcodes?.get(postcode) : undefined;
    if (exact) return { postcode, precision: 'postcode', latitude: exact.latitude, longitude: exact.longitude };
    const centroid = this.districts.get(outwardCodeOf(postcode));
    if (centroid) return { postcode, precision: 'district', latitude: centroid.latitude, longitude: centroid.longitude };
    return null;
  }

  districtNear(point: GeoPoint): string | null {
    // A linear scan of about 1,200 centroids with a flat-earth distance (enough to rank neighbours): microseconds.
    const cos = Math.cos((point.latitude * Math.PI) / 180);
    let best: string | null = null;
    let bestDistance = Infinity;
    for (const [district, centroid] of this.districts.entries()) {
      const d = (centroid.latitude - point.latitude) ** 2 + ((centroid.longitude - point.longitude) * cos) ** 2;
      if (d < bestDistance) [best, bestDistance] = [district, d];
    }
    return best;
  }

  knowsDistrictOrArea(code: string): boolean {
    if (this.districts.get(code)) return true;
    if (!/^[A-Z]{1,2}$/.test(code)) return false;
    this.areas ??= new Set([...this.districts.entries()].map(([district]) => postcodeAreaOf(district)));
    return this.areas.has(code);
  }

  private areas?: Set<string>;
}

/**
 * The nearest directory, walking up from this file, that holds `geodata/postcode-districts.csv`.
 * Walking up rather than a fixed "../../.." finds the repository root both from
 * `src/modules/hub/` (vitest) and from `dist/src/modules/hub/` (compiled).
 */
export function findGeodataDirectory(start: string = __dirname): string {
  let directory = resolve(start);
  for (;;) {
    const candidate = join(directory, 'geodata');
    if (existsSync(join(candidate, DISTRICT_CENTROIDS_FILE))) return candidate;
    if (directory === parse(directory).root) {
      throw new Error(`No geodata/${DISTRICT_CENTROIDS_FILE} found in ${start} or any directory above it.`);
    }
    directory = dirname(directory);
  }
}

/**
 * Points packed as one index Map plus one Float64Array: the full ONSPD table for England is about
 * 1.5 million postcodes, and an object per postcode would cost roughly twice the memory.
 */
class PointTable implements PointLookup {
  constructor(
    private readonly index: ReadonlyMap<string, number>,
    private readonly coordinates: Float64Array,
  ) {}

  get(key: string): GeoPoint | undefined {
    const at = this.index.get(key);
    if (at === undefined) return undefined;
    return { latitude: this.coordinates[2 * at], longitude: this.coordinates[2 * at + 1] };
  }

  *entries(): Iterable<[string, GeoPoint]> {
    for (const [key, at] of this.index) yield [key, { latitude: this.coordinates[2 * at], longitude: this.coordinates[2 * at + 1] }];
  }
}

const loadedTables = new Map<string, PointTable>();

/**
 * Reads `<key>,latitude,longitude[,...]` CSV (columns found by header name). Both geodata files are
 * written by this project and hold only codes and numbers, so a plain split on commas is enough;
 * the quote-aware parsing lives in the ONSPD import, which reads the ONS's own CSV.
 */
function loadPointTable(file: string, keyColumn: string): PointTable {
  const cached = loadedTables.get(file);
  if (cached) return cached;

  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  const header = lines[0].split(',').map((name) => name.trim().toLowerCase());
  const [keyAt, latAt, lonAt] = [keyColumn, 'latitude', 'longitude'].map((name) => header.indexOf(name));
  if (keyAt < 0 || latAt < 0 || lonAt < 0) {
    throw new Error(`${file} must have the columns ${keyColumn}, latitude and longitude; its header is "${lines[0]}".`);
  }
  const index = new Map<string, number>();
  const coordinates: number[] = [];
  for (let lineNumber = 1; lineNumber < lines.length; lineNumber++) {
    const line = lines[lineNumber];
    if (line.trim() === '') continue;
    const fields = line.split(',');
    const latitude = Number(fields[latAt]);
    const longitude = Number(fields[lonAt]);
    if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) {
      throw new Error(`${file} line ${lineNumber + 1} has no usable coordinates: "${line}".`);
    }
    index.set(fields[keyAt].trim().toUpperCase(), coordinates.length / 2);
    coordinates.push(latitude, longitude);
  }
  const table = new PointTable(index, Float64Array.from(coordinates));
  loadedTables.set(file, table);
  return table;
}
