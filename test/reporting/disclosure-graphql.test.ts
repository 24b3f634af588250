// Disclosure control through GraphQL, both ways (the context flag on and off), on Kent and its 12 districts
// with every breakdown and gap: small counts are `c`, and an attacker holding the whole response (totals,
// districts, groups, values, gaps, intervals) cannot recover any suppressed count by arithmetic.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KENT } from '../../src/core/demo-areas.js';
import { type TestApp, testApp } from '../harness.js';
import { readingPilot } from '../pilot/plugin.js';
import {
  ASHFORD,
  AY2013,
  AY2016,
  completion,
  createFixture,
  DISTRICTS,
  type Fixture,
  PERSON_DIMENSIONS,
} from './fixtures.js';
import { type Puzzle, type Ratio, recoverable, type Sum } from './recover.js';

let fx: Fixture;
let open: TestApp;
let closed: TestApp;
beforeAll(async () => {
  fx = await createFixture();
  // One operation asks for every area at once: more tokens and aliases than the default abuse limits allow.
  const access = { limits: { maxTokens: 50_000, maxAliases: 1000, maxCost: 1_000_000 } };
  open = testApp(fx.db, { services: [readingPilot], disclosureControl: false, access });
  closed = testApp(fx.db, { services: [readingPilot], disclosureControl: true, access });
});
afterAll(() => fx?.db.close());

type F = { value: number | null; symbol: string | null };
type I = { lower: number; upper: number } | null;
interface Cell {
  code: string;
  numerator: F;
  denominator: F;
  value: F;
  ci95: I;
}
type Value = Omit<Cell, 'code'> & Record<string, Cell[] | { value: F } | null | F | I>;

const GAPS = ['FSM', 'ANY_SEN', 'SEN_SUPPORT', 'EHCP', 'MALE', 'EAL', 'IN_CARE'] as const;
const COMPARATOR: Record<string, [string, string]> = {
  FSM: ['FSM', 'NOT_FSM'],
  ANY_SEN: ['SEN_STATUS', 'NO_SEN'],
  SEN_SUPPORT: ['SEN_STATUS', 'NO_SEN'],
  EHCP: ['SEN_STATUS', 'NO_SEN'],
  MALE: ['SEX', 'FEMALE'],
  EAL: ['EAL', 'NOT_EAL'],
  IN_CARE: ['IN_CARE', 'NOT_IN_CARE'],
};
const CELL = 'code numerator { value symbol } denominator { value symbol } value { value symbol } ci95 { lower upper }';
const BODY = `numerator { value symbol } denominator { value symbol } value { value symbol } ci95 { lower upper }
  ${PERSON_DIMENSIONS.map((d) => `${d}: breakdown(dimension: ${d}) { ${CELL} }`).join(' ')}
  DISTRICT: breakdown(dimension: DISTRICT) { ${CELL} }
  ${GAPS.map((g) => `gap_${g}: gap(group: ${g}) { value { value symbol } }`).join(' ')}`;

async function everything(app: TestApp, period: string): Promise<Map<string, Value>> {
  const areas = [KENT, ...DISTRICTS];
  const r = await app.gql<{ indicator: Record<string, Value> }>(
    `{ indicator(code: "PILOT_COMPLETION") { ${areas.map((a, i) => `a${i}: value(area: "${a}", period: "${period}") { ${BODY} }`).join(' ')} } }`,
  );
  expect(r.errors).toBeUndefined();
  return new Map(areas.map((a, i) => [a, r.data!.indicator[`a${i}`]]));
}

