// Youth Justice indicators, cohorts, disproportionality and GraphQL on a fixture small enough to check by
// hand: first-time entry across financial-year boundaries and after a community resolution; re-offending at
// exactly 12 months and at 12 months and a day, on the disposal day, before the index disposal and by a
// community resolution; the custody share of court disposals; the rate per 100,000 from population
// Observations; the relative rate index and its Katz interval; disclosure control; record-level disposals;
// a constant number of SQL statements for all 12 districts; and a schema with this plugin alone.
import { validateSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANALYST } from '../../src/context.js';
import { parseDay } from '../../src/core/dates.js';
import { KENT, KENT_DISTRICTS } from '../../src/core/demo-areas.js';
import { seedGeography } from '../../src/core/demo-population.js';
import { parsePeriod } from '../../src/core/period-codes.js';
import { syncIndicatorCatalogue } from '../../src/core/reporting/catalogue.js';
import { buildSchema, enabledServices } from '../../src/schema.js';
import { createTestDatabase, type TestApp, testApp } from '../../test/harness.js';
import { custody, firstTimeEntrants, reoffenders } from './cohorts.js';
import type { DisposalType, Tier } from './disposal-types.js';
import { youthJustice } from './plugin.js';

const MAIDSTONE = 'E07000110';
const ASHFORD = 'E07000105';
const DOVER = 'E07000108';
const FY15 = '2015/2016|FY';
const FY16 = '2016/2017|FY';
const FY17 = '2017/2018|FY';

// ---------------------------------------------------------------- fixture

interface Person {
  id: string;
  district: string;
  birth: string;
  inCare: boolean;
  sen: 'NONE' | 'SEN_SUPPORT' | 'EHCP';
}
const P = (
  id: string,
  district: string,
  inCare = false,
  sen: Person['sen'] = 'NONE',
  birth = '2002-06-01',
): Person => ({
  id,
  district,
  birth,
  inCare,
  sen,
});
const PEOPLE: Person[] = [
  P('Y01', MAIDSTONE),
  P('Y02', MAIDSTONE, false, 'SEN_SUPPORT'),
  P('Y03', ASHFORD),
  P('Y04', ASHFORD),
  P('Y05', MAIDSTONE),
  P('Y06', ASHFORD, true, 'EHCP'),
  P('Y07', ASHFORD),
  P('Y08', MAIDSTONE, true, 'EHCP'),
  P('Y09', MAIDSTONE),
  P('Y10', ASHFORD, false, 'SEN_SUPPORT'),
  P('Y11', ASHFORD, true),
  // The population: no disposals.
  ...Array.from({ length: 24 }, (_, i) =>
    P(`Z${String(i + 1).padStart(2, '0')}`, i % 2 ? MAIDSTONE : ASHFORD, i < 3, i % 5 === 0 ? 'SEN_SUPPORT' : 'NONE'),
  ),
  // On 1 April 2016: 9 (too young) and 18 (too old), both in care; and 17 (counted).
  P('A09', MAIDSTONE, true, 'NONE', '2006-05-01'),
  P('A18', ASHFORD, true, 'NONE', '1998-04-01'),
  P('A17', ASHFORD, false, 'NONE', '1998-05-01'),
];

