// The SEND tables, each declared once: its columns as the imports (import.ts, upsert on the natural key)
// and the demo seed (seed.ts, insert) write them. Rows are Prisma's create inputs of each model.
import type { TableSpec } from '../../src/core/bulk.js';
import type { Prisma } from '../../src/generated/prisma/client.js';

export const EHC_ASSESSMENT_TABLE: TableSpec<Prisma.EhcAssessmentCreateManyInput> = {
  table: 'EhcAssessment',
  key: [{ name: 'id', type: 'text', get: (r) => r.id }],
  values: [
    { name: 'personId', type: 'text', get: (r) => r.personId },
    { name: 'requestedOn', type: 'date', get: (r) => r.requestedOn },
    { name: 'decidedOn', type: 'date', get: (r) => r.decidedOn },
    { name: 'issuedOn', type: 'date', get: (r) => r.issuedOn },
    { name: 'outcome', type: '"EhcAssessmentOutcome"', get: (r) => r.outcome },
    { name: 'primaryNeed', type: '"SenPrimaryNeed"', get: (r) => r.primaryNeed },
    { name: 'exception', type: 'bool', get: (r) => r.exception },
  ],
};

export const EHC_PLAN_TABLE: TableSpec<Prisma.EhcPlanCreateManyInput> = {
  table: 'EhcPlan',
  key: [
    { name: 'personId', type: 'text', get: (r) => r.personId },
    { name: 'startedOn', type: 'date', get: (r) => r.startedOn },
  ],
  values: [
    { name: 'endedOn', type: 'date', get: (r) => r.endedOn },
    { name: 'primaryNeed', type: '"SenPrimaryNeed"', get: (r) => r.primaryNeed },
  ],
};

export const SPECIALIST_PROVISION_TABLE: TableSpec<Prisma.SpecialistProvisionCreateManyInput> = {
  table: 'SpecialistProvision',
  key: [
    { name: 'providerId', type: 'text', get: (r) => r.providerId },
    { name: 'periodCode', type: 'text', get: (r) => r.periodCode },
    { name: 'needType', type: '"SenPrimaryNeed"', get: (r) => r.needType },
  ],
  values: [
    { name: 'providerName', type: 'text', get: (r) => r.providerName },
    { name: 'type', type: '"SpecialistProvisionType"', get: (r) => r.type },
    { name: 'districtCode', type: 'text', get: (r) => r.districtCode },
    { name: 'places', type: 'int', get: (r) => r.places },
  ],
};