/** Everything the response shows, as an attacker's puzzle over counts (n, d) and values (v). */
function puzzleOf(shown: Map<string, Value>): { puzzle: Puzzle; hidden: string[]; intervalLeaks: string[] } {
  const known = new Map<string, number>();
  const hidden: string[] = [];
  const intervalLeaks: string[] = [];
  const sums: Sum[] = [];
  const ratios: Ratio[] = [];
  const note = (name: string, f: F | null | undefined, isCount: boolean) => {
    if (!f) return;
    if (f.value !== null) known.set(name, f.value);
    else if (f.symbol === 'c' && isCount) hidden.push(name);
  };
  const addCell = (prefix: string, cell: Omit<Cell, 'code'>) => {
    note(`${prefix}|n`, cell.numerator, true);
    note(`${prefix}|d`, cell.denominator, true);
    note(`${prefix}|v`, cell.value, false);
    ratios.push({ value: `${prefix}|v`, numerator: `${prefix}|n`, denominator: `${prefix}|d`, scale: 100 });
    // An interval with its value pins both counts down (Wilson can be inverted): never beside a hidden count.
    if (cell.ci95 && (cell.numerator?.symbol === 'c' || cell.denominator?.symbol === 'c')) intervalLeaks.push(prefix);
  };
  const groupsOf = new Map<string, Set<string>>();
  for (const [area, v] of shown) {
    addCell(`${area}|TOTAL`, v);
    for (const dim of PERSON_DIMENSIONS) {
      const cells = v[dim] as Cell[];
      for (const c of cells) addCell(`${area}|${dim}|${c.code}`, c);
      for (const part of ['n', 'd']) {
        sums.push({
          terms: [
            [`${area}|TOTAL|${part}`, 1],
            ...cells.map((c): [string, number] => [`${area}|${dim}|${c.code}|${part}`, -1]),
          ],
        });
      }
      groupsOf.set(dim, new Set([...(groupsOf.get(dim) ?? []), ...cells.map((c) => c.code)]));
    }
    // The LA's district breakdown shows the districts' totals again.
    for (const c of v.DISTRICT as Cell[]) if (area === KENT) addCell(`${c.code}|TOTAL`, c);
    // ANY_SEN is SEN_SUPPORT + EHCP; its value only ever shows through the gap.
    for (const part of ['n', 'd']) {
      sums.push({
        terms: [
          [`${area}|SEN_STATUS|ANY_SEN|${part}`, 1],
          [`${area}|SEN_STATUS|SEN_SUPPORT|${part}`, -1],
          [`${area}|SEN_STATUS|EHCP|${part}`, -1],
        ],
      });
    }
    ratios.push({
      value: `${area}|SEN_STATUS|ANY_SEN|v`,
      numerator: `${area}|SEN_STATUS|ANY_SEN|n`,
      denominator: `${area}|SEN_STATUS|ANY_SEN|d`,
      scale: 100,
    });
    for (const g of GAPS) {
      const gap = v[`gap_${g}`] as { value: F } | null;
      if (gap?.value.value == null) continue;
      const [dim, comp] = COMPARATOR[g];
      sums.push({
        terms: [
          [`${area}|${dim}|${comp}|v`, 1],
          [`${area}|${dim}|${g}|v`, -1],
        ],
        constant: gap.value.value,
      });
    }
  }
  // Absent groups are known zeros; then the districts add up to Kent, cell by cell.
  for (const [area, v] of shown) {
    for (const dim of PERSON_DIMENSIONS) {
      const present = new Set((v[dim] as Cell[]).map((c) => c.code));
      for (const g of groupsOf.get(dim) ?? []) {
        if (!present.has(g)) for (const part of ['n', 'd']) known.set(`${area}|${dim}|${g}|${part}`, 0);
      }
    }
    for (const part of ['n', 'd']) {
      for (const missing of ['SEN_SUPPORT', 'EHCP']) {
        if (
          !known.has(`${area}|SEN_STATUS|${missing}|${part}`) &&
          !(v.SEN_STATUS as Cell[]).some((c) => c.code === missing)
        ) {
          known.set(`${area}|SEN_STATUS|${missing}|${part}`, 0);
        }
      }
    }
  }
  const suffixes = [
    'TOTAL',
    ...PERSON_DIMENSIONS.flatMap((d) => [...(groupsOf.get(d) ?? [])].map((g) => `${d}|${g}`)),
    'SEN_STATUS|ANY_SEN',
  ];
  for (const s of suffixes) {
    for (const part of ['n', 'd']) {
      sums.push({
        terms: [[`${KENT}|${s}|${part}`, 1], ...DISTRICTS.map((d): [string, number] => [`${d}|${s}|${part}`, -1])],
      });
    }
  }
  return { puzzle: { known, sums, ratios }, hidden, intervalLeaks };
}

describe('with disclosure control off (analysts)', () => {
  it('shows every count, value and gap as a number', async () => {
    const shown = await everything(open, AY2016);
    const text = JSON.stringify([...shown.values()]);
    expect(text).not.toContain('"symbol":"c"');
    const rows = fx.rows.get(AY2016)!;
    for (const [area, v] of shown) {
      expect(v.numerator.value).toBe(completion(rows, area).numerator);
      for (const dim of PERSON_DIMENSIONS) {
        for (const c of v[dim] as Cell[]) expect(c.numerator.value).toBe(completion(rows, area, dim, c.code).numerator);
      }
    }
  });
});

