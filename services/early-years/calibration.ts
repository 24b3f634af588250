// Calibration helpers for the Early Years demo seed: solve a logit model so its expected group rates match
// published figures on the actual seeded population, and draw outcomes so realised totals equal expected
// ones (systematic sampling). Pure functions, deterministic given the Rng.
import type { Rng } from '../../src/core/plugin.js';

export const logistic = (x: number) => 1 / (1 + Math.exp(-x));

/** A unit with covariates (0/1) and its fixed offset on the logit scale. */
export interface Unit {
  x: number[];
  offset: number;
  /** How many people the unit stands for (a covariate pattern's count); 1 when left out. */
  n?: number;
}

/** A target: the rate of `num` units minus the rate of `den` units (or the rate of `num` when no `minus`). */
export interface RateTarget {
  value: number;
  /** Units counted by the first rate. */
  of: (u: number) => boolean;
  /** When set, the target is rate(of) − rate(minus). */
  minus?: (u: number) => boolean;
}

function rate(p: number[], w: number[] | null, pick: (i: number) => boolean): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < p.length; i++) {
    if (pick(i)) {
      if (w) {
        s += w[i] * p[i];
        n += w[i];
      } else {
        s += p[i];
        n++;
      }
    }
  }
  return n ? s / n : 0;
}

function statistic(p: number[], w: number[] | null, t: RateTarget): number {
  return t.minus ? rate(p, w, t.of) - rate(p, w, t.minus) : rate(p, w, t.of);
}

function solveLinear(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) pivot = r;
    [m[c], m[pivot]] = [m[pivot], m[c]];
    if (Math.abs(m[c][c]) < 1e-12) throw new Error('calibration: singular system (a target has no units)');
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  return m.map((row, i) => row[n] / row[i]);
}

/**
 * Finds coefficients β (one per covariate, covariate 0 usually the constant) such that, with
 * p = logistic(offset + β·x), each target statistic equals its value. Newton's method, numerical Jacobian.
 */
export function solveLogit(units: Unit[], targets: RateTarget[], start?: number[]): number[] {
  const k = targets.length;
  const w = units.some((u) => u.n !== undefined) ? units.map((u) => u.n ?? 1) : null;
  let beta = start ?? new Array(k).fill(0);
  const probs = (b: number[]) => units.map((u) => logistic(u.offset + u.x.reduce((s, x, j) => s + x * b[j], 0)));
  for (let iter = 0; iter < 50; iter++) {
    const p = probs(beta);
    const f = targets.map((t) => statistic(p, w, t) - t.value);
    if (Math.max(...f.map(Math.abs)) < 1e-7) break;
    const jac = targets.map(() => new Array(k).fill(0));
    for (let j = 0; j < k; j++) {
      const h = 1e-5;
      const b2 = [...beta];
      b2[j] += h;
      const p2 = probs(b2);
      targets.forEach((t, i) => {
        jac[i][j] = (statistic(p2, w, t) - t.value - f[i]) / h;
      });
    }
    let step: number[];
    try {
      step = solveLinear(
        jac,
        f.map((v) => -v),
      );
    } catch {
      break; // a target the covariates cannot move (tiny demo): keep the best so far
    }
    if (step.some((v) => !Number.isFinite(v))) break;
    // Damped: the logit surface is flat far from the answer.
    const scale = Math.min(1, 2 / Math.max(...step.map(Math.abs)));
    beta = beta.map((b, j) => b + scale * step[j]);
  }
  return beta;
}

/** Fisher–Yates shuffle (in place) with the seed's Rng. */
export function shuffle<T>(rng: Rng, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/**
 * Systematic sampling: draws an outcome per item with probability p(item) such that the number of
 * successes is the expected number rounded (up or down at random), not a binomial draw around it. Items
 * are taken in random order, so who succeeds stays random.
 */
export function systematicDraw<T>(rng: Rng, items: T[], p: (item: T) => number): Map<T, boolean> {
  return new SystematicDraws().draw(rng, '', items, p);
}

/**
 * Systematic draws continued over batches (pages of people), one running total per key (a stratum): the
 * first batch of a key starts it at a random point, later batches go on from where the last one ended.
 * Over all the batches a key's successes are its expected number rounded (up or down at random), as one
 * draw over everyone would give; within a batch, items are taken in random order. With a single batch this
 * is `systematicDraw`, draw for draw.
 */
export class SystematicDraws {
  private readonly totals = new Map<string, number>();

  draw<T>(rng: Rng, key: string, items: T[], p: (item: T) => number): Map<T, boolean> {
    const out = new Map<T, boolean>();
    let acc = this.totals.get(key) ?? rng.next();
    for (const item of shuffle(rng, [...items])) {
      const before = Math.floor(acc);
      acc += p(item);
      out.set(item, Math.floor(acc) > before);
    }
    this.totals.set(key, acc);
    return out;
  }
}
