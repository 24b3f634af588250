// Youth Justice cohorts for cross-service analysis ("of the young people in custody this year, how many had
// an EHCP?"): first-time entrants, re-offenders and those sentenced to custody, by financial year. Each
// returns distinct person ids, with the same definitions as the indicators.

import { periodBounds } from '../../src/core/period-bounds.js';
import type { CohortDefinition } from '../../src/core/plugin.js';
import { Prisma } from '../../src/generated/prisma/client.js';
import { firstTimeEntrantsSql, reoffendingCohortSql } from './indicators.js';

export const firstTimeEntrants: CohortDefinition = {
  key: 'youthJustice.firstTimeEntrants',
  title: 'First-time entrants: children and young people whose first ever substantive outcome was in the period',
  periodType: 'FINANCIAL_YEAR',
  tables: ['YouthJusticeDisposal'],
  members: (period) => Prisma.sql`SELECT f.person_id FROM (${firstTimeEntrantsSql(period)}) f`,
};

export const reoffenders: CohortDefinition = {
  key: 'youthJustice.reoffenders',
  title:
    'Re-offenders: children and young people with a substantive outcome in the period who committed a further proven offence within 12 months of their first one in the period',
  periodType: 'FINANCIAL_YEAR',
  tables: ['YouthJusticeDisposal'],
  members: (period) => Prisma.sql`SELECT c.person_id FROM (${reoffendingCohortSql(period)}) c WHERE c.reoffended`,
};

export const custody: CohortDefinition = {
  key: 'youthJustice.custody',
  title: 'Children and young people sentenced to custody in the period',
  periodType: 'FINANCIAL_YEAR',
  tables: ['YouthJusticeDisposal'],
  members: (period) => {
    const { start, end } = periodBounds(period);
    return Prisma.sql`
      SELECT DISTINCT d."personId" AS person_id FROM "YouthJusticeDisposal" d
      WHERE d.tier = 'CUSTODY' AND d."disposedOn" BETWEEN ${start} AND ${end}`;
  },
};

export const youthJusticeCohorts: CohortDefinition[] = [firstTimeEntrants, reoffenders, custody];
