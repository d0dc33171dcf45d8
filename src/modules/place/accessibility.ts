import { registerEnumType } from 'type-graphql';

/**
 * What a hub offers for access, as a coded list beside the free text: the
 * features people ask about before going somewhere (the list the directory
 * publishes in its schema and README, drawn from what UK directories and
 * venue access guides record: step-free access, accessible and Changing
 * Places toilets, hearing loops, quiet space, parking, transport).
 */
export enum AccessibilityFeature {
  STEP_FREE_ACCESS = 'STEP_FREE_ACCESS',
  WHEELCHAIR_ACCESSIBLE_TOILET = 'WHEELCHAIR_ACCESSIBLE_TOILET',
  CHANGING_PLACES_TOILET = 'CHANGING_PLACES_TOILET',
  LIFT = 'LIFT',
  HEARING_LOOP = 'HEARING_LOOP',
  QUIET_SPACE = 'QUIET_SPACE',
  DEMENTIA_FRIENDLY = 'DEMENTIA_FRIENDLY',
  ACCESSIBLE_PARKING = 'ACCESSIBLE_PARKING',
  PARKING = 'PARKING',
  NEAR_PUBLIC_TRANSPORT = 'NEAR_PUBLIC_TRANSPORT',
  ASSISTANCE_DOGS_WELCOME = 'ASSISTANCE_DOGS_WELCOME',
  BABY_CHANGING = 'BABY_CHANGING',
  LARGE_PRINT_OR_EASY_READ = 'LARGE_PRINT_OR_EASY_READ',
}

/** A person-readable label of each feature (the ORUK feed's accessibility description). */
export const ACCESSIBILITY_LABELS: Record<AccessibilityFeature, string> = {
  STEP_FREE_ACCESS: 'Step-free access',
  WHEELCHAIR_ACCESSIBLE_TOILET: 'Wheelchair-accessible toilet',
  CHANGING_PLACES_TOILET: 'Changing Places toilet (hoist and bench)',
  LIFT: 'Lift to other floors',
  HEARING_LOOP: 'Hearing loop',
  QUIET_SPACE: 'Quiet space',
  DEMENTIA_FRIENDLY: 'Dementia friendly',
  ACCESSIBLE_PARKING: 'Accessible (Blue Badge) parking',
  PARKING: 'Parking',
  NEAR_PUBLIC_TRANSPORT: 'Near public transport',
  ASSISTANCE_DOGS_WELCOME: 'Assistance dogs welcome',
  BABY_CHANGING: 'Baby changing',
  LARGE_PRINT_OR_EASY_READ: 'Large print or easy read information',
};

registerEnumType(AccessibilityFeature, {
  name: 'AccessibilityFeature',
  description: 'What a hub offers for access (a coded list beside its free-text accessibility).',
  valuesConfig: Object.fromEntries(Object.entries(ACCESSIBILITY_LABELS).map(([key, label]) => [key, { description: `${label}.` }])),
});
