import type { SampleArea } from './sample-types';

/**
 * The areas some sample services serve (HSDS service_area), by service
 * name: the ways small charities describe their patch (a postcode area, a
 * list or range of districts) and drawn extents (GeoJSON, as imported
 * feeds carry them). A service with areas is shown only to people inside
 * one. Services delivered only online or by phone are national instead
 * (see sample-seeder.ts).
 */
export const SAMPLE_AREAS: Record<string, SampleArea[]> = {
  'Leeds Mind Counselling Service': [{ name: 'Leeds', gssCode: 'E08000035', postcodes: ['LS'] }],
  'Chapeltown Breastfeeding Drop-in': [{ name: 'Chapeltown and Harehills', postcodes: ['LS7', 'LS8'] }],
  'Age UK Sheffield Home Visiting Befriending': [{ name: 'Sheffield', gssCode: 'E08000019', postcodes: ['S1-S14', 'S17', 'S20', 'S35'] }],
  'Age UK Canterbury Practice Befriending': [{ name: 'Canterbury', gssCode: 'E07000106', postcodes: ['CT1-CT3'] }],
  'Focussed Care Social Prescribing Link Workers': [{ name: 'Oldham', gssCode: 'E08000004', postcodes: ['OL1-OL9'] }],
  'Home-Start Luton Family Visiting': [{ name: 'Luton', gssCode: 'E06000032', postcodes: ['LU1-LU4'] }],
  'Citizens Advice Liverpool Debt Advice Drop-in': [{ name: 'Liverpool', gssCode: 'E08000012', postcodes: ['L'] }],
  'Health Exchange Social Prescribing Service': [{ name: 'Birmingham', gssCode: 'E08000025', postcodes: ['B'] }],
  'Lambeth Mind Talking Therapies Group': [{ name: 'Lambeth', gssCode: 'E09000022', postcodes: ['SE1', 'SE5', 'SE11', 'SE24', 'SE27', 'SW2', 'SW4', 'SW8', 'SW9', 'SW16'] }],
  'Royal Voluntary Service Home from Hospital, Northampton': [
    {
      name: 'Northampton',
      gssCode: 'E06000062',
      // A simplified outline of the town, drawn by hand.
      extent: { type: 'Polygon', coordinates: [[[-0.99, 52.2], [-0.8, 52.2], [-0.78, 52.27], [-0.85, 52.3], [-0.98, 52.29], [-0.99, 52.2]]] },
    },
  ],
  'Royal Voluntary Service Nottingham Good Neighbours': [
    {
      name: 'Nottingham',
      gssCode: 'E06000018',
      extent: { type: 'Polygon', coordinates: [[[-1.25, 52.9], [-1.08, 52.9], [-1.08, 53.02], [-1.25, 53.02], [-1.25, 52.9]]] },
    },
  ],
};
