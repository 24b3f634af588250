// SEND cohorts for cross-service analysis: who had an EHC plan, who was on SEN support (school census
// characteristics), and whose EHC needs assessment was requested.

import { periodBounds } from '../../src/core/period-bounds.js';
import { yearPeriodContaining } from '../../src/core/period-codes.js';
import type { CohortDefinition } from '../../src/core/plugin.js';
import { Prisma } from '../../src/generated/prisma/client.js';

export const withEhcp: CohortDefinition = {
  key: 'send.withEhcp',
  title: 'Children and young people with an EHC plan in force at any time in the period',
  periodType: 'ACADEMIC_YEAR',
  tables: ['EhcPlan'],
  members: (period) => {
    const { start, end } = periodBounds(period);
    return Prisma.sql`
      SELECT DISTINCT e."personId" AS person_id FROM "EhcPlan" e
      WHERE e."startedOn" <= ${end} AND (e."endedOn" IS NULL OR e."endedOn" > ${start})`;
  },
};

export const senSupport: CohortDefinition = {
  key: 'send.senSupport',
  title: 'Pupils on SEN support (school census characteristics of the academic year)',
  periodType: 'ACADEMIC_YEAR',
  tables: ['PersonCharacteristic'],
  members: (period) => {
    // Characteristics are kept per academic year: other periods read the year containing their start.
    const year =
      period.type === 'ACADEMIC_YEAR' ? period.code : yearPeriodContaining(period.startDate, 'ACADEMIC_YEAR');
    return Prisma.sql`
      SELECT c."personId" AS person_id FROM "PersonCharacteristic" c
      WHERE c."periodCode" = ${year} AND c."senStatus" = 'SEN_SUPPORT'`;
  },
};

export const assessmentRequested: CohortDefinition = {
  key: 'send.assessmentRequested',
  title: 'Children and young people for whom an EHC needs assessment was requested in the period',
  periodType: 'CALENDAR_YEAR',
  tables: ['EhcAssessment'],
  members: (period) => {
    const { start, end } = periodBounds(period);
    return Prisma.sql`
      SELECT DISTINCT a."personId" AS person_id FROM "EhcAssessment" a
      WHERE a."requestedOn" BETWEEN ${start} AND ${end}`;
  },
};

export const sendCohorts: CohortDefinition[] = [withEhcp, senSupport, assessmentRequested];
