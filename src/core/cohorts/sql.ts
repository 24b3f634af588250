// The SQL of cohorts: a cohort as facts for the reporting engine's grouped statement (sizes and
// breakdowns), and the one statement per overlap that counts two cohorts and their intersection by
// district, on person ids inside the database. A person belongs to the area of their home district.
import { Prisma } from '../../generated/prisma/client.js';
import type { PeriodInfo } from '../period-codes.js';
import { recordKeySql } from '../reporting/cell-key.js';
import type { IndicatorDefinition } from '../reporting/types.js';
import type { CohortInfo } from './catalogue.js';

/**
 * A cohort as a COUNT indicator (one row per distinct member, in their home district), so the engine's
 * one grouped statement gives its size for the LA, every district and every breakdown group at once.
 */
export function cohortIndicator(cohort: CohortInfo): IndicatorDefinition & { service: string } {
  return {
    // Not a catalogue indicator: never written to the Indicator table, never listed.
    code: `COHORT:${cohort.key}`,
    name: cohort.title,
    description: cohort.title,
    unit: 'COUNT',
    polarity: 'NO_JUDGEMENT',
    decimalPlaces: 0,
    periodType: cohort.periodType,
    service: cohort.service,
    ...(cohort.tables ? { tables: cohort.tables } : {}),
    facts: (period) => Prisma.sql`
      SELECT m.person_id, p."districtCode" AS district_code, 1::numeric AS numerator, 1::numeric AS denominator
      FROM (SELECT DISTINCT s.person_id::text AS person_id FROM (${cohort.members(period)}) s) m
      JOIN "Person" p ON p.id = m.person_id`,
  };
}

const indicators = new WeakMap<CohortInfo, ReturnType<typeof cohortIndicator>>();
/** The cohort's indicator, one object per cohort (digests of its statements are memoised per object). */
export function cohortIndicatorOf(cohort: CohortInfo): ReturnType<typeof cohortIndicator> {
  let i = indicators.get(cohort);
  if (!i) {
    i = cohortIndicator(cohort);
    indicators.set(cohort, i);
  }
  return i;
}

/** The cohort's members as stored (members.ts): each one's Person ordinal, home district and record key. */
export function membersSql(cohort: CohortInfo, period: PeriodInfo): Prisma.Sql {
  return Prisma.sql`
    SELECT p.ordinal, p."districtCode" AS district, ${Prisma.raw(recordKeySql('m.person_id', 'p."districtCode"'))} AS key
    FROM (SELECT DISTINCT s.person_id::text AS person_id FROM (${cohort.members(period)}) s) m
    JOIN "Person" p ON p.id = m.person_id`;
}

export interface OverlapRow {
  la_code: string;
  district_code: string;
  size_this: number;
  size_other: number;
  in_both: number;
  /** Sums of the record keys of each cohort's members and of the intersection (cell-key.ts). */
  key_this?: number;
  key_other?: number;
  key_both?: number;
}

/**
 * ONE statement for an overlap: both member lists stay in the database; a full join on person id gives,
 * per district, the size of each cohort and of their intersection.
 */
export function overlapSql(a: CohortInfo, aPeriod: PeriodInfo, b: CohortInfo, bPeriod: PeriodInfo): Prisma.Sql {
  return Prisma.sql`
    WITH a AS (SELECT DISTINCT s.person_id::text AS person_id FROM (${a.members(aPeriod)}) s),
         b AS (SELECT DISTINCT s.person_id::text AS person_id FROM (${b.members(bPeriod)}) s),
         u AS (
           SELECT COALESCE(a.person_id, b.person_id) AS person_id,
                  a.person_id IS NOT NULL AS in_a, b.person_id IS NOT NULL AS in_b
           FROM a FULL JOIN b ON a.person_id = b.person_id
         )
    SELECT d."parentCode" AS la_code, d.code AS district_code,
           (COUNT(*) FILTER (WHERE u.in_a))::int AS size_this,
           (COUNT(*) FILTER (WHERE u.in_b))::int AS size_other,
           (COUNT(*) FILTER (WHERE u.in_a AND u.in_b))::int AS in_both,
           COALESCE(SUM(u.rk) FILTER (WHERE u.in_a), 0)::float8 AS key_this,
           COALESCE(SUM(u.rk) FILTER (WHERE u.in_b), 0)::float8 AS key_other,
           COALESCE(SUM(u.rk) FILTER (WHERE u.in_a AND u.in_b), 0)::float8 AS key_both
    FROM (SELECT u.*, ${Prisma.raw(recordKeySql('u.person_id', 'NULL'))} AS rk FROM u) u
    JOIN "Person" p ON p.id = u.person_id
    JOIN "Area" d ON d.code = p."districtCode" AND d.level = 'DISTRICT'
    WHERE d."parentCode" IS NOT NULL
    GROUP BY d."parentCode", d.code`;
}