/** [id, person, offence, disposed, tier, type] */
const DISPOSALS: [string, string, string, string, Tier, DisposalType][] = [
  // A community resolution before a caution: the caution is the first substantive outcome (FY16).
  ['D01', 'Y01', '2016-02-01', '2016-02-10', 'PRE_COURT', 'COMMUNITY_RESOLUTION'],
  ['D02', 'Y01', '2016-04-20', '2016-05-01', 'PRE_COURT', 'YOUTH_CAUTION'],
  // Entry on the last day of FY15; a sentence on the first day of FY16 is not a second entry.
  ['D03', 'Y02', '2016-03-01', '2016-03-31', 'PRE_COURT', 'YOUTH_CAUTION'],
  ['D04', 'Y02', '2016-02-15', '2016-04-01', 'FIRST_TIER', 'REFERRAL_ORDER'],
  // Entry on the last day of FY16.
  ['D05', 'Y03', '2016-12-01', '2017-03-31', 'FIRST_TIER', 'REFERRAL_ORDER'],
  // Community resolutions only: never an entrant.
  ['D06', 'Y04', '2016-05-20', '2016-06-01', 'PRE_COURT', 'COMMUNITY_RESOLUTION'],
  // Entry on the first day of FY17.
  ['D07', 'Y05', '2017-03-01', '2017-04-01', 'PRE_COURT', 'YOUTH_CAUTION'],
  // Re-offence committed exactly 12 months after the index disposal: re-offended.
  ['D08', 'Y06', '2016-03-20', '2016-05-10', 'COMMUNITY', 'YOUTH_REHABILITATION_ORDER'],
  ['D09', 'Y06', '2017-05-10', '2017-06-20', 'PRE_COURT', 'YOUTH_CONDITIONAL_CAUTION'],
  // Re-offence 12 months and one day after: not.
  ['D10', 'Y07', '2016-04-02', '2016-05-10', 'PRE_COURT', 'YOUTH_CAUTION'],
  ['D11', 'Y07', '2017-05-11', '2017-07-01', 'FIRST_TIER', 'REFERRAL_ORDER'],
  // An offence on the index disposal's own day does not count; custody.
  ['D12', 'Y08', '2016-07-01', '2016-09-01', 'CUSTODY', 'DETENTION_AND_TRAINING_ORDER'],
  ['D13', 'Y08', '2016-09-01', '2016-12-01', 'COMMUNITY', 'YOUTH_REHABILITATION_ORDER'],
  // A later community resolution is not a proven re-offence.
  ['D14', 'Y09', '2016-05-01', '2016-06-01', 'PRE_COURT', 'YOUTH_CAUTION'],
  ['D15', 'Y09', '2016-08-01', '2016-08-15', 'PRE_COURT', 'COMMUNITY_RESOLUTION'],
  // An offence committed before the index disposal does not count; a later one does.
  ['D16', 'Y10', '2016-05-01', '2016-07-01', 'FIRST_TIER', 'REFERRAL_ORDER'],
  ['D17', 'Y10', '2016-06-01', '2016-10-01', 'FIRST_TIER', 'OTHER_COURT'],
  ['D18', 'Y10', '2016-11-01', '2017-01-15', 'PRE_COURT', 'YOUTH_CAUTION'],
  // First ever outcome is custody.
  ['D19', 'Y11', '2016-08-01', '2016-11-11', 'CUSTODY', 'OTHER_CUSTODY'],
];

// ---------------------------------------------------------------- expected, computed from the fixture

const person = (id: string) => PEOPLE.find((p) => p.id === id)!;
const inPeriod = (d: string, period: string) => {
  const { startDate, endDate } = parsePeriod(period);
  return parseDay(d) >= startDate && parseDay(d) <= endDate;
};
const substantive = DISPOSALS.filter((d) => d[5] !== 'COMMUNITY_RESOLUTION');
const inArea = (pid: string, area: string) => area === KENT || person(pid).district === area;

function expectedEntrants(period: string): string[] {
  const firsts = new Map<string, string>();
  for (const [, pid, , disposed] of substantive) {
    if (!firsts.has(pid) || disposed < (firsts.get(pid) as string)) firsts.set(pid, disposed);
  }
  return [...firsts]
    .filter(([, d]) => inPeriod(d, period))
    .map(([pid]) => pid)
    .sort();
}

/** Adds 12 calendar months (none of the fixture's dates is a 29 February). */
const plus12Months = (d: string) => `${Number(d.slice(0, 4)) + 1}${d.slice(4)}`;

function expectedReoffending(period: string): { pid: string; reoffended: boolean }[] {
  const pids = [...new Set(substantive.filter((d) => inPeriod(d[3], period)).map((d) => d[1]))].sort();
  return pids.map((pid) => {
    const index = substantive
      .filter((d) => d[1] === pid && inPeriod(d[3], period))
      .sort((a, b) => a[3].localeCompare(b[3]))[0];
    const until = plus12Months(index[3]);
    return {
      pid,
      reoffended: substantive.some((d) => d[1] === pid && d[2] > index[3] && d[2] <= until),
    };
  });
}

function expectedCustody(period: string) {
  const court = DISPOSALS.filter((d) => d[4] !== 'PRE_COURT' && inPeriod(d[3], period));
  return { court, custodial: court.filter((d) => d[4] === 'CUSTODY') };
}

const ageOn = (birth: string, on: string) =>
  Number(on.slice(0, 4)) - Number(birth.slice(0, 4)) - (on.slice(5, 7) < birth.slice(5, 7) ? 1 : 0);
