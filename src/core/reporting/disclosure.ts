// Disclosure control (small-number suppression) for figures computed from records, as pure functions.
// Primary: a numerator, denominator or complement (denominator − numerator) from 1 to threshold − 1
// (CYPE_SUPPRESS_BELOW, default 5) hides that count, and with it the value, the CI and every gap using it.
// Secondary: a hidden count must not be recoverable by arithmetic on what is shown. The figures of one LA
// (its total, each district, every breakdown group of both, the derived ANY_SEN group) are linked by sums
// (an area's groups add up to its total; the districts add up to the LA). Complementary pairs are hidden
// together (FSM/NOT_FSM…); then, while elimination over those sums can still compute a hidden count from
// shown ones, one more cell of that derivation is hidden: for a dimension's row that is the next smallest
// group, as the rule says; margins (totals) only as a last resort. Decisions cover the whole table, not the
// fields a query happens to ask for, so two differently-shaped queries cannot be combined to undo them.
import { anySen, DIMENSION_GROUPS, type LaTable, type PersonDimension, personDimensions } from './facts.js';
import type { IndicatorDefinition, Unit } from './types.js';

export const DEFAULT_SUPPRESS_BELOW = 5;

/** The suppression threshold: counts from 1 to threshold − 1 are hidden. From CYPE_SUPPRESS_BELOW (default 5). */
export function suppressBelow(env: Record<string, string | undefined> = process.env): number {
  const raw = env.CYPE_SUPPRESS_BELOW;
  if (raw === undefined || raw.trim() === '') return DEFAULT_SUPPRESS_BELOW;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(
      `CYPE_SUPPRESS_BELOW must be a whole number of at least 1 (counts below it are hidden); got "${raw}"`,
    );
  }
  return n;
}

/**
 * Memoises what is derived from a table of raw counts for the current threshold: tables may be shared by
 * many requests (the result cache), and so is what they hide, computed once per table and threshold.
 */
export function perTableAndThreshold<T extends object, V>(): (table: T, derive: (threshold: number) => V) => V {
  const memo = new WeakMap<T, Map<number, V>>();
  return (table, derive) => {
    const threshold = suppressBelow();
    let byThreshold = memo.get(table);
    if (!byThreshold) {
      byThreshold = new Map();
      memo.set(table, byThreshold);
    }
    let v = byThreshold.get(threshold);
    if (v === undefined) {
      v = derive(threshold);
      byThreshold.set(threshold, v);
    }
    return v;
  };
}

/** A count that would identify people: more than none, fewer than the threshold. */
export function isDisclosive(count: number, threshold: number): boolean {
  return count > 0 && count < threshold;
}

/** Which of a cell's numbers are counts of people, and so subject to the rule, for each unit. */
export function countedParts(unit: Unit): { numerator: boolean; denominator: boolean; complement: boolean } {
  switch (unit) {
    case 'COUNT':
      return { numerator: true, denominator: false, complement: false };
    case 'SCORE':
    case 'AVERAGE_POINTS':
      // The numerator is a sum of points; the denominator is the people scored.
      return { numerator: false, denominator: true, complement: false };
    default:
      return { numerator: true, denominator: true, complement: true };
  }
}

/** Σ coefficient·cell = 0 over the named cells. */
export interface LinearConstraint {
  terms: { key: string; coefficient: number }[];
}

export interface ProtectionTable {
  cells: Map<string, { numerator: number; denominator: number }>;
  constraints: LinearConstraint[];
  /** Complementary pairs: when either side is hidden, so is the other. */
  pairs: [string, string][];
  /** Margins: hidden as a secondary only when no group cell can protect. */
  totals: Set<string>;
}

export interface Protection {
  hiddenNumerator: Set<string>;
  hiddenDenominator: Set<string>;
}

const TOLERANCE = 1e-9;

/** A hidden cell the shown cells still determine, and the shown cells its derivation uses. */
export interface Leak {
  key: string;
  revealedBy: string[];
}

