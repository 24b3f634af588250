// Skills and Employability indicators and GraphQL on a fixture small enough to check by hand: the NEET and
// not-known December–February averages (a young person NEET in one of the three months, not-known months
// left out of the NEET denominator, months outside December to February and people outside academic ages
// 16 and 17 ignored, a year with only two snapshots loaded); apprenticeship starts by age at start at the
// 15/16, 18/19 and 24/25 boundaries and the academic-year edges; the engine's figures (value, Wilson
// interval, FSM gap) through Area.skills; cohorts; record-level histories and starts; a constant number of
// SQL statements for all 12 districts; and a schema with this plugin alone.
import { validateSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANALYST } from '../../src/context.js';
import { parseDay } from '../../src/core/dates.js';
import { KENT, KENT_DISTRICTS } from '../../src/core/demo-areas.js';
import { seedGeography } from '../../src/core/demo-population.js';
import { parsePeriod } from '../../src/core/period-codes.js';
import type { IndicatorDefinition } from '../../src/core/reporting/types.js';
import type { Prisma } from '../../src/generated/prisma/client.js';
import { buildSchema, enabledServices } from '../../src/schema.js';
import { createTestDatabase, type TestApp, testApp } from '../../test/harness.js';
import { academicAge, ageAt } from './ages.js';
import { apprentices, neet, notKnown } from './cohorts.js';
import { SK_APPRENTICESHIPS_16_18, SK_APPRENTICESHIPS_16_24, SK_NEET, SK_NOT_KNOWN } from './indicators.js';
import { skills } from './plugin.js';

const MAIDSTONE = 'E07000110';
const ASHFORD = 'E07000105';

// ---------------------------------------------------------------- fixture

type Status = 'EET' | 'NEET' | 'NOT_KNOWN';
interface Young {
  id: string;
  district: string;
  born: string;
  fsm: boolean;
  sex: 'FEMALE' | 'MALE';
  /** Monthly records: month `YYYY-MM` → status. */
  months: Record<string, Status>;
}

// Academic year 2016/17: the snapshots are 2016-12, 2017-01 and 2017-02; ages 16 and 17 are people born
// September 1998 to August 2000.
const YOUNG: Young[] = [
  // Age 16 (born in August: the youngest of the cohort). NEET in January only; the NEET months around the
  // snapshots do not count.
  {
    id: 'K01',
    district: MAIDSTONE,
    born: '2000-08',
    fsm: false,
    sex: 'MALE',
    months: { '2016-11': 'NEET', '2016-12': 'EET', '2017-01': 'NEET', '2017-02': 'EET', '2017-03': 'NEET' },
  },
  // Age 17 (born in September: the oldest). NEET in all three snapshots.
  {
    id: 'K02',
    district: MAIDSTONE,
    born: '1998-09',
    fsm: true,
    sex: 'FEMALE',
    months: { '2016-12': 'NEET', '2017-01': 'NEET', '2017-02': 'NEET' },
  },
  // Not known in December: NEET 1 of 2 known months.
  {
    id: 'K03',
    district: MAIDSTONE,
    born: '1999-03',
    fsm: false,
    sex: 'MALE',
    months: { '2016-12': 'NOT_KNOWN', '2017-01': 'NEET', '2017-02': 'EET' },
  },
  // Not known throughout: nothing known, out of the NEET measure, three months in the not-known one.
  {
    id: 'K04',
    district: MAIDSTONE,
    born: '1999-05',
    fsm: false,
    sex: 'FEMALE',
    months: { '2016-12': 'NOT_KNOWN', '2017-01': 'NOT_KNOWN', '2017-02': 'NOT_KNOWN' },
  },
  {
    id: 'K05',
    district: ASHFORD,
    born: '2000-01',
    fsm: false,
    sex: 'FEMALE',
    months: { '2016-12': 'EET', '2017-01': 'EET', '2017-02': 'EET' },
  },
  // No February record: two months known.
  {
    id: 'K06',
    district: ASHFORD,
    born: '1999-12',
    fsm: false,
    sex: 'MALE',
    months: { '2016-12': 'EET', '2017-01': 'EET' },
  },
  // Academic age 18 (born August 1998): out of the measure.
  {
    id: 'K07',
    district: ASHFORD,
    born: '1998-08',
    fsm: false,
    sex: 'MALE',
    months: { '2016-12': 'NEET', '2017-01': 'NEET', '2017-02': 'NEET' },
  },
  // Academic age 15 (born September 2000): out of the measure.
  {
    id: 'K08',
    district: ASHFORD,
    born: '2000-09',
    fsm: false,
    sex: 'MALE',
    months: { '2016-12': 'NEET', '2017-01': 'NEET', '2017-02': 'NOT_KNOWN' },
  },
  // NEET in February only.
  {
    id: 'K09',
    district: MAIDSTONE,
    born: '1999-06',
    fsm: true,
    sex: 'FEMALE',
    months: { '2016-12': 'EET', '2017-01': 'EET', '2017-02': 'NEET' },
  },
  // NEET only outside the snapshots (September and August): in no snapshot at all.
  {
    id: 'K10',
    district: ASHFORD,
    born: '2000-02',
    fsm: false,
    sex: 'MALE',
    months: { '2016-09': 'NEET', '2017-08': 'NEET' },
  },
  // 2017/18 has only December and January loaded: two snapshots.
  {
    id: 'L01',
    district: MAIDSTONE,
    born: '2000-05',
    fsm: false,
    sex: 'MALE',
    months: { '2017-12': 'NEET', '2018-01': 'EET' },
  },
  {
    id: 'L02',
    district: ASHFORD,
    born: '2001-01',
    fsm: false,
    sex: 'FEMALE',
    months: { '2017-12': 'EET', '2018-01': 'EET' },
  },
];

