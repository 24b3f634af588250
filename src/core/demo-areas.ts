// The demo geography: England, regions, Kent (E10000016) with its 12 districts, and ten statistical
// neighbour LAs for benchmarks. Codes are the real ONS codes; all people and figures are synthetic.
export const ENGLAND = 'E92000001';
export const SOUTH_EAST = 'E12000008';
export const KENT = 'E10000016';

export const REGIONS = [
  { code: SOUTH_EAST, name: 'South East' },
  { code: 'E12000002', name: 'North West' },
  { code: 'E12000004', name: 'East Midlands' },
  { code: 'E12000005', name: 'West Midlands' },
  { code: 'E12000006', name: 'East of England' },
];

export const KENT_DISTRICTS = [
  { code: 'E07000105', name: 'Ashford' },
  { code: 'E07000106', name: 'Canterbury' },
  { code: 'E07000107', name: 'Dartford' },
  { code: 'E07000108', name: 'Dover' },
  { code: 'E07000109', name: 'Gravesham' },
  { code: 'E07000110', name: 'Maidstone' },
  { code: 'E07000111', name: 'Sevenoaks' },
  { code: 'E07000112', name: 'Folkestone and Hythe' },
  { code: 'E07000113', name: 'Swale' },
  { code: 'E07000114', name: 'Thanet' },
  { code: 'E07000115', name: 'Tonbridge and Malling' },
  { code: 'E07000116', name: 'Tunbridge Wells' },
];

/** Relative size of each district's child population (sums to 1), so the demo looks like Kent. */
export const DISTRICT_WEIGHTS: Record<string, number> = {
  E07000105: 0.083,
  E07000106: 0.083,
  E07000107: 0.077,
  E07000108: 0.066,
  E07000109: 0.074,
  E07000110: 0.1,
  E07000111: 0.073,
  E07000112: 0.064,
  E07000113: 0.1,
  E07000114: 0.093,
  E07000115: 0.087,
  E07000116: 0.1,
};

/** Kent's statistical neighbours, closest first, with their regions. */
export const NEIGHBOURS = [
  { code: 'E10000012', name: 'Essex', region: 'E12000006' },
  { code: 'E10000017', name: 'Lancashire', region: 'E12000002' },
  { code: 'E10000032', name: 'West Sussex', region: SOUTH_EAST },
  { code: 'E10000028', name: 'Staffordshire', region: 'E12000005' },
  { code: 'E10000024', name: 'Nottinghamshire', region: 'E12000004' },
  { code: 'E10000014', name: 'Hampshire', region: SOUTH_EAST },
  { code: 'E10000029', name: 'Suffolk', region: 'E12000006' },
  { code: 'E10000034', name: 'Worcestershire', region: 'E12000005' },
  { code: 'E10000007', name: 'Derbyshire', region: 'E12000004' },
  { code: 'E10000020', name: 'Norfolk', region: 'E12000006' },
];
