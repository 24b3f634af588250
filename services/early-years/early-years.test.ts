// Early Years indicators and GraphQL on a fixture small enough to check by hand: each indicator's facts SQL
// against counts computed here from the fixture rows, the engine's figures (value, Wilson interval, FSM and
// sex gaps) through Area.earlyYears, cohorts, record-level lists, a constant number of SQL statements for
// all 12 districts, and a schema with this plugin alone.
import { validateSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANALYST } from '../../src/context.js';
import { parseDay } from '../../src/core/dates.js';
import { ENGLAND, KENT, KENT_DISTRICTS } from '../../src/core/demo-areas.js';
import { periodRow, seedGeography } from '../../src/core/demo-population.js';
import { parsePeriod } from '../../src/core/period-codes.js';
import { materialiseFacts } from '../../src/core/reporting/snapshots.js';
import type { IndicatorDefinition } from '../../src/core/reporting/types.js';
import type { Prisma } from '../../src/generated/prisma/client.js';
import { buildSchema, enabledServices } from '../../src/schema.js';
import { createTestDatabase, recorded, type TestApp, testApp } from '../../test/harness.js';
import { eyfsCohort, gldNotAchieved, twoYearOldFunded } from './cohorts.js';
import { EY_CENTRE_REGISTRATION, EY_GLD, EY_SETTINGS_GOOD_OUTSTANDING, EY_TWO_YEAR_TAKE_UP } from './indicators.js';
import { earlyYears } from './plugin.js';
import { catalogueRows } from './seed.js';

const MAIDSTONE = 'E07000110';
const ASHFORD = 'E07000105';
const AY = '2015/2016|AY';

// ---------------------------------------------------------------- fixture

interface Child {
  id: string;
  born: string;
  sex: 'FEMALE' | 'MALE';
  district: string;
  fsm: boolean;
  sen: 'NONE' | 'SEN_SUPPORT' | 'EHCP';
}
// Reception 2015/16: born September 2010 to August 2011.
const RECEPTION: (Child & { gld: boolean; points: number | null })[] = [
  { id: 'R01', born: '2010-09-01', sex: 'FEMALE', district: MAIDSTONE, fsm: false, sen: 'NONE', gld: true, points: 38 },
  { id: 'R02', born: '2010-10-01', sex: 'FEMALE', district: MAIDSTONE, fsm: true, sen: 'NONE', gld: true, points: 34 },
  {
    id: 'R03',
    born: '2010-11-01',
    sex: 'MALE',
    district: MAIDSTONE,
    fsm: true,
    sen: 'SEN_SUPPORT',
    gld: false,
    points: 25,
  },
  { id: 'R04', born: '2011-01-01', sex: 'MALE', district: MAIDSTONE, fsm: false, sen: 'NONE', gld: true, points: 36 },
  {
    id: 'R05',
    born: '2011-02-01',
    sex: 'MALE',
    district: MAIDSTONE,
    fsm: false,
    sen: 'NONE',
    gld: false,
    points: null,
  },
  { id: 'R06', born: '2011-03-01', sex: 'FEMALE', district: ASHFORD, fsm: false, sen: 'NONE', gld: true, points: 40 },
  { id: 'R07', born: '2011-04-01', sex: 'MALE', district: ASHFORD, fsm: true, sen: 'NONE', gld: false, points: 28 },
  { id: 'R08', born: '2011-05-01', sex: 'FEMALE', district: ASHFORD, fsm: false, sen: 'EHCP', gld: false, points: 17 },
  { id: 'R09', born: '2011-06-01', sex: 'MALE', district: ASHFORD, fsm: false, sen: 'NONE', gld: true, points: 35 },
  { id: 'R10', born: '2011-08-01', sex: 'FEMALE', district: ASHFORD, fsm: true, sen: 'NONE', gld: true, points: 33 },
];
// A result of another year must not count in 2015/16.
const LAST_YEAR = {
  id: 'R11',
  born: '2009-12-01',
  sex: 'MALE' as const,
  district: ASHFORD,
  fsm: false,
  sen: 'NONE' as const,
};

