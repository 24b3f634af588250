// The reporting engine through GraphQL on the demo data and the reading pilot: every figure is compared
// with numbers computed in this test from the fixture rows (fixtures.ts), not read back from the engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KENT, NEIGHBOURS } from '../../src/core/demo-areas.js';
import { type TestApp, testApp } from '../harness.js';
import { readingPilot } from '../pilot/plugin.js';
import {
  ASHFORD,
  AY2013,
  AY2014,
  AY2015,
  AY2016,
  completion,
  createFixture,
  DISTRICTS,
  type Fixture,
  groupsIn,
  NEIGHBOUR_VALUES,
  round1,
  wilsonPercent,
} from './fixtures.js';

let fx: Fixture;
let app: TestApp;
let kentValue: number;
beforeAll(async () => {
  fx = await createFixture();
  app = testApp(fx.db, { services: [readingPilot] });
  const k = completion(fx.rows.get(AY2016)!, KENT);
  kentValue = (100 * k.numerator) / k.denominator;
  await fx.db.prisma.target.createMany({
    data: [
      // Missed by 1 point (under 5% of the target): AMBER; the STRETCH target must not be the one used.
      {
        indicatorCode: 'PILOT_COMPLETION',
        areaCode: KENT,
        periodCode: AY2016,
        kind: 'TARGET',
        value: round1(kentValue) + 1,
      },
      { indicatorCode: 'PILOT_COMPLETION', areaCode: KENT, periodCode: AY2016, kind: 'STRETCH', value: 99 },
      { indicatorCode: 'PILOT_COMPLETION', areaCode: ASHFORD, periodCode: AY2016, kind: 'MINIMUM', value: 100 },
    ],
  });
});
afterAll(() => fx?.db.close());

type F = { value: number | null; symbol: string | null; formatted: string | null };
const FIG = '{ value symbol formatted }';

async function ok<T>(query: string, variables?: Record<string, unknown>, on = app): Promise<T> {
  const r = await on.gql<T>(query, variables);
  expect(r.errors).toBeUndefined();
  return r.data as T;
}

