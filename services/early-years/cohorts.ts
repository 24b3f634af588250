// Early Years cohorts for cross-service analysis: who was assessed at the end of Reception, who did not
// reach a good level of development, and which two-year-olds took a funded place.

import { periodBounds } from '../../src/core/period-bounds.js';
import type { CohortDefinition } from '../../src/core/plugin.js';
import { Prisma } from '../../src/generated/prisma/client.js';
import { eyfsResultsSql } from './indicators.js';

export const eyfsCohort: CohortDefinition = {
  key: 'earlyYears.eyfsCohort',
  title: 'Children with an EYFS profile result (end of Reception) in the period',
  periodType: 'ACADEMIC_YEAR',
  tables: ['EyfsResult'],
  members: (period) => Prisma.sql`SELECT DISTINCT e.person_id FROM (${eyfsResultsSql(period)}) e`,
};

export const gldNotAchieved: CohortDefinition = {
  key: 'earlyYears.gldNotAchieved',
  title: 'Children who did not reach a good level of development at the end of Reception',
  periodType: 'ACADEMIC_YEAR',
  tables: ['EyfsResult'],
  members: (period) =>
    Prisma.sql`SELECT DISTINCT e.person_id FROM (${eyfsResultsSql(period, Prisma.sql`AND NOT r.gld`)}) e`,
};

export const twoYearOldFunded: CohortDefinition = {
  key: 'earlyYears.twoYearOldFunded',
  title: 'Two-year-olds who took up a funded early education place in a term overlapping the period',
  periodType: 'ACADEMIC_YEAR',
  tables: ['TwoYearOldFunding'],
  members: (period) => {
    const { start, end } = periodBounds(period);
    return Prisma.sql`
      SELECT DISTINCT f."personId" AS person_id
      FROM "TwoYearOldFunding" f JOIN "Period" t ON t.code = f."periodCode"
      WHERE f."tookUp" AND t."startDate" <= ${end} AND t."endDate" >= ${start}`;
  },
};

export const earlyYearsCohorts: CohortDefinition[] = [eyfsCohort, gldNotAchieved, twoYearOldFunded];