/**
 * Hidden cells whose value the constraints still determine (given every shown cell). A cell is determined
 * exactly when its unit vector lies in the row space of the constraints restricted to hidden cells, i.e.
 * when some row of the reduced row echelon form has that cell as its only non-zero entry. The elimination
 * also tracks which constraints that row combines, so each leak names the shown cells it is computed from:
 * hiding any one of them breaks that derivation.
 */
export function findLeaks(constraints: LinearConstraint[], hidden: Set<string>): Leak[] {
  // Sums that share no hidden cell cannot combine: eliminate each connected group on its own.
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let r = k;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(k, r);
    return r;
  };
  const involved = constraints.filter((c) => c.terms.some((t) => hidden.has(t.key)));
  for (const c of involved) {
    let root: string | undefined;
    for (const t of c.terms) {
      if (!hidden.has(t.key)) continue;
      if (!parent.has(t.key)) parent.set(t.key, t.key);
      const r = find(t.key);
      if (root === undefined) root = r;
      else if (r !== root) parent.set(r, root);
    }
  }
  const groups = new Map<string, LinearConstraint[]>();
  for (const c of involved) {
    const root = find(c.terms.find((t) => hidden.has(t.key))!.key);
    groups.set(root, [...(groups.get(root) ?? []), c]);
  }
  return [...groups.values()].flatMap((group) => leaksIn(group, hidden));
}

function leaksIn(used: LinearConstraint[], hidden: Set<string>): Leak[] {
  const columns = [...new Set(used.flatMap((c) => c.terms.map((t) => t.key)).filter((k) => hidden.has(k)))].sort();
  const index = new Map(columns.map((k, i) => [k, i]));
  const width = columns.length;
  // Each row: coefficients on hidden cells, then the combination of original constraints it stands for.
  const rows = used.map((c, r) => {
    const row = new Float64Array(width + used.length);
    for (const t of c.terms) {
      const i = index.get(t.key);
      if (i !== undefined) row[i] += t.coefficient;
    }
    row[width + r] = 1;
    return row;
  });
  let pivotRow = 0;
  for (let col = 0; col < width && pivotRow < rows.length; col++) {
    let best = pivotRow;
    for (let r = pivotRow + 1; r < rows.length; r++) {
      if (Math.abs(rows[r][col]) > Math.abs(rows[best][col])) best = r;
    }
    if (Math.abs(rows[best][col]) < TOLERANCE) continue;
    [rows[pivotRow], rows[best]] = [rows[best], rows[pivotRow]];
    const p = rows[pivotRow];
    const scale = p[col];
    for (let j = col; j < p.length; j++) p[j] /= scale;
    for (let r = 0; r < rows.length; r++) {
      if (r === pivotRow) continue;
      const f = rows[r][col];
      if (Math.abs(f) < TOLERANCE) continue;
      const row = rows[r];
      for (let j = col; j < row.length; j++) row[j] -= f * p[j];
    }
    pivotRow++;
  }
  const leaks: Leak[] = [];
  for (let r = 0; r < pivotRow; r++) {
    const row = rows[r];
    let only = -1;
    let count = 0;
    for (let j = 0; j < width; j++) {
      if (Math.abs(row[j]) > TOLERANCE) {
        only = j;
        count++;
      }
    }
    if (count !== 1) continue;
    const net = new Map<string, number>();
    for (let i = 0; i < used.length; i++) {
      const lambda = row[width + i];
      if (Math.abs(lambda) < TOLERANCE) continue;
      for (const t of used[i].terms) {
        if (!index.has(t.key)) net.set(t.key, (net.get(t.key) ?? 0) + lambda * t.coefficient);
      }
    }
    const revealedBy = [...net].filter(([, v]) => Math.abs(v) > TOLERANCE).map(([k]) => k);
    leaks.push({ key: columns[only], revealedBy });
  }
  return leaks;
}

/**
 * Secondary suppression on one system (numerators or denominators): while some hidden cell can be
 * computed from shown ones, hide the best cell of its derivation. Best = not a margin; then one whose
 * other sums already hold a hidden cell (it closes a rectangle instead of opening a new leak), never a
 * group that merely equals its area's total; then non-zero; then the smallest.
 */
