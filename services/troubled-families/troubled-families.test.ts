// Troubled Families on a small hand-made fixture: the claims table (windows in submission order, a
// rejected claim that never counts, a fractional minimum target, last year's claims, a district with no
// stretch target), the early help indicators through the reporting engine, record-level lists, typed
// errors, the statement count for 12 districts, and the plugin's schema on its own.
import { printSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDay } from '../../src/core/dates.js';
import { KENT, KENT_DISTRICTS } from '../../src/core/demo-areas.js';
import { seedGeography } from '../../src/core/demo-population.js';
import { syncIndicatorCatalogue } from '../../src/core/reporting/catalogue.js';
import type { Database } from '../../src/db.js';
import { buildSchema, enabledServices } from '../../src/schema.js';
import { createTestDatabase, type TestApp, testApp } from '../../test/harness.js';
import { troubledFamilies } from './plugin.js';

const ASHFORD = 'E07000105';
const CANTERBURY = 'E07000106';
const DARTFORD = 'E07000107';
const FY16 = '2016/2017|FY';
const FY15 = '2015/2016|FY';

// Families: one per claim row below, attached well before their claim.
type Status = 'SUBMITTED' | 'VALIDATED' | 'PAID' | 'REJECTED';
const CLAIMS: { id: string; district: string; window: string; on: string; status: Status }[] = [
  // 2015/16 (previous year), including the last day of the year
  { id: 'C01', district: ASHFORD, window: 'MAR 16', on: '2016-03-31', status: 'PAID' },
  { id: 'C02', district: DARTFORD, window: 'MAR 16', on: '2016-03-18', status: 'PAID' },
  { id: 'C03', district: DARTFORD, window: 'MAR 16', on: '2016-03-18', status: 'PAID' },
  { id: 'C04', district: CANTERBURY, window: 'MAR 16', on: '2016-03-18', status: 'REJECTED' },
  // 2016/17: inserted out of order; alphabetical window order would be JAN 17, MAR 17, SUMMER 16
  { id: 'C05', district: ASHFORD, window: 'MAR 17', on: '2017-03-24', status: 'SUBMITTED' },
  { id: 'C06', district: ASHFORD, window: 'JAN 17', on: '2017-01-27', status: 'VALIDATED' },
  { id: 'C07', district: ASHFORD, window: 'SUMMER 16', on: '2016-04-01', status: 'PAID' },
  { id: 'C08', district: ASHFORD, window: 'SUMMER 16', on: '2016-07-29', status: 'REJECTED' },
  { id: 'C09', district: CANTERBURY, window: 'JAN 17', on: '2017-01-27', status: 'VALIDATED' },
  { id: 'C10', district: CANTERBURY, window: 'JAN 17', on: '2017-01-27', status: 'PAID' },
  { id: 'C11', district: DARTFORD, window: 'SUMMER 16', on: '2016-07-29', status: 'PAID' },
  // 2017/18: counts in neither year asked about
  { id: 'C12', district: DARTFORD, window: 'SUMMER 17', on: '2017-04-01', status: 'SUBMITTED' },
];

const TARGETS: { area: string; kind: 'MINIMUM' | 'STRETCH'; value: number }[] = [
  { area: ASHFORD, kind: 'MINIMUM', value: 7.5 },
  { area: ASHFORD, kind: 'STRETCH', value: 9 },
  { area: CANTERBURY, kind: 'MINIMUM', value: 4 },
  { area: CANTERBURY, kind: 'STRETCH', value: 5 },
  // Dartford has a minimum only.
  { area: DARTFORD, kind: 'MINIMUM', value: 2.25 },
  { area: KENT, kind: 'MINIMUM', value: 14 },
  { area: KENT, kind: 'STRETCH', value: 18 },
];

