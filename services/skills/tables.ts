// The Skills and Employability tables, each declared once: its columns as the imports (import.ts, upsert on
// the natural key, listed first) and the demo seed (seed.ts, insert) write them. Rows are Prisma's create inputs.
import { declareTable } from '../../src/core/bulk.js';
import type { Prisma } from '../../src/generated/prisma/client.js';

export const PARTICIPATION_RECORD_TABLE = declareTable<Prisma.ParticipationRecordCreateManyInput>(
  'ParticipationRecord',
  ['personId', 'month'],
  { personId: 'text', month: 'date', status: '"ParticipationStatus"', activity: 'text' },
);

export const APPRENTICESHIP_START_TABLE = declareTable<Prisma.ApprenticeshipStartCreateManyInput>(
  'ApprenticeshipStart',
  ['personId', 'startedOn'],
  { personId: 'text', startedOn: 'date', level: '"ApprenticeshipLevel"' },
);
