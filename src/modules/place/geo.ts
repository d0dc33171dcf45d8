import { BadUserInputError } from '../../errors';
import { smallerOf, type Dialect } from '../common/dialect';

/** Mean Earth radius (IUGG), the one every distance here uses. */
export const EARTH_RADIUS_KM = 6371.0088;
export const MAX_RADIUS_KM = 200;

export interface GeoPoint {
  latitude: number;
  longitude: number;
}

export interface Circle extends GeoPoint {
  radiusKm: number;
}

export interface Bounds {
  north: number;
  south: number;
  east: number;
  west: number;
}

const radians = (degrees: number) => (degrees * Math.PI) / 180;
const degrees = (radiansValue: number) => (radiansValue * 180) / Math.PI;

/** Great-circle (haversine) distance in km. */
export function haversineKm(a: GeoPoint, b: GeoPoint): number {
  const dLat = radians(b.latitude - a.latitude);
  const dLng = radians(b.longitude - a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(radians(a.latitude)) * Math.cos(radians(b.latitude)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * The smallest latitude/longitude box holding the whole circle: every point
 * within `radiusKm` great-circle distance lies inside it, so an indexed range
 * scan on (latitude, longitude) finds the candidates before the exact distance
 * is computed for them alone.
 */
export function boundingBox({ latitude, longitude, radiusKm }: Circle): Bounds {
  const angular = radiusKm / EARTH_RADIUS_KM;
  const dLat = degrees(angular);
  const ratio = Math.sin(angular) / Math.cos(radians(latitude));
  const dLng = Math.abs(latitude) + dLat >= 90 || ratio >= 1 ? 180 : degrees(Math.asin(ratio));
  return {
    south: Math.max(-90, latitude - dLat),
    north: Math.min(90, latitude + dLat),
    west: Math.max(-180, longitude - dLng),
    east: Math.min(180, longitude + dLng),
  };
}

/** SQL for the haversine distance in km from a point to the row's columns (SQLite math functions, or PostgreSQL). */
export function distanceSql(dialect: Dialect, latitudeColumn: string, longitudeColumn: string, from: GeoPoint): { sql: string; bindings: number[] } {
  const h = `sqrt(power(sin(radians(${latitudeColumn} - ?) / 2), 2) + cos(radians(?)) * cos(radians(${latitudeColumn})) * power(sin(radians(${longitudeColumn} - ?) / 2), 2))`;
  return {
    sql: `(2 * ${EARTH_RADIUS_KM} * asin(${smallerOf(dialect, '1', h)}))`,
    bindings: [from.latitude, from.latitude, from.longitude],
  };
}

export function checkLatitude(value: number, argument: string): void {
  if (!Number.isFinite(value) || value < -90 || value > 90) throw new BadUserInputError(argument, `latitude must be between -90 and 90 (got ${value}).`);
}

export function checkLongitude(value: number, argument: string): void {
  if (!Number.isFinite(value) || value < -180 || value > 180) throw new BadUserInputError(argument, `longitude must be between -180 and 180 (got ${value}).`);
}

export function checkRadius(value: number, argument: string): void {
  if (!Number.isFinite(value) || value <= 0 || value > MAX_RADIUS_KM) {
    throw new BadUserInputError(argument, `the radius must be more than 0 and at most ${MAX_RADIUS_KM} km (got ${value}).`);
  }
}

export function checkBounds(bounds: Bounds, argument: string): void {
  checkLatitude(bounds.north, `${argument}.north`);
  checkLatitude(bounds.south, `${argument}.south`);
  checkLongitude(bounds.east, `${argument}.east`);
  checkLongitude(bounds.west, `${argument}.west`);
  if (bounds.south > bounds.north) throw new BadUserInputError(argument, `south (${bounds.south}) must not be north of north (${bounds.north}).`);
  if (bounds.west > bounds.east) throw new BadUserInputError(argument, `west (${bounds.west}) must not be east of east (${bounds.east}).`);
}
