// The Troubled Families tables written column by column, each declared once: its columns as the imports
// (import.ts, upsert on the natural key, listed first) and the demo seed (seed.ts, insert) write them. Rows
// are Prisma's create inputs. TroubledFamily itself has its own writer (its criteria are an array per row).
import { declareTable } from '../../src/core/bulk.js';
import type { Prisma } from '../../src/generated/prisma/client.js';
import type { EarlyHelpClosureReason } from '../../src/generated/prisma/enums.js';

export const MEMBER_TABLE = declareTable<Prisma.TroubledFamilyMemberCreateManyInput>(
  'TroubledFamilyMember',
  ['familyId', 'personId'],
  { familyId: 'text', personId: 'text', role: '"FamilyMemberRole"' },
);

export const CLAIM_TABLE = declareTable<Prisma.PbrClaimCreateManyInput>('PbrClaim', ['id'], {
  id: 'text',
  familyId: 'text',
  window: 'text',
  submittedOn: 'date',
  outcome: '"PbrClaimOutcome"',
  status: '"PbrClaimStatus"',
});

/** One early help case, as the import reads it and the seed draws it. */
export interface EarlyHelpCaseRecord {
  id: string;
  personId: string;
  districtCode: string;
  familyId: string | null;
  openedOn: Date;
  closedOn: Date | null;
  closureReason: EarlyHelpClosureReason | null;
  stepDown: boolean;
  intensive: boolean;
}

export const EARLY_HELP_CASE_TABLE = declareTable<EarlyHelpCaseRecord>('EarlyHelpCase', ['id'], {
  id: 'text',
  personId: 'text',
  districtCode: 'text',
  familyId: 'text',
  openedOn: 'date',
  closedOn: 'date',
  closureReason: '"EarlyHelpClosureReason"',
  stepDown: 'bool',
  intensive: 'bool',
});