describe('values computed from records', () => {
  it('gives Kent the sum over its districts, with numerator, denominator, formatted value and Wilson interval', async () => {
    const d = await ok<{
      indicator: {
        value: { value: F; numerator: F; denominator: F; ci95: { lower: number; upper: number }; source: string };
      };
    }>(
      `{ indicator(code: "PILOT_COMPLETION") { value(area: "${KENT}", period: "${AY2016}") {
          value ${FIG} numerator ${FIG} denominator ${FIG} ci95 { lower upper } source } } }`,
    );
    const e = completion(fx.rows.get(AY2016)!, KENT);
    const v = d.indicator.value;
    expect(e.denominator).toBeGreaterThan(100);
    expect(v.source).toBe('RECORDS');
    expect(v.numerator).toEqual({ value: e.numerator, symbol: null, formatted: String(e.numerator) });
    expect(v.denominator.value).toBe(e.denominator);
    expect(v.value.value).toBeCloseTo((100 * e.numerator) / e.denominator, 10);
    expect(v.value.symbol).toBeNull();
    expect(v.value.formatted).toBe(`${((100 * e.numerator) / e.denominator).toFixed(1)}%`);
    const w = wilsonPercent(e.numerator, e.denominator);
    expect(v.ci95.lower).toBeCloseTo(w.lower, 8);
    expect(v.ci95.upper).toBeCloseTo(w.upper, 8);
  });

  it('gives each of the 12 districts its own figure', async () => {
    const aliases = DISTRICTS.map(
      (c, i) =>
        `d${i}: value(area: "${c}", period: "${AY2016}") { numerator { value } denominator { value } value { value } }`,
    );
    const d = await ok<{ indicator: Record<string, { numerator: F; denominator: F; value: F }> }>(
      `{ indicator(code: "PILOT_COMPLETION") { ${aliases.join(' ')} } }`,
    );
    DISTRICTS.forEach((code, i) => {
      const e = completion(fx.rows.get(AY2016)!, code);
      const v = d.indicator[`d${i}`];
      expect(v.numerator.value, code).toBe(e.numerator);
      expect(v.denominator.value, code).toBe(e.denominator);
      expect(v.value.value).toBeCloseTo((100 * e.numerator) / e.denominator, 10);
    });
  });

  it('matches the hand computation for 2013/14: 5 of 7 in Ashford = 71.4%, [35.89, 91.78]', async () => {
    const d = await ok<{
      indicator: { a: { value: F; ci95: { lower: number; upper: number } }; k: { value: F }; x: { value: F } };
    }>(
      `{ indicator(code: "PILOT_COMPLETION") {
          a: value(area: "${ASHFORD}", period: "${AY2013}") { value ${FIG} ci95 { lower upper } }
          k: value(area: "${KENT}", period: "${AY2013}") { value ${FIG} }
          x: value(area: "E07000106", period: "${AY2013}") { value ${FIG} } } }`,
    );
    expect(d.indicator.a.value.formatted).toBe('71.4%');
    expect(d.indicator.a.value.value).toBeCloseTo(500 / 7, 10);
    expect(d.indicator.a.ci95.lower).toBeCloseTo(35.893, 2);
    expect(d.indicator.a.ci95.upper).toBeCloseTo(91.778, 2);
    expect(d.indicator.k.value.formatted).toBe('71.4%');
    // Canterbury had no pilot that year: nothing to divide by.
    expect(d.indicator.x.value).toEqual({ value: null, symbol: 'z', formatted: 'z' });
  });

  it('averages points and counts enrolments', async () => {
    const rows = fx.rows.get(AY2016)!;
    const d = await ok<{
      b: { value: { value: F; numerator: F; denominator: F } };
      e: { value: { value: F; denominator: F | null } };
    }>(
      `{ b: indicator(code: "PILOT_BOOKS") { value(area: "${KENT}", period: "${AY2016}") { value ${FIG} numerator ${FIG} denominator ${FIG} } }
         e: indicator(code: "PILOT_ENROLMENTS") { value(area: "${KENT}", period: "${AY2016}") { value ${FIG} denominator ${FIG} } } }`,
    );
    const books = rows.reduce((s, r) => s + r.booksRead, 0);
    expect(d.b.value.numerator.value).toBe(books);
    expect(d.b.value.value.value).toBeCloseTo(books / rows.length, 10);
    expect(d.b.value.value.formatted).toBe((books / rows.length).toFixed(1));
    expect(d.e.value.value).toEqual({ value: rows.length, symbol: null, formatted: String(rows.length) });
    expect(d.e.value.denominator).toBeNull();
  });
});