const population = (on: string) => PEOPLE.filter((p) => ageOn(p.birth, on) >= 10 && ageOn(p.birth, on) <= 17);

/** Population Observations: FY16 for two districts only; FY15 for all twelve. */
const POP_FY16: Record<string, number> = { [MAIDSTONE]: 1000, [ASHFORD]: 800 };
const POP_FY15 = Object.fromEntries(KENT_DISTRICTS.map((d, i) => [d.code, 500 + 10 * i]));

// ---------------------------------------------------------------- database

let app: TestApp;
beforeAll(async () => {
  const db = await createTestDatabase();
  await db.prisma.$transaction(async (tx) => {
    await seedGeography(tx);
    await tx.person.createMany({
      data: PEOPLE.map((p) => ({
        id: p.id,
        birthMonth: parseDay(p.birth),
        sex: 'MALE' as const,
        ethnicityMajor: 'WHITE' as const,
        districtCode: p.district,
      })),
    });
    // FY 2016/17 is broken down by the characteristics of 2015/16 (the academic year containing 1 April 2016).
    await tx.personCharacteristic.createMany({
      data: PEOPLE.map((p) => ({
        personId: p.id,
        periodCode: '2015/2016|AY',
        fsm: false,
        senStatus: p.sen,
        inCare: p.inCare,
        eal: false,
      })),
    });
    await tx.youthJusticeDisposal.createMany({
      data: DISPOSALS.map(([id, personId, offence, disposed, tier, disposalType]) => ({
        id,
        personId,
        offenceOn: parseDay(offence),
        disposedOn: parseDay(disposed),
        tier,
        disposalType,
      })),
    });
    await syncIndicatorCatalogue(tx, [youthJustice]);
    await tx.observation.createMany({
      data: [
        ...Object.entries(POP_FY16).map(([areaCode, value]) => ({ areaCode, value, periodCode: FY16 })),
        ...Object.entries(POP_FY15).map(([areaCode, value]) => ({ areaCode, value, periodCode: FY15 })),
      ].map((o) => ({ ...o, indicatorCode: 'YJ_POPULATION_10_17' })),
    });
    await tx.target.create({
      data: { indicatorCode: 'YJ_REOFFENDING', areaCode: KENT, periodCode: FY16, kind: 'TARGET', value: 28 },
    });
  });
  // Statements are counted per request: the cross-request cache (tested in test/cache) is off.
  app = testApp(db, { services: [youthJustice], viewer: ANALYST, cache: { enabled: false } });
}, 120_000);
afterAll(() => app.db.close());

// ---------------------------------------------------------------- tests

interface Figure {
  value: number | null;
  symbol: string | null;
}
interface Value {
  value: Figure;
  numerator: Figure | null;
  denominator: Figure | null;
  status: string;
}
const FIELDS = 'value { value symbol } numerator { value symbol } denominator { value symbol } status';

