// Fixtures for the reporting tests: the demo people (seedDemo at scale 0.002: 600 synthetic children) plus
// reading-pilot enrolments chosen by simple rules from their ids, published Observations and Targets; and
// the expected sums, computed here straight from the fixture rows and characteristics (not by the engine).
import { createHash } from 'node:crypto';
import { bulkInsert } from '../../src/core/bulk.js';
import { KENT, KENT_DISTRICTS, NEIGHBOURS } from '../../src/core/demo-areas.js';
import { syncIndicatorCatalogue } from '../../src/core/reporting/catalogue.js';
import type { Database } from '../../src/db.js';
import { seedDemo } from '../../src/seed-demo.js';
import { createTestDatabase, type TestApp, testApp } from '../harness.js';
import { pilotSql, readingPilot } from '../pilot/plugin.js';
import { ENROLMENT_COLUMNS, type EnrolmentInput } from '../pilot/seed.js';

export const AY2016 = '2016/2017|AY';
export const AY2015 = '2015/2016|AY';
export const AY2014 = '2014/2015|AY';
export const AY2013 = '2013/2014|AY';
export const ENGLAND = 'E92000001';
export const ASHFORD = 'E07000105';
export const DISTRICTS = KENT_DISTRICTS.map((d) => d.code);

export interface Child {
  id: string;
  districtCode: string;
  sex: string;
  ethnicityMajor: string;
  fsm: boolean;
  senStatus: string;
  inCare: boolean;
  eal: boolean;
}

export interface FixtureRow extends EnrolmentInput {
  child: Child;
}

/** Published completion figures (PILOT_COMPLETION, 2016/17) for the ten neighbours, in NEIGHBOURS order. */
export const NEIGHBOUR_VALUES = [70.1, 65.0, 80.2, 74.9, 68.3, 77.7, 71.0, 62.5, 79.9, 73.3];

export interface Fixture {
  db: Database;
  rows: Map<string, FixtureRow[]>;
}

/** The enrolment rule for a year: about two children in three, completion likelier without FSM. */
function enrol(child: Child, periodCode: string): FixtureRow | null {
  const n = Number(child.id.slice(1));
  if (n % 3 === (periodCode === AY2016 ? 0 : 1)) return null;
  return {
    child,
    personId: child.id,
    periodCode,
    districtCode: child.districtCode,
    enrolledOn: new Date(Date.UTC(Number(periodCode.slice(0, 4)), 8, 1 + (n % 28))),
    completed: (n * 7) % 10 < (child.fsm ? 5 : 8),
    booksRead: n % 13,
  };
}

async function children(db: Database, periodCode: string): Promise<Child[]> {
  return db.prisma.$queryRaw<Child[]>`
    SELECT p.id, p."districtCode", p.sex::text AS sex, p."ethnicityMajor"::text AS "ethnicityMajor",
           pc.fsm, pc."senStatus"::text AS "senStatus", pc."inCare", pc.eal
    FROM "Person" p JOIN "PersonCharacteristic" pc ON pc."personId" = p.id AND pc."periodCode" = ${periodCode}
    WHERE p."districtCode" IS NOT NULL ORDER BY p.id`;
}

/**
 * An analyst and a viewer under disclosure control over the pilot, both without the cross-request cache,
 * so each request runs (and shows) the statements it needs.
 */
export function uncachedPilotApps(db: Database): { app: TestApp; suppressed: TestApp } {
  const options = { services: [readingPilot], cache: { enabled: false } };
  return { app: testApp(db, options), suppressed: testApp(db, { ...options, disclosureControl: true }) };
}

/** The store's disclosure secret in the fixture (a store's own is random), so published counts are known. */
export const FIXTURE_SECRET = 'fixture-secret';

export async function createFixture(): Promise<Fixture> {
  const db = await createTestDatabase([pilotSql()]);
  await db.prisma.$executeRaw`UPDATE "CellKeySecret" SET secret = ${FIXTURE_SECRET}`;
  await seedDemo(db, [], 0.002);
  await syncIndicatorCatalogue(db.prisma, [readingPilot]);
  const rows = new Map<string, FixtureRow[]>();
  for (const period of [AY2015, AY2016]) {
    rows.set(
      period,
      (await children(db, period)).flatMap((c) => {
        const r = enrol(c, period);
        return r ? [r] : [];
      }),
    );
  }
  // 2013/14, small enough to check by hand: seven children, all at an Ashford school, five completed.
  rows.set(
    AY2013,
    (await children(db, AY2013)).slice(0, 7).map((child, i) => ({
      child,
      personId: child.id,
      periodCode: AY2013,
      districtCode: ASHFORD,
      enrolledOn: new Date(Date.UTC(2013, 8, 2)),
      completed: i < 5,
      booksRead: i + 1,
    })),
  );
  await bulkInsert(db.prisma, 'ReadingPilotEnrolment', ENROLMENT_COLUMNS, [...rows.values()].flat());

  const observations = [
    { areaCode: ENGLAND, breakdown: 'TOTAL', value: 72.5 },
    { areaCode: ENGLAND, breakdown: 'FSM', numerator: 600, denominator: 1000, value: 60 },
    { areaCode: ENGLAND, breakdown: 'NOT_FSM', numerator: 3800, denominator: 5000, value: 76 },
    ...NEIGHBOURS.map((n, i) => ({ areaCode: n.code, breakdown: 'TOTAL', value: NEIGHBOUR_VALUES[i] })),
  ].map((o) => ({ indicatorCode: 'PILOT_COMPLETION', periodCode: AY2016, source: 'test fixture', ...o }));
  await db.prisma.observation.createMany({
    data: [
      ...observations,
      // History before the records begin: published only.
      { indicatorCode: 'PILOT_COMPLETION', periodCode: AY2014, areaCode: KENT, value: 68 },
      // A published-only indicator, with EES symbols (legacy k = low).
      { indicatorCode: 'PILOT_SATISFACTION', periodCode: AY2016, areaCode: KENT, value: 88 },
      { indicatorCode: 'PILOT_SATISFACTION', periodCode: AY2016, areaCode: ENGLAND, value: 85 },
      { indicatorCode: 'PILOT_SATISFACTION', periodCode: AY2016, areaCode: NEIGHBOURS[0].code, symbol: 'c' },
      { indicatorCode: 'PILOT_SATISFACTION', periodCode: AY2016, areaCode: NEIGHBOURS[1].code, value: 90 },
      { indicatorCode: 'PILOT_SATISFACTION', periodCode: AY2015, areaCode: KENT, symbol: 'k' },
    ],
  });
  return { db, rows };
}

