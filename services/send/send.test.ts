// SEND indicators and GraphQL on a fixture small enough to check by hand: the 20-week measure at exactly
// 140 and 141 days, exceptions and outcomes left out, calendar-year edges; plans in force on the January
// census day; places; the engine's figures (value, Wilson interval, FSM and sex gaps) through Area.send;
// cohorts; record-level assessments; a constant number of SQL statements for all 12 districts; and a schema
// with this plugin alone.
import { validateSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANALYST } from '../../src/context.js';
import { iso, parseDay } from '../../src/core/dates.js';
import { ENGLAND, KENT, KENT_DISTRICTS } from '../../src/core/demo-areas.js';
import { seedGeography } from '../../src/core/demo-population.js';
import { parsePeriod } from '../../src/core/period-codes.js';
import type { IndicatorDefinition } from '../../src/core/reporting/types.js';
import type { Prisma } from '../../src/generated/prisma/client.js';
import { buildSchema, enabledServices } from '../../src/schema.js';
import { createTestDatabase, type TestApp, testApp } from '../../test/harness.js';
import { januaryCensusDate } from './census.js';
import { assessmentRequested, senSupport, withEhcp } from './cohorts.js';
import { SEND_EHCP_COUNT, SEND_EHCP_WITHIN_20_WEEKS, SEND_SPECIALIST_PLACES } from './indicators.js';
import { send } from './plugin.js';

const MAIDSTONE = 'E07000110';
const ASHFORD = 'E07000105';
const plusDays = (s: string, days: number) => new Date(parseDay(s).getTime() + days * 86_400_000);

// ---------------------------------------------------------------- fixture

interface Person {
  id: string;
  district: string;
  sex: 'FEMALE' | 'MALE';
  fsm: boolean;
  sen: 'NONE' | 'SEN_SUPPORT' | 'EHCP';
}
const PEOPLE: Person[] = [
  { id: 'S01', district: MAIDSTONE, sex: 'MALE', fsm: false, sen: 'EHCP' },
  { id: 'S02', district: MAIDSTONE, sex: 'MALE', fsm: true, sen: 'EHCP' },
  { id: 'S03', district: MAIDSTONE, sex: 'FEMALE', fsm: false, sen: 'EHCP' },
  { id: 'S04', district: MAIDSTONE, sex: 'FEMALE', fsm: true, sen: 'EHCP' },
  { id: 'S05', district: ASHFORD, sex: 'MALE', fsm: false, sen: 'EHCP' },
  { id: 'S06', district: ASHFORD, sex: 'FEMALE', fsm: true, sen: 'SEN_SUPPORT' },
  { id: 'S07', district: ASHFORD, sex: 'MALE', fsm: false, sen: 'EHCP' },
  { id: 'S08', district: ASHFORD, sex: 'FEMALE', fsm: false, sen: 'EHCP' },
  { id: 'S09', district: ASHFORD, sex: 'MALE', fsm: true, sen: 'EHCP' },
  { id: 'S10', district: ASHFORD, sex: 'FEMALE', fsm: false, sen: 'SEN_SUPPORT' },
  { id: 'S11', district: MAIDSTONE, sex: 'MALE', fsm: false, sen: 'NONE' },
];

type Outcome = 'ISSUED' | 'NOT_ISSUED' | 'IN_PROGRESS' | 'WITHDRAWN';
/** [id, person, requested, days to issue (null: none), outcome, exception] */
const ASSESSMENTS: [string, string, string, number | null, Outcome, boolean][] = [
  ['A01', 'S01', '2016-01-04', 140, 'ISSUED', false], // exactly 20 weeks: on time
  ['A02', 'S02', '2016-01-04', 141, 'ISSUED', false], // a day over: late
  ['A03', 'S03', '2016-03-01', 100, 'ISSUED', false],
  ['A04', 'S04', '2016-02-10', 200, 'ISSUED', false],
  ['A05', 'S05', '2016-04-01', 90, 'ISSUED', true], // exception: not in the measure
  ['A06', 'S06', '2016-05-01', null, 'NOT_ISSUED', false],
  ['A07', 'S07', '2015-08-23', 130, 'ISSUED', false], // issued 31 December 2015
  ['A08', 'S08', '2016-08-25', 129, 'ISSUED', false], // issued 1 January 2017
  ['A09', 'S09', '2016-08-23', 130, 'ISSUED', false], // issued 31 December 2016
  ['A10', 'S10', '2016-11-01', null, 'IN_PROGRESS', false],
];