describe('first-time entrants', () => {
  it('has the hand-checked entrants: boundaries and a community resolution first', () => {
    // Not circular: these lists are the fixture's comments, checked against the independent computation.
    expect(expectedEntrants(FY15)).toEqual(['Y02']);
    expect(expectedEntrants(FY16)).toEqual(['Y01', 'Y03', 'Y06', 'Y07', 'Y08', 'Y09', 'Y10', 'Y11']);
    expect(expectedEntrants(FY17)).toEqual(['Y05']);
  });

  for (const area of [KENT, MAIDSTONE, ASHFORD, DOVER]) {
    it(`counts them by financial year in ${area}`, async () => {
      const r = await app.gql<{ area: { youthJustice: Record<string, Value> } }>(
        `{ area(code: "${area}") { youthJustice {
          fy15: firstTimeEntrants(period: "${FY15}") { ${FIELDS} }
          fy16: firstTimeEntrants(period: "${FY16}") { ${FIELDS} }
          fy17: firstTimeEntrants(period: "${FY17}") { ${FIELDS} } } } }`,
      );
      expect(r.errors).toBeUndefined();
      const yj = r.data!.area.youthJustice;
      for (const [field, period] of [
        ['fy15', FY15],
        ['fy16', FY16],
        ['fy17', FY17],
      ]) {
        expect(yj[field].value.value, `${field}`).toBe(expectedEntrants(period).filter((p) => inArea(p, area)).length);
      }
    });
  }

  it('gives a rate per 100,000 where every district of the LA has a population figure, else none', async () => {
    const r = await app.gql<{
      areas: { code: string; youthJustice: Record<string, Value> }[];
      kent: { youthJustice: Record<string, Value> };
    }>(
      `{ areas(level: DISTRICT) { code youthJustice {
          fy16: firstTimeEntrantsRate(period: "${FY16}") { ${FIELDS} }
          fy15: firstTimeEntrantsRate(period: "${FY15}") { ${FIELDS} } } }
         kent: area(code: "${KENT}") { youthJustice {
          fy16: firstTimeEntrantsRate(period: "${FY16}") { ${FIELDS} }
          fy15: firstTimeEntrantsRate(period: "${FY15}") { ${FIELDS} } } } }`,
    );
    expect(r.errors).toBeUndefined();
    // FY15: every district has a population, so each district has a rate and Kent's is the sum over them.
    for (const a of r.data!.areas) {
      const n = expectedEntrants(FY15).filter((p) => inArea(p, a.code)).length;
      expect(a.youthJustice.fy15.value.value, a.code).toBeCloseTo((100_000 * n) / POP_FY15[a.code], 9);
      expect(a.youthJustice.fy15.denominator!.value).toBe(POP_FY15[a.code]);
    }
    const kent = r.data!.kent.youthJustice;
    const totalPop = Object.values(POP_FY15).reduce((a, b) => a + b, 0);
    expect(kent.fy15.value.value).toBeCloseTo((100_000 * expectedEntrants(FY15).length) / totalPop, 9);
    expect(kent.fy15.denominator!.value).toBe(totalPop);
    // FY16: two districts only. A partial sum would understate Kent's population: no rate from records.
    expect(kent.fy16.value).toEqual({ value: null, symbol: 'x' });
    for (const a of r.data!.areas) expect(a.youthJustice.fy16.value.value, a.code).toBeNull();
  });

  it('gives a rate per 100,000 for FY16 once the other districts’ population is loaded', async () => {
    const others = KENT_DISTRICTS.filter((d) => !(d.code in POP_FY16)).map((d) => d.code);
    await app.db.prisma.observation.createMany({
      data: others.map((areaCode) => ({
        indicatorCode: 'YJ_POPULATION_10_17',
        areaCode,
        periodCode: FY16,
        value: 600,
      })),
    });
    try {
      // A new app (an empty result cache), as after a restart: this test is about the SQL, not the cache.
      const fresh = testApp(app.db, { services: [youthJustice], viewer: ANALYST });
      const r = await fresh.gql<{ area: { youthJustice: { fy16: Value } } }>(
        `{ area(code: "${MAIDSTONE}") { youthJustice { fy16: firstTimeEntrantsRate(period: "${FY16}") { ${FIELDS} } } } }`,
      );
      expect(r.errors).toBeUndefined();
      const n = expectedEntrants(FY16).filter((p) => inArea(p, MAIDSTONE)).length;
      expect(r.data!.area.youthJustice.fy16.value.value).toBeCloseTo((100_000 * n) / POP_FY16[MAIDSTONE], 9);
    } finally {
      await app.db.prisma.observation.deleteMany({
        where: { indicatorCode: 'YJ_POPULATION_10_17', periodCode: FY16, areaCode: { in: others } },
      });
    }
  });
});

describe('re-offending', () => {
  it('has the hand-checked cohort: 12 months counts, 12 months and a day does not', () => {
    expect(expectedReoffending(FY16)).toEqual([
      { pid: 'Y01', reoffended: false },
      { pid: 'Y02', reoffended: false },
      { pid: 'Y03', reoffended: false },
      { pid: 'Y06', reoffended: true },
      { pid: 'Y07', reoffended: false },
      { pid: 'Y08', reoffended: false },
      { pid: 'Y09', reoffended: false },
      { pid: 'Y10', reoffended: true },
      { pid: 'Y11', reoffended: false },
    ]);
  });

  for (const area of [KENT, MAIDSTONE, ASHFORD]) {
    it(`is the binary rate of the financial year's cohort in ${area}, against the target`, async () => {
      const r = await app.gql<{ area: { youthJustice: { reoffending: Value & { ci95: { lower: number } } } } }>(
        `{ area(code: "${area}") { youthJustice { reoffending(period: "${FY16}") { ${FIELDS} ci95 { lower } } } } }`,
      );
      expect(r.errors).toBeUndefined();
      const rows = expectedReoffending(FY16).filter((x) => inArea(x.pid, area));
      const n = rows.filter((x) => x.reoffended).length;
      const v = r.data!.area.youthJustice.reoffending;
      expect([v.numerator!.value, v.denominator!.value]).toEqual([n, rows.length]);
      expect(v.value.value).toBeCloseTo((100 * n) / rows.length, 9);
      if (area === KENT) expect(v.status).toBe((100 * n) / rows.length <= 28 ? 'GREEN' : 'RED');
    });
  }
});

