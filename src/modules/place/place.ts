import { BadUserInputError } from '../../errors';
import { checkLatitude, checkLongitude, checkRadius, type Circle } from './geo';
import type { NearInput } from './place.inputs';
import { normalisePostcode, outwardCodeOf, type Geocoder } from './postcode';

/**
 * Reads a `near` argument into a circle: a point and a radius, or a postcode
 * (or district) geocoded offline and a radius. `argument` names it in errors.
 */
export async function readNear(near: NearInput, geocoder: Geocoder, argument: string): Promise<Circle> {
  checkRadius(near.radiusKm, `${argument}.radiusKm`);
  const hasPoint = near.latitude !== undefined && near.latitude !== null;
  const hasLongitude = near.longitude !== undefined && near.longitude !== null;
  const hasPostcode = near.postcode !== undefined && near.postcode !== null;
  if (hasPostcode && (hasPoint || hasLongitude)) throw new BadUserInputError(argument, 'give either latitude and longitude or a postcode, not both.');
  if (hasPostcode) {
    const postcode = normalisePostcode(near.postcode!, `${argument}.postcode`);
    const found = await geocoder.locate(postcode);
    if (!found) throw new BadUserInputError(`${argument}.postcode`, `"${postcode}" is not a postcode this directory knows.`);
    return { latitude: found.latitude, longitude: found.longitude, radiusKm: near.radiusKm };
  }
  if (!hasPoint || !hasLongitude) throw new BadUserInputError(argument, 'give latitude and longitude together, or a postcode.');
  checkLatitude(near.latitude!, `${argument}.latitude`);
  checkLongitude(near.longitude!, `${argument}.longitude`);
  return { latitude: near.latitude!, longitude: near.longitude!, radiusKm: near.radiusKm };
}

/** The postcode district of a `near` already read: the postcode's own, or the district whose centroid is nearest the point. */
export function districtOfNear(near: NearInput, circle: Circle, geocoder: Geocoder): string | null {
  if (near.postcode !== undefined && near.postcode !== null) return outwardCodeOf(normalisePostcode(near.postcode, 'near.postcode'));
  return geocoder.districtNear(circle);
}
