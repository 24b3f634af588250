// SEND indicators: how each is counted, as facts SQL for the reporting engine (one row per counted unit).
// Timeliness and plans in force are calendar years, as in the DfE's SEN2 return; specialist places are
// commissioned per academic year.
import { iso } from '../../src/core/dates.js';
import { periodBounds } from '../../src/core/period-bounds.js';
import type { IndicatorDefinition } from '../../src/core/reporting/types.js';
import { Prisma } from '../../src/generated/prisma/client.js';
import { censusDateIn } from './census.js';

/** The statutory timescale from request to final plan: 20 weeks. */
export const TWENTY_WEEKS_IN_DAYS = 140;

export const SEND_EHCP_WITHIN_20_WEEKS: IndicatorDefinition = {
  code: 'SEND_EHCP_WITHIN_20_WEEKS',
  name: 'New EHC plans issued within 20 weeks',
  description:
    'Percentage of new EHC plans issued in the period whose final plan was issued at most 140 days (20 weeks) after the request for an EHC needs assessment, excluding plans where a statutory exception to the timescale applies. Home district of the child or young person.',
  unit: 'PERCENT',
  polarity: 'HIGH_IS_GOOD',
  decimalPlaces: 1,
  periodType: 'CALENDAR_YEAR',
  tables: ['EhcAssessment'],
  facts: (period) => {
    const { start, end } = periodBounds(period);
    // date − date is a whole number of days in PostgreSQL.
    return Prisma.sql`
      SELECT a."personId" AS person_id, p."districtCode" AS district_code,
             CASE WHEN a."issuedOn" - a."requestedOn" <= ${TWENTY_WEEKS_IN_DAYS} THEN 1 ELSE 0 END::numeric AS numerator,
             1::numeric AS denominator
      FROM "EhcAssessment" a JOIN "Person" p ON p.id = a."personId"
      WHERE a.outcome = 'ISSUED' AND NOT a.exception AND a."issuedOn" BETWEEN ${start} AND ${end}`;
  },
};

/** People with an EHC plan in force on a date (started on or before it, not yet ended). */
export function plansInForceSql(on: Date): Prisma.Sql {
  return Prisma.sql`
    SELECT e."personId" AS person_id, p."districtCode" AS district_code
    FROM "EhcPlan" e JOIN "Person" p ON p.id = e."personId"
    WHERE e."startedOn" <= ${iso(on)}::date AND (e."endedOn" IS NULL OR e."endedOn" > ${iso(on)}::date)
    GROUP BY e."personId", p."districtCode"`;
}

export const SEND_EHCP_COUNT: IndicatorDefinition = {
  code: 'SEND_EHCP_COUNT',
  name: 'EHC plans in force (January census)',
  description:
    'Children and young people with an EHC plan in force on the January school census date in the period (the third Thursday of January), as in the SEN2 return. Each person counts once, in their home district. Read `change` for the movement on the year before.',
  unit: 'COUNT',
  polarity: 'NO_JUDGEMENT',
  decimalPlaces: 0,
  periodType: 'CALENDAR_YEAR',
  tables: ['EhcPlan'],
  facts: (period) => {
    const census = censusDateIn(period);
    if (!census) {
      // A period without a January (a summer month) has no census: no facts.
      return Prisma.sql`SELECT NULL::text AS person_id, NULL::text AS district_code, 0::numeric AS numerator, 0::numeric AS denominator WHERE false`;
    }
    return Prisma.sql`
      SELECT f.person_id, f.district_code, 1::numeric AS numerator, 1::numeric AS denominator
      FROM (${plansInForceSql(census)}) f`;
  },
};

export const SEND_SPECIALIST_PLACES: IndicatorDefinition = {
  code: 'SEND_SPECIALIST_PLACES',
  name: 'Specialist places commissioned',
  description:
    'Places commissioned for the academic year in special schools, specialist resourced provisions (SRPs) and satellites, all types of need, in the district of the provision. The SEND strategy aims to increase them so more children are taught close to home.',
  unit: 'COUNT',
  polarity: 'HIGH_IS_GOOD',
  decimalPlaces: 0,
  periodType: 'ACADEMIC_YEAR',
  // Places are not people: no person breakdowns.
  dimensions: ['DISTRICT'],
  tables: ['SpecialistProvision'],
  facts: (period) => Prisma.sql`
    SELECT NULL::text AS person_id, s."districtCode" AS district_code, s.places::numeric AS numerator, 1::numeric AS denominator
    FROM "SpecialistProvision" s
    WHERE s."periodCode" = ${period.code}`,
};

export const sendIndicators: IndicatorDefinition[] = [
  SEND_EHCP_WITHIN_20_WEEKS,
  SEND_EHCP_COUNT,
  SEND_SPECIALIST_PLACES,
];