export function protectLinear(table: ProtectionTable, value: (key: string) => number, hidden: Set<string>): void {
  const byKey = new Map<string, LinearConstraint[]>();
  for (const c of table.constraints) {
    for (const t of c.terms) {
      const list = byKey.get(t.key) ?? [];
      list.push(c);
      byKey.set(t.key, list);
    }
  }
  // 0: closes a rectangle; 1: leaves one of its sums with it as the only hidden cell (more must follow);
  // 2: would sit alone in a sum beside margins only (a group equal to its total): hiding it achieves nothing.
  const cost = (k: string) => {
    let worst = 0;
    for (const c of byKey.get(k) ?? []) {
      const others = c.terms.filter((t) => t.key !== k);
      if (others.some((t) => hidden.has(t.key))) continue;
      worst = Math.max(worst, others.every((t) => table.totals.has(t.key)) ? 2 : 1);
    }
    return worst;
  };
  const rank = (k: string) => [table.totals.has(k) ? 1 : 0, cost(k), value(k) > 0 ? 0 : 1, value(k)];
  const better = (a: number[], b: number[]) => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i];
    return false;
  };
  for (;;) {
    const leaks = findLeaks(table.constraints, hidden);
    if (!leaks.length) return;
    const changed = new Set<string>();
    for (const leak of leaks) {
      // Fix one derivation at a time where fixes interact; the next round re-checks the rest.
      if (leak.revealedBy.some((k) => changed.has(k) || hidden.has(k))) continue;
      let best: string | undefined;
      let bestRank: number[] = [];
      for (const k of leak.revealedBy) {
        const r = rank(k);
        if (!best || better(r, bestRank) || (!better(bestRank, r) && k < best)) {
          best = k;
          bestRank = r;
        }
      }
      if (!best) continue; // a zero cell with nothing to hide: it is known to be zero anyway
      hidden.add(best);
      for (const k of leak.revealedBy) changed.add(k);
      for (const c of byKey.get(best) ?? []) for (const t of c.terms) changed.add(t.key);
    }
    if (!changed.size) return;
  }
}

/** Primary and secondary suppression of a whole table of cells for an indicator of `unit`. */
export function protect(table: ProtectionTable, unit: Unit, threshold: number): Protection {
  const parts = countedParts(unit);
  const hiddenNumerator = new Set<string>();
  const hiddenDenominator = new Set<string>();
  for (const [key, { numerator, denominator }] of table.cells) {
    if (parts.numerator && isDisclosive(numerator, threshold)) hiddenNumerator.add(key);
    if (parts.denominator && isDisclosive(denominator, threshold)) {
      hiddenDenominator.add(key);
      hiddenNumerator.add(key); // "all" or "none" of a handful of people is itself a disclosure
    }
    if (parts.complement && isDisclosive(denominator - numerator, threshold)) hiddenNumerator.add(key);
  }
  const numeratorOf = (k: string) => table.cells.get(k)?.numerator ?? 0;
  const denominatorOf = (k: string) => table.cells.get(k)?.denominator ?? 0;
  let size = -1;
  while (size !== hiddenNumerator.size + hiddenDenominator.size) {
    size = hiddenNumerator.size + hiddenDenominator.size;
    for (const hidden of [hiddenNumerator, hiddenDenominator]) {
      for (const [a, b] of table.pairs) {
        if (hidden.has(a) || hidden.has(b)) {
          hidden.add(a);
          hidden.add(b);
        }
      }
    }
    // A mean of points shown over a hidden number of people would still single them out.
    if (!parts.numerator) for (const k of hiddenDenominator) hiddenNumerator.add(k);
    protectLinear(table, numeratorOf, hiddenNumerator);
    // A COUNT's denominator is never shown, so there is nothing to protect on that side.
    if (unit !== 'COUNT') protectLinear(table, denominatorOf, hiddenDenominator);
  }
  return { hiddenNumerator, hiddenDenominator };
}

