// The Youth Justice table, declared once: its columns as the import (import.ts, upsert on the id) and the
// demo seed (seed.ts, insert) write them.
import { declareTable } from '../../src/core/bulk.js';
import type { DisposalType, Tier } from './disposal-types.js';

/** One proven offence and its disposal, as the import reads it and the seed draws it. */
export interface DisposalRecord {
  id: string;
  personId: string;
  offenceOn: Date;
  disposedOn: Date;
  tier: Tier;
  disposalType: DisposalType;
}

export const DISPOSAL_TABLE = declareTable<DisposalRecord>('YouthJusticeDisposal', ['id'], {
  id: 'text',
  personId: 'text',
  offenceOn: 'date',
  disposedOn: 'date',
  tier: '"YouthJusticeTier"',
  disposalType: '"YouthJusticeDisposalType"',
});
