// Disclosure control as pure functions: the threshold, the cell key method's perturbation table (checked
// against the table README.md publishes, key by key), what a published count lets a reader conclude, and
// the published figures of one cell (counts perturbed, the value and its symbol from the published counts).
import { describe, expect, it } from 'vitest';
import {
  CELL_KEY_MODULUS,
  cellKey,
  MAX_NOISE,
  noiseOf,
  perturb,
  possibleCounts,
  recordKey,
} from '../../src/core/reporting/cell-key.js';
import { disclosedCell, isDisclosive, suppressBelow } from '../../src/core/reporting/disclosure.js';
import { publishedOf } from './fixtures.js';

describe('threshold', () => {
  it('reads CYPE_SUPPRESS_BELOW, default 5, and rejects nonsense', () => {
    expect(suppressBelow({})).toBe(5);
    expect(suppressBelow({ CYPE_SUPPRESS_BELOW: '10' })).toBe(10);
    expect(() => suppressBelow({ CYPE_SUPPRESS_BELOW: 'ten' })).toThrow(/CYPE_SUPPRESS_BELOW/);
    expect(() => suppressBelow({ CYPE_SUPPRESS_BELOW: '0' })).toThrow(/at least 1/);
  });

  it('treats 1 to 4 as disclosive, not 0 or 5', () => {
    expect([0, 1, 4, 5].map((n) => isDisclosive(n, 5))).toEqual([false, true, true, false]);
  });
});

// Both ends of every noise's run of cell keys: perturbation depends on the key only through its noise.
let sum = 0;
const EDGES = [1, 30, 600, 4000, 13000, 30274, 13000, 4000, 600, 30, 1]
  .map((w) => {
    sum += w;
    return sum;
  })
  .flatMap((end, i, all) => [i === 0 ? 0 : all[i - 1], end - 1]);

describe('the perturbation table', () => {
  it('gives each noise from −5 to 5 exactly as many of the 65,536 cell keys as README.md says', () => {
    const published = { '-5': 1, '-4': 30, '-3': 600, '-2': 4000, '-1': 13000, '0': 30274 };
    const seen = new Map<number, number>();
    for (let k = 0; k < CELL_KEY_MODULUS; k++) seen.set(noiseOf(k), (seen.get(noiseOf(k)) ?? 0) + 1);
    for (const [e, w] of Object.entries(published)) {
      expect(seen.get(Number(e))).toBe(w);
      expect(seen.get(-Number(e))).toBe(w);
    }
    expect([...seen.keys()].every((e) => Math.abs(e) <= MAX_NOISE)).toBe(true);
  });

  it('publishes the fixture’s own reading of the table for every count to 40 and every key', () => {
    for (let n = 0; n <= 40; n++) {
      for (const k of EDGES) expect(perturb(n, k, 5), `${n}, key ${k}`).toBe(publishedOf(n, k));
    }
  });

  it('never publishes a count from 1 to threshold − 1, publishes 0 as 0, and moves a count at most 5', () => {
    const wrong: string[] = [];
    for (const threshold of [3, 5, 10]) {
      for (let n = 0; n <= 60; n++) {
        for (const k of EDGES) {
          const p = perturb(n, k, threshold);
          if (isDisclosive(p, threshold) || (n === 0 && p !== 0)) wrong.push(`${n} → ${p} (${threshold})`);
          if (p > threshold && Math.abs(p - n) > MAX_NOISE) wrong.push(`${n} → ${p} (${threshold})`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('lets a reader bound the true count exactly by possibleCounts: sound, and no wider than the table', () => {
    for (const threshold of [3, 5, 10]) {
      const from = new Map<number, number[]>();
      for (let n = 0; n <= 80; n++) {
        for (const k of EDGES) {
          const p = perturb(n, k, threshold);
          const [lo, hi] = possibleCounts(p, threshold);
          if (n < lo || n > hi) throw new Error(`${n} published as ${p} is outside [${lo}, ${hi}]`);
          const seen = from.get(p) ?? [n, n];
          from.set(p, [Math.min(seen[0], n), Math.max(seen[1], n)]);
        }
      }
      // Every end of every published count's range is reached by some true count (checked below 70).
      for (const [p, range] of from) if (p < 70) expect(possibleCounts(p, threshold)).toEqual(range);
    }
  });

  it('gives the extreme noise (±5), the only way to pin a small count by combining tables, to 1 key in 65,536', () => {
    const extremes = Array.from({ length: CELL_KEY_MODULUS }, (_, k) => noiseOf(k)).filter((e) => Math.abs(e) === 5);
    expect(extremes).toHaveLength(2);
  });

  it('reduces sums of record keys modulo 65,536 and reads the SQL record key as md5 does', () => {
    expect(cellKey(65_536 * 3 + 17)).toBe(17);
    expect(cellKey(-1)).toBe(65_535);
    // md5("sP1") = 83f3…: the first four hex digits.
    expect(recordKey('s', 'P1')).toBe(0x83f3);
  });
});

describe('the published figures of a cell', () => {
  const key = (e: number) => [...Array(CELL_KEY_MODULUS).keys()].find((k) => noiseOf(k) === e)!;

  it('perturbs a COUNT and shows no denominator', () => {
    const cell = disclosedCell('COUNT', { numerator: 12, denominator: 1, people: 12, numeratorKey: key(2) }, 5);
    expect(cell).toMatchObject({ numerator: 14, denominator: null, value: 14, symbol: null, people: 14 });
  });

  it('computes a percentage from the published counts, at most 100%', () => {
    const cell = disclosedCell(
      'PERCENT',
      { numerator: 20, denominator: 40, people: 40, numeratorKey: key(1), denominatorKey: key(-2) },
      5,
    );
    expect(cell).toMatchObject({ numerator: 21, denominator: 38, symbol: null, people: 38 });
    expect(cell.value).toBeCloseTo((100 * 21) / 38, 12);
    const all = disclosedCell(
      'PERCENT',
      { numerator: 20, denominator: 20, people: 20, numeratorKey: key(3), denominatorKey: key(-1) },
      5,
    );
    expect([all.numerator, all.denominator, all.value]).toEqual([23, 19, 100]);
  });

  it('gives no value (c) over people published as 0, and z over nobody', () => {
    const few = disclosedCell(
      'PERCENT',
      { numerator: 1, denominator: 2, people: 2, numeratorKey: key(0), denominatorKey: key(0) },
      5,
    );
    expect(few).toMatchObject({ numerator: 0, denominator: 0, value: null, symbol: 'c' });
    const none = disclosedCell('PERCENT', { numerator: 0, denominator: 0, people: 0 }, 5);
    expect(none).toMatchObject({ numerator: 0, denominator: 0, value: null, symbol: null });
  });

  it('shows a mean of points only over a published denominator of twice the threshold, never the sum', () => {
    const big = disclosedCell(
      'AVERAGE_POINTS',
      { numerator: 300, denominator: 12, people: 12, denominatorKey: key(0) },
      5,
    );
    expect(big).toMatchObject({ numerator: null, denominator: 12, value: 25, symbol: null });
    const small = disclosedCell(
      'AVERAGE_POINTS',
      { numerator: 90, denominator: 9, people: 9, denominatorKey: key(0) },
      5,
    );
    expect(small).toMatchObject({ numerator: null, denominator: 9, value: null, symbol: 'c' });
  });
});