// Two-year-olds and their funding by term (T1 autumn, T2 spring, T3 summer of 2015/16; one term of 2016/17).
const TWOS: { id: string; born: string; district: string; terms: [string, boolean, boolean][] }[] = [
  {
    id: 'F01',
    born: '2013-06-01',
    district: MAIDSTONE,
    terms: [
      ['2015/2016|T1', true, false],
      ['2015/2016|T2', true, true],
      ['2015/2016|T3', true, true],
    ],
  },
  {
    id: 'F02',
    born: '2013-08-01',
    district: MAIDSTONE,
    terms: [
      ['2015/2016|T2', true, false],
      ['2015/2016|T3', true, false],
    ],
  },
  { id: 'F03', born: '2013-07-01', district: ASHFORD, terms: [['2015/2016|T1', false, false]] },
  { id: 'F04', born: '2014-05-01', district: ASHFORD, terms: [['2016/2017|T1', true, true]] },
  { id: 'F05', born: '2013-04-01', district: ASHFORD, terms: [['2015/2016|T1', true, true]] },
];

// Under-fives at 31 August 2016 are born after 31 August 2011; registrations count on or before that day.
const YOUNG: { id: string; born: string; district: string; registered: [string, string][] }[] = [
  { id: 'U01', born: '2011-09-01', district: MAIDSTONE, registered: [['CC1', '2012-01-10']] },
  { id: 'U02', born: '2016-08-01', district: MAIDSTONE, registered: [['CC1', '2016-08-31']] },
  { id: 'U03', born: '2015-01-01', district: ASHFORD, registered: [['CC2', '2016-09-01']] },
  {
    id: 'U04',
    born: '2014-03-01',
    district: ASHFORD,
    registered: [
      ['CC2', '2014-05-01'],
      ['CC3', '2015-02-01'],
    ],
  },
  { id: 'U05', born: '2016-09-01', district: ASHFORD, registered: [['CC2', '2016-09-15']] },
];

const SETTINGS: {
  urn: string;
  district: string;
  registered?: string;
  closed?: string;
  inspections: [string, string][];
}[] = [
  {
    urn: 'EY000001',
    district: MAIDSTONE,
    inspections: [
      ['2014-05-01', 'REQUIRES_IMPROVEMENT'],
      ['2016-02-01', 'GOOD'],
    ],
  },
  { urn: 'EY000002', district: MAIDSTONE, inspections: [['2016-09-10', 'OUTSTANDING']] },
  {
    urn: 'EY000003',
    district: ASHFORD,
    registered: '2010-01-01',
    closed: '2016-03-01',
    inspections: [['2013-06-01', 'GOOD']],
  },
  { urn: 'EY000004', district: ASHFORD, inspections: [['2015-08-31', 'INADEQUATE']] },
  { urn: 'EY000005', district: ASHFORD, registered: '2016-10-01', inspections: [['2017-01-10', 'GOOD']] },
  { urn: 'EY000006', district: ASHFORD, inspections: [['2012-03-01', 'OUTSTANDING']] },
];

// ---------------------------------------------------------------- expected counts, computed from the fixture

interface Tally {
  n: number;
  d: number;
}
const add = (m: Map<string, Tally>, k: string, n: number) => {
  const t = m.get(k) ?? { n: 0, d: 0 };
  m.set(k, { n: t.n + n, d: t.d + 1 });
};
/** Sums per district and for Kent (the sum over its districts). */
function tally(rows: { district: string; n: number }[]): Map<string, Tally> {
  const m = new Map<string, Tally>();
  for (const r of rows) {
    add(m, r.district, r.n);
    add(m, KENT, r.n);
  }
  return m;
}

function expectedGld() {
  return RECEPTION.map((c) => ({ ...c, n: c.gld ? 1 : 0 }));
}

function expectedTakeUp(period: string) {
  const { startDate, endDate } = parsePeriod(period);
  return TWOS.flatMap((c) => {
    const inYear = c.terms.filter(([t, eligible]) => {
      const term = parsePeriod(t);
      return eligible && term.startDate >= startDate && term.endDate <= endDate;
    });
    return inYear.length ? [{ district: c.district, n: inYear.some(([, , took]) => took) ? 1 : 0 }] : [];
  });
}

function expectedSettings(period: string) {
  const end = parsePeriod(period).endDate;
  return SETTINGS.flatMap((s) => {
    if ((s.registered && parseDay(s.registered) > end) || (s.closed && parseDay(s.closed) <= end)) return [];
    const latest = s.inspections
      .filter(([on]) => parseDay(on) <= end)
      .sort(([a], [b]) => a.localeCompare(b))
      .pop();
    return latest ? [{ district: s.district, n: latest[1] === 'GOOD' || latest[1] === 'OUTSTANDING' ? 1 : 0 }] : [];
  });
}

