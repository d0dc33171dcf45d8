import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sampleDirectory } from '../seeds/sample-directory';
import { BadUserInputError } from '../src/errors';
import {
  DistrictCentroidGeocoder,
  findGeodataDirectory,
  normalisePostcode,
  type GeoPoint,
} from '../src/modules/place/postcode';
import { compareDistricts, importOnspd } from '../src/scripts/import-onspd';

/** Postcodes become points: normalising what people type, locating it, and loading the ONS data. */

const temporaryDirectories: string[] = [];
afterAll(() => {
  for (const directory of temporaryDirectories) rmSync(directory, { recursive: true, force: true });
});
function temporaryDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 'postcode-test-'));
  temporaryDirectories.push(directory);
  return directory;
}

/** Great-circle distance in km. */
function haversineKm(a: GeoPoint, b: GeoPoint): number {
  const radians = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * radians;
  const dLon = (b.longitude - a.longitude) * radians;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.latitude * radians) * Math.cos(b.latitude * radians) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('normalisePostcode', () => {
  it.each([
    ['ls74sa', 'LS7 4SA'],
    ['LS7 4SA', 'LS7 4SA'],
    ['  ls7   4sa  ', 'LS7 4SA'],
    ['LS7\t4SA', 'LS7 4SA'],
    ['LS 74SA', 'LS7 4SA'],
    ['ec1a1bb', 'EC1A 1BB'],
    ['sw1a 1aa', 'SW1A 1AA'],
    ['m11ae', 'M1 1AE'],
    ['b111nf', 'B11 1NF'],
  ])('normalises the postcode %j to %j', (input, expected) => {
    expect(normalisePostcode(input, 'near.postcode')).toBe(expected);
  });

  it.each([
    ['ls7', 'LS7'],
    [' ec1a ', 'EC1A'],
    ['m1', 'M1'],
    ['SW1A', 'SW1A'],
    ['yo31', 'YO31'],
  ])('accepts the bare outward code %j as the district %j', (input, expected) => {
    expect(normalisePostcode(input, 'near.postcode')).toBe(expected);
  });

  it.each(['XYZ', 'LS7 4S', 'LS7 4SAA', '12345', 'LS7-4SA', 'Q', 'LSS 4SA', 'L', 'LS7 4SA LS8', '7LS 4SA'])(
    'rejects %j with an error naming the argument and the value',
    (input) => {
      const error = thrownBy(() => normalisePostcode(input, 'near.postcode'));
      expect(error).toBeInstanceOf(BadUserInputError);
      const { extensions, message } = error as BadUserInputError;
      expect(extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'near.postcode' });
      expect(message).toBe(
        `Invalid value for "near.postcode": "${input}" is not a valid UK postcode (example: LS7 4SA).`,
      );
    },
  );

  it('asks for a postcode when given only whitespace', () => {
    const error = thrownBy(() => normalisePostcode('   ', 'filter.postcode')) as BadUserInputError;
    expect(error).toBeInstanceOf(BadUserInputError);
    expect(error.extensions.field).toBe('filter.postcode');
    expect(error.message).toBe('Invalid value for "filter.postcode": a UK postcode is required (example: LS7 4SA).');
  });

  it('does not echo a whole essay back', () => {
    const error = thrownBy(() => normalisePostcode(`near ${'the park '.repeat(20)}`, 'near.postcode')) as Error;
    expect(error.message).toContain('"near the park the park the park the park…"');
    expect(error.message.length).toBeLessThan(140);
  });
});

