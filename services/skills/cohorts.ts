// Skills and Employability cohorts for cross-service analysis: who was recorded NEET, or with an activity
// not known, in a month of the period (any month, not only the December to February snapshots: "was this
// young person ever NEET this year?"), and who started an apprenticeship in it.
import { periodBounds } from '../../src/core/period-bounds.js';
import type { CohortDefinition } from '../../src/core/plugin.js';
import { Prisma } from '../../src/generated/prisma/client.js';

function recordedAs(status: 'NEET' | 'NOT_KNOWN'): CohortDefinition['members'] {
  return (period) => {
    const { start, end } = periodBounds(period);
    return Prisma.sql`
      SELECT DISTINCT r."personId" AS person_id FROM "ParticipationRecord" r
      WHERE r.month BETWEEN ${start} AND ${end} AND r.status = ${status}::"ParticipationStatus"`;
  };
}

export const neet: CohortDefinition = {
  key: 'skills.neet',
  title: 'Young people recorded NEET (not in education, employment or training) in a month of the period',
  periodType: 'ACADEMIC_YEAR',
  tables: ['ParticipationRecord'],
  members: recordedAs('NEET'),
};

export const notKnown: CohortDefinition = {
  key: 'skills.notKnown',
  title: 'Young people whose activity was recorded as not known in a month of the period',
  periodType: 'ACADEMIC_YEAR',
  tables: ['ParticipationRecord'],
  members: recordedAs('NOT_KNOWN'),
};

export const apprentices: CohortDefinition = {
  key: 'skills.apprentices',
  title: 'People who started an apprenticeship in the period (any age, any level)',
  periodType: 'ACADEMIC_YEAR',
  tables: ['ApprenticeshipStart'],
  members: (period) => {
    const { start, end } = periodBounds(period);
    return Prisma.sql`
      SELECT DISTINCT a."personId" AS person_id FROM "ApprenticeshipStart" a
      WHERE a."startedOn" BETWEEN ${start} AND ${end}`;
  },
};

export const skillsCohorts: CohortDefinition[] = [neet, notKnown, apprentices];
