// The Skills and Employability tables, each declared once: its columns as the imports (import.ts, upsert on
// the natural key) and the demo seed (seed.ts, insert) write them. Rows are Prisma's create inputs.
import type { TableSpec } from '../../src/core/bulk.js';
import type { Prisma } from '../../src/generated/prisma/client.js';

export const PARTICIPATION_RECORD_TABLE: TableSpec<Prisma.ParticipationRecordCreateManyInput> = {
  table: 'ParticipationRecord',
  key: [
    { name: 'personId', type: 'text', get: (r) => r.personId },
    { name: 'month', type: 'date', get: (r) => r.month },
  ],
  values: [
    { name: 'status', type: '"ParticipationStatus"', get: (r) => r.status },
    { name: 'activity', type: 'text', get: (r) => r.activity },
  ],
};

export const APPRENTICESHIP_START_TABLE: TableSpec<Prisma.ApprenticeshipStartCreateManyInput> = {
  table: 'ApprenticeshipStart',
  key: [
    { name: 'personId', type: 'text', get: (r) => r.personId },
    { name: 'startedOn', type: 'date', get: (r) => r.startedOn },
  ],
  values: [{ name: 'level', type: '"ApprenticeshipLevel"', get: (r) => r.level }],
};