/** [person, district, born, started on, level] of apprenticeship starts. */
const STARTS: [string, string, string, string, 'LEVEL_2' | 'LEVEL_3' | 'LEVEL_4_PLUS'][] = [
  ['A01', MAIDSTONE, '1998-01', '2016-12-31', 'LEVEL_2'], // 18 (the day before the birth month): 16-18
  ['A02', MAIDSTONE, '1998-01', '2017-01-01', 'LEVEL_3'], // 19 (first day of the birth month): 16-24 only
  ['A03', ASHFORD, '1992-09', '2017-08-31', 'LEVEL_4_PLUS'], // 24 on the last day of the year: 16-24
  ['A04', ASHFORD, '1992-08', '2017-08-31', 'LEVEL_3'], // 25: neither
  ['A05', ASHFORD, '2000-09', '2016-09-01', 'LEVEL_2'], // 16 in the birth month, first day of the year: both
  ['A06', MAIDSTONE, '2000-10', '2016-09-30', 'LEVEL_2'], // 15: neither
  ['A07', MAIDSTONE, '2000-01', '2016-08-31', 'LEVEL_2'], // 2015/16
  ['A08', MAIDSTONE, '2000-01', '2017-09-01', 'LEVEL_2'], // 2017/18
];

// ---------------------------------------------------------------- expected, computed from the fixture

interface Tally {
  n: number;
  d: number;
}
const SNAPSHOTS_2016 = ['2016-12', '2017-01', '2017-02'];

/** Per person in the measure: [person, snapshot months NEET, known, not known, recorded]. */
function snapshotCounts(snapshots: string[], year: number) {
  return YOUNG.flatMap((p) => {
    const age = academicAge(parseDay(`${p.born}-01`), year);
    if (age < 16 || age > 17) return [];
    const statuses = snapshots.map((m) => p.months[m]).filter((s): s is Status => s !== undefined);
    if (!statuses.length) return [];
    const count = (f: (s: Status) => boolean) => statuses.filter(f).length;
    return [
      {
        p,
        neet: count((s) => s === 'NEET'),
        known: count((s) => s !== 'NOT_KNOWN'),
        notKnown: count((s) => s === 'NOT_KNOWN'),
        recorded: statuses.length,
      },
    ];
  });
}

function tally(rows: { district: string; n: number; d: number }[]): Map<string, Tally> {
  const m = new Map<string, Tally>();
  for (const r of rows) {
    for (const k of [r.district, KENT]) {
      const t = m.get(k) ?? { n: 0, d: 0 };
      m.set(k, { n: t.n + r.n, d: t.d + r.d });
    }
  }
  return m;
}