// Early help cases (all of P001–P008 live in Ashford, P009–P010 in Dartford).
interface Case {
  id: string;
  person: string;
  district: string;
  opened: string;
  closed: string | null;
  reason: string | null;
  stepDown: boolean;
  intensive: boolean;
}
const CASES: Case[] = [
  {
    id: 'E01',
    person: 'P001',
    district: ASHFORD,
    opened: '2016-01-10',
    closed: '2016-06-30',
    reason: 'OUTCOMES_ACHIEVED',
    stepDown: false,
    intensive: true,
  },
  // re-opened exactly 12 months after E01 closed: a re-referral
  {
    id: 'E02',
    person: 'P001',
    district: ASHFORD,
    opened: '2017-06-30',
    closed: null,
    reason: null,
    stepDown: false,
    intensive: true,
  },
  {
    id: 'E03',
    person: 'P002',
    district: ASHFORD,
    opened: '2016-04-01',
    closed: '2016-07-01',
    reason: 'DISENGAGED',
    stepDown: true,
    intensive: true,
  },
  // re-opened 12 months and a day after E03 closed: not a re-referral
  {
    id: 'E04',
    person: 'P002',
    district: ASHFORD,
    opened: '2017-07-02',
    closed: null,
    reason: null,
    stepDown: false,
    intensive: true,
  },
  {
    id: 'E05',
    person: 'P003',
    district: ASHFORD,
    opened: '2016-05-01',
    closed: '2017-03-31',
    reason: 'OUTCOMES_ACHIEVED',
    stepDown: true,
    intensive: true,
  },
  {
    id: 'E06',
    person: 'P004',
    district: ASHFORD,
    opened: '2016-06-01',
    closed: '2016-12-01',
    reason: 'STEPPED_UP_TO_SOCIAL_CARE',
    stepDown: false,
    intensive: true,
  },
  // open access: not in the outcomes indicator
  {
    id: 'E07',
    person: 'P005',
    district: ASHFORD,
    opened: '2016-06-01',
    closed: '2016-08-01',
    reason: 'OTHER',
    stepDown: false,
    intensive: false,
  },
  {
    id: 'E08',
    person: 'P005',
    district: ASHFORD,
    opened: '2016-09-01',
    closed: '2017-01-15',
    reason: 'OUTCOMES_ACHIEVED',
    stepDown: false,
    intensive: true,
  },
  // closed the day before the year
  {
    id: 'E09',
    person: 'P006',
    district: ASHFORD,
    opened: '2015-10-01',
    closed: '2016-03-31',
    reason: 'OUTCOMES_ACHIEVED',
    stepDown: false,
    intensive: true,
  },
  {
    id: 'E10',
    person: 'P009',
    district: DARTFORD,
    opened: '2016-10-01',
    closed: '2017-02-01',
    reason: 'MOVED_AWAY',
    stepDown: true,
    intensive: true,
  },
  {
    id: 'E11',
    person: 'P010',
    district: DARTFORD,
    opened: '2017-01-05',
    closed: null,
    reason: null,
    stepDown: false,
    intensive: true,
  },
];

const inFy = (iso: string | null, startYear: number) =>
  iso !== null && iso >= `${startYear}-04-01` && iso <= `${startYear + 1}-03-31`;

