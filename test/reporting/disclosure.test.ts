// Disclosure control as pure functions: primary suppression of counts 1–4 (numerator, denominator,
// complement), secondary suppression within a dimension and across districts, and a property test that
// tries to recover every hidden count of many random tables by arithmetic on what stays shown.
import { describe, expect, it } from 'vitest';
import {
  isDisclosive,
  type ProtectionTable,
  protect,
  protectLaTable,
  suppressBelow,
} from '../../src/core/reporting/disclosure.js';
import type { AreaCounts, Counts, LaTable, PersonDimension } from '../../src/core/reporting/facts.js';
import { createRng } from '../../src/core/rng.js';
import { recoverable, type Sum } from './recover.js';

const c = (numerator: number, denominator: number, people = denominator): Counts => ({
  numerator,
  denominator,
  people,
});

function area(total: Counts, groups: Partial<Record<PersonDimension, Record<string, Counts>>>): AreaCounts {
  return {
    total,
    groups: new Map(Object.entries(groups).map(([d, g]) => [d as PersonDimension, new Map(Object.entries(g))])),
  };
}

describe('threshold', () => {
  it('reads CYPE_SUPPRESS_BELOW, default 5, and rejects nonsense', () => {
    expect(suppressBelow({})).toBe(5);
    expect(suppressBelow({ CYPE_SUPPRESS_BELOW: '10' })).toBe(10);
    expect(() => suppressBelow({ CYPE_SUPPRESS_BELOW: 'five' })).toThrow(/CYPE_SUPPRESS_BELOW/);
    expect(() => suppressBelow({ CYPE_SUPPRESS_BELOW: '0' })).toThrow(/at least 1/);
  });

  it('treats 1 to 4 as disclosive, not 0 or 5', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((n) => isDisclosive(n, 5))).toEqual([false, true, true, true, true, false, false]);
  });
});

describe('primary suppression', () => {
  const one = (n: number, d: number): ProtectionTable => ({
    cells: new Map([['A', { numerator: n, denominator: d }]]),
    constraints: [],
    pairs: [],
    totals: new Set(),
  });

  it('hides a small numerator, a small complement, and a small denominator with its numerator', () => {
    expect(protect(one(3, 50), 'PERCENT', 5).hiddenNumerator).toEqual(new Set(['A'])); // numerator 3
    expect(protect(one(47, 50), 'PERCENT', 5).hiddenNumerator).toEqual(new Set(['A'])); // complement 3
    expect(protect(one(45, 50), 'PERCENT', 5).hiddenNumerator).toEqual(new Set()); // 45 and 5: fine
    const small = protect(one(0, 4), 'PERCENT', 5);
    expect(small.hiddenDenominator).toEqual(new Set(['A']));
    expect(small.hiddenNumerator).toEqual(new Set(['A']));
    expect(protect(one(0, 50), 'PERCENT', 5).hiddenNumerator).toEqual(new Set()); // zero is not disclosive
  });

  it('checks what is a count of people for each unit', () => {
    expect(protect(one(3, 1), 'COUNT', 5).hiddenNumerator).toEqual(new Set(['A']));
    expect(protect(one(3, 3), 'COUNT', 5).hiddenDenominator).toEqual(new Set()); // no denominator shown
    const points = protect(one(3, 40), 'AVERAGE_POINTS', 5); // 3 points over 40 people: fine
    expect(points.hiddenNumerator).toEqual(new Set());
    const few = protect(one(40, 3), 'AVERAGE_POINTS', 5); // 3 people: their mean is hidden too
    expect(few.hiddenDenominator).toEqual(new Set(['A']));
    expect(few.hiddenNumerator).toEqual(new Set(['A']));
  });

  it('follows the threshold', () => {
    expect(protect(one(7, 50), 'PERCENT', 10).hiddenNumerator).toEqual(new Set(['A']));
    expect(protect(one(7, 50), 'PERCENT', 5).hiddenNumerator).toEqual(new Set());
  });
});

