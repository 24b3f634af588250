// Youth Justice indicators: how each is counted, as facts SQL for the reporting engine (one row per counted
// unit). Financial years throughout, as the service reports them: "in March there were 304 first time
// entrants" and "custodial sentences as a proportion of court disposals were 4% at the end of March" are
// the twelve months April to March. A person is counted in their home district (Person.districtCode).
//
// Definitions (the choices the documents leave open are stated here and in each description):
// - substantive outcome: any disposal but a community resolution (a caution, conditional caution or
//   court sentence), as in the Youth Justice Board's first-time entrant measure;
// - first-time entrant in a period: a person whose first ever substantive disposal (by disposal date)
//   falls in it; earlier community resolutions do not count;
// - re-offending: the cohort is the people with a substantive disposal in the period; each person's
//   index disposal is their FIRST substantive disposal in the period (earliest disposal date, then id);
//   they re-offend when a further proven offence (a substantive disposal) was COMMITTED after the index
//   disposal's date and no later than the same date 12 months on (offence date in (d, d + 12 months]);
//   periods less than 12 months before the data's end are not yet complete;
// - custody share: custodial disposals among court disposals (FIRST_TIER, COMMUNITY, CUSTODY) in the period.

import { periodBounds } from '../../src/core/period-bounds.js';
import type { PeriodInfo } from '../../src/core/period-codes.js';
import type { IndicatorDefinition } from '../../src/core/reporting/types.js';
import { Prisma } from '../../src/generated/prisma/client.js';
import { substantiveSql } from './disposal-types.js';

/** The published indicator holding the population aged 10 to 17 of each district (Observations). */
export const POPULATION_INDICATOR = 'YJ_POPULATION_10_17';

/** People whose first ever substantive disposal falls in the period: person_id, district_code. */
export function firstTimeEntrantsSql(period: PeriodInfo): Prisma.Sql {
  const { start, end } = periodBounds(period);
  return Prisma.sql`
    SELECT f."personId" AS person_id, p."districtCode" AS district_code
    FROM (
      SELECT d."personId", MIN(d."disposedOn") AS first_on
      FROM "YouthJusticeDisposal" d WHERE ${substantiveSql('d')}
      GROUP BY d."personId"
    ) f JOIN "Person" p ON p.id = f."personId"
    WHERE f.first_on BETWEEN ${start} AND ${end}`;
}

/**
 * The re-offending cohort of a period: one row per person with a substantive disposal in it, their index
 * disposal (the first substantive one in the period) and whether they re-offended within 12 months of it.
 */
export function reoffendingCohortSql(period: PeriodInfo): Prisma.Sql {
  const { start, end } = periodBounds(period);
  return Prisma.sql`
    SELECT i."personId" AS person_id, p."districtCode" AS district_code, i.id AS index_disposal_id,
      EXISTS (
        SELECT 1 FROM "YouthJusticeDisposal" n
        WHERE n."personId" = i."personId" AND ${substantiveSql('n')}
          AND n."offenceOn" > i."disposedOn"
          AND n."offenceOn" <= (i."disposedOn" + INTERVAL '12 months')::date
      ) AS reoffended
    FROM (
      SELECT DISTINCT ON (d."personId") d."personId", d.id, d."disposedOn"
      FROM "YouthJusticeDisposal" d
      WHERE ${substantiveSql('d')} AND d."disposedOn" BETWEEN ${start} AND ${end}
      ORDER BY d."personId", d."disposedOn", d.id
    ) i JOIN "Person" p ON p.id = i."personId"`;
}

export const YJ_FIRST_TIME_ENTRANTS: IndicatorDefinition = {
  code: 'YJ_FIRST_TIME_ENTRANTS',
  name: 'First-time entrants to the youth justice system',
  description:
    'Children and young people whose first ever substantive outcome (a youth caution, youth conditional caution or court sentence; community resolutions do not count) was given in the financial year, in their home district. Target: no more than 350 (Kent).',
  unit: 'COUNT',
  polarity: 'LOW_IS_GOOD',
  decimalPlaces: 0,
  periodType: 'FINANCIAL_YEAR',
  tables: ['YouthJusticeDisposal'],
  facts: (period) => Prisma.sql`
    SELECT f.person_id, f.district_code, 1::numeric AS numerator, 1::numeric AS denominator
    FROM (${firstTimeEntrantsSql(period)}) f`,
};

