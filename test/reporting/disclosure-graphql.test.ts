// Disclosure control through GraphQL, both ways (the context flag on and off), on Kent and its 12 districts
// with every breakdown and gap: every count is published through the cell key method, worked out here
// again from the fixture rows and the store's secret (record keys, their sums, the published table), and
// values and intervals come from the published counts. The attacker of test/disclosure combines it all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KENT } from '../../src/core/demo-areas.js';
import { type TestApp, testApp } from '../harness.js';
import { readingPilot } from '../pilot/plugin.js';
import {
  ASHFORD,
  AY2013,
  AY2015,
  AY2016,
  completion,
  createFixture,
  DISTRICTS,
  type Fixture,
  PERSON_DIMENSIONS,
  publishedCompletion,
  publishedOf,
  recordKeyOf,
  wilsonPercent,
} from './fixtures.js';

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
  it('publishes every count perturbed by its cell key, and the value and interval from the published counts', async () => {
    const shown = await everything(closed, AY2016);
    const rows = fx.rows.get(AY2016)!;
    let checked = 0;
    let small = 0;
    for (const [area, v] of shown) {
      const cells: [Omit<Cell, 'code'>, string?, string?][] = [[v]];
      for (const dim of PERSON_DIMENSIONS) for (const c of v[dim] as Cell[]) cells.push([c, dim, c.code]);
      for (const [cell, dim, group] of cells) {
        const exact = completion(rows, area, dim, group);
        const p = publishedCompletion(rows, area, dim, group);
        expect(cell.numerator).toEqual({ value: p.numerator, symbol: null });
        expect(cell.denominator).toEqual({ value: p.denominator, symbol: null });
        if (p.denominator > 0) {
          expect(cell.value.value).toBeCloseTo((100 * Math.min(p.numerator, p.denominator)) / p.denominator, 10);
          const w = wilsonPercent(Math.min(p.numerator, p.denominator), p.denominator);
          expect(cell.ci95?.lower).toBeCloseTo(w.lower, 10);
          expect(cell.ci95?.upper).toBeCloseTo(w.upper, 10);
        } else {
          expect(cell.value).toEqual({ value: null, symbol: 'c' }); // people in it, published as 0
          expect(cell.ci95).toBeNull();
        }
        if ([exact.numerator, exact.denominator, exact.denominator - exact.numerator].some((x) => x > 0 && x < 5)) {
          small++;
        }
        checked++;
      }
    }
    // Gaps: the difference of the two published values, or `c` when either side has none.
    for (const [area, v] of shown) {
      for (const g of GAPS) {
        const [dim, comp] = COMPARATOR[g];
        const gap = v[`gap_${g}`] as { value: F } | null;
        if (!gap || g === 'ANY_SEN') continue;
        const side = (code: string) => {
          if (!(v[dim] as Cell[]).some((c) => c.code === code)) return null;
          const p = publishedCompletion(rows, area, dim, code);
          return p.denominator > 0 ? (100 * Math.min(p.numerator, p.denominator)) / p.denominator : Number.NaN;
        };
        const [a, b] = [side(g), side(comp)];
        if (a === null || b === null) continue;
        if (Number.isNaN(a) || Number.isNaN(b)) expect(gap.value.symbol).toBe('c');
        else expect(gap.value.value).toBeCloseTo(b - a, 10);
      }
    }
    expect(checked).toBeGreaterThan(150);
    expect(small).toBeGreaterThan(20); // small cells: the rule is exercised, not vacuous
    // No count from 1 to 4 anywhere in the response.
    expect(JSON.stringify([...shown.values()]).match(/"value":[1-4],"symbol"/g)).toBeNull();
  });

  it('publishes the same number for the same people wherever they are counted', async () => {
    const shown = await everything(closed, AY2016);
    const kent = shown.get(KENT)!;
    for (const c of kent.DISTRICT as Cell[]) {
      const own = shown.get(c.code)!;
      expect(c.numerator).toEqual(own.numerator);
      expect(c.denominator).toEqual(own.denominator);
    }
    // Asking again, alone, changes nothing.
    const again = await everything(closed, AY2016);
    expect(JSON.stringify([...again])).toBe(JSON.stringify([...shown]));
  });

  it('publishes the hand-checked 2013/14 pilot (5 of 7, all in Ashford) the same for Ashford and Kent', async () => {
    const q = (area: string) =>
      `value(area: "${area}", period: "${AY2013}") { numerator { value symbol } denominator { value symbol } value { value symbol } }`;
    const r = await closed.gql<{ indicator: { a: Value; k: Value } }>(
      `{ indicator(code: "PILOT_COMPLETION") { a: ${q(ASHFORD)} k: ${q(KENT)} } }`,
    );
    expect(r.errors).toBeUndefined();
    const { a, k } = r.data!.indicator;
    const rows = fx.rows.get(AY2013)!;
    const done = rows.filter((x) => x.completed);
    const keys = (list: typeof rows) => list.reduce((s, x) => s + recordKeyOf(x.personId), 0);
    expect(a.numerator.value).toBe(publishedOf(5, keys(done)));
    expect(a.denominator.value).toBe(publishedOf(7, keys(rows)));
    // Kent's children are Ashford's: the same people, the same published counts; a difference gives nothing.
    expect(k.numerator).toEqual(a.numerator);
    expect(k.denominator).toEqual(a.denominator);
    expect(k.value).toEqual(a.value);
  });

  it('follows CYPE_SUPPRESS_BELOW', async () => {
    const before = process.env.CYPE_SUPPRESS_BELOW;
    process.env.CYPE_SUPPRESS_BELOW = '10';
    try {
      const r = await closed.gql<{ indicator: { value: { denominator: F } } }>(
        `{ indicator(code: "PILOT_COMPLETION") { value(area: "${ASHFORD}", period: "${AY2013}") { denominator { value symbol } } } }`,
      );
      const rows = fx.rows.get(AY2013)!;
      const expected = publishedOf(
        7,
        rows.reduce((s, x) => s + recordKeyOf(x.personId), 0),
        10,
      );
      expect(r.data?.indicator.value.denominator).toEqual({ value: expected, symbol: null });
    } finally {
      if (before === undefined) delete process.env.CYPE_SUPPRESS_BELOW;
      else process.env.CYPE_SUPPRESS_BELOW = before;
    }
  });

  it('judges and trends the published values, not the exact ones', async () => {
    const r = await closed.gql<{ indicator: { value: { change: number | null; value: F } } }>(
      `{ indicator(code: "PILOT_COMPLETION") { value(area: "${KENT}", period: "${AY2016}") { value { value symbol } change } } }`,
    );
    const pct = (period: string) => {
      const p = publishedCompletion(fx.rows.get(period)!, KENT);
      return (100 * Math.min(p.numerator, p.denominator)) / p.denominator;
    };
    expect(r.data?.indicator.value.value.value).toBeCloseTo(pct(AY2016), 10);
    expect(r.data?.indicator.value.change).toBeCloseTo(pct(AY2016) - pct(AY2015), 10);
  });
});