/** [person, started, ended] of EHC plans. */
const PLANS: [string, string, string | null][] = [
  ['S01', '2017-01-19', null], // starts on the 2017 census day: counts
  ['S02', '2017-01-20', null], // the day after: does not
  ['S03', '2012-05-01', '2017-01-19'], // ended on census day: not in force
  ['S04', '2012-05-01', '2017-01-20'], // ended the day after: in force
  ['S05', '2010-01-01', null],
  ['S07', '2015-02-01', '2016-12-31'], // in force in January 2016, not 2017
  ['S08', '2014-09-01', null],
  ['S09', '2013-03-03', null],
  ['S11', '2016-06-01', null], // new since January 2016
];

/** [provider, district, year, need, type, places] */
const PLACES: [string, string, string, 'ASD' | 'SEMH' | 'PD', 'SPECIAL_SCHOOL' | 'SRP', number][] = [
  ['118600', MAIDSTONE, '2017/2018|AY', 'ASD', 'SPECIAL_SCHOOL', 60],
  ['118600', MAIDSTONE, '2017/2018|AY', 'SEMH', 'SPECIAL_SCHOOL', 25],
  ['141000-SRP', MAIDSTONE, '2017/2018|AY', 'ASD', 'SRP', 12],
  ['118603', ASHFORD, '2017/2018|AY', 'PD', 'SPECIAL_SCHOOL', 40],
  ['118603', ASHFORD, '2016/2017|AY', 'PD', 'SPECIAL_SCHOOL', 36],
];

// ---------------------------------------------------------------- expected, computed from the fixture

interface Tally {
  n: number;
  d: number;
}
function tally(rows: { district: string; n: number; d?: number }[]): Map<string, Tally> {
  const m = new Map<string, Tally>();
  for (const r of rows) {
    for (const k of [r.district, KENT]) {
      const t = m.get(k) ?? { n: 0, d: 0 };
      m.set(k, { n: t.n + r.n, d: t.d + (r.d ?? 1) });
    }
  }
  return m;
}
const person = (id: string) => PEOPLE.find((p) => p.id === id)!;

function expectedWithin20Weeks(period: string) {
  const { startDate, endDate } = parsePeriod(period);
  return ASSESSMENTS.flatMap(([, pid, requested, days, outcome, exception]) => {
    if (outcome !== 'ISSUED' || exception || days === null) return [];
    const issued = plusDays(requested, days);
    if (issued < startDate || issued > endDate) return [];
    return [{ ...person(pid), district: person(pid).district, n: days <= 140 ? 1 : 0 }];
  });
}

function expectedInForce(census: Date) {
  return PLANS.filter(([, start, end]) => parseDay(start) <= census && (!end || parseDay(end) > census)).map(
    ([pid]) => ({
      district: person(pid).district,
      n: 1,
    }),
  );
}

const Z = 1.959964;
function wilsonPercent(n: number, d: number) {
  const p = n / d;
  const centre = (p + (Z * Z) / (2 * d)) / (1 + (Z * Z) / d);
  const half = (Z / (1 + (Z * Z) / d)) * Math.sqrt((p * (1 - p)) / d + (Z * Z) / (4 * d * d));
  return { lower: 100 * Math.max(0, centre - half), upper: 100 * Math.min(1, centre + half) };
}

// ---------------------------------------------------------------- database

