// The SEND tables, each declared once: its columns as the imports (import.ts, upsert on the natural key,
// listed first) and the demo seed (seed.ts, insert) write them. Rows are Prisma's create inputs.
import { declareTable } from '../../src/core/bulk.js';
import type { Prisma } from '../../src/generated/prisma/client.js';

export const EHC_ASSESSMENT_TABLE = declareTable<Prisma.EhcAssessmentCreateManyInput>('EhcAssessment', ['id'], {
  id: 'text',
  personId: 'text',
  requestedOn: 'date',
  decidedOn: 'date',
  issuedOn: 'date',
  outcome: '"EhcAssessmentOutcome"',
  primaryNeed: '"SenPrimaryNeed"',
  exception: 'bool',
});

export const EHC_PLAN_TABLE = declareTable<Prisma.EhcPlanCreateManyInput>('EhcPlan', ['personId', 'startedOn'], {
  personId: 'text',
  startedOn: 'date',
  endedOn: 'date',
  primaryNeed: '"SenPrimaryNeed"',
});

export const SPECIALIST_PROVISION_TABLE = declareTable<Prisma.SpecialistProvisionCreateManyInput>(
  'SpecialistProvision',
  ['providerId', 'periodCode', 'needType'],
  {
    providerId: 'text',
    periodCode: 'text',
    needType: '"SenPrimaryNeed"',
    providerName: 'text',
    type: '"SpecialistProvisionType"',
    districtCode: 'text',
    places: 'int',
  },
);
