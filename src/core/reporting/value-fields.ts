// The fields of an IndicatorValue (indicator x area x period), for GraphQL, service plugins' Area fields and
// the CSV export alike: every figure is derived lazily from the area's figures (area-figures.ts).
import type { Context } from '../../context.js';
import type { Target } from '../../generated/prisma/client.js';
import { previousPeriodCode } from '../period-codes.js';
import { areaFigures, type Cell, type FigureSource } from './area-figures.js';
import { cellDenominator, cellInterval, cellNumerator, cellValue, shownValue } from './cell-figures.js';
import { areaDirectory, periodDirectory } from './directories.js';
import {
  COMPARATOR,
  type Direction,
  directionOfTravel,
  type Figure,
  formatGap,
  GROUP_DIMENSION,
  gapValue,
  type Interval,
  mean,
  type Quartile,
  quartileOf,
  rankOf,
  significant,
  smallCohort,
  symbolFigure,
  type TargetStatus,
  targetStatus,
  valueFigure,
} from './engine.js';
import { GROUP_LABELS, type PersonDimension } from './facts.js';
import type { IndicatorInfo, IndicatorValueRef } from './indicator-types.js';
import { periodFacts, periodObservations, periodTargets } from './period-loaders.js';
import type { Dimension, Group } from './types.js';
import { GROUPS } from './types.js';

export const figuresOf = (ctx: Context, ref: IndicatorValueRef) =>
  areaFigures(ctx, ref.indicator, ref.areaCode, ref.periodCode);

export async function valueFigureOf(ctx: Context, ref: IndicatorValueRef): Promise<Figure> {
  return cellValue(ref.indicator, (await figuresOf(ctx, ref))?.total);
}

export async function sourceOf(ctx: Context, ref: IndicatorValueRef): Promise<FigureSource | null> {
  return (await figuresOf(ctx, ref))?.source ?? null;
}

export async function numeratorOf(ctx: Context, ref: IndicatorValueRef): Promise<Figure | null> {
  return cellNumerator((await figuresOf(ctx, ref))?.total);
}

export async function denominatorOf(ctx: Context, ref: IndicatorValueRef): Promise<Figure | null> {
  return cellDenominator((await figuresOf(ctx, ref))?.total);
}

export async function intervalOf(ctx: Context, ref: IndicatorValueRef): Promise<Interval | null> {
  return cellInterval(ref.indicator, (await figuresOf(ctx, ref))?.total);
}

const TARGET_PRIORITY = ['TARGET', 'MINIMUM', 'STRETCH'] as const;

/** The target judged against: the area's TARGET, else its MINIMUM, else its STRETCH for the period. */
export async function targetOf(ctx: Context, ref: IndicatorValueRef): Promise<Target | null> {
  const targets = (await periodTargets(ctx, ref.indicator.code, ref.periodCode)).get(ref.areaCode) ?? [];
  for (const kind of TARGET_PRIORITY) {
    const t = targets.find((x) => x.kind === kind);
    if (t) return t;
  }
  return null;
}

export async function statusOf(ctx: Context, ref: IndicatorValueRef): Promise<TargetStatus> {
  const [figures, target] = await Promise.all([figuresOf(ctx, ref), targetOf(ctx, ref)]);
  return targetStatus({
    value: shownValue(ref.indicator, figures?.total),
    target: target?.value ?? null,
    polarity: ref.indicator.polarity,
    decimalPlaces: ref.indicator.decimalPlaces,
    amberTolerance: ref.indicator.amberTolerance,
  });
}

/** The same indicator and area in the previous period of the same type, when that period has a figure. */
export async function previousOf(ctx: Context, ref: IndicatorValueRef): Promise<IndicatorValueRef | null> {
  const periodCode = previousPeriodCode(ref.periodCode);
  const periods = await periodDirectory(ctx);
  if (!periods.byCode.has(periodCode)) return null;
  const previous = { ...ref, periodCode };
  return (await figuresOf(ctx, previous)) ? previous : null;
}