let app: TestApp;
beforeAll(async () => {
  const db = await createTestDatabase();
  await db.prisma.$transaction(async (tx) => {
    await seedGeography(tx);
    await tx.person.createMany({
      data: PEOPLE.map((p) => ({
        id: p.id,
        birthMonth: parseDay('2006-05-01'),
        sex: p.sex,
        ethnicityMajor: 'WHITE' as const,
        districtCode: p.district,
      })),
    });
    // Calendar year 2016 is broken down by the characteristics of 2015/16 (the academic year it starts in).
    await tx.personCharacteristic.createMany({
      data: PEOPLE.map((p) => ({
        personId: p.id,
        periodCode: '2015/2016|AY',
        fsm: p.fsm,
        senStatus: p.sen,
        inCare: false,
        eal: false,
      })),
    });
    await tx.ehcAssessment.createMany({
      data: ASSESSMENTS.map(([id, personId, requested, days, outcome, exception]) => ({
        id,
        personId,
        requestedOn: parseDay(requested),
        decidedOn:
          days === null ? (outcome === 'NOT_ISSUED' ? plusDays(requested, 40) : null) : plusDays(requested, days - 20),
        issuedOn: days === null ? null : plusDays(requested, days),
        outcome,
        primaryNeed: 'ASD' as const,
        exception,
      })),
    });
    await tx.ehcPlan.createMany({
      data: PLANS.map(([personId, start, end]) => ({
        personId,
        startedOn: parseDay(start),
        endedOn: end ? parseDay(end) : null,
        primaryNeed: 'SLCN' as const,
      })),
    });
    await tx.specialistProvision.createMany({
      data: PLACES.map(([providerId, districtCode, periodCode, needType, type, places]) => ({
        providerId,
        districtCode,
        periodCode,
        needType,
        type,
        places,
        providerName: `Provider ${providerId}`,
      })),
    });
    await tx.indicator.createMany({
      data: send.indicators.map((i) => ({
        code: i.code,
        name: i.name,
        description: i.description,
        service: 'send',
        unit: i.unit,
        polarity: i.polarity,
        decimalPlaces: i.decimalPlaces,
        periodType: i.periodType,
      })),
    });
    await tx.observation.create({
      data: { indicatorCode: 'SEND_EHCP_WITHIN_20_WEEKS', areaCode: ENGLAND, periodCode: '2016|CY', value: 58.6 },
    });
  });
  // Statements are counted per request: the cross-request cache (tested in test/cache) is off.
  app = testApp(db, { services: [send], viewer: ANALYST, cache: { enabled: false } });
});
afterAll(() => app.db.close());

async function factRows(def: IndicatorDefinition, period: string) {
  return app.db.prisma.$queryRaw<
    { person_id: string | null; district_code: string; numerator: number; denominator: number }[]
  >`
    SELECT person_id, district_code, numerator::float8 AS numerator, denominator::float8 AS denominator
    FROM (${def.facts!(parsePeriod(period))}) f`;
}
async function facts(def: IndicatorDefinition, period: string) {
  return tally(
    (await factRows(def, period)).map((r) => ({ district: r.district_code, n: r.numerator, d: r.denominator })),
  );
}

describe('SEND_EHCP_WITHIN_20_WEEKS facts', () => {
  it('counts a plan issued after exactly 140 days as on time, and 141 days as late', async () => {
    const rows = await factRows(SEND_EHCP_WITHIN_20_WEEKS, '2016|CY');
    const byPerson = new Map(rows.map((r) => [r.person_id, r.numerator]));
    expect(iso(plusDays('2016-01-04', 140))).toBe('2016-05-23');
    expect(byPerson.get('S01')).toBe(1);
    expect(byPerson.get('S02')).toBe(0);
  });

  it('counts plans issued in the calendar year, leaving out exceptions and plans not issued', async () => {
    const expected = tally(expectedWithin20Weeks('2016|CY'));
    expect(await facts(SEND_EHCP_WITHIN_20_WEEKS, '2016|CY')).toEqual(expected);
    // A01, A03, A09 on time; A02, A04 late; A05 exception; A06, A10 not issued; A07, A08 other years.
    expect(expected.get(KENT)).toEqual({ n: 3, d: 5 });
    expect(await facts(SEND_EHCP_WITHIN_20_WEEKS, '2015|CY')).toEqual(tally(expectedWithin20Weeks('2015|CY')));
    expect(await facts(SEND_EHCP_WITHIN_20_WEEKS, '2017|CY')).toEqual(tally(expectedWithin20Weeks('2017|CY')));
  });
});

