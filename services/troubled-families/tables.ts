// The Troubled Families tables written column by column, each declared once: its columns as the imports
// (import.ts, upsert on the natural key) and the demo seed (seed.ts, insert) write them. Rows are Prisma's
// create inputs. TroubledFamily itself is written by store.ts (its criteria are an array per row).
import type { TableSpec } from '../../src/core/bulk.js';
import type { Prisma } from '../../src/generated/prisma/client.js';

export const MEMBER_TABLE: TableSpec<Prisma.TroubledFamilyMemberCreateManyInput> = {
  table: 'TroubledFamilyMember',
  key: [
    { name: 'familyId', type: 'text', get: (r) => r.familyId },
    { name: 'personId', type: 'text', get: (r) => r.personId },
  ],
  values: [{ name: 'role', type: '"FamilyMemberRole"', get: (r) => r.role }],
};

export const CLAIM_TABLE: TableSpec<Prisma.PbrClaimCreateManyInput> = {
  table: 'PbrClaim',
  key: [{ name: 'id', type: 'text', get: (r) => r.id }],
  values: [
    { name: 'familyId', type: 'text', get: (r) => r.familyId },
    { name: 'window', type: 'text', get: (r) => r.window },
    { name: 'submittedOn', type: 'date', get: (r) => r.submittedOn },
    { name: 'outcome', type: '"PbrClaimOutcome"', get: (r) => r.outcome },
    { name: 'status', type: '"PbrClaimStatus"', get: (r) => r.status },
  ],
};

export const EARLY_HELP_CASE_TABLE: TableSpec<Prisma.EarlyHelpCaseCreateManyInput> = {
  table: 'EarlyHelpCase',
  key: [{ name: 'id', type: 'text', get: (r) => r.id }],
  values: [
    { name: 'personId', type: 'text', get: (r) => r.personId },
    { name: 'districtCode', type: 'text', get: (r) => r.districtCode },
    { name: 'familyId', type: 'text', get: (r) => r.familyId },
    { name: 'openedOn', type: 'date', get: (r) => r.openedOn },
    { name: 'closedOn', type: 'date', get: (r) => r.closedOn },
    { name: 'closureReason', type: '"EarlyHelpClosureReason"', get: (r) => r.closureReason },
    { name: 'stepDown', type: 'bool', get: (r) => r.stepDown },
    { name: 'intensive', type: 'bool', get: (r) => r.intensive },
  ],
};
