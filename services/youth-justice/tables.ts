// The Youth Justice table, declared once: its columns as the import (import.ts, upsert on the id) and the
// demo seed (seed.ts, insert) write them. Rows are Prisma's create inputs.
import { declareTable } from '../../src/core/bulk.js';
import type { Prisma } from '../../src/generated/prisma/client.js';

export const DISPOSAL_TABLE = declareTable<Prisma.YouthJusticeDisposalCreateManyInput>('YouthJusticeDisposal', ['id'], {
  id: 'text',
  personId: 'text',
  offenceOn: 'date',
  disposedOn: 'date',
  tier: '"YouthJusticeTier"',
  disposalType: '"YouthJusticeDisposalType"',
});