describe('custody share', () => {
  for (const area of [KENT, MAIDSTONE, ASHFORD]) {
    it(`is custodial court disposals over court disposals in ${area}`, async () => {
      const r = await app.gql<{ area: { youthJustice: { custodyShare: Value } } }>(
        `{ area(code: "${area}") { youthJustice { custodyShare(period: "${FY16}") { ${FIELDS} } } } }`,
      );
      expect(r.errors).toBeUndefined();
      const { court, custodial } = expectedCustody(FY16);
      const c = court.filter((d) => inArea(d[1], area)).length;
      const k = custodial.filter((d) => inArea(d[1], area)).length;
      const v = r.data!.area.youthJustice.custodyShare;
      expect([v.numerator!.value, v.denominator!.value]).toEqual([k, c]);
      expect(v.value.value).toBeCloseTo((100 * k) / c, 9);
    });
  }

  it('counts 8 court disposals, 2 custodial, in FY16 (by hand)', () => {
    const { court, custodial } = expectedCustody(FY16);
    expect([court.length, custodial.length]).toEqual([8, 2]);
  });

  it('refuses a period of the wrong type, naming the argument', async () => {
    const r = await app.gql(
      `{ area(code: "${KENT}") { youthJustice { custodyShare(period: "2016|CY") { value { value } } } } }`,
    );
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'period' });
  });
});

describe('cohorts', () => {
  const members = async (sql: ReturnType<typeof firstTimeEntrants.members>) =>
    (await app.db.prisma.$queryRaw<{ person_id: string }[]>(sql)).map((r) => r.person_id).sort();
  it('first-time entrants, re-offenders and custody match the indicators’ definitions', async () => {
    const fy16 = parsePeriod(FY16);
    expect(await members(firstTimeEntrants.members(fy16))).toEqual(expectedEntrants(FY16));
    expect(await members(reoffenders.members(fy16))).toEqual(
      expectedReoffending(FY16)
        .filter((x) => x.reoffended)
        .map((x) => x.pid),
    );
    expect(await members(custody.members(fy16))).toEqual(
      [...new Set(expectedCustody(FY16).custodial.map((d) => d[1]))].sort(),
    );
  });
});

// ---------------------------------------------------------------- disproportionality

const Z = 1.959964;
interface RriRow {
  group: string;
  cohortCount: Figure;
  cohortShare: Figure;
  populationCount: Figure;
  populationShare: Figure;
  rri: Figure;
  lower: number | null;
  upper: number | null;
  significant: boolean | null;
}
const RRI_FIELDS = `cohortSize { value symbol } population { value symbol }
  groups { group cohortCount { value symbol } cohortShare { value symbol } populationCount { value symbol }
           populationShare { value symbol } rri { value symbol } lower upper significant }`;