describe('breakdowns and gaps', () => {
  it('breaks Kent down by every person dimension with the people’s characteristics in the period', async () => {
    const rows = fx.rows.get(AY2016)!;
    const dims = ['SEX', 'FSM', 'SEN_STATUS', 'IN_CARE', 'EAL', 'ETHNICITY_MAJOR'];
    const d = await ok<{
      indicator: {
        value: Record<string, { code: string; group: string | null; numerator: F; denominator: F; value: F }[]>;
      };
    }>(
      `{ indicator(code: "PILOT_COMPLETION") { value(area: "${KENT}", period: "${AY2016}") {
          ${dims.map((x) => `${x}: breakdown(dimension: ${x}) { code group numerator { value } denominator { value } value { value } }`).join(' ')} } } }`,
    );
    for (const dim of dims) {
      const got = d.indicator.value[dim];
      expect(got.map((g) => g.code).sort(), dim).toEqual(groupsIn(rows, KENT, dim).sort());
      for (const g of got) {
        const e = completion(rows, KENT, dim, g.code);
        expect(g.numerator.value, `${dim} ${g.code}`).toBe(e.numerator);
        expect(g.denominator.value, `${dim} ${g.code}`).toBe(e.denominator);
        expect(g.value.value).toBeCloseTo((100 * e.numerator) / e.denominator, 10);
      }
    }
    expect(d.indicator.value.FSM.find((g) => g.code === 'FSM')?.group).toBe('FSM');
    expect(d.indicator.value.ETHNICITY_MAJOR.every((g) => g.group === null)).toBe(true);
  });

  it('breaks Kent down by district, by name', async () => {
    const d = await ok<{ indicator: { value: { breakdown: { code: string; label: string; denominator: F }[] } } }>(
      `{ indicator(code: "PILOT_COMPLETION") { value(area: "${KENT}", period: "${AY2016}") { breakdown(dimension: DISTRICT) { code label denominator { value } } } } }`,
    );
    const got = d.indicator.value.breakdown;
    expect(got).toHaveLength(12);
    expect(got.map((g) => g.label)).toEqual([...got.map((g) => g.label)].sort((a, b) => a.localeCompare(b)));
    for (const g of got) expect(g.denominator.value).toBe(completion(fx.rows.get(AY2016)!, g.code).denominator);
  });

  it('computes gaps against the complement, with significance, cohort size and the national gap', async () => {
    const rows = fx.rows.get(AY2016)!;
    const groups = ['FSM', 'ANY_SEN', 'SEN_SUPPORT', 'EHCP', 'MALE', 'EAL', 'IN_CARE'];
    const d = await ok<{
      indicator: {
        value: Record<
          string,
          {
            group: string;
            comparator: string;
            value: F;
            national: F | null;
            significant: boolean | null;
            smallCohort: boolean;
          } | null
        >;
      };
    }>(
      `{ indicator(code: "PILOT_COMPLETION") { value(area: "${KENT}", period: "${AY2016}") {
          ${groups.map((g) => `${g}: gap(group: ${g}) { group comparator value ${FIG} national ${FIG} significant smallCohort }`).join(' ')} } } }`,
    );
    const comparator: Record<string, [string, string]> = {
      FSM: ['FSM', 'NOT_FSM'],
      ANY_SEN: ['SEN_STATUS', 'NO_SEN'],
      SEN_SUPPORT: ['SEN_STATUS', 'NO_SEN'],
      EHCP: ['SEN_STATUS', 'NO_SEN'],
      MALE: ['SEX', 'FEMALE'],
      EAL: ['EAL', 'NOT_EAL'],
      IN_CARE: ['IN_CARE', 'NOT_IN_CARE'],
    };
    for (const g of groups) {
      const [dim, comp] = comparator[g];
      const a = completion(rows, KENT, dim, g);
      const b = completion(rows, KENT, dim, comp);
      const gap = d.indicator.value[g];
      if (a.denominator === 0) {
        expect(gap?.value.symbol ?? 'none', g).toMatch(/x|none/);
        continue;
      }
      expect(gap?.comparator).toBe(comp);
      const expected = (100 * b.numerator) / b.denominator - (100 * a.numerator) / a.denominator;
      expect(gap?.value.value, g).toBeCloseTo(expected, 10);
      expect(gap?.value.formatted).toBe(`${expected.toFixed(1)} pp`);
      const wa = wilsonPercent(a.numerator, a.denominator);
      const wb = wilsonPercent(b.numerator, b.denominator);
      expect(gap?.significant, g).toBe(wa.upper < wb.lower || wb.upper < wa.lower);
      expect(gap?.smallCohort, g).toBe(a.people < 30 || b.people < 30);
    }
    // National: 76 − 60 from the published FSM and NOT_FSM figures; none published for the others.
    expect(d.indicator.value.FSM?.national).toEqual({ value: 16, symbol: null, formatted: '16.0 pp' });
    expect(d.indicator.value.MALE?.national).toBeNull();
  });

  it('rejects a breakdown the indicator does not have, naming the argument', async () => {
    const r = await app.gql(
      `{ indicator(code: "PILOT_BOOKS") { value(area: "${KENT}", period: "${AY2016}") { breakdown(dimension: SEN_STATUS) { code } } } }`,
    );
    expect(r.errors?.[0].message).toMatch(/PILOT_BOOKS has no breakdown by SEN_STATUS/);
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'dimension' });
  });
});