describe('the shipped district centroids', () => {
  const file = join(findGeodataDirectory(), 'postcode-districts.csv');
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  const rows = lines.slice(1).map((line) => line.split(','));

  it('is found by walking up from the source file', () => {
    expect(existsSync(file)).toBe(true);
  });

  it('has one well-formed row per district, all in England', () => {
    expect(lines[0]).toBe('district,latitude,longitude,source');
    expect(rows.length).toBeGreaterThanOrEqual(300);
    const seen = new Set<string>();
    for (const [district, latitude, longitude, source, ...rest] of rows) {
      expect(rest, district).toEqual([]);
      expect(normalisePostcode(district, 'district'), district).toBe(district);
      expect(seen.has(district), `${district} appears twice`).toBe(false);
      seen.add(district);
      expect(latitude, district).toMatch(/^\d+\.\d{4}$/);
      expect(longitude, district).toMatch(/^-?\d+\.\d{4}$/);
      expect(Number(latitude), district).toBeGreaterThan(49.8);
      expect(Number(latitude), district).toBeLessThan(55.9);
      expect(Number(longitude), district).toBeGreaterThan(-6.5);
      expect(Number(longitude), district).toBeLessThan(1.8);
      expect(['sample-hubs', 'approximate', 'onspd'], district).toContain(source);
    }
  });

  it('is sorted the way people read districts', () => {
    const districts = rows.map(([district]) => district);
    expect(districts).toEqual([...districts].sort(compareDistricts));
    expect(['LS10', 'LS2', 'EC2A', 'EC1M', 'LS1'].sort(compareDistricts)).toEqual(['EC1M', 'EC2A', 'LS1', 'LS2', 'LS10']);
  });
});

describe('DistrictCentroidGeocoder', () => {
  // Districts only: the hubs' coordinates are illustrative, so compare them with district centroids.
  const geocoder = DistrictCentroidGeocoder.fromFile(undefined, null);

  it.each(sampleDirectory.hubs.map((hub) => [hub.postcode, hub] as const))(
    'locates the sample hub at %s to within 5 km',
    async (postcode, hub) => {
      expect(normalisePostcode(postcode, 'postcode')).toBe(postcode);
      const result = await geocoder.locate(postcode);
      expect(result).not.toBeNull();
      expect(result!.postcode).toBe(postcode);
      expect(result!.precision).toBe('district');
      expect(haversineKm(result!, hub)).toBeLessThan(5);
    },
  );

  it('locates a bare district at its centroid', async () => {
    const result = await geocoder.locate('LS7');
    expect(result).toEqual({ postcode: 'LS7', precision: 'district', latitude: 53.8203, longitude: -1.5318 });
  });

  it('returns null for a well-formed postcode in a district that does not exist', async () => {
    expect(normalisePostcode('zz99zz', 'near.postcode')).toBe('ZZ9 9ZZ');
    expect(await geocoder.locate('ZZ9 9ZZ')).toBeNull();
    expect(await geocoder.locate('ZZ9')).toBeNull();
  });

  it('reads each file once however many geocoders are built from it', () => {
    const directory = temporaryDirectory();
    const file = join(directory, 'postcode-districts.csv');
    writeFileSync(file, 'district,latitude,longitude,source\nLS7,53.8203,-1.5318,approximate\n');
    const first = DistrictCentroidGeocoder.fromFile(file);
    rmSync(file);
    // The file is gone: a second geocoder can only have come from the cache.
    expect(() => DistrictCentroidGeocoder.fromFile(file)).not.toThrow();
    expect(first).toBeInstanceOf(DistrictCentroidGeocoder);
  });

  it('refuses a file without the columns it needs, naming them', () => {
    const directory = temporaryDirectory();
    const file = join(directory, 'postcode-districts.csv');
    writeFileSync(file, 'outcode,lat,lng\nLS7,53.8,-1.5\n');
    expect(() => DistrictCentroidGeocoder.fromFile(file)).toThrow(/district, latitude and longitude/);
  });
});