export async function trendOf(
  ctx: Context,
  ref: IndicatorValueRef,
): Promise<{ change: number | null; direction: Direction }> {
  const [figures, previous] = await Promise.all([figuresOf(ctx, ref), previousOf(ctx, ref)]);
  const previousFigures = previous ? await figuresOf(ctx, previous) : null;
  return directionOfTravel({
    current: shownValue(ref.indicator, figures?.total),
    previous: shownValue(ref.indicator, previousFigures?.total),
    polarity: ref.indicator.polarity,
    decimalPlaces: ref.indicator.decimalPlaces,
  });
}

/** The national (England) published figure; null when none is stored. */
export async function nationalOf(ctx: Context, ref: IndicatorValueRef): Promise<Figure | null> {
  const { national } = await areaDirectory(ctx);
  if (!national) return null;
  const figures = await areaFigures(ctx, ref.indicator, national, ref.periodCode);
  return figures ? cellValue(ref.indicator, figures.total) : null;
}

async function laValues(ctx: Context, ref: IndicatorValueRef, codes: string[]): Promise<number[]> {
  const figures = await Promise.all(codes.map((c) => areaFigures(ctx, ref.indicator, c, ref.periodCode)));
  return figures.flatMap((f) => {
    const v = shownValue(ref.indicator, f?.total);
    return v === null ? [] : [v];
  });
}

/** Benchmarks are for local authorities: the LA, its neighbours, and the other LAs. */
async function benchmarkBase(ctx: Context, ref: IndicatorValueRef) {
  const areas = await areaDirectory(ctx);
  const area = areas.byCode.get(ref.areaCode);
  if (area?.level !== 'LOCAL_AUTHORITY') return null;
  const figures = await figuresOf(ctx, ref);
  return { areas, area, value: shownValue(ref.indicator, figures?.total) };
}

/** Mean of the statistical neighbours' figures (simple mean of those that have one). */
export async function neighbourAverageOf(ctx: Context, ref: IndicatorValueRef): Promise<Figure | null> {
  const base = await benchmarkBase(ctx, ref);
  if (!base) return null;
  const m = mean(await laValues(ctx, ref, base.area.neighbours));
  return m === null ? null : valueFigure(ref.indicator.unit, ref.indicator.decimalPlaces, m);
}

/** Position among the LA and its statistical neighbours (1 = best by polarity). */
export async function rankOfValue(
  ctx: Context,
  ref: IndicatorValueRef,
): Promise<{ position: number; of: number } | null> {
  const base = await benchmarkBase(ctx, ref);
  if (!base || base.value === null) return null;
  const others = await laValues(ctx, ref, base.area.neighbours);
  return rankOf(base.value, [base.value, ...others], ref.indicator.polarity, ref.indicator.decimalPlaces);
}

/** Quartile band among every local authority with the figure (records for covered LAs, else published). */
export async function quartileOfValue(ctx: Context, ref: IndicatorValueRef): Promise<Quartile | null> {
  const base = await benchmarkBase(ctx, ref);
  if (!base || base.value === null) return null;
  const [facts, observations] = await Promise.all([
    periodFacts(ctx, ref.indicator, ref.periodCode),
    periodObservations(ctx, ref.indicator.code, ref.periodCode),
  ]);
  const codes = new Set([...(facts?.tables.keys() ?? []), ...observations.keys()]);
  const las = [...codes].filter((c) => c !== ref.areaCode && base.areas.byCode.get(c)?.level === 'LOCAL_AUTHORITY');
  const others = await laValues(ctx, ref, las);
  return quartileOf(base.value, [base.value, ...others], ref.indicator.polarity, ref.indicator.decimalPlaces);
}

export interface GroupValueData {
  group: Group | null;
  code: string;
  label: string;
  value: Figure;
  numerator: Figure | null;
  denominator: Figure | null;
  ci95: Interval | null;
}