describe('targets, trends and benchmarks', () => {
  it('judges RAG against the TARGET (not the STRETCH), and a district against its MINIMUM', async () => {
    const d = await ok<{
      indicator: {
        k: { target: { kind: string; value: number }; status: string };
        a: { target: { kind: string }; status: string };
        c: { target: null; status: string };
      };
    }>(
      `{ indicator(code: "PILOT_COMPLETION") {
          k: value(area: "${KENT}", period: "${AY2016}") { target { kind value } status }
          a: value(area: "${ASHFORD}", period: "${AY2016}") { target { kind } status }
          c: value(area: "E07000106", period: "${AY2016}") { target { kind } status } } }`,
    );
    expect(d.indicator.k.target).toEqual({ kind: 'TARGET', value: round1(kentValue) + 1 });
    expect(d.indicator.k.status).toBe('AMBER'); // 1 point short, within 5% of the target
    expect(d.indicator.a).toEqual({ target: { kind: 'MINIMUM' }, status: 'RED' }); // nobody reaches 100 less 5
    expect(d.indicator.c).toEqual({ target: null, status: 'NO_TARGET' });
  });

  it('compares with the previous academic year', async () => {
    const d = await ok<{
      indicator: { value: { previous: { period: { code: string }; value: F }; change: number; direction: string } };
    }>(
      `{ indicator(code: "PILOT_COMPLETION") { value(area: "${KENT}", period: "${AY2016}") {
          previous { period { code } value ${FIG} } change direction } } }`,
    );
    const prev = completion(fx.rows.get(AY2015)!, KENT);
    const prevValue = (100 * prev.numerator) / prev.denominator;
    const v = d.indicator.value;
    expect(v.previous.period.code).toBe(AY2015);
    expect(v.previous.value.value).toBeCloseTo(prevValue, 10);
    expect(v.change).toBeCloseTo(kentValue - prevValue, 10);
    const expected =
      round1(kentValue) === round1(prevValue) ? 'NO_CHANGE' : kentValue > prevValue ? 'IMPROVING' : 'WORSENING';
    expect(v.direction).toBe(expected);
  });

  it('is NOT_COMPARABLE when the previous period has no figure', async () => {
    const d = await ok<{ indicator: { value: { previous: null; change: null; direction: string } } }>(
      `{ indicator(code: "PILOT_COMPLETION") { value(area: "${KENT}", period: "${AY2013}") { previous { value { value } } change direction } } }`,
    );
    expect(d.indicator.value).toEqual({ previous: null, change: null, direction: 'NOT_COMPARABLE' });
  });

  it('benchmarks Kent against England, its neighbours and all authorities', async () => {
    const d = await ok<{
      indicator: {
        value: { national: F; neighbourAverage: F; rank: { position: number; of: number }; quartile: string };
      };
    }>(
      `{ indicator(code: "PILOT_COMPLETION") { value(area: "${KENT}", period: "${AY2016}") {
          national ${FIG} neighbourAverage ${FIG} rank { position of } quartile } } }`,
    );
    const v = d.indicator.value;
    expect(v.national).toEqual({ value: 72.5, symbol: null, formatted: '72.5%' });
    const mean = NEIGHBOUR_VALUES.reduce((s, x) => s + x, 0) / NEIGHBOUR_VALUES.length;
    expect(v.neighbourAverage.value).toBeCloseTo(mean, 10);
    // Rank among Kent + 10 neighbours, 1 = highest (HIGH_IS_GOOD), at one decimal place.
    const better = NEIGHBOUR_VALUES.filter((x) => x > round1(kentValue)).length;
    expect(v.rank).toEqual({ position: better + 1, of: 11 });
    // The only LAs with the figure are Kent and its neighbours: 11, so bands of 3, 3, 3, 2.
    expect(v.quartile).toBe('ABCD'[Math.floor((better * 4) / 11)]);
  });

  it('gives districts no LA benchmarks', async () => {
    const d = await ok<{ indicator: { value: { neighbourAverage: null; rank: null; quartile: null; national: F } } }>(
      `{ indicator(code: "PILOT_COMPLETION") { value(area: "${ASHFORD}", period: "${AY2016}") { neighbourAverage { value } rank { position } quartile national { value } } } }`,
    );
    expect(d.indicator.value).toEqual({
      neighbourAverage: null,
      rank: null,
      quartile: null,
      national: { value: 72.5 },
    });
  });
});