/** Cell key of an area's total. */
export const totalKey = (area: string) => `${area}|TOTAL`;
/** Cell key of an area's breakdown group (`ANY_SEN` is the derived SEN_SUPPORT + EHCP). */
export const groupKey = (area: string, dimension: PersonDimension, group: string) => `${area}|${dimension}|${group}`;

const PAIRS: Partial<Record<PersonDimension, [string, string]>> = {
  SEX: ['MALE', 'FEMALE'],
  FSM: ['FSM', 'NOT_FSM'],
  IN_CARE: ['IN_CARE', 'NOT_IN_CARE'],
  EAL: ['EAL', 'NOT_EAL'],
};

/** The cells and sums of one LA's table: totals, groups and ANY_SEN for the LA and each of its districts. */
export function laProtectionTable(def: Pick<IndicatorDefinition, 'dimensions'>, table: LaTable): ProtectionTable {
  const dims = personDimensions(def);
  const cells = new Map<string, { numerator: number; denominator: number }>();
  const constraints: LinearConstraint[] = [];
  const columnConstraints: LinearConstraint[] = [];
  const pairs: [string, string][] = [];
  const totals = new Set<string>();
  const areas = [table.code, ...[...table.districts.keys()].sort()];
  const countsOf = (code: string) => (code === table.code ? table.la : table.districts.get(code)!);
  const add = (key: string, c: { numerator: number; denominator: number }) =>
    cells.set(key, { numerator: c.numerator, denominator: c.denominator });

  for (const code of areas) {
    const area = countsOf(code);
    add(totalKey(code), area.total);
    totals.add(totalKey(code));
    for (const dim of dims) {
      const groups = area.groups.get(dim);
      if (!groups) continue;
      const terms = [{ key: totalKey(code), coefficient: 1 }];
      for (const g of DIMENSION_GROUPS[dim]) {
        const c = groups.get(g);
        if (!c) continue;
        add(groupKey(code, dim, g), c);
        terms.push({ key: groupKey(code, dim, g), coefficient: -1 });
      }
      constraints.push({ terms });
      const pair = PAIRS[dim];
      if (pair && groups.has(pair[0]) && groups.has(pair[1])) {
        pairs.push([groupKey(code, dim, pair[0]), groupKey(code, dim, pair[1])]);
      }
      if (dim === 'SEN_STATUS') {
        const any = anySen(area);
        if (any) {
          add(groupKey(code, dim, 'ANY_SEN'), any);
          constraints.push({
            terms: [
              { key: groupKey(code, dim, 'ANY_SEN'), coefficient: 1 },
              ...['SEN_SUPPORT', 'EHCP']
                .filter((g) => groups.has(g))
                .map((g) => ({ key: groupKey(code, dim, g), coefficient: -1 })),
            ],
          });
        }
      }
    }
  }
  // Columns: the LA's figure for each cell is the sum of its districts' (rows with no data count as zero).
  const suffixes = new Set<string>();
  for (const key of cells.keys()) if (key.startsWith(`${table.code}|`)) suffixes.add(key.slice(table.code.length));
  for (const suffix of table.districts.size ? suffixes : []) {
    if (suffix.endsWith('|ANY_SEN')) continue; // implied by the SEN_SUPPORT and EHCP columns
    const terms = [{ key: `${table.code}${suffix}`, coefficient: 1 }];
    for (const code of areas.slice(1)) {
      if (cells.has(`${code}${suffix}`)) terms.push({ key: `${code}${suffix}`, coefficient: -1 });
    }
    columnConstraints.push({ terms });
  }
  // Rows before columns: a tie on tightness then fixes a leak within the area, as the rule describes.
  return { cells, constraints: [...constraints, ...columnConstraints], pairs, totals };
}

/** The protection of one LA's table (primary + secondary) for an indicator. */
export function protectLaTable(
  def: Pick<IndicatorDefinition, 'dimensions' | 'unit'>,
  table: LaTable,
  threshold: number,
): Protection {
  return protect(laProtectionTable(def, table), def.unit, threshold);
}