/** Dimensions this indicator can be broken down by. */
export function dimensionsOf(indicator: IndicatorInfo): readonly Dimension[] {
  return indicator.dimensions ?? ['SEX', 'FSM', 'SEN_STATUS', 'IN_CARE', 'EAL', 'ETHNICITY_MAJOR', 'DISTRICT'];
}

/** The value for each group of a dimension (for DISTRICT: each district of the area, by name). */
export async function breakdownOf(
  ctx: Context,
  ref: IndicatorValueRef,
  dimension: Dimension,
): Promise<GroupValueData[]> {
  const [figures, areas] = await Promise.all([
    areaFigures(ctx, ref.indicator, ref.areaCode, ref.periodCode, dimension === 'DISTRICT' ? [] : [dimension]),
    areaDirectory(ctx),
  ]);
  if (!figures) return [];
  const entries =
    dimension === 'DISTRICT'
      ? figures.districts().map((d) => ({ ...d, label: areas.byCode.get(d.code)?.name ?? d.code }))
      : figures.groups(dimension).map((g) => ({ ...g, label: GROUP_LABELS[g.code] ?? g.code }));
  return entries.map(({ code, cell, label }) => ({
    group: (GROUPS as readonly string[]).includes(code) ? (code as Group) : null,
    code,
    label,
    value: cellValue(ref.indicator, cell),
    numerator: cellNumerator(cell),
    denominator: cellDenominator(cell),
    ci95: cellInterval(ref.indicator, cell),
  }));
}

export interface GapData {
  group: Group;
  comparator: Group;
  value: Figure;
  national: Figure | null;
  significant: boolean | null;
  smallCohort: boolean;
}

function gapFigure(indicator: IndicatorInfo, groupCell: Cell | undefined, comparatorCell: Cell | undefined): Figure {
  const a = shownValue(indicator, groupCell);
  const b = shownValue(indicator, comparatorCell);
  if (a !== null && b !== null) {
    const v = gapValue(b, a);
    return { value: v, symbol: null, formatted: formatGap(indicator.unit, indicator.decimalPlaces, v) };
  }
  // A gap is confidential when either side is; otherwise it cannot be given (a side has no value).
  const suppressed = [groupCell, comparatorCell].some((c) => c && !c.symbol && cellValue(indicator, c).symbol === 'c');
  const published = [groupCell, comparatorCell].find((c) => c?.symbol)?.symbol;
  return symbolFigure(suppressed ? 'c' : (published ?? 'x'));
}

/** Gap for a group against its complement; null when the area has neither group. */
export async function gapOf(ctx: Context, ref: IndicatorValueRef, group: Group): Promise<GapData | null> {
  const dimension = GROUP_DIMENSION[group] as PersonDimension;
  const comparator = COMPARATOR[group];
  const figures = await areaFigures(ctx, ref.indicator, ref.areaCode, ref.periodCode, [dimension]);
  const g = figures?.group(dimension, group);
  const c = figures?.group(dimension, comparator);
  if (!g && !c) return null;
  const { national: nationalCode } = await areaDirectory(ctx);
  const national = nationalCode
    ? await areaFigures(ctx, ref.indicator, nationalCode, ref.periodCode, [dimension])
    : null;
  const ng = national?.group(dimension, group);
  const nc = national?.group(dimension, comparator);
  const nationalGap = ng && nc ? gapFigure(ref.indicator, ng, nc) : null;
  const value = gapFigure(ref.indicator, g, c);
  return {
    group,
    comparator,
    value,
    national: nationalGap,
    significant:
      value.value === null ? null : significant(cellInterval(ref.indicator, g), cellInterval(ref.indicator, c)),
    smallCohort: smallCohort(g?.people ?? g?.denominator ?? null, c?.people ?? c?.denominator ?? null),
  };
}
