// Early Years indicators: how each is counted, as facts SQL for the reporting engine (one row per counted
// unit: a child, or a setting). All are academic years: the EYFS profile is taken at the end of Reception,
// the two-year-old offer runs by school term, and settings and centre reach are reported at 31 August.

import { periodBounds } from '../../src/core/period-bounds.js';
import type { PeriodInfo } from '../../src/core/period-codes.js';
import type { IndicatorDefinition } from '../../src/core/reporting/types.js';
import { Prisma } from '../../src/generated/prisma/client.js';

/** EYFS results of the academic years that end in the period (the profile is completed in the summer term). */
export function eyfsResultsSql(period: PeriodInfo, where: Prisma.Sql = Prisma.empty): Prisma.Sql {
  const { start, end } = periodBounds(period);
  return Prisma.sql`
    SELECT r."personId" AS person_id, p."districtCode" AS district_code, r.gld
    FROM "EyfsResult" r
    JOIN "Period" y ON y.code = r."periodCode"
    JOIN "Person" p ON p.id = r."personId"
    WHERE y."endDate" BETWEEN ${start} AND ${end} ${where}`;
}

export const EY_GLD: IndicatorDefinition = {
  code: 'EY_GLD',
  name: 'Good level of development (EYFS)',
  description:
    'Percentage of children at the end of Reception achieving a good level of development in the Early Years Foundation Stage Profile: at least the expected level in the early learning goals of the prime areas (communication and language, physical development, personal, social and emotional development), literacy and mathematics. Children with an EYFS profile result in the academic year; home district of the child.',
  unit: 'PERCENT',
  polarity: 'HIGH_IS_GOOD',
  decimalPlaces: 1,
  periodType: 'ACADEMIC_YEAR',
  tables: ['EyfsResult'],
  facts: (period) => Prisma.sql`
    SELECT e.person_id, e.district_code, CASE WHEN e.gld THEN 1 ELSE 0 END::numeric AS numerator, 1::numeric AS denominator
    FROM (${eyfsResultsSql(period)}) e`,
};

export const EY_TWO_YEAR_TAKE_UP: IndicatorDefinition = {
  code: 'EY_TWO_YEAR_TAKE_UP',
  name: 'Take-up of funded early education by eligible two-year-olds',
  description:
    'Percentage of two-year-olds eligible for funded early education in at least one term of the period who took up a funded place in a term they were eligible for. Each child counts once, in their home district.',
  unit: 'PERCENT',
  polarity: 'HIGH_IS_GOOD',
  decimalPlaces: 1,
  periodType: 'ACADEMIC_YEAR',
  tables: ['TwoYearOldFunding'],
  facts: (period) => {
    const { start, end } = periodBounds(period);
    return Prisma.sql`
      SELECT f."personId" AS person_id, p."districtCode" AS district_code,
             MAX(CASE WHEN f."tookUp" THEN 1 ELSE 0 END)::numeric AS numerator, 1::numeric AS denominator
      FROM "TwoYearOldFunding" f
      JOIN "Period" t ON t.code = f."periodCode"
      JOIN "Person" p ON p.id = f."personId"
      WHERE f.eligible AND t."startDate" >= ${start} AND t."endDate" <= ${end}
      GROUP BY f."personId", p."districtCode"`;
  },
};

/**
 * Settings open on the period's last day, each with the grade of its latest inspection on or before that
 * day; settings not yet inspected are left out (Ofsted's own "of those inspected" convention).
 */
export function settingsAtSql(period: PeriodInfo): Prisma.Sql {
  const { end } = periodBounds(period);
  return Prisma.sql`
    SELECT s.urn, s."districtCode" AS district_code, i.grade
    FROM "EarlyYearsSetting" s
    JOIN LATERAL (
      SELECT x.grade FROM "EarlyYearsInspection" x
      WHERE x.urn = s.urn AND x."inspectedOn" <= ${end}
      ORDER BY x."inspectedOn" DESC LIMIT 1
    ) i ON true
    WHERE (s."registeredOn" IS NULL OR s."registeredOn" <= ${end}) AND (s."closedOn" IS NULL OR s."closedOn" > ${end})`;
}

export const EY_SETTINGS_GOOD_OUTSTANDING: IndicatorDefinition = {
  code: 'EY_SETTINGS_GOOD_OUTSTANDING',
  name: 'Early years settings judged good or outstanding',
  description:
    'Percentage of early years settings on the Ofsted register, open on the last day of the period and inspected by then, whose latest inspection judged them good or outstanding. District of the setting.',
  unit: 'PERCENT',
  polarity: 'HIGH_IS_GOOD',
  decimalPlaces: 1,
  periodType: 'ACADEMIC_YEAR',
  // A setting is not a person: no person breakdowns.
  dimensions: ['DISTRICT'],
  tables: ['EarlyYearsSetting', 'EarlyYearsInspection'],
  facts: (period) => Prisma.sql`
    SELECT NULL::text AS person_id, s.district_code,
           CASE WHEN s.grade IN ('OUTSTANDING', 'GOOD') THEN 1 ELSE 0 END::numeric AS numerator, 1::numeric AS denominator
    FROM (${settingsAtSql(period)}) s`,
};

export const EY_CENTRE_REGISTRATION: IndicatorDefinition = {
  code: 'EY_CENTRE_REGISTRATION',
  name: 'Under-fives registered with a children’s centre',
  description:
    'Percentage of children under five on the last day of the period (by birth month) who were registered with a children’s centre on or before that day. Home district of the child.',
  unit: 'PERCENT',
  polarity: 'HIGH_IS_GOOD',
  decimalPlaces: 1,
  periodType: 'ACADEMIC_YEAR',
  tables: ['ChildrensCentreRegistration', 'Person'],
  facts: (period) => {
    const { end } = periodBounds(period);
    // Born after the day five years before the end: under five on the last day (birth month precision).
    return Prisma.sql`
      SELECT p.id AS person_id, p."districtCode" AS district_code,
             CASE WHEN EXISTS (
               SELECT 1 FROM "ChildrensCentreRegistration" c WHERE c."personId" = p.id AND c."registeredOn" <= ${end}
             ) THEN 1 ELSE 0 END::numeric AS numerator,
             1::numeric AS denominator
      FROM "Person" p
      WHERE p."birthMonth" <= ${end} AND p."birthMonth" > (${end} - interval '5 years')::date`;
  },
};

export const earlyYearsIndicators: IndicatorDefinition[] = [
  EY_GLD,
  EY_TWO_YEAR_TAKE_UP,
  EY_SETTINGS_GOOD_OUTSTANDING,
  EY_CENTRE_REGISTRATION,
];
