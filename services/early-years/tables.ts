// The Early Years tables, each declared once: its columns as the imports (import.ts, upsert on the natural
// key, listed first) and the demo seed (seed.ts, insert) write them. Rows are Prisma's create inputs.
import { declareTable } from '../../src/core/bulk.js';
import type { Prisma } from '../../src/generated/prisma/client.js';

export const EYFS_RESULT_TABLE = declareTable<Prisma.EyfsResultCreateManyInput>(
  'EyfsResult',
  ['personId', 'periodCode'],
  { personId: 'text', periodCode: 'text', gld: 'bool', totalPoints: 'int' },
);

export const TWO_YEAR_OLD_FUNDING_TABLE = declareTable<Prisma.TwoYearOldFundingCreateManyInput>(
  'TwoYearOldFunding',
  ['personId', 'periodCode'],
  { personId: 'text', periodCode: 'text', eligible: 'bool', tookUp: 'bool' },
);

export const CENTRE_REGISTRATION_TABLE = declareTable<Prisma.ChildrensCentreRegistrationCreateManyInput>(
  'ChildrensCentreRegistration',
  ['personId', 'centreId'],
  { personId: 'text', centreId: 'text', registeredOn: 'date' },
);

export const SETTING_TABLE = declareTable<Prisma.EarlyYearsSettingCreateManyInput>('EarlyYearsSetting', ['urn'], {
  urn: 'text',
  name: 'text',
  type: '"EarlyYearsSettingType"',
  districtCode: 'text',
  registeredOn: 'date',
  closedOn: 'date',
});

/** An inspection as a settings import row carries it: none (both null) when the setting is not inspected yet. */
interface InspectionRow {
  urn: string;
  inspectedOn: Date | null;
  grade: Prisma.EarlyYearsInspectionCreateManyInput['grade'] | null;
}

export const INSPECTION_TABLE = declareTable<InspectionRow>('EarlyYearsInspection', ['urn', 'inspectedOn'], {
  urn: 'text',
  inspectedOn: 'date',
  grade: '"OfstedGrade"',
});