describe('secondary suppression', () => {
  it('hides both sides of a two-group dimension, then a second district so the LA column cannot give it away', () => {
    // D1: FSM 2/10 (primary), NOT_FSM 18/30. D2: FSM 6/12, NOT_FSM 24/38. LA = D1 + D2.
    // Pair rule hides D1 NOT_FSM; then LA FSM 8 − D2 FSM 6 would give D1 FSM = 2, so D2 FSM (the smaller
    // of LA 8 and D2 6) is hidden, and its pair D2 NOT_FSM with it.
    const table: LaTable = {
      code: 'L',
      la: area(c(50, 90), { FSM: { FSM: c(8, 22), NOT_FSM: c(42, 68) } }),
      districts: new Map([
        ['D1', area(c(20, 40), { FSM: { FSM: c(2, 10), NOT_FSM: c(18, 30) } })],
        ['D2', area(c(30, 50), { FSM: { FSM: c(6, 12), NOT_FSM: c(24, 38) } })],
      ]),
    };
    const p = protectLaTable({ unit: 'PERCENT', dimensions: ['FSM'] }, table, 5);
    expect([...p.hiddenNumerator].sort()).toEqual(['D1|FSM|FSM', 'D1|FSM|NOT_FSM', 'D2|FSM|FSM', 'D2|FSM|NOT_FSM']);
    expect(p.hiddenDenominator).toEqual(new Set());
  });

  it('hides the next smallest group of a three-group dimension, and keeps ANY_SEN when it reveals nothing new', () => {
    // NO_SEN 40, SEN_SUPPORT 6, EHCP 2 (primary) of 48: SEN_SUPPORT is the next smallest. ANY_SEN = 8 is
    // 48 − 40 anyway, so it can stay.
    const table: LaTable = {
      code: 'L',
      la: area(c(48, 1), { SEN_STATUS: { NO_SEN: c(40, 1), SEN_SUPPORT: c(6, 1), EHCP: c(2, 1) } }),
      districts: new Map(),
    };
    const p = protectLaTable({ unit: 'COUNT', dimensions: ['SEN_STATUS'] }, table, 5);
    expect([...p.hiddenNumerator].sort()).toEqual(['L|SEN_STATUS|EHCP', 'L|SEN_STATUS|SEN_SUPPORT']);
  });

  it('hides ANY_SEN when it would give away a hidden UNKNOWN group', () => {
    // NO_SEN 40, SEN_SUPPORT 9, EHCP 7, UNKNOWN 3 (primary) of 59. Hiding the next smallest (EHCP 7) is not
    // enough while ANY_SEN = 16 is shown: 59 − 40 − 16 = 3. So more is hidden until nothing gives it away.
    const table: LaTable = {
      code: 'L',
      la: area(c(59, 1), { SEN_STATUS: { NO_SEN: c(40, 1), SEN_SUPPORT: c(9, 1), EHCP: c(7, 1), UNKNOWN: c(3, 1) } }),
      districts: new Map(),
    };
    const p = protectLaTable({ unit: 'COUNT', dimensions: ['SEN_STATUS'] }, table, 5);
    expect(p.hiddenNumerator.has('L|SEN_STATUS|UNKNOWN')).toBe(true);
    const known = new Map([
      ['T', 59],
      ['NO', 40],
      ['SS', 9],
      ['EHCP', 7],
      ['ANY', 16],
      ['UNK', 3],
    ]);
    const names: Record<string, string> = {
      NO: 'NO_SEN',
      SS: 'SEN_SUPPORT',
      EHCP: 'EHCP',
      ANY: 'ANY_SEN',
      UNK: 'UNKNOWN',
    };
    for (const [k, g] of Object.entries(names)) if (p.hiddenNumerator.has(`L|SEN_STATUS|${g}`)) known.delete(k);
    const sums: Sum[] = [
      {
        terms: [
          ['T', 1],
          ['NO', -1],
          ['SS', -1],
          ['EHCP', -1],
          ['UNK', -1],
        ],
      },
      {
        terms: [
          ['ANY', 1],
          ['SS', -1],
          ['EHCP', -1],
        ],
      },
    ];
    expect(
      recoverable(
        { known, sums, ratios: [] },
        ['UNK', 'SS', 'EHCP', 'ANY', 'NO'].filter((k) => !known.has(k)),
      ),
    ).toEqual([]);
  });
});

/** The sums an attacker knows hold in an LA table, written independently of the engine. */
function attackerSums(table: LaTable, dims: PersonDimension[]): Sum[] {
  const sums: Sum[] = [];
  const areas: [string, AreaCounts][] = [[table.code, table.la], ...table.districts];
  for (const [code, a] of areas) {
    for (const d of dims) {
      const groups = [...(a.groups.get(d)?.keys() ?? [])];
      sums.push({ terms: [[`${code}|TOTAL`, 1], ...groups.map((g): [string, number] => [`${code}|${d}|${g}`, -1])] });
    }
    if (dims.includes('SEN_STATUS')) {
      const g = a.groups.get('SEN_STATUS');
      if (g?.has('SEN_SUPPORT') || g?.has('EHCP')) {
        sums.push({
          terms: [
            [`${code}|SEN_STATUS|ANY_SEN`, 1],
            ...['SEN_SUPPORT', 'EHCP']
              .filter((x) => g?.has(x))
              .map((x): [string, number] => [`${code}|SEN_STATUS|${x}`, -1]),
          ],
        });
      }
    }
  }
  const suffixes = new Set(
    areas.flatMap(([, a]) => [
      '|TOTAL',
      ...dims.flatMap((d) => [...(a.groups.get(d)?.keys() ?? [])].map((g) => `|${d}|${g}`)),
    ]),
  );
  for (const s of suffixes) {
    sums.push({
      terms: [
        [`${table.code}${s}`, 1],
        ...[...table.districts.keys()].map((code): [string, number] => [`${code}${s}`, -1]),
      ],
    });
  }
  return sums;
}

