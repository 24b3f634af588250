// Disproportionality: how over- or under-represented a group of children is in a youth justice cohort,
// compared with the area's population aged 10 to 17. The relative rate index (RRI) of group g is
//
//   RRI = (a / A) / (b / B)
//
// with a the cohort members in g, A the cohort, b the population aged 10-17 in g and B that population
// (people in the store aged 10 to 17 on the first day of the period, in their home district, grouped by
// the same characteristics as every figure: those of the academic year containing the period's start).
// RRI > 1: the group is over-represented. Its 95% interval is the log (Katz) interval for a ratio of two
// proportions: ln RRI ± 1.959964 · sqrt(1/a − 1/A + 1/b − 1/B) (Katz D, Baptista J, Azen SP, Pike MC,
// "Obtaining confidence intervals for the risk ratio in cohort studies", Biometrics 34 (1978) 469–474),
// treating the cohort and the population as independent samples. The index is undefined when b is 0; the
// interval also when a is 0 or a = A (a share of 0% or 100% has no log interval).
//
// Disclosure control: the cohort's counts come from the core cohort figures, the population's from the
// engine's grouped statement over the people aged 10 to 17; under disclosure control every one is published
// by the cell key method (src/core/reporting/cell-key.ts), and shares, indexes and intervals are computed
// from the published counts only.
// Statements: one for the cohort and one for the population per cohort x period, whatever the area.
import type { Context } from '../../src/context.js';
import { cohortBreakdown, cohortSize } from '../../src/core/cohorts/figures.js';
import type { CohortInfo } from '../../src/core/cohorts/index.js';
import { periodBounds } from '../../src/core/period-bounds.js';
import type { PeriodInfo } from '../../src/core/period-codes.js';
import { publishedCount } from '../../src/core/reporting/disclosure.js';
import {
  countFigure,
  type Figure,
  formatNumber,
  symbolFigure,
  valueFigure,
  Z95,
} from '../../src/core/reporting/engine.js';
import { type Counts, DIMENSION_GROUPS, GROUP_LABELS, type PeriodFacts } from '../../src/core/reporting/facts.js';
import { storedFacts } from '../../src/core/reporting/snapshots.js';
import type { IndicatorDefinition } from '../../src/core/reporting/types.js';
import { Prisma } from '../../src/generated/prisma/client.js';
import type { RriDimension } from './enums.js';

/** The population aged 10 to 17 on the period's first day, as a COUNT for the engine (not in the catalogue). */
export const POPULATION_10_17: IndicatorDefinition = {
  code: 'YJ_POPULATION_10_17:PEOPLE',
  name: 'People aged 10 to 17 (records)',
  description: 'People in the store aged 10 to 17 on the first day of the period, in their home district.',
  unit: 'COUNT',
  polarity: 'NO_JUDGEMENT',
  decimalPlaces: 0,
  periodType: 'FINANCIAL_YEAR',
  tables: ['Person'],
  facts: (period) => {
    const { start } = periodBounds(period);
    // Birth months are first days of months: a person born on b is 10 on d when b <= d − 10 years.
    return Prisma.sql`
      SELECT p.id AS person_id, p."districtCode" AS district_code, 1::numeric AS numerator, 1::numeric AS denominator
      FROM "Person" p
      WHERE p."birthMonth" <= (${start} - INTERVAL '10 years')::date
        AND p."birthMonth" > (${start} - INTERVAL '18 years')::date`;
  },
};

/** The relative rate index and its Katz log interval; null bounds when a is 0 or the whole cohort. */
export function relativeRateIndex(a: number, A: number, b: number, B: number) {
  if (!(A > 0 && b > 0 && B > 0)) return null;
  const rri = a / A / (b / B);
  // A share of 0% or 100% of the cohort has no log interval (its variance term (1 − a/A)/a is 0 or undefined).
  if (!(a > 0) || a >= A) return { rri, lower: null, upper: null };
  const se = Math.sqrt(Math.max(0, 1 / a - 1 / A + 1 / b - 1 / B));
  return { rri, lower: rri * Math.exp(-Z95 * se), upper: rri * Math.exp(Z95 * se) };
}