describe('published figures', () => {
  it('serves an indicator without records from Observations, with EES symbols (k read as low)', async () => {
    const d = await ok<{
      indicator: {
        fromRecords: boolean;
        value: {
          source: string;
          value: F;
          numerator: F | null;
          national: F;
          neighbourAverage: F;
          previous: { value: F };
          direction: string;
        };
      };
    }>(
      `{ indicator(code: "PILOT_SATISFACTION") { fromRecords value(area: "${KENT}", period: "${AY2016}") {
          source value ${FIG} numerator ${FIG} national ${FIG} neighbourAverage ${FIG} previous { value ${FIG} } direction } } }`,
    );
    const v = d.indicator.value;
    expect(d.indicator.fromRecords).toBe(false);
    expect(v.source).toBe('PUBLISHED');
    expect(v.value).toEqual({ value: 88, symbol: null, formatted: '88%' });
    expect(v.numerator).toBeNull();
    expect(v.national.value).toBe(85);
    expect(v.neighbourAverage.value).toBe(90); // Essex is `c`, only Lancashire's 90 counts
    expect(v.previous.value).toEqual({ value: null, symbol: 'low', formatted: 'low' });
    expect(v.direction).toBe('NOT_COMPARABLE');
    const n = await ok<{ indicator: { value: { value: F } } }>(
      `{ indicator(code: "PILOT_SATISFACTION") { value(area: "${NEIGHBOURS[0].code}", period: "${AY2016}") { value ${FIG} } } }`,
    );
    expect(n.indicator.value.value).toEqual({ value: null, symbol: 'c', formatted: 'c' });
  });

  it('lists a series: records where they exist, published history before, oldest first', async () => {
    const d = await ok<{ indicator: { series: { period: { code: string }; source: string; value: F }[] } }>(
      `{ indicator(code: "PILOT_COMPLETION") { series(area: "${KENT}") { period { code } source value { value } } } }`,
    );
    const s = d.indicator.series;
    expect(s.map((x) => x.period.code)).toEqual([AY2013, AY2014, AY2015, AY2016]);
    expect(s.map((x) => x.source)).toEqual(['RECORDS', 'PUBLISHED', 'RECORDS', 'RECORDS']);
    expect(s[1].value.value).toBe(68);
    const from = await ok<{ indicator: { series: { period: { code: string } }[] } }>(
      `{ indicator(code: "PILOT_COMPLETION") { series(area: "${KENT}", from: "${AY2014}", to: "${AY2015}") { period { code } } } }`,
    );
    expect(from.indicator.series.map((x) => x.period.code)).toEqual([AY2014, AY2015]);
  });

  it('says x for an area and period with no figure at all', async () => {
    const d = await ok<{ indicator: { value: { value: F; source: null; status: string } } }>(
      `{ indicator(code: "PILOT_SATISFACTION") { value(area: "${KENT}", period: "2012/2013|AY") { value ${FIG} source status } } }`,
    );
    expect(d.indicator.value).toEqual({
      value: { value: null, symbol: 'x', formatted: 'x' },
      source: null,
      status: 'NO_TARGET',
    });
  });
});

