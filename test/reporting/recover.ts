// An attacker's toolkit for the disclosure tests, written independently of the engine: given the figures
// shown and the arithmetic that links them (sums, value = scale·n/d, gaps), it tries to recover hidden
// counts, by repeated substitution (any relation with one unknown left gives it away) and by exact
// elimination over the linear sums (rational arithmetic, so no tolerance can hide a recovery).

/** Σ coefficient · variable = constant. */
export interface Sum {
  terms: [string, number][];
  constant?: number;
}

/** value · denominator = scale · numerator (a shown rate pins a count down when the other count is shown). */
export interface Ratio {
  value: string;
  numerator: string;
  denominator: string;
  scale: number;
}

export interface Puzzle {
  known: Map<string, number>;
  sums: Sum[];
  ratios: Ratio[];
}

/** Everything recoverable by substitution: repeatedly solve any relation with one unknown. */
export function substitute({ known: shown, sums, ratios }: Puzzle): Map<string, number> {
  const known = new Map(shown);
  let progress = true;
  while (progress) {
    progress = false;
    for (const s of sums) {
      const unknown = s.terms.filter(([k]) => !known.has(k));
      if (unknown.length !== 1) continue;
      const [key, coefficient] = unknown[0];
      const rest = s.terms.reduce((acc, [k, c]) => (known.has(k) ? acc + c * known.get(k)! : acc), 0);
      known.set(key, ((s.constant ?? 0) - rest) / coefficient);
      progress = true;
    }
    for (const r of ratios) {
      const v = known.get(r.value);
      const n = known.get(r.numerator);
      const d = known.get(r.denominator);
      if (v !== undefined && d !== undefined && n === undefined) {
        known.set(r.numerator, (v * d) / r.scale);
        progress = true;
      } else if (v !== undefined && n !== undefined && d === undefined && v !== 0) {
        known.set(r.denominator, (r.scale * n) / v);
        progress = true;
      } else if (n !== undefined && d !== undefined && d !== 0 && v === undefined) {
        known.set(r.value, (r.scale * n) / d);
        progress = true;
      }
    }
  }
  return known;
}

type Fraction = [bigint, bigint];
const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? (a < 0n ? -a : a) : gcd(b, a % b));
const norm = ([n, d]: Fraction): Fraction => {
  if (n === 0n) return [0n, 1n];
  const g = gcd(n, d);
  const s = d < 0n ? -1n : 1n;
  return [(s * n) / g, (s * d) / g];
};
const sub = (a: Fraction, b: Fraction): Fraction => norm([a[0] * b[1] - b[0] * a[1], a[1] * b[1]]);
const mul = (a: Fraction, b: Fraction): Fraction => norm([a[0] * b[0], a[1] * b[1]]);
const div = (a: Fraction, b: Fraction): Fraction => norm([a[0] * b[1], a[1] * b[0]]);

/** Unknowns the linear sums alone determine, by exact Gauss–Jordan elimination over the unknowns. */
export function eliminate(known: Map<string, number>, sums: Sum[]): Set<string> {
  const unknowns = [...new Set(sums.flatMap((s) => s.terms.map(([k]) => k)).filter((k) => !known.has(k)))];
  const col = new Map(unknowns.map((k, i) => [k, i]));
  const rows: Fraction[][] = [];
  for (const s of sums) {
    const row: Fraction[] = unknowns.map(() => [0n, 1n]);
    let any = false;
    for (const [k, c] of s.terms) {
      const i = col.get(k);
      if (i === undefined) continue;
      row[i] = norm([row[i][0] + BigInt(c) * row[i][1], row[i][1]]);
      any = true;
    }
    if (any) rows.push(row);
  }
  let r = 0;
  for (let c = 0; c < unknowns.length && r < rows.length; c++) {
    const p = rows.findIndex((row, i) => i >= r && row[c][0] !== 0n);
    if (p < 0) continue;
    [rows[r], rows[p]] = [rows[p], rows[r]];
    const pivot = rows[r][c];
    rows[r] = rows[r].map((x) => div(x, pivot));
    for (let i = 0; i < rows.length; i++) {
      if (i === r || rows[i][c][0] === 0n) continue;
      const f = rows[i][c];
      rows[i] = rows[i].map((x, j) => sub(x, mul(f, rows[r][j])));
    }
    r++;
  }
  const determined = new Set<string>();
  for (const row of rows) {
    const nz = row.flatMap((x, j) => (x[0] !== 0n ? [j] : []));
    if (nz.length === 1) determined.add(unknowns[nz[0]]);
  }
  return determined;
}

/** Hidden counts an attacker can recover from the puzzle, with both methods combined. */
export function recoverable(puzzle: Puzzle, hidden: Iterable<string>): string[] {
  const bySubstitution = substitute(puzzle);
  const byElimination = eliminate(bySubstitution, puzzle.sums);
  return [...hidden].filter((k) => bySubstitution.has(k) || byElimination.has(k));
}