describe('SEND_EHCP_COUNT facts', () => {
  it('uses the third Thursday of January as the census day', () => {
    expect(iso(januaryCensusDate(2017))).toBe('2017-01-19');
    expect(iso(januaryCensusDate(2016))).toBe('2016-01-21');
    expect(iso(januaryCensusDate(2018))).toBe('2018-01-18');
  });

  it('counts plans in force on the census day: started by then, not yet ended', async () => {
    for (const year of [2016, 2017]) {
      expect(await facts(SEND_EHCP_COUNT, `${year}|CY`)).toEqual(tally(expectedInForce(januaryCensusDate(year))));
    }
    // 2017: S01 (started that day), S04 (ended the day after), S05, S08, S09, S11.
    expect(tally(expectedInForce(januaryCensusDate(2017))).get(KENT)).toEqual({ n: 6, d: 6 });
  });

  it('has no facts for a period without a January', async () => {
    expect(await factRows(SEND_EHCP_COUNT, '2017|M6')).toEqual([]);
  });
});

describe('SEND_SPECIALIST_PLACES facts', () => {
  it('sums the year’s places by district of the provision', async () => {
    const year = '2017/2018|AY';
    const expected = tally(
      PLACES.filter((p) => p[2] === year).map(([, district, , , , places]) => ({ district, n: places })),
    );
    const got = await facts(SEND_SPECIALIST_PLACES, year);
    for (const [k, t] of expected) expect(got.get(k)?.n).toBe(t.n);
    expect(expected.get(KENT)?.n).toBe(137);
  });
});

describe('cohorts', () => {
  const members = async (sql: Prisma.Sql) =>
    (await app.db.prisma.$queryRaw<{ person_id: string }[]>(sql)).map((r) => r.person_id).sort();
  it('send.withEhcp: a plan in force at any time in the period', async () => {
    const p = parsePeriod('2016/2017|AY');
    const expected = PLANS.filter(([, s, e]) => parseDay(s) <= p.endDate && (!e || parseDay(e) > p.startDate)).map(
      ([id]) => id,
    );
    expect(await members(withEhcp.members(p))).toEqual([...new Set(expected)].sort());
  });
  it('send.senSupport: SEN support in the census characteristics of the year', async () => {
    expect(await members(senSupport.members(parsePeriod('2015/2016|AY')))).toEqual(
      PEOPLE.filter((p) => p.sen === 'SEN_SUPPORT').map((p) => p.id),
    );
  });
  it('send.assessmentRequested: requests received in the period', async () => {
    const p = parsePeriod('2016|CY');
    expect(await members(assessmentRequested.members(p))).toEqual(
      ASSESSMENTS.filter(([, , r]) => parseDay(r) >= p.startDate && parseDay(r) <= p.endDate)
        .map(([, id]) => id)
        .sort(),
    );
  });
});

interface Figure {
  value: number | null;
}