async function insertFixture(db: Database) {
  await db.prisma.$transaction(async (tx) => {
    await seedGeography(tx);
    await syncIndicatorCatalogue(tx, [troubledFamilies]);
  });
  const people = Array.from({ length: 10 }, (_, i) => `P${String(i + 1).padStart(3, '0')}`);
  await db.prisma.person.createMany({
    data: people.map((id, i) => ({
      id,
      birthMonth: parseDay('2008-05-01'),
      sex: i % 2 ? 'MALE' : 'FEMALE',
      ethnicityMajor: 'WHITE',
      districtCode: i < 8 ? ASHFORD : DARTFORD,
    })),
  });
  await db.prisma.troubledFamily.createMany({
    data: CLAIMS.map((c) => ({
      id: `F${c.id}`,
      districtCode: c.district,
      attachedOn: parseDay('2015-06-01'),
      criteria: ['EDUCATION', 'HEALTH'],
    })),
  });
  await db.prisma.pbrClaim.createMany({
    data: CLAIMS.map((c) => ({
      id: c.id,
      familyId: `F${c.id}`,
      window: c.window,
      submittedOn: parseDay(c.on),
      outcome: 'SIGNIFICANT_AND_SUSTAINED_PROGRESS',
      status: c.status,
    })),
  });
  await db.prisma.troubledFamilyMember.createMany({
    data: [
      { familyId: 'FC05', personId: 'P001', role: 'CHILD' },
      { familyId: 'FC05', personId: 'P002', role: 'CHILD' },
    ],
  });
  await db.prisma.target.createMany({
    data: TARGETS.map((t) => ({
      indicatorCode: 'TF_CLAIMS',
      areaCode: t.area,
      periodCode: FY16,
      kind: t.kind,
      value: t.value,
    })),
  });
  await db.prisma.earlyHelpCase.createMany({
    data: CASES.map((c) => ({
      id: c.id,
      personId: c.person,
      districtCode: c.district,
      openedOn: parseDay(c.opened),
      closedOn: c.closed ? parseDay(c.closed) : null,
      closureReason: c.reason as 'OUTCOMES_ACHIEVED' | null,
      stepDown: c.stepDown,
      intensive: c.intensive,
    })),
  });
}

let app: TestApp;
beforeAll(async () => {
  const db = await createTestDatabase();
  await insertFixture(db);
  app = testApp(db, { services: [troubledFamilies] });
});
afterAll(() => app.db.close());

const ROW =
  'previousYearClaims byWindow { window claims } claims minimumTarget stretchTarget percentOfMinimum percentOfStretch';
const TABLE = `windows rows { area { code name } ${ROW} } total { area { code } ${ROW} }`;

interface Row {
  area: { code: string; name?: string } | null;
  previousYearClaims: number;
  byWindow: { window: string; claims: number }[];
  claims: number;
  minimumTarget: number | null;
  stretchTarget: number | null;
  percentOfMinimum: number | null;
  percentOfStretch: number | null;
}
interface Table {
  windows: string[];
  rows: Row[];
  total: Row;
}

/** The expected row, straight from the fixture arrays. */
function expectedRow(districts: string[], targetArea: string, windows: string[]): Omit<Row, 'area'> {
  const valid = (c: (typeof CLAIMS)[number], year: number) =>
    districts.includes(c.district) && c.status !== 'REJECTED' && inFy(c.on, year);
  const claims = CLAIMS.filter((c) => valid(c, 2016)).length;
  const target = (kind: string) => TARGETS.find((t) => t.area === targetArea && t.kind === kind)?.value ?? null;
  const minimumTarget = target('MINIMUM');
  const stretchTarget = target('STRETCH');
  return {
    previousYearClaims: CLAIMS.filter((c) => valid(c, 2015)).length,
    byWindow: windows.map((window) => ({
      window,
      claims: CLAIMS.filter((c) => valid(c, 2016) && c.window === window).length,
    })),
    claims,
    minimumTarget,
    stretchTarget,
    percentOfMinimum: minimumTarget === null ? null : (100 * claims) / minimumTarget,
    percentOfStretch: stretchTarget === null ? null : (100 * claims) / stretchTarget,
  };
}