export interface RelativeRate {
  code: string;
  label: string;
  cohortCount: Figure;
  cohortShare: Figure;
  populationCount: Figure;
  populationShare: Figure;
  rri: Figure;
  lower: number | null;
  upper: number | null;
  significant: boolean | null;
}

export interface Disproportionality {
  cohort: CohortInfo;
  period: PeriodInfo;
  areaCode: string;
  dimension: RriDimension;
  cohortSize: Figure;
  population: Figure;
  groups: RelativeRate[];
}

/** Stored and cached like every figure (src/core/reporting/snapshots.ts): computed once per write to Person. */
function populationFacts(ctx: Context, periodCode: string): Promise<PeriodFacts> {
  return storedFacts(ctx, POPULATION_10_17, periodCode);
}

const ratio = (n: number, d: number) => (d > 0 ? valueFigure('PERCENT', 1, (100 * n) / d) : symbolFigure('z'));

/** The relative rate index of every group of a dimension, for a cohort in an area (LA or district). */
export async function disproportionality(
  ctx: Context,
  cohort: CohortInfo,
  period: PeriodInfo,
  area: { areaCode: string; laCode: string },
  dimension: RriDimension,
): Promise<Disproportionality> {
  const ref = { cohort, period, ...area };
  const [size, breakdown, facts] = await Promise.all([
    cohortSize(ctx, ref),
    cohortBreakdown(ctx, ref, dimension),
    populationFacts(ctx, period.code),
  ]);
  const table = facts.tables.get(area.laCode);
  const zero: Counts = { numerator: 0, denominator: 0, people: 0 };
  const counts = table ? (area.areaCode === table.code ? table.la : table.districts.get(area.areaCode)) : undefined;
  const shown = (c: Counts) => (ctx.disclosureControl ? publishedCount(c.numerator, c.numeratorKey) : c.numerator);
  const B = shown(counts?.total ?? zero);
  const population = countFigure(B);
  const A = size.value;
  const groupsOfPopulation = counts?.groups.get(dimension);
  const codes = DIMENSION_GROUPS[dimension].filter(
    (code) => groupsOfPopulation?.has(code) || breakdown.some((g) => g.code === code),
  );
  const groups = codes.map((code): RelativeRate => {
    const inCohort = breakdown.find((g) => g.code === code);
    const cohortCount = inCohort ? inCohort.value : size.symbol ? symbolFigure(size.symbol) : countFigure(0);
    const b = shown(groupsOfPopulation?.get(code) ?? zero);
    const populationCount = countFigure(b);
    const a = cohortCount.value;
    const cohortShare = a === null || A === null ? symbolFigure('c') : ratio(Math.min(a, A), A);
    const populationShare = ratio(Math.min(b, B), B);
    const base = {
      code,
      label: inCohort?.label ?? GROUP_LABELS[code] ?? code,
      cohortCount,
      cohortShare,
      populationCount,
      populationShare,
    };
    if (cohortShare.symbol === 'c' || populationShare.symbol === 'c') {
      return { ...base, rri: symbolFigure('c'), lower: null, upper: null, significant: null };
    }
    const r = relativeRateIndex(Math.min(a as number, A as number), A as number, Math.min(b, B), B);
    if (!r) return { ...base, rri: symbolFigure('z'), lower: null, upper: null, significant: null };
    return {
      ...base,
      rri: { value: r.rri, symbol: null, formatted: formatNumber(r.rri, 2) },
      lower: r.lower,
      upper: r.upper,
      significant: r.lower === null || r.upper === null ? null : r.lower > 1 || r.upper < 1,
    };
  });
  return { cohort, period, areaCode: area.areaCode, dimension, cohortSize: size, population, groups };
}
