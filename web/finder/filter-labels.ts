import { languageName, WEEKDAY_LABELS } from '../shared/format';
import { isPostcode, type AccessibilityFeature, type SearchState } from './search-state';
import type { Criterion } from './queries';

/** The AccessibilityFeature enum's descriptions in schema.graphql, as a person reads them. */
export const ACCESSIBILITY_LABELS: Record<AccessibilityFeature, string> = {
  STEP_FREE_ACCESS: 'Step-free access',
  WHEELCHAIR_ACCESSIBLE_TOILET: 'Wheelchair-accessible toilet',
  CHANGING_PLACES_TOILET: 'Changing Places toilet (hoist and bench)',
  LIFT: 'Lift to other floors',
  HEARING_LOOP: 'Hearing loop',
  QUIET_SPACE: 'Quiet space',
  DEMENTIA_FRIENDLY: 'Dementia friendly',
  LARGE_PRINT_OR_EASY_READ: 'Large print or easy read information',
  ASSISTANCE_DOGS_WELCOME: 'Assistance dogs welcome',
  ACCESSIBLE_PARKING: 'Accessible (Blue Badge) parking',
  PARKING: 'Parking',
  NEAR_PUBLIC_TRANSPORT: 'Near public transport',
  BABY_CHANGING: 'Baby changing',
};

export const accessibilityLabel = (code: string): string => ACCESSIBILITY_LABELS[code as AccessibilityFeature] ?? code;


/**
 * The languages offered in the select: English, Welsh and British Sign Language first, then the
 * languages most spoken in England after English (2021 census), as ISO 639 codes the API takes
 * (any two- or three-letter code is accepted; a shared link with another one is shown too).
 */
const FIRST_LANGUAGES = ['en', 'cy', 'bfi'];
const COMMUNITY_LANGUAGES = ['ar', 'bn', 'zh', 'fr', 'gu', 'hi', 'it', 'ku', 'lt', 'ne', 'fa', 'pl', 'pt', 'pa', 'ro', 'ru', 'so', 'es', 'ta', 'ti', 'tr', 'uk', 'ur'];

export function languageOptions(chosen: string | null): Array<{ code: string; name: string }> {
  const rest = COMMUNITY_LANGUAGES.map((code) => ({ code, name: languageName(code) })).sort((a, b) => a.name.localeCompare(b.name, 'en-GB'));
  const options = [...FIRST_LANGUAGES.map((code) => ({ code, name: languageName(code) })), ...rest];
  if (chosen && !options.some((option) => option.code === chosen)) options.push({ code: chosen, name: languageName(chosen) });
  return options;
}

/** How the criteria are grouped for a person to find theirs, by kind (the API's CriterionKind). */
export const CRITERION_GROUPS: Array<{ legend: string; kinds: Array<Criterion['kind']> }> = [
  { legend: 'Circumstances', kinds: ['CIRCUMSTANCE', 'NEED'] },
  { legend: 'Health', kinds: ['HEALTH_CONDITION'] },
  { legend: 'Age group', kinds: ['AGE_GROUP'] },
  { legend: 'Where they live', kinds: ['AREA'] },
  { legend: 'Other', kinds: ['OTHER'] },
];

/** One sentence saying what a search asked, for a printed list (the address says it to a browser). */
export function describeSearch(search: SearchState, criteria: Criterion[], categoryNames: Map<string, string>): string {
  const parts: string[] = [search.what.trim() ? `Services for "${search.what.trim()}"` : 'Services'];
  const place = search.place.trim();
  if (place) parts.push(isPostcode(place) ? `within ${search.radiusKm} km of ${place.toUpperCase()}` : `in ${place}`);
  const chosen = search.categoryIds.map((id) => categoryNames.get(id)).filter((name): name is string => Boolean(name));
  if (chosen.length) parts.push(`in ${chosen.join(', ')}`);
  const who: string[] = [];
  if (search.age !== null) who.push(`aged ${search.age}`);
  const labels = search.criterionCodes.map((code) => criteria.find((criterion) => criterion.code === code)?.label ?? code);
  if (labels.length) who.push(labels.join(', '));
  if (who.length) parts.push(`for someone ${who.join(': ')}`);
  if (search.openDay) parts.push(`open on ${WEEKDAY_LABELS[search.openDay.toUpperCase()]} at ${search.openTime}`);
  else if (search.openNow) parts.push('open now');
  if (search.takingReferrals) parts.push('taking referrals');
  if (search.access.length) parts.push(`with ${search.access.map(accessibilityLabel).join(', ')}`);
  if (search.language) parts.push(`in ${languageName(search.language)}`);
  return `${parts.join(', ')}.`;
}
