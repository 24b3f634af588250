// The reporting engine's arithmetic, as pure functions (DESIGN.md "Reporting semantics"): value per unit,
// Wilson intervals, gaps and their significance, RAG against a target, direction of travel, rank and
// quartile, display formatting and the Figure { value | symbol } shape. No database, no GraphQL: service
// plugins, the CSV export and the GraphQL layer all call these, so every surface agrees.
import type { Dimension, EesSymbol, Group, Polarity, Unit } from './types.js';

/** z for a two-sided 95% interval. */
export const Z95 = 1.959964;
/** A gap is flagged `smallCohort` when either group has fewer people than this. */
export const SMALL_COHORT = 30;
/** Default amber tolerance: a miss within 5% of the target is AMBER. */
export const DEFAULT_AMBER_TOLERANCE = 0.05;

export interface Interval {
  lower: number;
  upper: number;
}

/** A reported number: exactly one of `value` / `symbol` is set; `formatted` is what a page shows. */
export interface Figure {
  value: number | null;
  symbol: EesSymbol | null;
  formatted: string;
}

export type TargetStatus = 'GREEN' | 'AMBER' | 'RED' | 'NO_TARGET';
export type Direction = 'IMPROVING' | 'WORSENING' | 'NO_CHANGE' | 'NOT_COMPARABLE';
export type Quartile = 'A' | 'B' | 'C' | 'D';

/** Units whose value is a proportion of a population (they get Wilson intervals and complement checks). */
export function isProportion(unit: Unit): boolean {
  return unit === 'PERCENT' || unit === 'RATE_PER_10K' || unit === 'RATE_PER_100K';
}

/** Multiplier from a proportion to the unit's scale (100 for percentages), or null for non-proportions. */
export function unitScale(unit: Unit): number | null {
  switch (unit) {
    case 'PERCENT':
      return 100;
    case 'RATE_PER_10K':
      return 10_000;
    case 'RATE_PER_100K':
      return 100_000;
    default:
      return null;
  }
}

/**
 * The indicator value from summed facts: 100·n/d (PERCENT), 10,000·n/d or 100,000·n/d (rates), n (COUNT),
 * n/d (SCORE, AVERAGE_POINTS: mean points). Null when the denominator is zero (nothing to divide by).
 */
export function unitValue(unit: Unit, numerator: number, denominator: number): number | null {
  if (unit === 'COUNT') return numerator;
  if (!(denominator > 0)) return null;
  const scale = unitScale(unit);
  return scale === null ? numerator / denominator : (scale * numerator) / denominator;
}

/** Wilson score interval for the proportion n/d, on the 0..1 scale; null when d is not positive. */
export function wilson(numerator: number, denominator: number, z = Z95): Interval | null {
  if (!(denominator > 0)) return null;
  const p = Math.min(Math.max(numerator / denominator, 0), 1);
  const z2 = z * z;
  const denom = 1 + z2 / denominator;
  const centre = (p + z2 / (2 * denominator)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / denominator + z2 / (4 * denominator * denominator));
  // At p = 0 or 1 the bound is exactly 0 or 1 (the formula leaves 1e-16 of rounding).
  return { lower: p === 0 ? 0 : Math.max(0, centre - half), upper: p === 1 ? 1 : Math.min(1, centre + half) };
}

/** Wilson 95% interval in the unit's scale (percentage points for PERCENT); null for non-proportion units. */
export function wilsonInUnit(unit: Unit, numerator: number, denominator: number): Interval | null {
  const scale = unitScale(unit);
  if (scale === null) return null;
  const w = wilson(numerator, denominator);
  return w && { lower: w.lower * scale, upper: w.upper * scale };
}

/** Rounds half away from zero at `dp` decimals, without binary artefacts (1.005 → 1.01). */
export function roundTo(value: number, dp: number): number {
  const sign = value < 0 ? -1 : 1;
  const abs = Math.abs(value);
  // Exponent arithmetic on the decimal text avoids 1.005 * 100 = 100.49999…; tiny/huge values are already exact.
  if (String(abs).includes('e')) return Math.round(value * 10 ** dp) / 10 ** dp;
  const shifted = Math.round(Number(`${abs}e${dp}`));
  return sign * Number(`${shifted}e-${dp}`) || 0;
}