// ---- Expected sums, straight from the rows ----

export interface Sums {
  numerator: number;
  denominator: number;
  people: number;
}

const GROUP_OF: Record<string, (c: Child) => string> = {
  SEX: (c) => c.sex,
  FSM: (c) => (c.fsm ? 'FSM' : 'NOT_FSM'),
  SEN_STATUS: (c) => ({ NONE: 'NO_SEN', SEN_SUPPORT: 'SEN_SUPPORT', EHCP: 'EHCP' })[c.senStatus] ?? 'UNKNOWN',
  IN_CARE: (c) => (c.inCare ? 'IN_CARE' : 'NOT_IN_CARE'),
  EAL: (c) => (c.eal ? 'EAL' : 'NOT_EAL'),
  ETHNICITY_MAJOR: (c) => c.ethnicityMajor,
};
export const PERSON_DIMENSIONS = Object.keys(GROUP_OF);

/** Sums for completion (numerator = completed, denominator = enrolled) for an area, optionally one group. */
export function completion(rows: FixtureRow[], area: string, dimension?: string, group?: string): Sums {
  const mine = rows.filter(
    (r) =>
      (area === KENT || r.districtCode === area) &&
      (!dimension ||
        (group === 'ANY_SEN'
          ? ['SEN_SUPPORT', 'EHCP'].includes(GROUP_OF.SEN_STATUS(r.child))
          : GROUP_OF[dimension](r.child) === group)),
  );
  return {
    numerator: mine.filter((r) => r.completed).length,
    denominator: mine.length,
    people: new Set(mine.map((r) => r.personId)).size,
  };
}

// ---- Published counts under disclosure control, worked out again from the rows -------------------------

/** The perturbation table as README.md publishes it: noise −5..5, weights out of 65536. */
const PTABLE_WEIGHTS = [1, 30, 600, 4000, 13000, 30274, 13000, 4000, 600, 30, 1];

/** A person's record key: the first 16 bits of md5(secret ‖ id). */
export function recordKeyOf(personId: string, secret = FIXTURE_SECRET): number {
  return Number.parseInt(createHash('md5').update(`${secret}${personId}`).digest('hex').slice(0, 4), 16);
}

/** The published count of `count` people whose record keys sum to `keySum`, threshold 5. */
export function publishedOf(count: number, keySum: number, threshold = 5): number {
  if (count === 0) return 0;
  let k = keySum % 65536;
  let noise = -5;
  for (const w of PTABLE_WEIGHTS) {
    if (k < w) break;
    k -= w;
    noise++;
  }
  const y = count + noise;
  if (y >= threshold) return y;
  return y <= 0 || 2 * y < threshold ? 0 : threshold;
}

/** Completion's published numerator and denominator for an area (optionally one group). */
export function publishedCompletion(
  rows: FixtureRow[],
  area: string,
  dimension?: string,
  group?: string,
  threshold = 5,
): { numerator: number; denominator: number } {
  const mine = rows.filter(
    (r) =>
      (area === KENT || r.districtCode === area) &&
      (!dimension ||
        (group === 'ANY_SEN'
          ? ['SEN_SUPPORT', 'EHCP'].includes(GROUP_OF.SEN_STATUS(r.child))
          : GROUP_OF[dimension](r.child) === group)),
  );
  const keys = (list: FixtureRow[]) => list.reduce((s, r) => s + recordKeyOf(r.personId), 0);
  const done = mine.filter((r) => r.completed);
  return {
    numerator: publishedOf(done.length, keys(done), threshold),
    denominator: publishedOf(mine.length, keys(mine), threshold),
  };
}

/** Groups of a dimension present in an area. */
export function groupsIn(rows: FixtureRow[], area: string, dimension: string): string[] {
  return [
    ...new Set(rows.filter((r) => area === KENT || r.districtCode === area).map((r) => GROUP_OF[dimension](r.child))),
  ];
}

/** Wilson 95% interval in percent, written out again here so the test does not lean on the engine. */
export function wilsonPercent(n: number, d: number): { lower: number; upper: number } {
  const z = 1.959964;
  const p = n / d;
  const a = 1 + (z * z) / d;
  const centre = (p + (z * z) / (2 * d)) / a;
  const half = (z / a) * Math.sqrt((p * (1 - p)) / d + (z * z) / (4 * d * d));
  return { lower: 100 * Math.max(0, centre - half), upper: 100 * Math.min(1, centre + half) };
}

export const round1 = (v: number) => Math.round(v * 10 + Number.EPSILON * 10) / 10;