describe('Area.send through the reporting engine', () => {
  const QUERY = `query($area: String!) { area(code: $area) { send {
    ehcpIssuedWithin20Weeks(period: "2016|CY") { value { value } numerator { value } denominator { value } ci95 { lower upper } national { value }
      fsm: gap(group: FSM) { value { value } significant smallCohort } male: gap(group: MALE) { value { value } } }
    ehcpCount(period: "2017|CY") { value { value } change direction }
    specialistPlacesByNeed(period: "2017/2018|AY") { need places specialSchools resourced } } } }`;

  for (const area of [KENT, MAIDSTONE]) {
    it(`gives ${area} the 20-week figure with its interval and gaps, the plans in force and places by need`, async () => {
      const r = await app.gql<{
        area: {
          send: {
            ehcpIssuedWithin20Weeks: {
              value: Figure;
              numerator: Figure;
              denominator: Figure;
              ci95: { lower: number; upper: number };
              national: Figure;
              fsm: { value: Figure; significant: boolean | null; smallCohort: boolean };
              male: { value: Figure };
            };
            ehcpCount: { value: Figure; change: number; direction: string };
            specialistPlacesByNeed: { need: string; places: number; specialSchools: number; resourced: number }[];
          };
        };
      }>(QUERY, { area });
      expect(r.errors).toBeUndefined();
      const s = r.data!.area.send;
      const rows = expectedWithin20Weeks('2016|CY').filter((x) => area === KENT || x.district === area);
      const n = rows.reduce((a, x) => a + x.n, 0);
      const w = s.ehcpIssuedWithin20Weeks;
      expect([w.numerator.value, w.denominator.value]).toEqual([n, rows.length]);
      expect(w.value.value).toBeCloseTo((100 * n) / rows.length, 10);
      const ci = wilsonPercent(n, rows.length);
      expect(w.ci95.lower).toBeCloseTo(ci.lower, 8);
      expect(w.ci95.upper).toBeCloseTo(ci.upper, 8);
      expect(w.national.value).toBe(58.6);
      const rate = (xs: { n: number }[]) => (100 * xs.reduce((a, x) => a + x.n, 0)) / xs.length;
      expect(w.fsm.value.value).toBeCloseTo(rate(rows.filter((x) => !x.fsm)) - rate(rows.filter((x) => x.fsm)), 10);
      expect(w.fsm.smallCohort).toBe(true);
      expect(w.male.value.value).toBeCloseTo(
        rate(rows.filter((x) => x.sex === 'FEMALE')) - rate(rows.filter((x) => x.sex === 'MALE')),
        10,
      );

      const inForce = (year: number) =>
        expectedInForce(januaryCensusDate(year)).filter((x) => area === KENT || x.district === area).length;
      expect(s.ehcpCount.value.value).toBe(inForce(2017));
      expect(s.ehcpCount.change).toBe(inForce(2017) - inForce(2016));

      const byNeed = new Map<string, { places: number; specialSchools: number; resourced: number }>();
      for (const [, district, year, need, type, places] of PLACES) {
        if (year !== '2017/2018|AY' || (area !== KENT && district !== area)) continue;
        const b = byNeed.get(need) ?? { places: 0, specialSchools: 0, resourced: 0 };
        b.places += places;
        if (type === 'SPECIAL_SCHOOL') b.specialSchools += places;
        else b.resourced += places;
        byNeed.set(need, b);
      }
      expect(s.specialistPlacesByNeed).toEqual(
        [...byNeed].map(([need, b]) => ({ need, ...b })).sort((a, b) => b.places - a.places),
      );
    });
  }

  it('serves specialist places through the engine', async () => {
    const r = await app.gql<{ area: { send: { specialistPlaces: { value: Figure } } } }>(
      `{ area(code: "${KENT}") { send { specialistPlaces(period: "2017/2018|AY") { value { value } } } } }`,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.area.send.specialistPlaces.value.value).toBe(
      PLACES.filter((p) => p[2] === '2017/2018|AY').reduce((a, p) => a + p[5], 0),
    );
  });

  it('refuses a period of the wrong type, naming the argument', async () => {
    const r = await app.gql(
      `{ area(code: "${KENT}") { send { ehcpIssuedWithin20Weeks(period: "2016/2017|AY") { value { value } } } } }`,
    );
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'period' });
    const places = await app.gql(
      `{ area(code: "${KENT}") { send { specialistPlacesByNeed(period: "2017|CY") { need } } } }`,
    );
    expect(places.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'period' });
  });

  it('asks for all 12 districts with as many SQL statements as for one', async () => {
    const fields = `send {
      ehcpIssuedWithin20Weeks(period: "2016|CY") { value { formatted } fsm: gap(group: FSM) { value { value } } }
      ehcpCount(period: "2017|CY") { value { formatted } change }
      specialistPlaces(period: "2017/2018|AY") { value { formatted } }
      specialistPlacesByNeed(period: "2017/2018|AY") { need places } }`;
    const count = async (query: string) => {
      const before = app.db.sqlCount;
      const r = await app.gql<{ areas?: unknown[] }>(query);
      expect(r.errors).toBeUndefined();
      return { statements: app.db.sqlCount - before, data: r.data };
    };
    // Once first: one-off work (the engine's catalogue sync) must not be counted against either request.
    await count(`{ area(code: "${MAIDSTONE}") { ${fields} } }`);
    const one = await count(`{ area(code: "${MAIDSTONE}") { ${fields} } }`);
    const all = await count(`{ areas(level: DISTRICT) { code ${fields} } }`);
    expect(all.data?.areas).toHaveLength(KENT_DISTRICTS.length);
    expect(all.statements).toBe(one.statements);
  });
});