function expectedRegistration(period: string) {
  const end = parsePeriod(period).endDate;
  const fiveYearsBefore = new Date(Date.UTC(end.getUTCFullYear() - 5, end.getUTCMonth(), end.getUTCDate()));
  const everyone = [
    ...RECEPTION.map((c) => ({ ...c, registered: [] as [string, string][] })),
    { ...LAST_YEAR, registered: [] as [string, string][] },
    ...TWOS.map((c) => ({ ...c, registered: [] as [string, string][] })),
    ...YOUNG,
  ];
  return everyone
    .filter((c) => parseDay(c.born) <= end && parseDay(c.born) > fiveYearsBefore)
    .map((c) => ({ district: c.district, n: c.registered.some(([, on]) => parseDay(on) <= end) ? 1 : 0 }));
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
    await tx.period.createMany({
      data: ['2015/2016|T1', '2015/2016|T2', '2015/2016|T3', '2016/2017|T1'].map(periodRow),
      skipDuplicates: true,
    });
    const people = [...RECEPTION, LAST_YEAR, ...TWOS, ...YOUNG].map((c) => ({
      id: c.id,
      birthMonth: parseDay(c.born),
      sex: 'sex' in c ? c.sex : ('FEMALE' as const),
      ethnicityMajor: 'WHITE' as const,
      districtCode: c.district,
    }));
    await tx.person.createMany({ data: people });
    await tx.personCharacteristic.createMany({
      data: [...RECEPTION, LAST_YEAR].map((c) => ({
        personId: c.id,
        periodCode: c.id === LAST_YEAR.id ? '2014/2015|AY' : AY,
        fsm: c.fsm,
        senStatus: c.sen,
        inCare: false,
        eal: false,
      })),
    });
    await tx.eyfsResult.createMany({
      data: [
        ...RECEPTION.map((c) => ({ personId: c.id, periodCode: AY, gld: c.gld, totalPoints: c.points })),
        { personId: LAST_YEAR.id, periodCode: '2014/2015|AY', gld: true, totalPoints: 40 },
      ],
    });
    await tx.twoYearOldFunding.createMany({
      data: TWOS.flatMap((c) =>
        c.terms.map(([t, eligible, tookUp]) => ({ personId: c.id, periodCode: t, eligible, tookUp })),
      ),
    });
    await tx.childrensCentreRegistration.createMany({
      data: YOUNG.flatMap((c) =>
        c.registered.map(([centreId, on]) => ({ personId: c.id, centreId, registeredOn: parseDay(on) })),
      ),
    });
    for (const s of SETTINGS) {
      await tx.earlyYearsSetting.create({
        data: {
          urn: s.urn,
          name: `Setting ${s.urn}`,
          type: 'NON_DOMESTIC',
          districtCode: s.district,
          registeredOn: s.registered ? parseDay(s.registered) : null,
          closedOn: s.closed ? parseDay(s.closed) : null,
          inspections: {
            create: s.inspections.map(([on, grade]) => ({ inspectedOn: parseDay(on), grade: grade as 'GOOD' })),
          },
        },
      });
    }
    await tx.indicator.createMany({ data: catalogueRows(earlyYears.indicators, 'early-years'), skipDuplicates: true });
    await tx.target.create({
      data: { indicatorCode: 'EY_GLD', areaCode: KENT, periodCode: AY, kind: 'TARGET', value: 62 },
    });
    await tx.observation.create({ data: { indicatorCode: 'EY_GLD', areaCode: ENGLAND, periodCode: AY, value: 69.3 } });
  });
  // Statements are counted per request: the cross-request cache (tested in test/cache) is off.
  app = testApp(db, { services: [earlyYears], viewer: ANALYST, cache: { enabled: false } });
});
afterAll(() => app.db.close());

