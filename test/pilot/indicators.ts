// Reading pilot indicators and cohort: how the pilot counts, as facts SQL over its own table. The engine
// does the rest (grouping by district and characteristics, CIs, gaps, suppression, benchmarks).

import type { CohortDefinition } from '../../src/core/plugin.js';
import type { IndicatorDefinition } from '../../src/core/reporting/types.js';
import { Prisma } from '../../src/generated/prisma/client.js';

/** % of enrolled children who completed the programme in the academic year. */
export const PILOT_COMPLETION: IndicatorDefinition = {
  code: 'PILOT_COMPLETION',
  name: 'Reading pilot completion',
  description: 'Percentage of children enrolled in the reading pilot in the academic year who completed it.',
  unit: 'PERCENT',
  polarity: 'HIGH_IS_GOOD',
  decimalPlaces: 1,
  periodType: 'ACADEMIC_YEAR',
  tables: ['ReadingPilotEnrolment'],
  facts: (period) => Prisma.sql`
    SELECT e."personId" AS person_id, e."districtCode" AS district_code,
           CASE WHEN e.completed THEN 1 ELSE 0 END AS numerator, 1 AS denominator
    FROM "ReadingPilotEnrolment" e
    WHERE e."periodCode" = ${period.code}`,
};

/** Mean books read per enrolled child (a points measure). */
export const PILOT_BOOKS: IndicatorDefinition = {
  code: 'PILOT_BOOKS',
  name: 'Books read per pilot child',
  description: 'Average number of books read by children enrolled in the reading pilot in the academic year.',
  unit: 'AVERAGE_POINTS',
  polarity: 'HIGH_IS_GOOD',
  decimalPlaces: 1,
  periodType: 'ACADEMIC_YEAR',
  amberTolerance: 0.1,
  dimensions: ['SEX', 'FSM', 'DISTRICT'],
  tables: ['ReadingPilotEnrolment'],
  facts: (period) => Prisma.sql`
    SELECT e."personId" AS person_id, e."districtCode" AS district_code, e."booksRead" AS numerator, 1 AS denominator
    FROM "ReadingPilotEnrolment" e
    WHERE e."periodCode" = ${period.code}`,
};

/** Number of enrolments (context, no judgement). */
export const PILOT_ENROLMENTS: IndicatorDefinition = {
  code: 'PILOT_ENROLMENTS',
  name: 'Reading pilot enrolments',
  description: 'Number of children enrolled in the reading pilot in the academic year.',
  unit: 'COUNT',
  polarity: 'NO_JUDGEMENT',
  decimalPlaces: 0,
  periodType: 'ACADEMIC_YEAR',
  tables: ['ReadingPilotEnrolment'],
  facts: (period) => Prisma.sql`
    SELECT e."personId" AS person_id, e."districtCode" AS district_code, 1 AS numerator, 1 AS denominator
    FROM "ReadingPilotEnrolment" e
    WHERE e."periodCode" = ${period.code}`,
};

/** Parents' satisfaction survey: published only (no records), served from Observations. */
export const PILOT_SATISFACTION: IndicatorDefinition = {
  code: 'PILOT_SATISFACTION',
  name: 'Parents satisfied with the reading pilot',
  description: 'Percentage of surveyed parents satisfied with the reading pilot (published survey figure).',
  unit: 'PERCENT',
  polarity: 'HIGH_IS_GOOD',
  decimalPlaces: 0,
  periodType: 'ACADEMIC_YEAR',
};

export const pilotIndicators = [PILOT_COMPLETION, PILOT_BOOKS, PILOT_ENROLMENTS, PILOT_SATISFACTION];

export const pilotCohorts: CohortDefinition[] = [
  {
    key: 'readingPilot.completers',
    title: 'Children who completed the reading pilot',
    periodType: 'ACADEMIC_YEAR',
    tables: ['ReadingPilotEnrolment'],
    members: (period) => Prisma.sql`
      SELECT DISTINCT e."personId" AS person_id FROM "ReadingPilotEnrolment" e
      WHERE e."periodCode" = ${period.code} AND e.completed`,
  },
];
