// Disclosure control for figures computed from records: one model for everything PUBLIC and PARTNER read
// (indicator values, numerators, denominators, breakdowns, gaps, intervals, trends, ranks, cohort sizes,
// breakdowns and overlaps, disproportionality, every period, the CSV export). Every count of people is
// published through the cell key method (cell-key.ts): count + the perturbation its cell key selects, never
// from 1 to threshold − 1, the same for the same people wherever they are counted. Everything else is
// computed from published counts only (a rate from the published numerator and denominator, its interval,
// gaps, RAG, trends, ranks), and a total is a cell of its own, perturbed by its own key, never a sum of
// published cells. Analysts see exact figures; published Observations are shown as published.
import { perturb } from './cell-key.js';
import { unitValue } from './engine.js';
import type { Counts } from './facts.js';
import type { EesSymbol, Unit } from './types.js';

export const DEFAULT_SUPPRESS_BELOW = 5;

/** The disclosure threshold: no count from 1 to threshold − 1 is published. From CYPE_SUPPRESS_BELOW (default 5). */
export function suppressBelow(env: Record<string, string | undefined> = process.env): number {
  const raw = env.CYPE_SUPPRESS_BELOW;
  if (raw === undefined || raw.trim() === '') return DEFAULT_SUPPRESS_BELOW;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(
      `CYPE_SUPPRESS_BELOW must be a whole number of at least 1 (counts below it are never published); got "${raw}"`,
    );
  }
  return n;
}

/** A count that would identify people: more than none, fewer than the threshold. */
export function isDisclosive(count: number, threshold: number): boolean {
  return count > 0 && count < threshold;
}

/** A published count of people: perturbed by its cell key (cell-key.ts). */
export function publishedCount(count: number, key: number | undefined, threshold = suppressBelow()): number {
  return perturb(count, key ?? 0, threshold);
}

/** Published counts of a cell: what may be shown, and from what its value is computed. */
export interface DisclosedCell {
  numerator: number | null;
  denominator: number | null;
  /** People in the cell as published (the denominator, or the count): for `smallCohort`. */
  people: number | null;
  value: number | null;
  symbol: EesSymbol | null;
  /** Never set by perturbation (kept for the Cell shape): a count is published perturbed, not hidden. */
  hiddenNumerator: boolean;
  hiddenDenominator: boolean;
}

/** A mean of points is shown only over at least this many published people (times the threshold). */
const MEAN_MINIMUM = 2;

/**
 * The published figures of one cell of an indicator of `unit`: each count perturbed by its own cell key,
 * the value from those. A proportion's published numerator may exceed its published denominator (both are
 * perturbed); the value is then 100%. A cell whose people publish as 0 has no value: `c` when someone is in
 * it (a listed group, a district with records: already known to be non-empty), `z` when no one is.
 * Means of points (SCORE, AVERAGE_POINTS) are magnitudes, not counts: the sum is never shown (null), the mean only
 * over a published denominator of at least twice the threshold.
 */
export function disclosedCell(unit: Unit, counts: Counts, threshold = suppressBelow()): DisclosedCell {
  if (unit === 'COUNT') {
    const n = perturb(counts.numerator, counts.numeratorKey ?? 0, threshold);
    return {
      numerator: n,
      denominator: null,
      people: n,
      value: n,
      symbol: null,
      hiddenNumerator: false,
      hiddenDenominator: false,
    };
  }
  const d = perturb(counts.denominator, counts.denominatorKey ?? 0, threshold);
  const empty = !(counts.denominator > 0);
  if (unit === 'SCORE' || unit === 'AVERAGE_POINTS') {
    const shown = d >= MEAN_MINIMUM * threshold;
    return {
      numerator: null,
      denominator: d,
      people: d,
      value: shown ? unitValue(unit, counts.numerator, counts.denominator) : null,
      symbol: shown || empty ? null : 'c',
      hiddenNumerator: false,
      hiddenDenominator: false,
    };
  }
  const n = perturb(counts.numerator, counts.numeratorKey ?? 0, threshold);
  return {
    numerator: n,
    denominator: d,
    people: d,
    value: d > 0 ? unitValue(unit, unit === 'PERCENT' ? Math.min(n, d) : n, d) : null,
    symbol: d === 0 && !empty ? 'c' : null,
    hiddenNumerator: false,
    hiddenDenominator: false,
  };
}
