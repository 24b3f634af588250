// Skills and Employability indicators, as facts SQL for the reporting engine.
//
// NEET and not known follow the DfE headline: the average of the December, January and February snapshots
// of the academic year, for young people of academic age 16 and 17. The average is carried in the facts:
// each young person is one row whose numerator and denominator are their snapshot months divided by the
// number of snapshots (3 once February is loaded). Summed over people, the numerator is the average number
// NEET and the denominator the average number with a known activity, so
//   value = Σ NEET months / Σ known months = (average NEET) / (average known),
// the DfE's ratio of 3-month averages; the counts shown are those averages (as the DfE publishes them); the
// Wilson interval uses the average cohort, not three times it; and small-number suppression applies to
// the averages, so a district with two young people NEET in all three months is not shown as "6". Months
// outside December to February, and people outside academic ages 16 and 17, do not count.
//
// Apprenticeship starts count starts (not people) in the academic year by age at start (derived from the
// birth month: see ages.ts), in the home district of the apprentice.

import { iso } from '../../src/core/dates.js';
import { periodBounds } from '../../src/core/period-bounds.js';
import type { PeriodInfo } from '../../src/core/period-codes.js';
import type { IndicatorDefinition } from '../../src/core/reporting/types.js';
import { Prisma } from '../../src/generated/prisma/client.js';
import { AGE_AT_START_SQL, bornForAcademicAges, NEET_AGES, snapshotMonths } from './ages.js';

/**
 * Each young person of academic age 16 or 17 recorded in the year's snapshot months, with their months by
 * status and the number of snapshot months the store holds (for anyone). Columns: person_id, district_code,
 * neet, not_known, known, recorded (months), snapshots.
 */
export function snapshotSql(period: PeriodInfo): Prisma.Sql {
  const months = snapshotMonths(period.year).map((m) => Prisma.sql`${iso(m)}::date`);
  const born = bornForAcademicAges(period.year, NEET_AGES.from, NEET_AGES.to);
  const cohort = Prisma.sql`r.month IN (${Prisma.join(months)})
      AND p."birthMonth" BETWEEN ${iso(born.first)}::date AND ${iso(born.last)}::date`;
  return Prisma.sql`
    SELECT r."personId" AS person_id, p."districtCode" AS district_code,
           COUNT(*) FILTER (WHERE r.status = 'NEET') AS neet,
           COUNT(*) FILTER (WHERE r.status = 'NOT_KNOWN') AS not_known,
           COUNT(*) FILTER (WHERE r.status <> 'NOT_KNOWN') AS known,
           COUNT(*) AS recorded,
           s.snapshots
    FROM "ParticipationRecord" r
    JOIN "Person" p ON p.id = r."personId"
    CROSS JOIN (
      SELECT COUNT(DISTINCT r.month) AS snapshots
      FROM "ParticipationRecord" r JOIN "Person" p ON p.id = r."personId"
      WHERE ${cohort}
    ) s
    WHERE ${cohort}
    GROUP BY r."personId", p."districtCode", s.snapshots`;
}

export const SK_NEET: IndicatorDefinition = {
  code: 'SK_NEET',
  name: '16-17 year olds not in education, employment or training (NEET)',
  description:
    'Percentage of young people of academic age 16 and 17 whose activity is known who are not in education, employment or training: the DfE headline, the average of the December, January and February snapshots of the academic year (Σ NEET months ÷ Σ known months, which is the average number NEET over the average number known). Numerator and denominator are those 3-month averages. Home district of the young person.',
  unit: 'PERCENT',
  polarity: 'LOW_IS_GOOD',
  decimalPlaces: 1,
  periodType: 'ACADEMIC_YEAR',
  tables: ['ParticipationRecord', 'Person'],
  facts: (period) => Prisma.sql`
    SELECT s.person_id, s.district_code,
           s.neet::numeric / s.snapshots AS numerator, s.known::numeric / s.snapshots AS denominator
    FROM (${snapshotSql(period)}) s
    WHERE s.known > 0`,
};

export const SK_NOT_KNOWN: IndicatorDefinition = {
  code: 'SK_NOT_KNOWN',
  name: '16-17 year olds whose activity is not known',
  description:
    'Percentage of young people of academic age 16 and 17 whose current activity is not known to the council: the average of the December, January and February snapshots of the academic year (Σ not-known months ÷ Σ months recorded). Numerator and denominator are those 3-month averages. Home district of the young person.',
  unit: 'PERCENT',
  polarity: 'LOW_IS_GOOD',
  decimalPlaces: 1,
  periodType: 'ACADEMIC_YEAR',
  tables: ['ParticipationRecord', 'Person'],
  facts: (period) => Prisma.sql`
    SELECT s.person_id, s.district_code,
           s.not_known::numeric / s.snapshots AS numerator, s.recorded::numeric / s.snapshots AS denominator
    FROM (${snapshotSql(period)}) s`,
};

/** Apprenticeship starts in the period by people aged `from` to `to` at the start. */
export function startsSql(period: PeriodInfo, from: number, to: number): Prisma.Sql {
  const { start, end } = periodBounds(period);
  return Prisma.sql`
    SELECT a."personId" AS person_id, p."districtCode" AS district_code, 1::numeric AS numerator, 1::numeric AS denominator
    FROM "ApprenticeshipStart" a JOIN "Person" p ON p.id = a."personId"
    WHERE a."startedOn" BETWEEN ${start} AND ${end} AND ${AGE_AT_START_SQL} BETWEEN ${from} AND ${to}`;
}

export const SK_APPRENTICESHIPS_16_18: IndicatorDefinition = {
  code: 'SK_APPRENTICESHIPS_16_18',
  name: 'Apprenticeship starts, ages 16 to 18',
  description:
    'Apprenticeships started in the academic year by people aged 16, 17 or 18 at the start (all levels), in the home district of the apprentice. Counts starts, not people.',
  unit: 'COUNT',
  polarity: 'HIGH_IS_GOOD',
  decimalPlaces: 0,
  periodType: 'ACADEMIC_YEAR',
  tables: ['ApprenticeshipStart', 'Person'],
  facts: (period) => startsSql(period, 16, 18),
};

export const SK_APPRENTICESHIPS_16_24: IndicatorDefinition = {
  code: 'SK_APPRENTICESHIPS_16_24',
  name: 'Apprenticeship starts, ages 16 to 24',
  description:
    'Apprenticeships started in the academic year by people aged 16 to 24 at the start (all levels), in the home district of the apprentice. Counts starts, not people.',
  unit: 'COUNT',
  polarity: 'HIGH_IS_GOOD',
  decimalPlaces: 0,
  periodType: 'ACADEMIC_YEAR',
  tables: ['ApprenticeshipStart', 'Person'],
  facts: (period) => startsSql(period, 16, 24),
};

export const skillsIndicators: IndicatorDefinition[] = [
  SK_NEET,
  SK_NOT_KNOWN,
  SK_APPRENTICESHIPS_16_18,
  SK_APPRENTICESHIPS_16_24,
];
