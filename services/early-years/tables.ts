// The Early Years tables, each declared once: its columns as the imports (import.ts, upsert on the natural
// key) and the demo seed (seed.ts, insert) write them. Rows are Prisma's create inputs of each model.
import type { TableSpec } from '../../src/core/bulk.js';
import type { Prisma } from '../../src/generated/prisma/client.js';

export const EYFS_RESULT_TABLE: TableSpec<Prisma.EyfsResultCreateManyInput> = {
  table: 'EyfsResult',
  key: [
    { name: 'personId', type: 'text', get: (r) => r.personId },
    { name: 'periodCode', type: 'text', get: (r) => r.periodCode },
  ],
  values: [
    { name: 'gld', type: 'bool', get: (r) => r.gld },
    { name: 'totalPoints', type: 'int', get: (r) => r.totalPoints },
  ],
};

export const TWO_YEAR_OLD_FUNDING_TABLE: TableSpec<Prisma.TwoYearOldFundingCreateManyInput> = {
  table: 'TwoYearOldFunding',
  key: [
    { name: 'personId', type: 'text', get: (r) => r.personId },
    { name: 'periodCode', type: 'text', get: (r) => r.periodCode },
  ],
  values: [
    { name: 'eligible', type: 'bool', get: (r) => r.eligible },
    { name: 'tookUp', type: 'bool', get: (r) => r.tookUp },
  ],
};

export const CENTRE_REGISTRATION_TABLE: TableSpec<Prisma.ChildrensCentreRegistrationCreateManyInput> = {
  table: 'ChildrensCentreRegistration',
  key: [
    { name: 'personId', type: 'text', get: (r) => r.personId },
    { name: 'centreId', type: 'text', get: (r) => r.centreId },
  ],
  values: [{ name: 'registeredOn', type: 'date', get: (r) => r.registeredOn }],
};

export const SETTING_TABLE: TableSpec<Prisma.EarlyYearsSettingCreateManyInput> = {
  table: 'EarlyYearsSetting',
  key: [{ name: 'urn', type: 'text', get: (r) => r.urn }],
  values: [
    { name: 'name', type: 'text', get: (r) => r.name },
    { name: 'type', type: '"EarlyYearsSettingType"', get: (r) => r.type },
    { name: 'districtCode', type: 'text', get: (r) => r.districtCode },
    { name: 'registeredOn', type: 'date', get: (r) => r.registeredOn },
    { name: 'closedOn', type: 'date', get: (r) => r.closedOn },
  ],
};

/** An inspection as a settings import row carries it: none (both null) when the setting is not inspected yet. */
interface InspectionRow {
  urn: string;
  inspectedOn: Date | null;
  grade: Prisma.EarlyYearsInspectionCreateManyInput['grade'] | null;
}

export const INSPECTION_TABLE: TableSpec<InspectionRow> = {
  table: 'EarlyYearsInspection',
  key: [
    { name: 'urn', type: 'text', get: (r) => r.urn },
    { name: 'inspectedOn', type: 'date', get: (r) => r.inspectedOn },
  ],
  values: [{ name: 'grade', type: '"OfstedGrade"', get: (r) => r.grade }],
};