/** Runs an indicator's facts SQL and sums it by district and for Kent. */
async function facts(def: IndicatorDefinition, period: string): Promise<Map<string, Tally>> {
  const rows = await app.db.prisma.$queryRaw<{ district_code: string; n: number; d: number }[]>`
    SELECT district_code, SUM(numerator)::float8 AS n, SUM(denominator)::float8 AS d
    FROM (${def.facts!(parsePeriod(period))}) f GROUP BY district_code`;
  const m = new Map<string, Tally>();
  for (const r of rows) {
    m.set(r.district_code, { n: r.n, d: r.d });
    const k = m.get(KENT) ?? { n: 0, d: 0 };
    m.set(KENT, { n: k.n + r.n, d: k.d + r.d });
  }
  return m;
}

describe('facts SQL, against counts computed from the fixture', () => {
  it('EY_GLD counts the Reception children of the year, by home district', async () => {
    const expected = tally(expectedGld());
    expect(await facts(EY_GLD, AY)).toEqual(expected);
    // Sanity on the fixture itself: 6 of 10 reached a GLD, 3 of 5 in each district.
    expect(expected.get(KENT)).toEqual({ n: 6, d: 10 });
  });

  it('EY_TWO_YEAR_TAKE_UP counts each eligible child once, taking up in an eligible term of the year', async () => {
    for (const p of [AY, '2016/2017|AY']) expect(await facts(EY_TWO_YEAR_TAKE_UP, p)).toEqual(tally(expectedTakeUp(p)));
    expect(tally(expectedTakeUp(AY)).get(KENT)).toEqual({ n: 2, d: 3 });
  });

  it('EY_SETTINGS_GOOD_OUTSTANDING takes the latest inspection by 31 August of open, inspected settings', async () => {
    for (const p of ['2014/2015|AY', AY, '2016/2017|AY']) {
      expect(await facts(EY_SETTINGS_GOOD_OUTSTANDING, p)).toEqual(tally(expectedSettings(p)));
    }
    // 2015/16: EY000001 good (regraded), EY000004 inadequate, EY000006 outstanding; 002 not yet inspected,
    // 003 closed, 005 not yet registered.
    expect(tally(expectedSettings(AY)).get(KENT)).toEqual({ n: 2, d: 3 });
  });

  it('EY_CENTRE_REGISTRATION counts under-fives on the last day, registered by then', async () => {
    for (const p of [AY, '2016/2017|AY'])
      expect(await facts(EY_CENTRE_REGISTRATION, p)).toEqual(tally(expectedRegistration(p)));
    // 2015/16: U01 (just under five), U02 and U04 (registered twice, counted once) of U01–U04 and the five
    // two-year-olds; U03 registered the day after, U05 was not born yet, Reception children are five.
    expect(tally(expectedRegistration(AY)).get(KENT)).toEqual({ n: 3, d: 9 });
  });
});

describe('cohorts', () => {
  const members = async (sql: Prisma.Sql) =>
    (await app.db.prisma.$queryRaw<{ person_id: string }[]>(sql)).map((r) => r.person_id).sort();
  it('earlyYears.eyfsCohort and gldNotAchieved are the year’s Reception children, and those without a GLD', async () => {
    const p = parsePeriod(AY);
    expect(await members(eyfsCohort.members(p))).toEqual(RECEPTION.map((c) => c.id).sort());
    expect(await members(gldNotAchieved.members(p))).toEqual(
      RECEPTION.filter((c) => !c.gld)
        .map((c) => c.id)
        .sort(),
    );
  });
  it('earlyYears.twoYearOldFunded are the children who took up a place in a term overlapping the period', async () => {
    expect(await members(twoYearOldFunded.members(parsePeriod(AY)))).toEqual(['F01', 'F05']);
    // The autumn 2016 term lies in calendar year 2016 and in 2016/17.
    expect(await members(twoYearOldFunded.members(parsePeriod('2016|CY')))).toEqual(['F01', 'F04']);
  });
});

const GLD_QUERY = `query($area: String!) { area(code: $area) { earlyYears { goodLevelOfDevelopment(period: "${AY}") {
  value { value formatted } numerator { value } denominator { value } ci95 { lower upper }
  target { kind value } status national { value }
  fsm: gap(group: FSM) { value { value } significant smallCohort }
  male: gap(group: MALE) { value { value } significant smallCohort } } } } }`;

interface GldValue {
  value: { value: number; formatted: string };
  numerator: { value: number };
  denominator: { value: number };
  ci95: { lower: number; upper: number };
  target: { kind: string; value: number };
  status: string;
  national: { value: number };
  fsm: { value: { value: number }; significant: boolean; smallCohort: boolean };
  male: { value: { value: number }; significant: boolean; smallCohort: boolean };
}