const formatters = new Map<number, Intl.NumberFormat>();
/** `1234.5` → `1,234.5` at `dp` decimals (rounded half away from zero). */
export function formatNumber(value: number, dp: number): string {
  let f = formatters.get(dp);
  if (!f) {
    f = new Intl.NumberFormat('en-GB', { minimumFractionDigits: dp, maximumFractionDigits: dp });
    formatters.set(dp, f);
  }
  return f.format(roundTo(value, dp));
}

/** Display string of a value in its unit: `74.8%`, `1,304`, `45.2` (rates per 10,000 and scores are plain). */
export function formatValue(unit: Unit, dp: number, value: number): string {
  return unit === 'PERCENT' ? `${formatNumber(value, dp)}%` : formatNumber(value, dp);
}

/** Display string of a gap: percentage points for PERCENT (`12.3 pp`), else plain points. */
export function formatGap(unit: Unit, dp: number, value: number): string {
  return unit === 'PERCENT' ? `${formatNumber(value, dp)} pp` : formatNumber(value, dp);
}

/** Reads an EES symbol as stored or published; the legacy `k` is `low`. Unknown text is unavailable (`x`). */
export function normaliseSymbol(symbol: string): EesSymbol {
  const s = symbol.trim().toLowerCase();
  if (s === 'k') return 'low';
  if (s === 'c' || s === 'x' || s === 'z' || s === 'low' || s === 'u') return s;
  return 'x';
}

export function symbolFigure(symbol: EesSymbol): Figure {
  return { value: null, symbol, formatted: symbol };
}

export function valueFigure(unit: Unit, dp: number, value: number): Figure {
  return { value, symbol: null, formatted: formatValue(unit, dp, value) };
}

/** A count (numerator or denominator) as a figure: whole-number display. */
export function countFigure(count: number): Figure {
  return { value: count, symbol: null, formatted: formatNumber(count, Number.isInteger(count) ? 0 : 1) };
}

/**
 * The group each equality group is compared with in a gap (value(comparator) − value(group)). The first
 * seven are the contract; the reverse pairs let a page ask for either side.
 */
export const COMPARATOR: Record<Group, Group> = {
  FSM: 'NOT_FSM',
  ANY_SEN: 'NO_SEN',
  IN_CARE: 'NOT_IN_CARE',
  MALE: 'FEMALE',
  EAL: 'NOT_EAL',
  SEN_SUPPORT: 'NO_SEN',
  EHCP: 'NO_SEN',
  NOT_FSM: 'FSM',
  NO_SEN: 'ANY_SEN',
  NOT_IN_CARE: 'IN_CARE',
  FEMALE: 'MALE',
  NOT_EAL: 'EAL',
};

/** The breakdown dimension a group belongs to. */
export const GROUP_DIMENSION: Record<Group, Dimension> = {
  MALE: 'SEX',
  FEMALE: 'SEX',
  FSM: 'FSM',
  NOT_FSM: 'FSM',
  ANY_SEN: 'SEN_STATUS',
  NO_SEN: 'SEN_STATUS',
  SEN_SUPPORT: 'SEN_STATUS',
  EHCP: 'SEN_STATUS',
  IN_CARE: 'IN_CARE',
  NOT_IN_CARE: 'IN_CARE',
  EAL: 'EAL',
  NOT_EAL: 'EAL',
};

/** Gap in the unit's points (percentage points for PERCENT): value(comparator) − value(group). */
export function gapValue(comparatorValue: number, groupValue: number): number {
  return comparatorValue - groupValue;
}

/** True when two intervals do not overlap (touching ends count as overlapping); null when either is missing. */
export function significant(a: Interval | null, b: Interval | null): boolean | null {
  if (!a || !b) return null;
  return a.upper < b.lower || b.upper < a.lower;
}

