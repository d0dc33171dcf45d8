/**
 * Converts the ONS Postcode Directory (ONSPD), or the National Statistics Postcode Lookup (NSPL),
 * into the two files the geocoder reads (see src/modules/hub/postcode.ts):
 *
 * - `postcodes.csv`: `postcode,latitude,longitude`, one row per live postcode in England;
 * - `postcode-districts.csv`: `district,latitude,longitude,source`, the mean of those postcodes per
 *   outward code, replacing the hand-made approximations that ship with the repository.
 *
 * Usage: node dist/src/scripts/import-onspd.js <path-to-ONSPD.csv> [--out geodata]
 *
 * The ONS file is about 1.5 GB and 2.7 million rows, so it is streamed through csv-parse a record
 * at a time; only the per-district sums are held in memory.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { isValid } from 'postcode';
import { DISTRICT_CENTROIDS_FILE, findGeodataDirectory, POSTCODE_POINTS_FILE } from '../modules/place/postcode';

/** The ONS code for England in the `ctry` column. */
const ENGLAND = 'E92000001';

/** ONSPD writes these coordinates for postcodes it cannot place (no grid reference). */
const UNKNOWN_LATITUDE = 99.999999;

/** An ONSPD record is well under 1 KB; anything this long is a stray quote swallowing the file. */
const MAX_RECORD_BYTES = 1 << 20;

export interface ImportSummary {
  rowsRead: number;
  postcodesWritten: number;
  districtsWritten: number;
  skippedTerminated: number;
  skippedOutsideEngland: number;
  skippedWithoutCoordinates: number;
  skippedMalformed: number;
  postcodesFile: string;
  districtsFile: string;
}

export interface ImportOptions {
  /** Called every `progressEvery` rows, so a person watching a 2.7M-row import sees it move. */
  onProgress?: (rowsRead: number) => void;
  progressEvery?: number;
}

interface Columns {
  postcode: number;
  latitude: number;
  longitude: number;
  terminated: number | undefined;
  country: number | undefined;
}

/**
 * Reads an ONSPD or NSPL CSV and writes `postcodes.csv` and `postcode-districts.csv` into `outDir`.
 * Both are written beside their final names and renamed only when the whole file has been read,
 * so a failed or interrupted import leaves the previous files in place.
 */
export async function importOnspd(inputPath: string, outDir: string, options: ImportOptions = {}): Promise<ImportSummary> {
  const progressEvery = options.progressEvery ?? 250_000;
  await mkdir(outDir, { recursive: true });
  const postcodesFile = join(outDir, POSTCODE_POINTS_FILE);
  const districtsFile = join(outDir, DISTRICT_CENTROIDS_FILE);
  const postcodesTemp = `${postcodesFile}.tmp`;
  const districtsTemp = `${districtsFile}.tmp`;

  const summary: ImportSummary = {
    rowsRead: 0,
    postcodesWritten: 0,
    districtsWritten: 0,
    skippedTerminated: 0,
    skippedOutsideEngland: 0,
    skippedWithoutCoordinates: 0,
    skippedMalformed: 0,
    postcodesFile,
    districtsFile,
  };
  const districts = new Map<string, { latitude: number; longitude: number; count: number }>();
  const input = createReadStream(inputPath);
  // Records come as arrays of strings (no `columns`): the first is the header, which findColumns
  // turns into indices, so the 2.7M rows after it cost no objects keyed by ONSPD's ~50 names.
  const records = input.pipe(
    parse({
      bom: true, // the ONS ships a byte-order mark
      record_delimiter: ['\r\n', '\n', '\r'], // any line end, even mixed, not just the first one seen
      skip_empty_lines: true,
      relax_column_count: true, // a row shorter or longer than the header is read, not refused
      relax_quotes: true, // a quote inside an unquoted field is a character
      max_record_size: MAX_RECORD_BYTES,
    }),
  );
  // pipe() does not pass the read stream's errors on (a missing file, say); the loop must see them.
  input.once('error', (error) => records.destroy(error));
  const output = new BufferedWriter(createWriteStream(postcodesTemp, 'utf8'));

  try {
    await output.write('postcode,latitude,longitude\n');
    let columns: Columns | undefined;
    for await (const fields of records as AsyncIterable<string[]>) {
      if (columns === undefined) {
        columns = findColumns(fields, inputPath);
        continue;
      }
      summary.rowsRead++;
      if (options.onProgress && summary.rowsRead % progressEvery === 0) options.onProgress(summary.rowsRead);

      if (columns.terminated !== undefined && (fields[columns.terminated] ?? '').trim() !== '') {
        summary.skippedTerminated++;
        continue;
      }
      if (columns.country !== undefined && (fields[columns.country] ?? '').trim() !== ENGLAND) {
        summary.skippedOutsideEngland++;
        continue;
      }
      const postcode = (fields[columns.postcode] ?? '').trim().toUpperCase().replace(/\s+/g, ' ');
      if (!postcode.includes(' ') || !isValid(postcode)) {
        summary.skippedMalformed++;
        continue;
      }
      const latitude = Number(fields[columns.latitude]);
      const longitude = Number(fields[columns.longitude]);
      if (!isKnownPosition(latitude, longitude)) {
        summary.skippedWithoutCoordinates++;
        continue;
      }

      await output.write(`${postcode},${latitude.toFixed(6)},${longitude.toFixed(6)}\n`);
      summary.postcodesWritten++;
      const district = postcode.slice(0, postcode.indexOf(' '));
      const sums = districts.get(district);
      if (sums) {
        sums.latitude += latitude;
        sums.longitude += longitude;
        sums.count++;
      } else {
        districts.set(district, { latitude, longitude, count: 1 });
      }
    }
    if (columns === undefined) throw new Error(`${inputPath} is empty.`);
    await output.close();

    if (summary.postcodesWritten === 0) {
      throw new Error(
        `${inputPath} has no live postcodes in England with coordinates (${summary.rowsRead} rows read); ` +
          'is it the ONSPD or NSPL CSV (the multi-CSV "Data" file, not a lookup table)?',
      );
    }

    const rows = [...districts.entries()]
      .sort(([a], [b]) => compareDistricts(a, b))
      .map(([district, s]) => `${district},${(s.latitude / s.count).toFixed(4)},${(s.longitude / s.count).toFixed(4)},onspd`);
    const districtsOut = new BufferedWriter(createWriteStream(districtsTemp, 'utf8'));
    await districtsOut.write(`district,latitude,longitude,source\n${rows.join('\n')}\n`);
    await districtsOut.close();
    summary.districtsWritten = rows.length;

    await rename(postcodesTemp, postcodesFile);
    await rename(districtsTemp, districtsFile);
    return summary;
  } catch (error) {
    records.destroy();
    input.destroy();
    await output.close().catch(() => undefined);
    await rm(postcodesTemp, { force: true });
    await rm(districtsTemp, { force: true });
    throw error;
  }
}