const expectedNeet = (snapshots = SNAPSHOTS_2016, year = 2016) =>
  tally(
    snapshotCounts(snapshots, year)
      .filter((c) => c.known > 0)
      .map((c) => ({ district: c.p.district, n: c.neet / snapshots.length, d: c.known / snapshots.length })),
  );
const expectedNotKnown = () =>
  tally(
    snapshotCounts(SNAPSHOTS_2016, 2016).map((c) => ({ district: c.p.district, n: c.notKnown / 3, d: c.recorded / 3 })),
  );

function expectedStarts(period: string, from: number, to: number) {
  const { startDate, endDate } = parsePeriod(period);
  return tally(
    STARTS.filter(([, , born, on]) => {
      const age = ageAt(parseDay(`${born}-01`), parseDay(on));
      return parseDay(on) >= startDate && parseDay(on) <= endDate && age >= from && age <= to;
    }).map(([, district]) => ({ district, n: 1, d: 1 })),
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
// A loaded test server can take longer than Prisma's default 5 s to write the fixture.
const TX = { timeout: 60_000, maxWait: 60_000 };
beforeAll(async () => {
  const db = await createTestDatabase();
  await db.prisma.$transaction(async (tx) => {
    await seedGeography(tx);
    await tx.person.createMany({
      data: [
        ...YOUNG.map((p) => ({ id: p.id, birthMonth: parseDay(`${p.born}-01`), sex: p.sex, districtCode: p.district })),
        ...STARTS.map(([id, district, born]) => ({
          id,
          birthMonth: parseDay(`${born}-01`),
          sex: 'MALE' as const,
          districtCode: district,
        })),
      ].map((p) => ({ ...p, ethnicityMajor: 'WHITE' as const })),
    });
    await tx.personCharacteristic.createMany({
      data: YOUNG.map((p) => ({
        personId: p.id,
        periodCode: '2016/2017|AY',
        fsm: p.fsm,
        senStatus: 'NONE' as const,
        inCare: false,
        eal: false,
      })),
    });
    await tx.participationRecord.createMany({
      data: YOUNG.flatMap((p) =>
        Object.entries(p.months).map(([month, status]) => ({
          personId: p.id,
          month: parseDay(`${month}-01`),
          status,
          activity: status === 'NEET' ? '540' : null,
        })),
      ),
    });
    await tx.apprenticeshipStart.createMany({
      data: STARTS.map(([personId, , , on, level]) => ({ personId, startedOn: parseDay(on), level })),
    });
  }, TX);
  // Statements are counted per request: the cross-request cache (tested in test/cache) is off.
  app = testApp(db, { services: [skills], viewer: ANALYST, cache: { enabled: false } });
}, 120_000);
afterAll(() => app.db.close());

async function facts(def: IndicatorDefinition, period: string) {
  const rows = await app.db.prisma.$queryRaw<
    { person_id: string; district_code: string; numerator: number; denominator: number }[]
  >`SELECT person_id, district_code, numerator::float8 AS numerator, denominator::float8 AS denominator
    FROM (${def.facts!(parsePeriod(period))}) f`;
  return {
    people: rows.map((r) => r.person_id).sort(),
    tally: tally(rows.map((r) => ({ district: r.district_code, n: r.numerator, d: r.denominator }))),
  };
}

function expectTallies(got: Map<string, Tally>, expected: Map<string, Tally>) {
  expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [k, t] of expected) {
    expect(got.get(k)?.n).toBeCloseTo(t.n, 10);
    expect(got.get(k)?.d).toBeCloseTo(t.d, 10);
  }
}

describe('SK_NEET facts: the December–February average', () => {
  it('counts NEET months over known months of the three snapshots, ages 16 and 17 only', async () => {
    const got = await facts(SK_NEET, '2016/2017|AY');
    // K04 knows nothing; K07 (18), K08 (15) are outside the ages; K10 has no snapshot month.
    expect(got.people).toEqual(['K01', 'K02', 'K03', 'K05', 'K06', 'K09']);
    expectTallies(got.tally, expectedNeet());
    // By hand: NEET months K01 1 + K02 3 + K03 1 + K09 1 = 6; known months 3 + 3 + 2 + 3 (Maidstone) + 3 + 2
    // (Ashford) = 16; each divided by the 3 snapshots.
    expect(got.tally.get(KENT)!.n).toBeCloseTo(6 / 3, 10);
    expect(got.tally.get(KENT)!.d).toBeCloseTo(16 / 3, 10);
    expect(got.tally.get(ASHFORD)!.n).toBe(0);
  });

  it('averages over the snapshots loaded so far (two of three in 2017/18)', async () => {
    const got = await facts(SK_NEET, '2017/2018|AY');
    expectTallies(got.tally, expectedNeet(['2017-12', '2018-01', '2018-02'].slice(0, 2), 2017));
    // L01 NEET in December, EET in January; L02 EET in both: 1 of 4 person-months, over 2 snapshots.
    expect(got.tally.get(KENT)).toEqual({ n: 0.5, d: 2 });
  });

  it('has no facts for a year without records', async () => {
    expect((await facts(SK_NEET, '2013/2014|AY')).people).toEqual([]);
  });
});

describe('SK_NOT_KNOWN facts', () => {
  it('counts not-known months over all recorded months of the snapshots', async () => {
    const got = await facts(SK_NOT_KNOWN, '2016/2017|AY');
    expect(got.people).toEqual(['K01', 'K02', 'K03', 'K04', 'K05', 'K06', 'K09']);
    expectTallies(got.tally, expectedNotKnown());
    // K03 1 + K04 3 not known, of 3 + 3 + 3 + 3 + 3 + 2 + 3 = 20 recorded months.
    expect(got.tally.get(KENT)!.n).toBeCloseTo(4 / 3, 10);
    expect(got.tally.get(KENT)!.d).toBeCloseTo(20 / 3, 10);
  });
});

describe('apprenticeship starts by age at start', () => {
  it('16-18 counts 16, 17 and 18 at the start, in the academic year', async () => {
    const got = await facts(SK_APPRENTICESHIPS_16_18, '2016/2017|AY');
    expect(got.people).toEqual(['A01', 'A05']);
    expectTallies(got.tally, expectedStarts('2016/2017|AY', 16, 18));
  });

  it('16-24 adds 19 to 24 at the start', async () => {
    const got = await facts(SK_APPRENTICESHIPS_16_24, '2016/2017|AY');
    expect(got.people).toEqual(['A01', 'A02', 'A03', 'A05']);
    expectTallies(got.tally, expectedStarts('2016/2017|AY', 16, 24));
  });

  it('derives the age from the birth month, the birthday counted from its first day', () => {
    expect(STARTS.map(([, , born, on]) => ageAt(parseDay(`${born}-01`), parseDay(on)))).toEqual([
      18, 19, 24, 25, 16, 15, 16, 17,
    ]);
  });
});

describe('cohorts', () => {
  const members = async (sql: Prisma.Sql) =>
    (await app.db.prisma.$queryRaw<{ person_id: string }[]>(sql)).map((r) => r.person_id).sort();
  const year = parsePeriod('2016/2017|AY');
  const recorded = (status: Status) =>
    YOUNG.filter((p) =>
      Object.entries(p.months).some(
        ([m, s]) => s === status && parseDay(`${m}-01`) >= year.startDate && parseDay(`${m}-01`) <= year.endDate,
      ),
    )
      .map((p) => p.id)
      .sort();
  it('skills.neet: recorded NEET in any month of the period, at any tracked age', async () => {
    expect(await members(neet.members(year))).toEqual(recorded('NEET'));
    expect(recorded('NEET')).toEqual(['K01', 'K02', 'K03', 'K07', 'K08', 'K09', 'K10']);
  });
  it('skills.notKnown: recorded not known in a month of the period', async () => {
    expect(await members(notKnown.members(year))).toEqual(recorded('NOT_KNOWN'));
  });
  it('skills.apprentices: started in the period, any age', async () => {
    expect(await members(apprentices.members(year))).toEqual(['A01', 'A02', 'A03', 'A04', 'A05', 'A06']);
  });
});

interface Figure {
  value: number | null;
}

describe('Area.skills through the reporting engine', () => {
  const QUERY = `query($area: String!) { area(code: $area) { skills {
    neet(period: "2016/2017|AY") { value { value } numerator { value } denominator { value } ci95 { lower upper }
      fsm: gap(group: FSM) { value { value } smallCohort } }
    activityNotKnown(period: "2016/2017|AY") { value { value } }
    apprenticeshipStarts16To18(period: "2016/2017|AY") { value { value } }
    apprenticeshipStarts16To24(period: "2016/2017|AY") { value { value } } } } }`;

  for (const area of [KENT, MAIDSTONE, ASHFORD]) {
    it(`gives ${area} the averages with their interval and FSM gap, and the starts`, async () => {
      const r = await app.gql<{
        area: {
          skills: {
            neet: {
              value: Figure;
              numerator: Figure;
              denominator: Figure;
              ci95: { lower: number; upper: number } | null;
              fsm: { value: Figure; smallCohort: boolean };
            };
            activityNotKnown: { value: Figure };
            apprenticeshipStarts16To18: { value: Figure };
            apprenticeshipStarts16To24: { value: Figure };
          };
        };
      }>(QUERY, { area });
      expect(r.errors).toBeUndefined();
      const s = r.data!.area.skills;
      const t = expectedNeet().get(area)!;
      expect(s.neet.numerator.value).toBeCloseTo(t.n, 10);
      expect(s.neet.denominator.value).toBeCloseTo(t.d, 10);
      expect(s.neet.value.value).toBeCloseTo((100 * t.n) / t.d, 10);
      const ci = wilsonPercent(t.n, t.d);
      expect(s.neet.ci95!.lower).toBeCloseTo(ci.lower, 8);
      expect(s.neet.ci95!.upper).toBeCloseTo(ci.upper, 8);
      // The FSM gap: NEET rate of those not eligible minus those eligible, each a ratio of averages.
      const rate = (fsm: boolean) => {
        const xs = snapshotCounts(SNAPSHOTS_2016, 2016).filter(
          (c) => c.known > 0 && c.p.fsm === fsm && (area === KENT || c.p.district === area),
        );
        const known = xs.reduce((a, c) => a + c.known, 0);
        return known ? (100 * xs.reduce((a, c) => a + c.neet, 0)) / known : null;
      };
      const [notFsm, fsm] = [rate(false), rate(true)];
      if (notFsm !== null && fsm !== null) expect(s.neet.fsm.value.value).toBeCloseTo(notFsm - fsm, 10);
      else expect(s.neet.fsm.value.value).toBeNull();
      expect(s.neet.fsm.smallCohort).toBe(true);
      const nk = expectedNotKnown().get(area)!;
      expect(s.activityNotKnown.value.value).toBeCloseTo((100 * nk.n) / nk.d, 10);
      expect(s.apprenticeshipStarts16To18.value.value).toBe(expectedStarts('2016/2017|AY', 16, 18).get(area)?.n ?? 0);
      expect(s.apprenticeshipStarts16To24.value.value).toBe(expectedStarts('2016/2017|AY', 16, 24).get(area)?.n ?? 0);
    });
  }

  it('Kent: 6 NEET months of 16 known = 37.5%; 4 not known of 20 = 20%; 2 starts at 16-18, 4 at 16-24', async () => {
    const r = await app.gql<{ area: { skills: Record<string, { value: Figure }> } }>(
      `{ area(code: "${KENT}") { skills { neet(period: "2016/2017|AY") { value { value } }
        activityNotKnown(period: "2016/2017|AY") { value { value } }
        apprenticeshipStarts16To18(period: "2016/2017|AY") { value { value } }
        apprenticeshipStarts16To24(period: "2016/2017|AY") { value { value } } } } }`,
    );
    const s = r.data!.area.skills;
    expect(s.neet.value.value).toBeCloseTo(37.5, 10);
    expect(s.activityNotKnown.value.value).toBeCloseTo(20, 10);
    expect(s.apprenticeshipStarts16To18.value.value).toBe(2);
    expect(s.apprenticeshipStarts16To24.value.value).toBe(4);
  });

  it('refuses a period that is not an academic year, naming the argument', async () => {
    const r = await app.gql(`{ area(code: "${KENT}") { skills { neet(period: "2017|M1") { value { value } } } } }`);
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'period' });
  });

  it('asks for all 12 districts with as many SQL statements as for one', async () => {
    const fields = `skills {
      neet(period: "2016/2017|AY") { value { formatted } fsm: gap(group: FSM) { value { value } } }
      activityNotKnown(period: "2016/2017|AY") { value { formatted } }
      apprenticeshipStarts16To18(period: "2016/2017|AY") { value { formatted } change }
      apprenticeshipStarts16To24(period: "2016/2017|AY") { value { formatted } } }`;
    const count = async (query: string) => {
      const before = app.db.sqlCount;
      const r = await app.gql<{ areas?: { code: string; skills: { neet: { value: { formatted: string } } } }[] }>(
        query,
      );
      expect(r.errors).toBeUndefined();
      return { statements: app.db.sqlCount - before, data: r.data };
    };
    // Once first: one-off work (the engine's catalogue sync) must not be counted against either request.
    await count(`{ area(code: "${MAIDSTONE}") { ${fields} } }`);
    const one = await count(`{ area(code: "${MAIDSTONE}") { ${fields} } }`);
    const all = await count(`{ areas(level: DISTRICT) { code ${fields} } }`);
    expect(all.data?.areas).toHaveLength(KENT_DISTRICTS.length);
    expect(all.statements).toBe(one.statements);
    // The two districts with records have their figures.
    const byCode = new Map(all.data!.areas!.map((a) => [a.code, a.skills.neet.value.formatted]));
    expect(byCode.get(ASHFORD)).toBe('0.0%');
    const m = expectedNeet().get(MAIDSTONE)!;
    expect(byCode.get(MAIDSTONE)).toBe(`${((100 * m.n) / m.d).toFixed(1)}%`);
  });
});