/** Either group has fewer than 30 people (an absent group has none). */
export function smallCohort(peopleA: number | null, peopleB: number | null, minimum = SMALL_COHORT): boolean {
  return (peopleA ?? 0) < minimum || (peopleB ?? 0) < minimum;
}

// Comparisons at the displayed precision allow for binary noise in the thresholds (0.05 × 70 = 3.5000000000000004).
const EPS = 1e-9;

/**
 * RAG of a value against a target, by polarity, judged on the value as displayed (rounded to `dp`):
 * GREEN when met, AMBER when missed by no more than `amberTolerance` × |target|, RED otherwise.
 * NO_TARGET when there is no target, no value, or the indicator has no polarity to judge by.
 */
export function targetStatus(opts: {
  value: number | null;
  target: number | null;
  polarity: Polarity;
  decimalPlaces: number;
  amberTolerance?: number;
}): TargetStatus {
  const { value, target, polarity, decimalPlaces } = opts;
  if (value === null || target === null || polarity === 'NO_JUDGEMENT') return 'NO_TARGET';
  const v = roundTo(value, decimalPlaces);
  const tolerance = (opts.amberTolerance ?? DEFAULT_AMBER_TOLERANCE) * Math.abs(target);
  const shortfall = polarity === 'HIGH_IS_GOOD' ? target - v : v - target;
  if (shortfall <= EPS) return 'GREEN';
  if (shortfall <= tolerance + EPS) return 'AMBER';
  return 'RED';
}

/**
 * Direction of travel against the previous period of the same type. `change` is current − previous
 * (unrounded); NO_CHANGE when both are equal at the displayed precision; NOT_COMPARABLE when either is
 * missing, or when the indicator has no polarity (NO_JUDGEMENT: read `change` for the movement).
 */
export function directionOfTravel(opts: {
  current: number | null;
  previous: number | null;
  polarity: Polarity;
  decimalPlaces: number;
}): { change: number | null; direction: Direction } {
  const { current, previous, polarity, decimalPlaces } = opts;
  if (current === null || previous === null) return { change: null, direction: 'NOT_COMPARABLE' };
  const change = current - previous;
  if (roundTo(current, decimalPlaces) === roundTo(previous, decimalPlaces)) return { change, direction: 'NO_CHANGE' };
  if (polarity === 'NO_JUDGEMENT') return { change, direction: 'NOT_COMPARABLE' };
  const up = current > previous;
  return { change, direction: up === (polarity === 'HIGH_IS_GOOD') ? 'IMPROVING' : 'WORSENING' };
}

/**
 * Position of `value` among `all` (which includes it), 1 = best by polarity; values equal at the displayed
 * precision share the better position. Null without a value or a polarity.
 */
export function rankOf(
  value: number | null,
  all: number[],
  polarity: Polarity,
  decimalPlaces: number,
): { position: number; of: number } | null {
  if (value === null || polarity === 'NO_JUDGEMENT' || all.length === 0) return null;
  const v = roundTo(value, decimalPlaces);
  const better = all.filter((o) => {
    const r = roundTo(o, decimalPlaces);
    return polarity === 'HIGH_IS_GOOD' ? r > v : r < v;
  }).length;
  return { position: better + 1, of: all.length };
}

/**
 * Quartile band over every local authority with the figure (`all` includes this one): rank r of n falls in
 * band floor((r − 1) · 4 / n), A (best) to D. Ties share the better rank, so they share a band.
 */
export function quartileOf(value: number | null, all: number[], polarity: Polarity, decimalPlaces: number) {
  const rank = rankOf(value, all, polarity, decimalPlaces);
  if (!rank) return null;
  return (['A', 'B', 'C', 'D'] as const)[Math.min(3, Math.floor(((rank.position - 1) * 4) / rank.of))];
}

/** Mean of the neighbours' values (those that have one); null when none has. */
export function mean(values: number[]): number | null {
  return values.length ? values.reduce((s, v) => s + v, 0) / values.length : null;
}