describe('Area.earlyYears through the reporting engine', () => {
  const rate = (rows: { n: number }[]) => (100 * rows.reduce((s, r) => s + r.n, 0)) / rows.length;

  for (const [name, area] of [
    ['Kent', KENT],
    ['Maidstone', MAIDSTONE],
  ]) {
    it(`gives ${name} its GLD value, Wilson interval and FSM and sex gaps`, async () => {
      const rows = expectedGld().filter((c) => area === KENT || c.district === area);
      const n = rows.reduce((s, r) => s + r.n, 0);
      const r = await app.gql<{ area: { earlyYears: { goodLevelOfDevelopment: GldValue } } }>(GLD_QUERY, { area });
      expect(r.errors).toBeUndefined();
      const v = r.data!.area.earlyYears.goodLevelOfDevelopment;
      expect(v.numerator.value).toBe(n);
      expect(v.denominator.value).toBe(rows.length);
      expect(v.value.value).toBeCloseTo((100 * n) / rows.length, 10);
      const ci = wilsonPercent(n, rows.length);
      expect(v.ci95.lower).toBeCloseTo(ci.lower, 8);
      expect(v.ci95.upper).toBeCloseTo(ci.upper, 8);

      const fsm = rows.filter((c) => c.fsm);
      const notFsm = rows.filter((c) => !c.fsm);
      expect(v.fsm.value.value).toBeCloseTo(rate(notFsm) - rate(fsm), 10);
      expect(v.fsm.smallCohort).toBe(true);
      const overlap = (a: { n: number }[], b: { n: number }[]) => {
        const wa = wilsonPercent(
          a.reduce((s, x) => s + x.n, 0),
          a.length,
        );
        const wb = wilsonPercent(
          b.reduce((s, x) => s + x.n, 0),
          b.length,
        );
        return !(wa.upper < wb.lower || wb.upper < wa.lower);
      };
      expect(v.fsm.significant).toBe(!overlap(fsm, notFsm));
      const male = rows.filter((c) => c.sex === 'MALE');
      const female = rows.filter((c) => c.sex === 'FEMALE');
      expect(v.male.value.value).toBeCloseTo(rate(female) - rate(male), 10);
      expect(v.male.significant).toBe(!overlap(male, female));
    });
  }

  it('judges Kent against its target and shows the national figure', async () => {
    const r = await app.gql<{ area: { earlyYears: { goodLevelOfDevelopment: GldValue } } }>(GLD_QUERY, { area: KENT });
    const v = r.data!.area.earlyYears.goodLevelOfDevelopment;
    const shortfall = v.target.value - Math.round(v.value.value * 10) / 10;
    expect(v.target).toEqual({ kind: 'TARGET', value: 62 });
    expect(v.status).toBe(shortfall <= 0 ? 'GREEN' : shortfall <= 0.05 * v.target.value ? 'AMBER' : 'RED');
    expect(v.national.value).toBe(69.3);
  });

  it('serves every headline figure from the same facts as the SQL above', async () => {
    const r = await app.gql<{
      area: { earlyYears: Record<string, { numerator: { value: number }; denominator: { value: number } }> };
    }>(`{ area(code: "${KENT}") { earlyYears {
      twoYearOldTakeUp(period: "${AY}") { numerator { value } denominator { value } }
      settingsGoodOrOutstanding(period: "${AY}") { numerator { value } denominator { value } }
      childrensCentreRegistration(period: "${AY}") { numerator { value } denominator { value } } } } }`);
    expect(r.errors).toBeUndefined();
    const e = r.data!.area.earlyYears;
    const pairs: [string, Tally][] = [
      ['twoYearOldTakeUp', tally(expectedTakeUp(AY)).get(KENT)!],
      ['settingsGoodOrOutstanding', tally(expectedSettings(AY)).get(KENT)!],
      ['childrensCentreRegistration', tally(expectedRegistration(AY)).get(KENT)!],
    ];
    for (const [field, t] of pairs)
      expect([field, e[field].numerator.value, e[field].denominator.value]).toEqual([field, t.n, t.d]);
  });

  it('refuses a period of the wrong type, naming the argument', async () => {
    const r = await app.gql(
      `{ area(code: "${KENT}") { earlyYears { goodLevelOfDevelopment(period: "2016|CY") { value { value } } } } }`,
    );
    expect(r.errors?.[0].message).toMatch(/EY_GLD is reported by ACADEMIC_YEAR/);
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'period' });
  });

  it('asks for all 12 districts with as many SQL statements as for one', async () => {
    const fields = `earlyYears {
      goodLevelOfDevelopment(period: "${AY}") { value { formatted } fsm: gap(group: FSM) { value { value } } }
      twoYearOldTakeUp(period: "${AY}") { value { formatted } }
      settingsGoodOrOutstanding(period: "${AY}") { value { formatted } }
      childrensCentreRegistration(period: "${AY}") { value { formatted } } }`;
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

describe('record-level lists', () => {
  it('pages EYFS results of an area and year, filtered by GLD, with a cursor', async () => {
    const wanted = RECEPTION.filter((c) => c.district === ASHFORD && c.gld)
      .map((c) => c.id)
      .sort();
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const r: {
        data?: {
          earlyYears: {
            eyfsResults: {
              totalCount: number;
              nextCursor: string | null;
              nodes: { personId: string; goodLevelOfDevelopment: boolean; district: { code: string } }[];
            };
          };
        };
        errors?: unknown;
      } = await app.gql(
        `query($after: String) { earlyYears { eyfsResults(area: "${ASHFORD}", period: "${AY}", gld: true, first: 2, after: $after) {
            totalCount nextCursor nodes { personId goodLevelOfDevelopment district { code } } } } }`,
        { after },
      );
      expect(r.errors).toBeUndefined();
      const page = r.data!.earlyYears.eyfsResults;
      expect(page.totalCount).toBe(wanted.length);
      for (const n of page.nodes) expect([n.goodLevelOfDevelopment, n.district.code]).toEqual([true, ASHFORD]);
      seen.push(...page.nodes.map((n) => n.personId));
      after = page.nextCursor;
    } while (after);
    expect(seen).toEqual(wanted);
  });

  it('lists settings open on a date with their latest inspection by then', async () => {
    const r = await app.gql<{
      earlyYears: {
        settings: {
          totalCount: number;
          nodes: {
            urn: string;
            latestInspection: { grade: string; inspectedOn: string } | null;
            inspections: { inspectedOn: string }[];
          }[];
        };
      };
    }>(
      `{ earlyYears { settings(area: "${KENT}", asOf: "2016-08-31") { totalCount nodes { urn latestInspection { grade inspectedOn } inspections { inspectedOn } } } } }`,
    );
    expect(r.errors).toBeUndefined();
    const end = parseDay('2016-08-31');
    const open = SETTINGS.filter(
      (s) => !(s.registered && parseDay(s.registered) > end) && !(s.closed && parseDay(s.closed) <= end),
    );
    const nodes = r.data!.earlyYears.settings.nodes;
    expect(nodes.map((n) => n.urn)).toEqual(open.map((s) => s.urn));
    for (const s of open) {
      const node = nodes.find((n) => n.urn === s.urn)!;
      const latest = s.inspections.filter(([on]) => parseDay(on) <= end).pop();
      expect(node.latestInspection).toEqual(latest ? { inspectedOn: latest[0], grade: latest[1] } : null);
      expect(node.inspections.map((i) => i.inspectedOn)).toEqual(s.inspections.map(([on]) => on).reverse());
    }
  });

  it('closes the lists to analysts of other services, who still read the area figures', async () => {
    const other = testApp(app.db, {
      services: [earlyYears],
      viewer: { role: 'SERVICE_ANALYST', services: ['send'], name: 'a SEND analyst' },
    });
    for (const list of ['eyfsResults', 'settings']) {
      const r = await other.gql(`{ earlyYears { ${list}(first: 1) { totalCount } } }`);
      expect([list, r.errors?.map((e) => e.extensions?.code)]).toEqual([list, ['FORBIDDEN']]);
    }
    const figures = await other.gql(
      `{ area(code: "${KENT}") { earlyYears { goodLevelOfDevelopment(period: "${AY}") { value { value } } } } }`,
    );
    expect(figures.errors).toBeUndefined();
  });

  it('rejects a bad cursor and an unknown area with typed errors', async () => {
    const bad = await app.gql('{ earlyYears { eyfsResults(after: "nonsense") { totalCount } } }');
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    const area = await app.gql('{ earlyYears { settings(area: "E99999999") { totalCount } } }');
    expect(area.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'area' });
  });
});