describe('with disclosure control on (partners, public)', () => {
  it('suppresses every count from 1 to 4, its value and interval, and every gap using it', async () => {
    const shown = await everything(closed, AY2016);
    const rows = fx.rows.get(AY2016)!;
    const small = (x: number) => x >= 1 && x <= 4;
    let primary = 0;
    for (const [area, v] of shown) {
      const cells: [Omit<Cell, 'code'>, ReturnType<typeof completion>][] = [[v, completion(rows, area)]];
      for (const dim of PERSON_DIMENSIONS) {
        for (const c of v[dim] as Cell[]) cells.push([c, completion(rows, area, dim, c.code)]);
      }
      for (const [cell, e] of cells) {
        if (small(e.numerator) || small(e.denominator - e.numerator) || small(e.denominator)) {
          primary++;
          expect(cell.numerator.symbol).toBe('c');
          expect(cell.value.symbol).toBe('c');
          expect(cell.ci95).toBeNull();
        }
        if (small(e.denominator)) expect(cell.denominator.symbol).toBe('c');
        if (cell.value.symbol === 'c') expect(cell.ci95).toBeNull();
      }
      for (const g of GAPS) {
        const [dim, comp] = COMPARATOR[g];
        const sides = [g, comp].map((code) => (v[dim] as Cell[]).find((c) => c.code === code));
        const gap = v[`gap_${g}`] as { value: F } | null;
        if (g !== 'ANY_SEN' && sides.some((s) => s?.value.symbol === 'c')) expect(gap?.value.symbol).toBe('c');
      }
    }
    expect(primary).toBeGreaterThan(20); // small districts: the rule is exercised, not vacuous
    // Kent as a whole is large enough to show.
    expect(shown.get(KENT)?.value.value).toBeCloseTo(
      (100 * completion(rows, KENT).numerator) / completion(rows, KENT).denominator,
      10,
    );
  });

  it('leaves no suppressed count recoverable from the rest of the response', async () => {
    const shown = await everything(closed, AY2016);
    const { puzzle, hidden, intervalLeaks } = puzzleOf(shown);
    expect(hidden.length).toBeGreaterThan(50);
    expect(intervalLeaks).toEqual([]);
    expect(recoverable(puzzle, hidden)).toEqual([]);
    // The attacker's toolkit does find counts when protection is only primary: prove it can fail.
    const naive = puzzleOf(await everything(open, AY2016));
    const rows = fx.rows.get(AY2016)!;
    const victim = `${KENT}|TOTAL|n`;
    naive.puzzle.known.delete(victim);
    expect(recoverable(naive.puzzle, [victim])).toEqual([victim]);
    expect(completion(rows, KENT).numerator).toBeGreaterThan(0);
  });

  it('hides 5 of 7 (complement 2) in the hand-checked 2013/14 pilot, and Kent’s copy of it', async () => {
    const q = (area: string) =>
      `value(area: "${area}", period: "${AY2013}") { numerator { value symbol formatted } denominator { value symbol } value { value symbol formatted } ci95 { lower } }`;
    const r = await closed.gql<{ indicator: { a: Value; k: Value } }>(
      `{ indicator(code: "PILOT_COMPLETION") { a: ${q(ASHFORD)} k: ${q(KENT)} } }`,
    );
    expect(r.errors).toBeUndefined();
    const { a, k } = r.data!.indicator;
    expect(a.numerator).toEqual({ value: null, symbol: 'c', formatted: 'c' });
    expect(a.value).toEqual({ value: null, symbol: 'c', formatted: 'c' });
    expect(a.ci95).toBeNull();
    expect(a.denominator).toEqual({ value: 7, symbol: null });
    // Kent's numerator is Ashford's (no other district had the pilot): shown, it would give 5 away.
    expect(k.numerator.symbol).toBe('c');
    expect(k.value.symbol).toBe('c');
  });

  it('follows CYPE_SUPPRESS_BELOW', async () => {
    const before = process.env.CYPE_SUPPRESS_BELOW;
    process.env.CYPE_SUPPRESS_BELOW = '10';
    try {
      const r = await closed.gql<{ indicator: { value: { denominator: F } } }>(
        `{ indicator(code: "PILOT_COMPLETION") { value(area: "${ASHFORD}", period: "${AY2013}") { denominator { value symbol } } } }`,
      );
      expect(r.data?.indicator.value.denominator).toEqual({ value: null, symbol: 'c' }); // 7 < 10
    } finally {
      if (before === undefined) delete process.env.CYPE_SUPPRESS_BELOW;
      else process.env.CYPE_SUPPRESS_BELOW = before;
    }
  });

  it('does not judge, rank or trend a suppressed value', async () => {
    const r = await closed.gql<{ indicator: { value: { status: string; direction: string; change: null; value: F } } }>(
      `{ indicator(code: "PILOT_COMPLETION") { value(area: "${ASHFORD}", period: "${AY2013}") { value { symbol } status direction change } } }`,
    );
    expect(r.data?.indicator.value).toEqual({
      value: { symbol: 'c' },
      status: 'NO_TARGET',
      direction: 'NOT_COMPARABLE',
      change: null,
    });
  });
});