describe('record-level participation and starts', () => {
  interface Month {
    month: string;
    status: Status;
    snapshot: boolean;
    academicAge: number;
  }
  it('pages through the histories of the young people NEET in a year, with their months of that year', async () => {
    const year = parsePeriod('2016/2017|AY');
    const inYear = (m: string) => parseDay(`${m}-01`) >= year.startDate && parseDay(`${m}-01`) <= year.endDate;
    const wanted = YOUNG.filter(
      (p) => p.district === MAIDSTONE && Object.entries(p.months).some(([m, s]) => s === 'NEET' && inYear(m)),
    );
    const seen: { personId: string; neetMonths: number; months: { month: string; status: Status }[] }[] = [];
    let after: string | null = null;
    do {
      const r: {
        data?: {
          skills: { participationHistories: { totalCount: number; nextCursor: string | null; nodes: typeof seen } };
        };
        errors?: unknown;
      } = await app.gql(
        `query($after: String) { skills { participationHistories(area: "${MAIDSTONE}", period: "2016/2017|AY", status: NEET, first: 3, after: $after) {
            totalCount nextCursor nodes { personId neetMonths months { month status } } } } }`,
        { after },
      );
      expect(r.errors).toBeUndefined();
      expect(r.data!.skills.participationHistories.totalCount).toBe(wanted.length);
      seen.push(...r.data!.skills.participationHistories.nodes);
      after = r.data!.skills.participationHistories.nextCursor;
    } while (after);
    expect(seen).toEqual(
      wanted.map((p) => {
        const months = Object.entries(p.months)
          .filter(([m]) => inYear(m))
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([month, status]) => ({ month, status }));
        return { personId: p.id, neetMonths: months.filter((m) => m.status === 'NEET').length, months };
      }),
    );
  });

  it('gives one young person’s history with the snapshot months and academic ages marked', async () => {
    const r = await app.gql<{
      skills: { participationHistory: { personId: string; months: Month[] } | null; none: null };
    }>(
      `{ skills { participationHistory(personId: "K01") { personId months { month status snapshot academicAge } }
        none: participationHistory(personId: "A01") { personId } } }`,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.skills.participationHistory!.months).toEqual([
      { month: '2016-11', status: 'NEET', snapshot: false, academicAge: 16 },
      { month: '2016-12', status: 'EET', snapshot: true, academicAge: 16 },
      { month: '2017-01', status: 'NEET', snapshot: true, academicAge: 16 },
      { month: '2017-02', status: 'EET', snapshot: true, academicAge: 16 },
      { month: '2017-03', status: 'NEET', snapshot: false, academicAge: 16 },
    ]);
    expect(r.data!.skills.none).toBeNull();
  });

  it('lists the starts of a year with the age at start, the same as the indicators use', async () => {
    const r = await app.gql<{
      skills: {
        apprenticeshipStarts: {
          totalCount: number;
          nodes: { personId: string; startedOn: string; level: string; ageAtStart: number }[];
        };
      };
    }>(
      '{ skills { apprenticeshipStarts(period: "2016/2017|AY", first: 20) { totalCount nodes { personId startedOn level ageAtStart } } } }',
    );
    expect(r.errors).toBeUndefined();
    const year = parsePeriod('2016/2017|AY');
    const wanted = STARTS.filter(([, , , on]) => parseDay(on) >= year.startDate && parseDay(on) <= year.endDate)
      .sort((a, b) => a[3].localeCompare(b[3]) || a[0].localeCompare(b[0]))
      .map(([personId, , born, startedOn, level]) => ({
        personId,
        startedOn,
        level,
        ageAtStart: ageAt(parseDay(`${born}-01`), parseDay(startedOn)),
      }));
    expect(r.data!.skills.apprenticeshipStarts.nodes).toEqual(wanted);
    expect(r.data!.skills.apprenticeshipStarts.totalCount).toBe(6);
  });

  it('pages starts by level and area, and refuses a bad cursor naming it', async () => {
    const first = await app.gql<{
      skills: { apprenticeshipStarts: { nextCursor: string; nodes: { personId: string }[] } };
    }>(
      `{ skills { apprenticeshipStarts(area: "${MAIDSTONE}", level: LEVEL_2, first: 2) { nextCursor nodes { personId } } } }`,
    );
    const rest = await app.gql<{
      skills: { apprenticeshipStarts: { nextCursor: string | null; nodes: { personId: string }[] } };
    }>(
      `query($after: String) { skills { apprenticeshipStarts(area: "${MAIDSTONE}", level: LEVEL_2, first: 2, after: $after) { nextCursor nodes { personId } } } }`,
      { after: first.data!.skills.apprenticeshipStarts.nextCursor },
    );
    const ids = [...first.data!.skills.apprenticeshipStarts.nodes, ...rest.data!.skills.apprenticeshipStarts.nodes].map(
      (n) => n.personId,
    );
    expect(ids).toEqual(
      STARTS.filter(([, d, , , level]) => d === MAIDSTONE && level === 'LEVEL_2')
        .sort((a, b) => a[3].localeCompare(b[3]))
        .map(([id]) => id),
    );
    expect(rest.data!.skills.apprenticeshipStarts.nextCursor).toBeNull();
    const bad = await app.gql('{ skills { apprenticeshipStarts(after: "nonsense") { totalCount } } }');
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
  });

  it('closes the records to analysts of other services, who still read the area figures', async () => {
    const other = testApp(app.db, {
      services: [skills],
      viewer: { role: 'SERVICE_ANALYST', services: ['send'], name: 'a SEND analyst' },
    });
    const list = await other.gql(
      '{ skills { participationHistory(personId: "K01") { personId } apprenticeshipStarts(first: 1) { totalCount } } }',
    );
    expect(list.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    const figures = await other.gql(
      `{ area(code: "${KENT}") { skills { neet(period: "2016/2017|AY") { value { value } } } } }`,
    );
    expect(figures.errors).toBeUndefined();
  });
});

describe('CYPE_SERVICES=skills', () => {
  it('builds a valid schema with the Skills types and none of the other services’', () => {
    const services = enabledServices('skills');
    expect(services.map((s) => s.key)).toEqual(['skills']);
    const schema = buildSchema(services);
    expect(validateSchema(schema)).toEqual([]);
    for (const name of ['SkillsArea', 'Skills', 'ParticipationHistory', 'ApprenticeshipStart', 'ParticipationStatus']) {
      expect(schema.getType(name)).toBeDefined();
    }
    for (const name of ['SendArea', 'EarlyYearsArea', 'EhcAssessment']) expect(schema.getType(name)).toBeUndefined();
  });
});