describe('disproportionality', () => {
  it('gives the relative rate index and its Katz interval, by hand, for first-time entrants in care', async () => {
    const r = await app.gql<{
      youthJustice: { disproportionality: { cohortSize: Figure; population: Figure; groups: RriRow[] } };
    }>(
      `{ youthJustice { disproportionality(cohort: FIRST_TIME_ENTRANTS, dimension: IN_CARE, period: "${FY16}", area: "${KENT}") { ${RRI_FIELDS} } } }`,
    );
    expect(r.errors).toBeUndefined();
    const d = r.data!.youthJustice.disproportionality;
    const cohort = expectedEntrants(FY16).map(person);
    const pop = population('2016-04-01');
    // The aged-9 and aged-18 children in care are outside the population; the 17-year-old is in it.
    expect(pop.map((p) => p.id)).not.toContain('A09');
    expect(pop.map((p) => p.id)).not.toContain('A18');
    expect(pop.map((p) => p.id)).toContain('A17');
    const A = cohort.length;
    const B = pop.length;
    const a = cohort.filter((p) => p.inCare).length;
    const b = pop.filter((p) => p.inCare).length;
    expect([A, a, b]).toEqual([8, 3, 6]);
    expect(d.cohortSize.value).toBe(A);
    expect(d.population.value).toBe(B);
    const inCare = d.groups.find((g) => g.group === 'IN_CARE')!;
    const rri = a / A / (b / B);
    const se = Math.sqrt(1 / a - 1 / A + 1 / b - 1 / B);
    expect(inCare.cohortCount.value).toBe(a);
    expect(inCare.populationCount.value).toBe(b);
    expect(inCare.cohortShare.value).toBeCloseTo((100 * a) / A, 9);
    expect(inCare.populationShare.value).toBeCloseTo((100 * b) / B, 9);
    expect(inCare.rri.value).toBeCloseTo(rri, 9);
    expect(inCare.lower).toBeCloseTo(Math.exp(Math.log(rri) - Z * se), 9);
    expect(inCare.upper).toBeCloseTo(Math.exp(Math.log(rri) + Z * se), 9);
    expect(inCare.significant).toBe(Math.exp(Math.log(rri) - Z * se) > 1);
    const notInCare = d.groups.find((g) => g.group === 'NOT_IN_CARE')!;
    expect(notInCare.rri.value).toBeCloseTo((A - a) / A / ((B - b) / B), 9);
  });

  it('by SEN status in a district, with no interval for a group holding none of the cohort', async () => {
    const r = await app.gql<{ youthJustice: { disproportionality: { groups: RriRow[] } } }>(
      `{ youthJustice { disproportionality(cohort: CUSTODY, dimension: SEN_STATUS, period: "${FY16}", area: "${ASHFORD}") { ${RRI_FIELDS} } } }`,
    );
    expect(r.errors).toBeUndefined();
    const cohort = [...new Set(expectedCustody(FY16).custodial.map((d) => d[1]))]
      .map(person)
      .filter((p) => p.district === ASHFORD);
    const pop = population('2016-04-01').filter((p) => p.district === ASHFORD);
    const groups = r.data!.youthJustice.disproportionality.groups;
    for (const code of ['NO_SEN', 'SEN_SUPPORT', 'EHCP'] as const) {
      const sen = code === 'NO_SEN' ? 'NONE' : code;
      const a = cohort.filter((p) => p.sen === sen).length;
      const b = pop.filter((p) => p.sen === sen).length;
      const g = groups.find((x) => x.group === code)!;
      expect([g.cohortCount.value, g.populationCount.value], code).toEqual([a, b]);
      expect(g.rri.value).toBeCloseTo(a / cohort.length / (b / pop.length), 9);
      if (a === 0 || a === cohort.length) expect([g.lower, g.upper]).toEqual([null, null]);
    }
  });

  it('publishes every count by its cell key under disclosure control, and computes shares and indexes from them', async () => {
    const partnerView = testApp(app.db, { services: [youthJustice], viewer: ANALYST, disclosureControl: true });
    const r = await partnerView.gql<{ youthJustice: { disproportionality: { cohortSize: Figure; groups: RriRow[] } } }>(
      `{ youthJustice { disproportionality(cohort: FIRST_TIME_ENTRANTS, dimension: IN_CARE, period: "${FY16}") { ${RRI_FIELDS} } } }`,
    );
    expect(r.errors).toBeUndefined();
    const d = r.data!.youthJustice.disproportionality as unknown as {
      cohortSize: Figure;
      population: Figure;
      groups: RriRow[];
    };
    const inCare = d.groups.find((g) => g.group === 'IN_CARE')!;
    // 3 first-time entrants in care: a count from 1 to 4, never published as such.
    expect(inCare.cohortCount.value).not.toBe(3);
    for (const g of d.groups) {
      for (const f of [g.cohortCount, g.populationCount]) {
        expect(f.value === 0 || (f.value ?? 0) >= 5).toBe(true);
      }
      // The index is the published counts' ratio of shares (a share capped at the whole).
      const [a, A, b, B] = [g.cohortCount.value, d.cohortSize.value, g.populationCount.value, d.population.value];
      if (a !== null && A && b && B && g.rri.value !== null) {
        expect(g.rri.value).toBeCloseTo(Math.min(a, A) / A / (Math.min(b, B) / B), 10);
      }
    }
  });

  it('names a bad argument', async () => {
    const wrongType = await app.gql(
      `{ youthJustice { disproportionality(cohort: CUSTODY, dimension: IN_CARE, period: "2016/2017|AY") { population { value } } } }`,
    );
    expect(wrongType.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'period' });
    const region = await app.gql(
      `{ youthJustice { disproportionality(cohort: CUSTODY, dimension: IN_CARE, period: "${FY16}", area: "E12000008") { population { value } } } }`,
    );
    expect(region.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'area' });
  });
});