describe('importOnspd', () => {
  // A few rows in the ONSPD layout: quoted text columns, CRLF line ends and a byte-order mark, as the ONS ships it.
  const header =
    'pcd,pcd2,pcds,dointr,doterm,oscty,ced,oslaua,osward,parish,usertype,oseast1m,osnrth1m,osgrdind,ctry,rgn,lat,long';
  const row = (pcds: string, options: { doterm?: string; parish?: string; ctry?: string; lat: string; long: string }) =>
    [
      `"${pcds.replace(' ', '')}"`,
      `"${pcds}"`,
      `"${pcds}"`,
      '"198001"',
      options.doterm ? `"${options.doterm}"` : '""',
      '"E99999999"',
      '"E99999999"',
      '"E08000035"',
      '"E05001420"',
      `"${(options.parish ?? 'E43000069').replace(/"/g, '""')}"`,
      '0',
      '430000',
      '435000',
      '1',
      `"${options.ctry ?? 'E92000001'}"`,
      '"E12000003"',
      options.lat,
      options.long,
    ].join(',');
  const onspd = [
    header,
    row('LS7 4SA', { lat: '53.820386', long: '-1.531702' }),
    row('LS7 3AB', { lat: '53.815000', long: '-1.535000', parish: 'Leeds, unparished area' }),
    row('LS7 9ZZ', { doterm: '200012', lat: '53.830000', long: '-1.520000' }),
    row('LS8 2HH', { lat: '53.837200', long: '-1.499600', parish: 'The "Old" Parish, Roundhay' }),
    row('CF10 1AA', { ctry: 'W92000004', lat: '51.478000', long: '-3.177000' }),
    row('LS6 1AA', { lat: '99.999999', long: '0.000000' }),
    row('LS2 7HY', { lat: '53.807000', long: '-1.553000' }),
  ];

  function writeOnspd(lines: string[]): string {
    const file = join(temporaryDirectory(), 'ONSPD_TEST_UK.csv');
    writeFileSync(file, `\uFEFF${lines.join('\r\n')}\r\n`);
    return file;
  }

  it('writes live English postcodes and their district means, skipping terminated, foreign and unplaced rows', async () => {
    const outDir = join(temporaryDirectory(), 'geodata');
    const summary = await importOnspd(writeOnspd(onspd), outDir);

    expect(summary).toMatchObject({
      rowsRead: 7,
      postcodesWritten: 4,
      districtsWritten: 3,
      skippedTerminated: 1,
      skippedOutsideEngland: 1,
      skippedWithoutCoordinates: 1,
      skippedMalformed: 0,
    });
    expect(readFileSync(join(outDir, 'postcodes.csv'), 'utf8')).toBe(
      [
        'postcode,latitude,longitude',
        'LS7 4SA,53.820386,-1.531702',
        'LS7 3AB,53.815000,-1.535000',
        'LS8 2HH,53.837200,-1.499600',
        'LS2 7HY,53.807000,-1.553000',
        '',
      ].join('\n'),
    );
    expect(readFileSync(join(outDir, 'postcode-districts.csv'), 'utf8')).toBe(
      [
        'district,latitude,longitude,source',
        'LS2,53.8070,-1.5530,onspd',
        'LS7,53.8177,-1.5334,onspd',
        'LS8,53.8372,-1.4996,onspd',
        '',
      ].join('\n'),
    );
    expect(readdirSync(outDir).sort()).toEqual(['postcode-districts.csv', 'postcodes.csv']);
  });

  it('feeds the geocoder: a known postcode at postcode precision, a new one in its district at district precision', async () => {
    const outDir = temporaryDirectory();
    await importOnspd(writeOnspd(onspd), outDir);
    const geocoder = DistrictCentroidGeocoder.fromFile(join(outDir, 'postcode-districts.csv'));

    expect(await geocoder.locate('LS7 3AB')).toEqual({
      postcode: 'LS7 3AB',
      precision: 'postcode',
      latitude: 53.815,
      longitude: -1.535,
    });
    expect(await geocoder.locate('LS7 1ZZ')).toEqual({
      postcode: 'LS7 1ZZ',
      precision: 'district',
      latitude: 53.8177,
      longitude: -1.5334,
    });
    // Terminated and Welsh postcodes were left out, and so were their districts.
    expect(await geocoder.locate('LS7 9ZZ')).toMatchObject({ precision: 'district' });
    expect(await geocoder.locate('CF10 1AA')).toBeNull();
  });

  it('works on the NSPL too, which has the same columns but may lack ctry and doterm', async () => {
    const outDir = temporaryDirectory();
    const summary = await importOnspd(
      writeOnspd(['pcds,lat,long', 'LS1 3AB,53.800100,-1.548800', '"LS1 4AP",53.797100,-1.545000']),
      outDir,
    );
    expect(summary).toMatchObject({ rowsRead: 2, postcodesWritten: 2, districtsWritten: 1 });
    expect(readFileSync(join(outDir, 'postcode-districts.csv'), 'utf8')).toContain('LS1,53.7986,-1.5469,onspd');
  });

  it('leaves the previous files alone when the input is not an ONSPD file', async () => {
    const outDir = temporaryDirectory();
    writeFileSync(join(outDir, 'postcode-districts.csv'), 'previous districts');
    writeFileSync(join(outDir, 'postcodes.csv'), 'previous postcodes');

    await expect(importOnspd(writeOnspd(['postcode,latitude', 'LS7 4SA,53.82']), outDir)).rejects.toThrow(
      /no pcds, lat, long column/,
    );
    await expect(importOnspd(writeOnspd([header, onspd[3], onspd[5]]), outDir)).rejects.toThrow(
      /no live postcodes in England with coordinates \(2 rows read\)/,
    );
    await expect(importOnspd(join(outDir, 'missing.csv'), outDir)).rejects.toThrow(/ENOENT/);

    expect(readFileSync(join(outDir, 'postcode-districts.csv'), 'utf8')).toBe('previous districts');
    expect(readFileSync(join(outDir, 'postcodes.csv'), 'utf8')).toBe('previous postcodes');
    expect(readdirSync(outDir).sort()).toEqual(['postcode-districts.csv', 'postcodes.csv']);
  });

  it('says so when the file is empty', async () => {
    const file = join(temporaryDirectory(), 'empty.csv');
    writeFileSync(file, '');
    await expect(importOnspd(file, temporaryDirectory())).rejects.toThrow(/empty\.csv is empty\./);
  });

  it('reads quoted fields: commas and doubled quotes inside them, and a quote inside an unquoted field', async () => {
    const outDir = temporaryDirectory();
    const file = join(temporaryDirectory(), 'quoted.csv');
    // Were a field split in the wrong place, pcds, lat and long would shift and the row be skipped.
    writeFileSync(
      file,
      [
        'name,pcds,lat,long',
        '"a, b","LS1 3AB",53.800100,-1.548800',
        '"The ""Old"" Mill",LS1 4AP,"53.797100","-1.545000"',
        'Bob\'s "Café",LS2 7HY,53.807000,-1.553000',
        ',LS7 4SA,53.820386,-1.531702',
        '"",LS7 3AB,53.815000,-1.535000',
        '',
      ].join('\n'),
    );
    const summary = await importOnspd(file, outDir);
    expect(summary).toMatchObject({ rowsRead: 5, postcodesWritten: 5, skippedMalformed: 0, skippedWithoutCoordinates: 0 });
    expect(readFileSync(join(outDir, 'postcodes.csv'), 'utf8').split('\n').slice(1, 3)).toEqual([
      'LS1 3AB,53.800100,-1.548800',
      'LS1 4AP,53.797100,-1.545000',
    ]);
  });

  it('reads any line end, even mixed, skips blank lines, and reads rows shorter or longer than the header', async () => {
    const outDir = temporaryDirectory();
    const file = join(temporaryDirectory(), 'ragged.csv');
    writeFileSync(
      file,
      'pcds,lat,long\r\n' +
        'LS1 3AB,53.800100,-1.548800\n' +
        '\n\r\n' +
        'LS1 4AP,53.797100,-1.545000\r' +
        'LS2 7HY,53.807000,-1.553000,extra,fields\r\n' +
        'LS7 4SA,53.820386\n' +
        'LS7 3AB',
    );
    const summary = await importOnspd(file, outDir);
    expect(summary).toMatchObject({ rowsRead: 5, postcodesWritten: 3, skippedWithoutCoordinates: 2, skippedMalformed: 0 });
    expect(readFileSync(join(outDir, 'postcodes.csv'), 'utf8')).toBe(
      ['postcode,latitude,longitude', 'LS1 3AB,53.800100,-1.548800', 'LS1 4AP,53.797100,-1.545000', 'LS2 7HY,53.807000,-1.553000', ''].join('\n'),
    );
  });
});
