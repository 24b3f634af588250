// The attacker's solver, written independently of the engine: integer unknowns with bounds, linear
// equalities between them, and interval propagation to a fixed point (each equality bounds each of its
// unknowns by the others' bounds; bounds are rounded inwards to whole numbers). What it pins is implied by
// what was published and by the arithmetic an attacker knows holds (sums, the same people in two tables,
// integer counts, a listed group has somebody in it).

export interface System {
  names: string[];
  lo: number[];
  hi: number[];
  /** Whole numbers (bounds round inwards), or not (averages of monthly counts: NEET). */
  integer: boolean[];
  /** Σ coefficient · unknown = constant. */
  equalities: { terms: [number, number][]; constant: number }[];
}

export class Builder {
  private index = new Map<string, number>();
  readonly system: System = { names: [], lo: [], hi: [], integer: [], equalities: [] };

  /** The unknown named `name` (created unbounded below at 0 on first use). */
  unknown(name: string): number {
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.system.names.length;
      this.index.set(name, i);
      this.system.names.push(name);
      this.system.lo.push(0);
      this.system.hi.push(Number.POSITIVE_INFINITY);
      this.system.integer.push(true);
    }
    return i;
  }

  /** Marks the unknown as not necessarily whole. */
  fractional(name: string): void {
    this.system.integer[this.unknown(name)] = false;
  }

  has(name: string): boolean {
    return this.index.has(name);
  }

  /** Intersects the unknown's bounds with [lo, hi]. */
  bound(name: string, lo: number, hi: number): void {
    const i = this.unknown(name);
    this.system.lo[i] = Math.max(this.system.lo[i], lo);
    this.system.hi[i] = Math.min(this.system.hi[i], hi);
  }

  /** Σ coefficient · named unknown = constant. */
  equal(terms: [string, number][], constant = 0): void {
    const merged = new Map<number, number>();
    for (const [name, c] of terms) {
      const i = this.unknown(name);
      merged.set(i, (merged.get(i) ?? 0) + c);
    }
    const t = [...merged].filter(([, c]) => c !== 0);
    if (t.length) this.system.equalities.push({ terms: t, constant });
  }
}

/** Propagates bounds to a fixed point; returns the tightened bounds (the input is not changed). */
export function propagate(system: System, maxSteps = 5_000_000): { lo: number[]; hi: number[] } {
  const lo = [...system.lo];
  const hi = [...system.hi];
  const byUnknown: number[][] = system.names.map(() => []);
  system.equalities.forEach((e, k) => {
    for (const [i] of e.terms) byUnknown[i].push(k);
  });
  const queued = new Uint8Array(system.equalities.length).fill(1);
  const queue = system.equalities.map((_, k) => k);
  let steps = 0;
  while (queue.length && steps++ < maxSteps) {
    const k = queue.shift()!;
    queued[k] = 0;
    const { terms, constant } = system.equalities[k];
    // Each term's range, and the sums of the finite parts and the count of infinite ends.
    let minSum = 0;
    let maxSum = 0;
    let minInf = 0;
    let maxInf = 0;
    const ranges = terms.map(([i, c]) => {
      const a = c > 0 ? c * lo[i] : c * hi[i];
      const b = c > 0 ? c * hi[i] : c * lo[i];
      if (Number.isFinite(a)) minSum += a;
      else minInf++;
      if (Number.isFinite(b)) maxSum += b;
      else maxInf++;
      return [a, b];
    });
    terms.forEach(([i, c], j) => {
      const [a, b] = ranges[j];
      // c·x = constant − Σ others ∈ [constant − othersMax, constant − othersMin].
      const ownMin = Number.isFinite(a) ? a : 0;
      const ownMax = Number.isFinite(b) ? b : 0;
      const othersMin = minInf - (Number.isFinite(a) ? 0 : 1) > 0 ? Number.NEGATIVE_INFINITY : minSum - ownMin;
      const othersMax = maxInf - (Number.isFinite(b) ? 0 : 1) > 0 ? Number.POSITIVE_INFINITY : maxSum - ownMax;
      const low = constant - othersMax;
      const high = constant - othersMin;
      let newLo = c > 0 ? low / c : high / c;
      let newHi = c > 0 ? high / c : low / c;
      if (system.integer[i]) {
        newLo = Number.isFinite(newLo) ? Math.ceil(newLo - 1e-9) : newLo;
        newHi = Number.isFinite(newHi) ? Math.floor(newHi + 1e-9) : newHi;
      }
      let changed = false;
      // Real unknowns: only tightenings that matter (no endless creeping by rounding noise).
      const eps = system.integer[i] ? 0 : 1e-6;
      if (newLo > lo[i] + eps) {
        lo[i] = newLo;
        changed = true;
      }
      if (newHi < hi[i] - eps) {
        hi[i] = newHi;
        changed = true;
      }
      if (changed) {
        for (const other of byUnknown[i]) {
          if (!queued[other]) {
            queued[other] = 1;
            queue.push(other);
          }
        }
      }
    });
  }
  return { lo, hi };
}