describe('claimsProgress', () => {
  it('gives the quarterly claims table for Kent exactly in the issue’s shape', async () => {
    const r = await app.gql<{ troubledFamilies: { claimsProgress: Table } }>(
      `{ troubledFamilies { claimsProgress(period: "${FY16}", area: "${KENT}") { ${TABLE} } } }`,
    );
    expect(r.errors).toBeUndefined();
    const table = r.data!.troubledFamilies.claimsProgress;
    // Submission order, not alphabetical; the 2017/18 window is not in 2016/17.
    expect(table.windows).toEqual(['SUMMER 16', 'JAN 17', 'MAR 17']);
    const districts = [...KENT_DISTRICTS].sort((a, b) => a.name.localeCompare(b.name));
    expect(table.rows.map((row) => row.area)).toEqual(districts.map((x) => ({ code: x.code, name: x.name })));
    for (const row of table.rows) {
      expect(row).toEqual({ area: row.area, ...expectedRow([row.area!.code], row.area!.code, table.windows) });
    }
    expect(table.total).toEqual({
      area: null,
      ...expectedRow(
        KENT_DISTRICTS.map((x) => x.code),
        KENT,
        table.windows,
      ),
    });
  });

  it('matches the hand count: rejected claims never count, fractional targets, unrounded percentages', async () => {
    const r = await app.gql<{ troubledFamilies: { claimsProgress: Table } }>(
      `{ troubledFamilies { claimsProgress(period: "${FY16}", area: "${KENT}") { ${TABLE} } } }`,
    );
    const rows = new Map(r.data!.troubledFamilies.claimsProgress.rows.map((row) => [row.area!.code, row]));
    // Ashford: C05 (MAR 17), C06 (JAN 17), C07 (SUMMER 16, first day of the year); C08 rejected; C01 last year.
    expect(rows.get(ASHFORD)).toMatchObject({
      previousYearClaims: 1,
      byWindow: [
        { window: 'SUMMER 16', claims: 1 },
        { window: 'JAN 17', claims: 1 },
        { window: 'MAR 17', claims: 1 },
      ],
      claims: 3,
      minimumTarget: 7.5,
      percentOfMinimum: 40,
      percentOfStretch: (100 * 3) / 9,
    });
    // Canterbury: last year's only claim was rejected.
    expect(rows.get(CANTERBURY)).toMatchObject({
      previousYearClaims: 0,
      claims: 2,
      percentOfMinimum: 50,
      percentOfStretch: 40,
    });
    // Dartford: a fractional minimum and no stretch target; C12 is next year's.
    expect(rows.get(DARTFORD)).toMatchObject({
      previousYearClaims: 2,
      claims: 1,
      minimumTarget: 2.25,
      stretchTarget: null,
      percentOfMinimum: 100 / 2.25,
      percentOfStretch: null,
    });
    expect(rows.get('E07000110')).toMatchObject({
      claims: 0,
      previousYearClaims: 0,
      minimumTarget: null,
      percentOfMinimum: null,
    });
    const total = r.data!.troubledFamilies.claimsProgress.total;
    expect(total).toMatchObject({
      area: null,
      previousYearClaims: 3,
      claims: 6,
      percentOfMinimum: 600 / 14,
      percentOfStretch: 600 / 18,
    });
  });

  it('gives one district its own row, and is reachable from Area.troubledFamilies', async () => {
    const r = await app.gql<{ area: { troubledFamilies: { claimsProgress: Table } } }>(
      `{ area(code: "${ASHFORD}") { troubledFamilies { claimsProgress(period: "${FY16}") { ${TABLE} } } } }`,
    );
    expect(r.errors).toBeUndefined();
    const table = r.data!.area.troubledFamilies.claimsProgress;
    expect(table.windows).toEqual(['SUMMER 16', 'JAN 17', 'MAR 17']);
    expect(table.rows).toHaveLength(1);
    expect(table.rows[0].area?.code).toBe(ASHFORD);
    expect(table.total).toEqual({ ...table.rows[0], area: null });
  });

  it('lists only the windows of the area asked for', async () => {
    const r = await app.gql<{ troubledFamilies: { claimsProgress: Table } }>(
      `{ troubledFamilies { claimsProgress(period: "${FY15}", area: "${CANTERBURY}") { ${TABLE} } } }`,
    );
    // Canterbury's only 2015/16 claim was rejected: the window is listed, with no valid claim in it.
    expect(r.data!.troubledFamilies.claimsProgress.windows).toEqual(['MAR 16']);
    expect(r.data!.troubledFamilies.claimsProgress.total.byWindow).toEqual([{ window: 'MAR 16', claims: 0 }]);
  });

  it('rejects a period that is not a financial year, an unknown area and a region, naming the argument', async () => {
    const bad = [
      [`period: "2016/2017|AY", area: "${KENT}"`, 'period', /financial year/],
      [`period: "2016-17", area: "${KENT}"`, 'period', /not a period code/],
      [`period: "${FY16}", area: "E99999999"`, 'area', /No area/],
      [`period: "${FY16}", area: "E12000008"`, 'area', /local authority and its districts/],
    ] as const;
    for (const [args, argument, message] of bad) {
      const r = await app.gql(`{ troubledFamilies { claimsProgress(${args}) { windows } } }`);
      expect(r.errors?.[0].message).toMatch(message);
      expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    }
  });
});