// ---------------------------------------------------------------- GraphQL shape and cost

describe('Area.youthJustice for every district', () => {
  it('asks for all 12 districts with as many SQL statements as for one', async () => {
    const fields = `youthJustice {
      firstTimeEntrants(period: "${FY16}") { value { formatted } direction }
      firstTimeEntrantsRate(period: "${FY16}") { value { formatted } }
      reoffending(period: "${FY16}") { value { formatted } inCare: gap(group: IN_CARE) { value { value } } }
      custodyShare(period: "${FY16}") { value { formatted } breakdown(dimension: SEN_STATUS) { value { value } } } }`;
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

describe('record-level disposals', () => {
  it('lists an area’s disposals by date, page by page, with substantive and court flags', async () => {
    const wanted = DISPOSALS.filter((d) => person(d[1]).district === ASHFORD).sort(
      (a, b) => a[3].localeCompare(b[3]) || a[0].localeCompare(b[0]),
    );
    const seen: { id: string; disposedOn: string; substantive: boolean; court: boolean }[] = [];
    let after: string | null = null;
    do {
      const r: {
        data?: { youthJustice: { disposals: { totalCount: number; nextCursor: string | null; nodes: typeof seen } } };
        errors?: unknown;
      } = await app.gql(
        `query($after: String) { youthJustice { disposals(area: "${ASHFORD}", first: 3, after: $after) {
            totalCount nextCursor nodes { id disposedOn substantive court } } } }`,
        { after },
      );
      expect(r.errors).toBeUndefined();
      expect(r.data!.youthJustice.disposals.totalCount).toBe(wanted.length);
      seen.push(...r.data!.youthJustice.disposals.nodes);
      after = r.data!.youthJustice.disposals.nextCursor;
    } while (after);
    expect(seen).toEqual(
      wanted.map(([id, , , disposed, tier, type]) => ({
        id,
        disposedOn: disposed,
        substantive: type !== 'COMMUNITY_RESOLUTION',
        court: tier !== 'PRE_COURT',
      })),
    );
  });

  it('filters by tier and dates, and rejects reversed ranges', async () => {
    const r = await app.gql<{ youthJustice: { disposals: { nodes: { id: string }[] } } }>(
      `{ youthJustice { disposals(tier: CUSTODY, disposedFrom: "2016-04-01", disposedTo: "2017-03-31") { nodes { id } } } }`,
    );
    expect(r.data!.youthJustice.disposals.nodes.map((n) => n.id)).toEqual(
      expectedCustody(FY16).custodial.map((d) => d[0]),
    );
    const bad = await app.gql(
      '{ youthJustice { disposals(disposedFrom: "2016-05-01", disposedTo: "2016-01-01") { totalCount } } }',
    );
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'disposedTo' });
  });

  it('closes the list to analysts of other services, who still read the figures and disproportionality', async () => {
    const other = testApp(app.db, {
      services: [youthJustice],
      viewer: { role: 'SERVICE_ANALYST', services: ['send'], name: 'a SEND analyst' },
    });
    const list = await other.gql('{ youthJustice { disposals(first: 1) { totalCount } } }');
    expect(list.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    const figures = await other.gql(
      `{ area(code: "${KENT}") { youthJustice { firstTimeEntrants(period: "${FY16}") { value { value } } } }
         youthJustice { disproportionality(cohort: REOFFENDERS, dimension: IN_CARE, period: "${FY16}") { population { value } } } }`,
    );
    expect(figures.errors).toBeUndefined();
  });
});

describe('CYPE_SERVICES=youth-justice', () => {
  it('builds a valid schema with the Youth Justice types and none of SEND’s', () => {
    const schema = buildSchema(enabledServices('youth-justice'));
    expect(validateSchema(schema)).toEqual([]);
    for (const name of ['YouthJusticeArea', 'YouthJusticeDisposal', 'YouthJusticeRelativeRate', 'YouthJusticeTier']) {
      expect(schema.getType(name)).toBeDefined();
    }
    for (const name of ['SendArea', 'EhcAssessment']) expect(schema.getType(name)).toBeUndefined();
  });
});