describe('record-level assessments', () => {
  it('lists issued assessments of an area with days to issue and the 20-week flag, page by page', async () => {
    const wanted = ASSESSMENTS.filter(
      ([, pid, , , outcome]) => outcome === 'ISSUED' && person(pid).district === MAIDSTONE,
    );
    const seen: { id: string; daysToIssue: number; issuedWithin20Weeks: boolean; issuedOn: string }[] = [];
    let after: string | null = null;
    do {
      const r: {
        data?: { send: { assessments: { totalCount: number; nextCursor: string | null; nodes: typeof seen } } };
        errors?: unknown;
      } = await app.gql(
        `query($after: String) { send { assessments(area: "${MAIDSTONE}", outcome: ISSUED, first: 3, after: $after) {
            totalCount nextCursor nodes { id daysToIssue issuedWithin20Weeks issuedOn } } } }`,
        { after },
      );
      expect(r.errors).toBeUndefined();
      expect(r.data!.send.assessments.totalCount).toBe(wanted.length);
      seen.push(...r.data!.send.assessments.nodes);
      after = r.data!.send.assessments.nextCursor;
    } while (after);
    expect(seen).toEqual(
      wanted.map(([id, , requested, days]) => ({
        id,
        daysToIssue: days,
        issuedWithin20Weeks: (days as number) <= 140,
        issuedOn: iso(plusDays(requested, days as number)),
      })),
    );
  });

  it('closes the list to analysts of other services, who still read the area figures', async () => {
    const other = testApp(app.db, {
      services: [send],
      viewer: { role: 'SERVICE_ANALYST', services: ['early-years'], name: 'an Early Years analyst' },
    });
    const list = await other.gql('{ send { assessments(first: 1) { totalCount } } }');
    expect(list.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    const figures = await other.gql(
      `{ area(code: "${KENT}") { send { ehcpCount(period: "2017|CY") { value { value } } } } }`,
    );
    expect(figures.errors).toBeUndefined();
  });

  it('filters by issue dates and exception, and rejects reversed ranges', async () => {
    const r = await app.gql<{ send: { assessments: { nodes: { id: string }[] } } }>(
      '{ send { assessments(issuedFrom: "2016-01-01", issuedTo: "2016-12-31", exception: false) { nodes { id } } } }',
    );
    expect(r.data!.send.assessments.nodes.map((n) => n.id)).toEqual(
      ASSESSMENTS.filter(([, , requested, days, , exception]) => {
        if (days === null || exception) return false;
        const on = plusDays(requested, days);
        return on >= parseDay('2016-01-01') && on <= parseDay('2016-12-31');
      }).map(([id]) => id),
    );
    const bad = await app.gql(
      '{ send { assessments(requestedFrom: "2016-05-01", requestedTo: "2016-01-01") { totalCount } } }',
    );
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'requestedTo' });
  });
});

describe('CYPE_SERVICES=send', () => {
  it('builds a valid schema with the SEND types and none of Early Years’', () => {
    const schema = buildSchema(enabledServices('send'));
    expect(validateSchema(schema)).toEqual([]);
    for (const name of ['SendArea', 'EhcAssessment', 'SenPrimaryNeed']) expect(schema.getType(name)).toBeDefined();
    for (const name of ['EarlyYearsArea', 'EyfsResult', 'OfstedGrade']) expect(schema.getType(name)).toBeUndefined();
  });
});