describe('catalogue and scorecard', () => {
  it('keeps the Indicator table in sync with the plugin’s definitions', async () => {
    await ok('{ indicators { code } }');
    const rows = await fx.db.prisma.indicator.findMany({
      where: { service: 'readingPilot' },
      orderBy: { code: 'asc' },
    });
    expect(rows.map((r) => [r.code, r.unit, r.polarity, r.decimalPlaces, r.periodType])).toEqual([
      ['PILOT_BOOKS', 'AVERAGE_POINTS', 'HIGH_IS_GOOD', 1, 'ACADEMIC_YEAR'],
      ['PILOT_COMPLETION', 'PERCENT', 'HIGH_IS_GOOD', 1, 'ACADEMIC_YEAR'],
      ['PILOT_ENROLMENTS', 'COUNT', 'NO_JUDGEMENT', 0, 'ACADEMIC_YEAR'],
      ['PILOT_SATISFACTION', 'PERCENT', 'HIGH_IS_GOOD', 0, 'ACADEMIC_YEAR'],
    ]);
  });

  it('describes an indicator, and answers null for an unknown code', async () => {
    const d = await ok<{ a: Record<string, unknown>; b: null }>(
      `{ a: indicator(code: "PILOT_BOOKS") { code name service unit polarity decimalPlaces periodType amberTolerance dimensions }
         b: indicator(code: "NOPE") { code } }`,
    );
    expect(d.a).toEqual({
      code: 'PILOT_BOOKS',
      name: 'Books read per pilot child',
      service: 'readingPilot',
      unit: 'AVERAGE_POINTS',
      polarity: 'HIGH_IS_GOOD',
      decimalPlaces: 1,
      periodType: 'ACADEMIC_YEAR',
      amberTolerance: 0.1,
      dimensions: ['SEX', 'FSM', 'DISTRICT'],
    });
    expect(d.b).toBeNull();
  });

  it('builds a scorecard of every enabled indicator, or of the services asked for', async () => {
    const d = await ok<{
      scorecard: {
        area: { code: string };
        rows: { indicator: { code: string }; period: { code: string }; value: F; status: string; direction: string }[];
      };
    }>(
      `{ scorecard(area: "${KENT}", period: "${AY2016}", services: ["reading-pilot"]) { area { code }
          rows { indicator { code } period { code } value ${FIG} status direction } } }`,
    );
    expect(d.scorecard.area.code).toBe(KENT);
    expect(d.scorecard.rows.map((r) => r.indicator.code)).toEqual([
      'PILOT_COMPLETION',
      'PILOT_BOOKS',
      'PILOT_ENROLMENTS',
      'PILOT_SATISFACTION',
    ]);
    expect(d.scorecard.rows[0].value.value).toBeCloseTo(kentValue, 10);
    expect(d.scorecard.rows[0].status).toBe('AMBER');
    expect(d.scorecard.rows[3].value.value).toBe(88);
    const none = await app.gql(
      `{ scorecard(area: "${KENT}", period: "${AY2016}", services: ["nope"]) { rows { value { value } } } }`,
    );
    expect(none.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'services' });
  });

  it('rejects bad arguments with typed errors naming them', async () => {
    const cases: [string, string, RegExp][] = [
      [`value(area: "${KENT}", period: "2016-17")`, 'period', /not a period code/],
      [`value(area: "${KENT}", period: "2016/2017|FY")`, 'period', /reported by ACADEMIC_YEAR/],
      [`value(area: "${KENT}", period: "2030/2031|AY")`, 'period', /no period/],
      [`value(area: "E99999999", period: "${AY2016}")`, 'area', /No area has the code/],
      [`series(area: "${KENT}", from: "${AY2016}", to: "${AY2015}") { value { value } }`, 'from', /after/],
    ];
    for (const [field, argument, message] of cases) {
      const q = field.includes('series') ? field : `${field} { value { value } }`;
      const r = await app.gql(`{ indicator(code: "PILOT_COMPLETION") { ${q} } }`);
      expect(r.errors?.[0].message, field).toMatch(message);
      expect(r.errors?.[0].extensions, field).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    }
  });
});

describe('one grouped statement per indicator x period', () => {
  const fields = `value { value } numerator { value } ci95 { lower } status change direction national { value }
    rank { position } quartile breakdown(dimension: FSM) { value { value } } gap(group: FSM) { value { value } }`;

  async function statements(query: string): Promise<string[]> {
    await app.gql(query); // warm-up: the catalogue sync runs once per process
    // Measure cold: the result cache answers a repeat without computing, until a write raises the counters.
    await fx.db.prisma.$executeRaw`UPDATE "TableVersion" SET version = version + 1`;
    fx.db.recorded = [];
    const r = await app.gql(query);
    expect(r.errors).toBeUndefined();
    const recorded = fx.db.recorded ?? [];
    fx.db.recorded = null;
    return recorded;
  }

  it('costs the same SQL statements for Kent and its 12 districts as for Kent alone', async () => {
    const kent = `k: value(area: "${KENT}", period: "${AY2016}") { ${fields} }`;
    const districts = DISTRICTS.map((c, i) => `d${i}: value(area: "${c}", period: "${AY2016}") { ${fields} }`);
    const alone = await statements(`{ indicator(code: "PILOT_COMPLETION") { ${kent} } }`);
    const all = await statements(`{ indicator(code: "PILOT_COMPLETION") { ${kent} ${districts.join(' ')} } }`);
    expect(all.length).toBe(alone.length);
    // Two periods (this one and the previous, for direction): two grouped statements, however many areas.
    expect(all.filter((s) => s.includes('GROUPING SETS'))).toHaveLength(2);
  });

  it('costs the same through the plugin’s Area field for 12 districts as for one', async () => {
    const q = (level: string) =>
      `{ areas(${level}) { readingPilot { completion(period: "${AY2016}") { value { value } gap(group: FSM) { value { value } } } enrolments(period: "${AY2016}") { value { value } } } } }`;
    const one = await statements(
      `{ area(code: "${ASHFORD}") { readingPilot { completion(period: "${AY2016}") { value { value } gap(group: FSM) { value { value } } } enrolments(period: "${AY2016}") { value { value } } } } }`,
    );
    const twelve = await statements(q('level: DISTRICT'));
    expect(twelve.length).toBe(one.length);
  });
});