export const YJ_FIRST_TIME_ENTRANTS_RATE: IndicatorDefinition = {
  code: 'YJ_FIRST_TIME_ENTRANTS_RATE',
  name: 'First-time entrants per 100,000 people aged 10 to 17',
  description: `First-time entrants in the financial year (as YJ_FIRST_TIME_ENTRANTS) per 100,000 residents aged 10 to 17, the population being the ${POPULATION_INDICATOR} Observation of each district for the same period. Counted only where every district of the local authority has a population figure (the local authority's rate is then the sum over its districts, which the engine requires); elsewhere the rate is published or unavailable.`,
  unit: 'RATE_PER_100K',
  polarity: 'LOW_IS_GOOD',
  decimalPlaces: 1,
  periodType: 'FINANCIAL_YEAR',
  // The population is not people in the store: no person breakdowns.
  dimensions: ['DISTRICT'],
  tables: ['YouthJusticeDisposal', 'Observation'],
  facts: (period) => Prisma.sql`
    WITH pop AS (
      SELECT o."areaCode" AS district_code, o.value, d."parentCode" AS la_code
      FROM "Observation" o JOIN "Area" d ON d.code = o."areaCode" AND d.level = 'DISTRICT'
      WHERE o."indicatorCode" = ${POPULATION_INDICATOR} AND o."periodCode" = ${period.code}
        AND o.breakdown = 'TOTAL' AND o.value IS NOT NULL AND o.symbol IS NULL
    ),
    covered AS (
      SELECT pop.* FROM pop
      WHERE NOT EXISTS (
        SELECT 1 FROM "Area" a
        WHERE a.level = 'DISTRICT' AND a."parentCode" = pop.la_code
          AND NOT EXISTS (SELECT 1 FROM pop q WHERE q.district_code = a.code)
      )
    )
    SELECT f.person_id, f.district_code, 1::numeric AS numerator, 0::numeric AS denominator
    FROM (${firstTimeEntrantsSql(period)}) f JOIN covered c ON c.district_code = f.district_code
    UNION ALL
    SELECT NULL::text, c.district_code, 0::numeric, c.value::numeric FROM covered c`,
};

export const YJ_POPULATION_10_17: IndicatorDefinition = {
  code: POPULATION_INDICATOR,
  name: 'Population aged 10 to 17',
  description:
    'Residents aged 10 to 17 (the youth justice age range), by district and financial year: the denominator of YJ_FIRST_TIME_ENTRANTS_RATE. Published figures only (ONS mid-year estimates, or the demo’s count of its synthetic people aged 10 to 17 on 1 April), loaded as Observations.',
  unit: 'COUNT',
  polarity: 'NO_JUDGEMENT',
  decimalPlaces: 0,
  periodType: 'FINANCIAL_YEAR',
};

export const YJ_REOFFENDING: IndicatorDefinition = {
  code: 'YJ_REOFFENDING',
  name: 'Re-offending within 12 months (binary rate)',
  description:
    'Percentage of the children and young people with a substantive outcome in the financial year who committed a further proven offence (one that received a substantive outcome) within 12 months of that outcome. The 12 months start on the date of each person’s first substantive disposal in the year and include the same date a year later; an offence on the disposal day itself does not count. Years ending less than 12 months before the data’s end are incomplete. Target: no more than 28%.',
  unit: 'PERCENT',
  polarity: 'LOW_IS_GOOD',
  decimalPlaces: 1,
  periodType: 'FINANCIAL_YEAR',
  tables: ['YouthJusticeDisposal'],
  facts: (period) => Prisma.sql`
    SELECT c.person_id, c.district_code, c.reoffended::int::numeric AS numerator, 1::numeric AS denominator
    FROM (${reoffendingCohortSql(period)}) c`,
};

export const YJ_CUSTODY_SHARE: IndicatorDefinition = {
  code: 'YJ_CUSTODY_SHARE',
  name: 'Custodial sentences as a share of court disposals',
  description:
    'Percentage of court disposals (first-tier, community and custodial sentences) given in the financial year that were custodial (detention and training orders and other custody). One row per disposal, in the home district of the child or young person.',
  unit: 'PERCENT',
  polarity: 'LOW_IS_GOOD',
  decimalPlaces: 1,
  periodType: 'FINANCIAL_YEAR',
  tables: ['YouthJusticeDisposal'],
  facts: (period) => {
    const { start, end } = periodBounds(period);
    return Prisma.sql`
      SELECT d."personId" AS person_id, p."districtCode" AS district_code,
        (d.tier = 'CUSTODY')::int::numeric AS numerator, 1::numeric AS denominator
      FROM "YouthJusticeDisposal" d JOIN "Person" p ON p.id = d."personId"
      WHERE d.tier IN ('FIRST_TIER', 'COMMUNITY', 'CUSTODY') AND d."disposedOn" BETWEEN ${start} AND ${end}`;
  },
};

export const youthJusticeIndicators: IndicatorDefinition[] = [
  YJ_FIRST_TIME_ENTRANTS,
  YJ_FIRST_TIME_ENTRANTS_RATE,
  YJ_REOFFENDING,
  YJ_CUSTODY_SHARE,
  YJ_POPULATION_10_17,
];
