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

registerEnumType(HubKind, { name: 'HubKind', description: 'What kind of place a hub is.' });
registerEnumType(Region, { name: 'Region', description: "England's regions." });