function findColumns(header: string[], inputPath: string): Columns {
  const names = header.map((name) => name.trim().toLowerCase());
  const at = (name: string) => {
    const index = names.indexOf(name);
    return index === -1 ? undefined : index;
  };
  const postcode = at('pcds');
  const latitude = at('lat');
  const longitude = at('long');
  if (postcode === undefined || latitude === undefined || longitude === undefined) {
    const missing = Object.entries({ pcds: postcode, lat: latitude, long: longitude })
      .filter(([, index]) => index === undefined)
      .map(([name]) => name);
    throw new Error(
      `${inputPath} has no ${missing.join(', ')} column; an ONSPD or NSPL CSV has pcds, lat and long.`,
    );
  }
  return { postcode, latitude, longitude, terminated: at('doterm'), country: at('ctry') };
}

function isKnownPosition(latitude: number, longitude: number): boolean {
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) return false;
  if (latitude === UNKNOWN_LATITUDE) return false;
  return Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180;
}

/** Orders districts as people read them: LS2 before LS10, EC1A before EC1M before EC2A. */
export function compareDistricts(a: string, b: string): number {
  const [areaA, numberA, restA] = splitDistrict(a);
  const [areaB, numberB, restB] = splitDistrict(b);
  if (areaA !== areaB) return areaA < areaB ? -1 : 1;
  if (numberA !== numberB) return numberA - numberB;
  return restA < restB ? -1 : restA > restB ? 1 : 0;
}

function splitDistrict(district: string): [string, number, string] {
  const match = /^([A-Z]*)(\d*)(.*)$/.exec(district);
  return match ? [match[1], Number(match[2] || 0), match[3]] : [district, 0, ''];
}

/**
 * Collects small writes into ~1 MB chunks and respects backpressure, so writing 1.5M short lines
 * neither floods memory nor makes 1.5M separate stream writes.
 */
class BufferedWriter {
  private pending: string[] = [];
  private pendingLength = 0;
  private closed = false;

  constructor(private readonly stream: WriteStream) {}

  async write(text: string): Promise<void> {
    this.pending.push(text);
    this.pendingLength += text.length;
    if (this.pendingLength >= 1 << 20) await this.flush();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.flush();
    this.stream.end();
    await finished(this.stream);
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const chunk = this.pending.join('');
    this.pending = [];
    this.pendingLength = 0;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }
}

function readArguments(argv: string[]): { input: string; outDir: string } {
  let input: string | undefined;
  let outDir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') {
      outDir = argv[++i];
      if (!outDir) throw new Error('--out needs a directory, e.g. --out geodata');
    } else if (input === undefined) {
      input = argv[i];
    } else {
      throw new Error(`Unexpected argument "${argv[i]}".`);
    }
  }
  if (!input) throw new Error('Usage: node dist/src/scripts/import-onspd.js <path-to-ONSPD.csv> [--out geodata]');
  return { input: resolve(input), outDir: resolve(outDir ?? findGeodataDirectory(__dirname)) };
}

if (require.main === module) {
  (async () => {
    const { input, outDir } = readArguments(process.argv.slice(2));
    console.log(`reading ${input}`);
    const summary = await importOnspd(input, outDir, {
      onProgress: (rows) => console.log(`  ${rows.toLocaleString('en-GB')} rows read`),
    });
    const count = (n: number) => n.toLocaleString('en-GB');
    console.log(`rows read:                     ${count(summary.rowsRead)}`);
    console.log(`postcodes written:             ${count(summary.postcodesWritten)} -> ${summary.postcodesFile}`);
    console.log(`districts written:             ${count(summary.districtsWritten)} -> ${summary.districtsFile}`);
    console.log(`skipped, terminated:           ${count(summary.skippedTerminated)}`);
    console.log(`skipped, outside England:      ${count(summary.skippedOutsideEngland)}`);
    console.log(`skipped, no coordinates:       ${count(summary.skippedWithoutCoordinates)}`);
    console.log(`skipped, malformed postcode:   ${count(summary.skippedMalformed)}`);
  })().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