describe('CYPE_SERVICES=early-years', () => {
  it('builds a valid schema with the Early Years types and none of SEND’s', () => {
    const schema = buildSchema(enabledServices('early-years'));
    expect(validateSchema(schema)).toEqual([]);
    expect(schema.getType('EarlyYearsArea')).toBeDefined();
    expect(schema.getType('EyfsResult')).toBeDefined();
    for (const name of ['SendArea', 'EhcAssessment', 'SenPrimaryNeed', 'SpecialistPlacesByNeed']) {
      expect(schema.getType(name)).toBeUndefined();
    }
    const area = schema.getType('Area') as unknown as { getFields(): Record<string, unknown> };
    expect(Object.keys(area.getFields())).toContain('earlyYears');
    expect(Object.keys(area.getFields())).not.toContain('send');
  });
});

// Last in the file: materialised figures change which statements later requests run.
describe('stored list totals', () => {
  const LAST = '2014/2015|AY';
  const results = () => [
    ...RECEPTION.map((c) => ({ period: AY, district: c.district, gld: c.gld })),
    { period: LAST, district: LAST_YEAR.district, gld: true },
    ...extra,
  ];
  const extra: { period: string; district: string; gld: boolean }[] = [];
  const cases = [undefined, KENT, ASHFORD, MAIDSTONE].flatMap((area) =>
    [undefined, AY, LAST].flatMap((period) => [undefined, true, false].map((gld) => ({ area, period, gld }))),
  );
  const expected = (c: (typeof cases)[number]) =>
    results().filter(
      (r) =>
        (c.area === undefined || c.area === KENT || r.district === c.area) &&
        (c.period === undefined || r.period === c.period) &&
        (c.gld === undefined || r.gld === c.gld),
    ).length;
  // Two documents: at most 30 aliases a request.
  const documents = [cases.slice(0, 18), cases.slice(18)].map(
    (chunk) =>
      `{ ${chunk
        .map((c, i) => {
          const args = [
            c.area && `area: "${c.area}"`,
            c.period && `period: "${c.period}"`,
            c.gld !== undefined && `gld: ${c.gld}`,
            'first: 1',
          ].filter(Boolean);
          return `c${i}: earlyYears { eyfsResults(${args.join(', ')}) { totalCount } }`;
        })
        .join(' ')} }`,
  );
  const totals = async () => {
    const got: number[] = [];
    const statements = await recorded(app.db, async () => {
      for (const document of documents) {
        const r = await app.gql<Record<string, { eyfsResults: { totalCount: number } }>>(document);
        expect(r.errors).toBeUndefined();
        got.push(...Object.keys(r.data!).map((_k, i) => r.data![`c${i}`].eyfsResults.totalCount));
      }
    });
    return { got, counts: statements.filter((s) => /SELECT COUNT\(\*\)/i.test(s)).length };
  };

  it('counts EYFS results from the stored totals, as the live COUNT does, for every filter', async () => {
    const live = await totals();
    expect(live.got).toEqual(cases.map(expected));
    expect(live.counts).toBe(cases.length);
    await materialiseFacts(app.db, [earlyYears]);
    const stored = await totals();
    expect(stored.got).toEqual(cases.map(expected));
    expect(stored.counts).toBe(0);
  });

  it('counts live again after a write to the results, until stored again', async () => {
    await app.db.prisma.$executeRaw`
      INSERT INTO "EyfsResult" ("personId", "periodCode", gld) VALUES (${LAST_YEAR.id}, ${AY}, false)`;
    extra.push({ period: AY, district: LAST_YEAR.district, gld: false });
    try {
      const stale = await totals();
      expect(stale.counts).toBe(cases.length);
      expect(stale.got).toEqual(cases.map(expected));
      await materialiseFacts(app.db, [earlyYears], { tables: ['EyfsResult'] });
      const fresh = await totals();
      expect(fresh.counts).toBe(0);
      expect(fresh.got).toEqual(cases.map(expected));
    } finally {
      await app.db.prisma
        .$executeRaw`DELETE FROM "EyfsResult" WHERE "personId" = ${LAST_YEAR.id} AND "periodCode" = ${AY}`;
      await app.db.prisma.factsSnapshot.deleteMany();
    }
  });
});