describe('indicators through the reporting engine', () => {
  const figures = `claims(period: "${FY16}") { value { value } target { kind value } status }
    familiesAttached(period: "${FY15}") { value { value } }
    outcomesAchieved(period: "${FY16}") { numerator { value } denominator { value } value { value } }
    stepDownShare(period: "${FY16}") { numerator { value } denominator { value } }
    reReferralsWithin12Months(period: "${FY16}") { numerator { value } denominator { value } }`;

  it('counts valid claims and judges them against the MINIMUM target', async () => {
    const r = await app.gql<{
      area: {
        troubledFamilies: {
          claims: { value: { value: number }; target: { kind: string; value: number }; status: string };
        };
      };
    }>(`{ area(code: "${DARTFORD}") { troubledFamilies { ${figures} } } }`);
    expect(r.errors).toBeUndefined();
    const claims = r.data!.area.troubledFamilies.claims;
    expect(claims.value.value).toBe(
      CLAIMS.filter((c) => c.district === DARTFORD && c.status !== 'REJECTED' && inFy(c.on, 2016)).length,
    );
    expect(claims.target).toEqual({ kind: 'MINIMUM', value: 2.25 });
    expect(claims.status).toBe('RED');
  });

  it('computes the early help percentages from the cases', async () => {
    type F = { numerator: { value: number }; denominator: { value: number } };
    const r = await app.gql<{
      area: {
        troubledFamilies: {
          familiesAttached: { value: { value: number } };
          outcomesAchieved: F & { value: { value: number } };
          stepDownShare: F;
          reReferralsWithin12Months: F;
        };
      };
    }>(`{ area(code: "${KENT}") { troubledFamilies { ${figures} } } }`);
    expect(r.errors).toBeUndefined();
    const tf = r.data!.area.troubledFamilies;
    expect(tf.familiesAttached.value.value).toBe(CLAIMS.length); // every fixture family attached 2015-06-01
    const closedIntensive = CASES.filter((c) => c.intensive && inFy(c.closed, 2016));
    const achieved = closedIntensive.filter((c) => c.reason === 'OUTCOMES_ACHIEVED');
    expect(tf.outcomesAchieved.numerator.value).toBe(achieved.length);
    expect(tf.outcomesAchieved.denominator.value).toBe(closedIntensive.length);
    expect(tf.outcomesAchieved.value.value).toBeCloseTo((100 * achieved.length) / closedIntensive.length, 10);
    const opened = CASES.filter((c) => inFy(c.opened, 2016));
    expect(tf.stepDownShare.numerator.value).toBe(opened.filter((c) => c.stepDown).length);
    expect(tf.stepDownShare.denominator.value).toBe(opened.length);
    const closed = CASES.filter((c) => inFy(c.closed, 2016));
    const plusYear = (iso: string) => `${Number(iso.slice(0, 4)) + 1}${iso.slice(4)}`;
    const reReferred = closed.filter((c) =>
      CASES.some(
        (n) => n.person === c.person && n.id !== c.id && n.opened >= c.closed! && n.opened <= plusYear(c.closed!),
      ),
    );
    // E01 (back exactly 12 months later) and E07 (back a month later); E03's next case came a day too late.
    expect(reReferred.map((c) => c.id)).toEqual(['E01', 'E07']);
    expect(tf.reReferralsWithin12Months.numerator.value).toBe(reReferred.length);
    expect(tf.reReferralsWithin12Months.denominator.value).toBe(closed.length);
  });

  it('answers all 12 districts with as many SQL statements as one district', async () => {
    const query = (selection: string) =>
      `{ ${selection} { code troubledFamilies { ${figures} claimsProgress(period: "${FY16}") { windows total { claims } } } } }`;
    await app.gql(query(`area(code: "${ASHFORD}")`)); // warm-up: the engine syncs its catalogue once per process
    const count = async (selection: string) => {
      const before = app.db.sqlCount;
      const r = await app.gql<{ areas?: unknown[] }>(query(selection));
      expect(r.errors).toBeUndefined();
      return { statements: app.db.sqlCount - before, data: r.data };
    };
    const one = await count(`areas: area(code: "${ASHFORD}")`);
    const twelve = await count('areas(level: DISTRICT)');
    expect(twelve.data?.areas).toHaveLength(12);
    expect(twelve.statements).toBe(one.statements);
  });
});

