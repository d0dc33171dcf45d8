import { registerEnumType } from 'type-graphql';

export enum HubKind {
  HEALTH_CENTRE = 'HEALTH_CENTRE',
  GP_SURGERY = 'GP_SURGERY',
  GREEN_SPACE = 'GREEN_SPACE',
  COMMUNITY_HUB = 'COMMUNITY_HUB',
  LIBRARY = 'LIBRARY',
  HOSPITAL = 'HOSPITAL',
  PHARMACY = 'PHARMACY',
  ONLINE = 'ONLINE',
  OTHER = 'OTHER',
}

/** England's nine regions (ITL1), as used by NHS Property Services' hub map. */
export enum Region {
  NORTH_EAST = 'NORTH_EAST',
  NORTH_WEST = 'NORTH_WEST',
  YORKSHIRE_AND_THE_HUMBER = 'YORKSHIRE_AND_THE_HUMBER',
  EAST_MIDLANDS = 'EAST_MIDLANDS',
  WEST_MIDLANDS = 'WEST_MIDLANDS',
  EAST_OF_ENGLAND = 'EAST_OF_ENGLAND',
  LONDON = 'LONDON',
  SOUTH_EAST = 'SOUTH_EAST',
  SOUTH_WEST = 'SOUTH_WEST',
}

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

registerEnumType(HubKind, { name: 'HubKind', description: 'What kind of place a hub is.' });
registerEnumType(Region, { name: 'Region', description: "England's regions." });
registerEnumType(AccessibilityFeature, {
  name: 'AccessibilityFeature',
  description: 'What a hub offers for access (a coded list beside its free-text accessibility).',
  valuesConfig: Object.fromEntries(Object.entries(ACCESSIBILITY_LABELS).map(([key, label]) => [key, { description: `${label}.` }])),
});
