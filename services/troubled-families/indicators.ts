// Troubled Families and Early Help indicators: how each is counted, as facts SQL for the reporting
// engine (one row per counted unit). Financial years throughout: the programme's claims, targets and the
// early help returns are all by financial year.

import { periodBounds } from '../../src/core/period-bounds.js';
import type { PeriodInfo } from '../../src/core/period-codes.js';
import type { IndicatorDefinition } from '../../src/core/reporting/types.js';
import { Prisma } from '../../src/generated/prisma/client.js';

/** Valid (never REJECTED) claims submitted in the period, one row per claim, in the family's district. */
export function validClaimsSql(period: PeriodInfo): Prisma.Sql {
  const { start, end } = periodBounds(period);
  return Prisma.sql`
    SELECT NULL::text AS person_id, f."districtCode" AS district_code, 1::numeric AS numerator, 1::numeric AS denominator
    FROM "PbrClaim" c JOIN "TroubledFamily" f ON f.id = c."familyId"
    WHERE c.status <> 'REJECTED' AND c."submittedOn" BETWEEN ${start} AND ${end}`;
}

export const TF_FAMILIES_ATTACHED: IndicatorDefinition = {
  code: 'TF_FAMILIES_ATTACHED',
  name: 'Troubled families attached',
  description:
    'Families attached to the Troubled Families programme (Phase Two, from April 2015) in the period, in the district where they were attached.',
  unit: 'COUNT',
  polarity: 'HIGH_IS_GOOD',
  decimalPlaces: 0,
  periodType: 'FINANCIAL_YEAR',
  // A family is not a person: no person breakdowns.
  dimensions: ['DISTRICT'],
  tables: ['TroubledFamily'],
  facts: (period) => {
    const { start, end } = periodBounds(period);
    return Prisma.sql`
      SELECT NULL::text AS person_id, f."districtCode" AS district_code, 1::numeric AS numerator, 1::numeric AS denominator
      FROM "TroubledFamily" f
      WHERE f."attachedOn" BETWEEN ${start} AND ${end}`;
  },
};

export const TF_CLAIMS: IndicatorDefinition = {
  code: 'TF_CLAIMS',
  name: 'Payment-by-results claims',
  description:
    'Valid payment-by-results claims (significant and sustained progress, or continuous employment) submitted in the financial year; rejected claims never count. Targets: the DCLG minimum and the council’s stretch target, per district and for the local authority.',
  unit: 'COUNT',
  polarity: 'HIGH_IS_GOOD',
  decimalPlaces: 0,
  periodType: 'FINANCIAL_YEAR',
  dimensions: ['DISTRICT'],
  tables: ['PbrClaim', 'TroubledFamily'],
  facts: validClaimsSql,
};

export const EH_OUTCOMES_ACHIEVED: IndicatorDefinition = {
  code: 'EH_OUTCOMES_ACHIEVED',
  name: 'Early help cases closed with outcomes achieved',
  description:
    'Percentage of intensive (unit) early help cases closed in the period that closed with outcomes achieved.',
  unit: 'PERCENT',
  polarity: 'HIGH_IS_GOOD',
  decimalPlaces: 1,
  periodType: 'FINANCIAL_YEAR',
  tables: ['EarlyHelpCase'],
  facts: (period) => {
    const { start, end } = periodBounds(period);
    return Prisma.sql`
      SELECT e."personId" AS person_id, e."districtCode" AS district_code,
        (e."closureReason" = 'OUTCOMES_ACHIEVED')::int::numeric AS numerator, 1::numeric AS denominator
      FROM "EarlyHelpCase" e
      WHERE e.intensive AND e."closedOn" BETWEEN ${start} AND ${end}`;
  },
};

export const EH_STEP_DOWN_SHARE: IndicatorDefinition = {
  code: 'EH_STEP_DOWN_SHARE',
  name: 'Early help cases opened as a step-down from social care',
  description:
    'Percentage of early help cases opened in the period that came as a step-down from specialist children’s services (social care).',
  unit: 'PERCENT',
  polarity: 'HIGH_IS_GOOD',
  decimalPlaces: 1,
  periodType: 'FINANCIAL_YEAR',
  tables: ['EarlyHelpCase'],
  facts: (period) => {
    const { start, end } = periodBounds(period);
    return Prisma.sql`
      SELECT e."personId" AS person_id, e."districtCode" AS district_code,
        e."stepDown"::int::numeric AS numerator, 1::numeric AS denominator
      FROM "EarlyHelpCase" e
      WHERE e."openedOn" BETWEEN ${start} AND ${end}`;
  },
};

export const EH_REREFERRAL_12M: IndicatorDefinition = {
  code: 'EH_REREFERRAL_12M',
  name: 'Early help re-referrals within 12 months',
  description:
    'Percentage of early help cases closed in the period for which the same child or young person had another early help case opened within 12 months of the closure. Closures in the last 12 months are not yet complete.',
  unit: 'PERCENT',
  polarity: 'LOW_IS_GOOD',
  decimalPlaces: 1,
  periodType: 'FINANCIAL_YEAR',
  tables: ['EarlyHelpCase'],
  facts: (period) => {
    const { start, end } = periodBounds(period);
    return Prisma.sql`
      SELECT e."personId" AS person_id, e."districtCode" AS district_code,
        EXISTS (
          SELECT 1 FROM "EarlyHelpCase" n
          WHERE n."personId" = e."personId" AND n.id <> e.id
            AND n."openedOn" >= e."closedOn" AND n."openedOn" <= (e."closedOn" + INTERVAL '12 months')::date
        )::int::numeric AS numerator,
        1::numeric AS denominator
      FROM "EarlyHelpCase" e
      WHERE e."closedOn" BETWEEN ${start} AND ${end}`;
  },
};

export const troubledFamiliesIndicators: IndicatorDefinition[] = [
  TF_FAMILIES_ATTACHED,
  TF_CLAIMS,
  EH_OUTCOMES_ACHIEVED,
  EH_STEP_DOWN_SHARE,
  EH_REREFERRAL_12M,
];