function valuesOf(table: LaTable, dims: PersonDimension[], part: 'numerator' | 'denominator'): Map<string, number> {
  const values = new Map<string, number>();
  // Every cell, present or not: an absent group is a known zero.
  const areas: [string, AreaCounts][] = [[table.code, table.la], ...table.districts];
  const allGroups = new Map<PersonDimension, Set<string>>();
  for (const [, a] of areas)
    for (const d of dims)
      for (const g of a.groups.get(d)?.keys() ?? []) {
        allGroups.set(d, (allGroups.get(d) ?? new Set()).add(g));
      }
  for (const [code, a] of areas) {
    values.set(`${code}|TOTAL`, a.total[part]);
    for (const d of dims) {
      for (const g of allGroups.get(d) ?? []) values.set(`${code}|${d}|${g}`, a.groups.get(d)?.get(g)?.[part] ?? 0);
    }
    if (dims.includes('SEN_STATUS')) {
      values.set(
        `${code}|SEN_STATUS|ANY_SEN`,
        (a.groups.get('SEN_STATUS')?.get('SEN_SUPPORT')?.[part] ?? 0) +
          (a.groups.get('SEN_STATUS')?.get('EHCP')?.[part] ?? 0),
      );
    }
  }
  return values;
}

describe('no hidden count can be recovered (random tables)', () => {
  const dims: PersonDimension[] = ['SEX', 'FSM', 'SEN_STATUS'];
  const groupsOf: Record<string, string[]> = {
    SEX: ['MALE', 'FEMALE', 'UNKNOWN'],
    FSM: ['FSM', 'NOT_FSM'],
    SEN_STATUS: ['NO_SEN', 'SEN_SUPPORT', 'EHCP'],
  };

  function randomTable(seed: number): LaTable {
    const rng = createRng(seed);
    const districts = new Map<string, AreaCounts>();
    const la = area(c(0, 0), {});
    const districtCount = rng.int(2, 5);
    for (let i = 0; i < districtCount; i++) {
      // People with a random group in each dimension, some of them counted in the numerator.
      const people = Array.from({ length: rng.int(3, 60) }, () => ({
        hit: rng.chance(rng.next()),
        group: Object.fromEntries(
          dims.map((d) => {
            const g = groupsOf[d];
            const r = rng.next();
            // skewed so that small groups are common
            return [d, r < 0.06 ? g[g.length - 1] : r < 0.3 ? g[1] : g[0]];
          }),
        ),
      }));
      const a = area(c(0, 0), {});
      for (const target of [a, la]) {
        for (const p of people) {
          target.total.numerator += p.hit ? 1 : 0;
          target.total.denominator += 1;
          for (const d of dims) {
            const m = target.groups.get(d) ?? new Map<string, Counts>();
            const cell = m.get(p.group[d]) ?? c(0, 0);
            cell.numerator += p.hit ? 1 : 0;
            cell.denominator += 1;
            cell.people = cell.denominator;
            m.set(p.group[d], cell);
            target.groups.set(d, m);
          }
        }
      }
      districts.set(`D${i}`, a);
    }
    return { code: 'L', la, districts };
  }

  it('protects 60 random tables so that neither substitution nor elimination recovers a hidden count', () => {
    let hiddenSeen = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const table = randomTable(seed);
      const p = protectLaTable({ unit: 'PERCENT', dimensions: dims }, table, 5);
      const sums = attackerSums(table, dims);
      for (const [part, hidden] of [
        ['numerator', p.hiddenNumerator],
        ['denominator', p.hiddenDenominator],
      ] as const) {
        const values = valuesOf(table, dims, part);
        // Primary rule: every disclosive count is hidden.
        for (const [k, v] of values) {
          const n = valuesOf(table, dims, 'numerator').get(k)!;
          const d = valuesOf(table, dims, 'denominator').get(k)!;
          if (part === 'numerator' && (isDisclosive(n, 5) || isDisclosive(d - n, 5) || isDisclosive(d, 5))) {
            expect(hidden.has(k), `seed ${seed}: ${k} = ${v} shown`).toBe(true);
          }
          if (part === 'denominator' && isDisclosive(d, 5)) expect(hidden.has(k)).toBe(true);
        }
        const known = new Map([...values].filter(([k]) => !hidden.has(k)));
        hiddenSeen += hidden.size;
        expect(recoverable({ known, sums, ratios: [] }, hidden), `seed ${seed} ${part}`).toEqual([]);
      }
    }
    expect(hiddenSeen).toBeGreaterThan(100); // the tables did exercise suppression
  });
});