describe('record level', () => {
  it('pages through families with filters and a cursor', async () => {
    type Page = {
      nodes: { id: string; district: { code: string }; claims: { id: string; counts: boolean }[] }[];
      totalCount: number;
      nextCursor: string | null;
    };
    const first = await app.gql<{ troubledFamilies: { families: Page } }>(
      `{ troubledFamilies { families(district: "${ASHFORD}", first: 3) { nodes { id district { code } claims { id counts } } totalCount nextCursor } } }`,
    );
    expect(first.errors).toBeUndefined();
    const ashford = CLAIMS.filter((c) => c.district === ASHFORD)
      .map((c) => `F${c.id}`)
      .sort();
    const page1 = first.data!.troubledFamilies.families;
    expect(page1.totalCount).toBe(ashford.length);
    expect(page1.nodes.map((n) => n.id)).toEqual(ashford.slice(0, 3));
    const second = await app.gql<{ troubledFamilies: { families: Page } }>(
      `{ troubledFamilies { families(district: "${ASHFORD}", first: 3, after: "${page1.nextCursor}") { nodes { id claims { id counts } } nextCursor } } }`,
    );
    expect(second.data!.troubledFamilies.families.nodes.map((n) => n.id)).toEqual(ashford.slice(3, 6));
    // C08 was rejected: it is listed, and does not count.
    expect(second.data!.troubledFamilies.families.nodes.find((n) => n.id === 'FC08')?.claims).toEqual([
      { id: 'C08', counts: false },
    ]);
    expect(second.data!.troubledFamilies.families.nextCursor).toBeNull();
  });

  it('lists early help cases open on a date', async () => {
    const r = await app.gql<{ troubledFamilies: { earlyHelpCases: { nodes: { id: string }[]; totalCount: number } } }>(
      '{ troubledFamilies { earlyHelpCases(openOn: "2016-07-01") { nodes { id } totalCount } } }',
    );
    const expected = CASES.filter((c) => c.opened <= '2016-07-01' && (c.closed === null || c.closed >= '2016-07-01'))
      .map((c) => c.id)
      .sort();
    expect(r.data!.troubledFamilies.earlyHelpCases.nodes.map((n) => n.id)).toEqual(expected);
    expect(r.data!.troubledFamilies.earlyHelpCases.totalCount).toBe(expected.length);
  });

  it('refuses a page size out of range and a bad date, naming the argument', async () => {
    const r1 = await app.gql('{ troubledFamilies { families(first: 0) { totalCount } } }');
    expect(r1.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
    const r2 = await app.gql('{ troubledFamilies { earlyHelpCases(openOn: "2016-13-01") { totalCount } } }');
    expect(r2.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'openOn' });
  });
});

describe('the plugin on its own', () => {
  it('CYPE_SERVICES=troubled-families builds a valid schema without the other services', () => {
    const schema = buildSchema(enabledServices('troubled-families'));
    const sdl = printSchema(schema);
    expect(sdl).toContain('type TroubledFamiliesArea');
    expect(sdl).toContain('type ClaimsProgress');
    expect(sdl).not.toMatch(/EarlyYearsArea|SendArea|YouthJusticeArea|SkillsArea/);
  });
});
