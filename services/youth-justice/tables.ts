// The Youth Justice table, declared once: its columns as the import (import.ts, upsert on the id) and the
// demo seed (seed.ts, insert) write them. Rows are Prisma's create inputs.
import type { TableSpec } from '../../src/core/bulk.js';
import type { Prisma } from '../../src/generated/prisma/client.js';

export const DISPOSAL_TABLE: TableSpec<Prisma.YouthJusticeDisposalCreateManyInput> = {
  table: 'YouthJusticeDisposal',
  key: [{ name: 'id', type: 'text', get: (r) => r.id }],
  values: [
    { name: 'personId', type: 'text', get: (r) => r.personId },
    { name: 'offenceOn', type: 'date', get: (r) => r.offenceOn },
    { name: 'disposedOn', type: 'date', get: (r) => r.disposedOn },
    { name: 'tier', type: '"YouthJusticeTier"', get: (r) => r.tier },
    { name: 'disposalType', type: '"YouthJusticeDisposalType"', get: (r) => r.disposalType },
  ],
};
