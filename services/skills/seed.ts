// Deterministic Skills and Employability demo data, calibrated to the seed documents (Kent, 2016-17
// equalities plan and 2018-21 priorities): 16-17 NEET 4.7% (January 2015), 5.0% (2016, against a target of
// 3.5%), 3.0% in January 2017 (target 2.5%; three districts met theirs), falling towards the 2.5% target
// for 2018 and the 2% ambition; 3,020 apprenticeship starts at 16-18 in 2015-16, higher in 2016-17, lower
// after the levy (2017-18); targets of 8,500 starts at 16-24 including 4,000 at 16-18. Not-known rates and
// national and neighbour NEET figures are synthetic (the documents give none). All records are synthetic.
//
// The December to February snapshots are drawn so the Dec–Feb average lands on the documented figure (per
// district, then summed): who is not known, then who is NEET among the known, in spells over the three
// months, weighted towards care leavers, SEND and FSM (over-represented, as the documents say). The other
// months follow on from the snapshots. Apprentices are EET (activity 210) from their start. People the
// core seed does not cover (older apprentices, born before 1998) are created here, with ids `SK…`.
import { bulkInsert, insertTable } from '../../src/core/bulk.js';
import { utc } from '../../src/core/dates.js';
import { DISTRICT_WEIGHTS, ENGLAND, KENT, KENT_DISTRICTS, NEIGHBOURS } from '../../src/core/demo-areas.js';
import { ETHNICITY, PERSON_COLUMNS, peoplePages } from '../../src/core/demo-population.js';
import { periodCode } from '../../src/core/period-codes.js';
import type { Rng, ServicePlugin } from '../../src/core/plugin.js';
import { syncIndicatorCatalogue } from '../../src/core/reporting/catalogue.js';
import { weighted } from '../../src/core/rng.js';
import type { Tx } from '../../src/db.js';
import { Prisma } from '../../src/generated/prisma/client.js';
import { academicMonths, ageAt, bornForAcademicAges, NEET_AGES } from './ages.js';
import type { ApprenticeshipLevel, ParticipationStatus } from './enums.js';
import { APPRENTICESHIP_START_TABLE, PARTICIPATION_RECORD_TABLE } from './tables.js';

/** The demo's "today": the end of the last academic year with characteristics. */
export const AS_AT = new Date(Date.UTC(2018, 7, 31));
const FIRST_PARTICIPATION_AY = 2014;
const FIRST_APPRENTICESHIP_AY = 2013;
const LAST_AY = 2017;
/** The core seed's people are born from January 1998. */
const CORE_BORN_FROM = new Date(Date.UTC(1998, 0, 1));

/** Kent's 16-17 NEET, % (December–February average), by academic year: documented, then the trend on. */
export const NEET_CALIBRATION: Record<number, number> = { 2014: 4.7, 2015: 5.0, 2016: 3.0, 2017: 2.6 };
/** 16-17 activity not known, % (synthetic: tracking improved with the integrated data system). */
export const NOT_KNOWN_CALIBRATION: Record<number, number> = { 2014: 7.5, 2015: 6.0, 2016: 4.0, 2017: 3.5 };

/**
 * Each district's NEET relative to Kent's (synthetic): West Kent lowest, the coast highest. With Kent at 3.0%
 * in 2016/17, Sevenoaks, Tonbridge and Malling and Tunbridge Wells are near 2% and meet the 2.5% target,
 * the others are above 2.8%: "three districts have met their NEET target".
 */
export const DISTRICT_NEET_FACTOR: Record<string, number> = {
  E07000105: 1.0,
  E07000106: 0.95,
  E07000107: 0.95,
  E07000108: 1.15,
  E07000109: 1.1,
  E07000110: 0.95,
  E07000111: 0.65,
  E07000112: 1.15,
  E07000113: 1.2,
  E07000114: 1.35,
  E07000115: 0.7,
  E07000116: 0.68,
};

/** Apprenticeship starts at scale 1 (Kent) by academic year: 16-18 (3,020 in 2015/16) and 19-24. */
export const STARTS: Record<number, { young: number; older: number }> = {
  2013: { young: 2760, older: 3650 },
  2014: { young: 2890, older: 3880 },
  2015: { young: 3020, older: 4120 },
  2016: { young: 3260, older: 4390 },
  2017: { young: 2790, older: 3560 },
};

const NEET_TARGETS: [string, number][] = [
  ['2015/2016|AY', 3.5],
  ['2016/2017|AY', 2.5],
  ['2017/2018|AY', 2.5],
  ['2018/2019|AY', 2.0],
];

// ---------------------------------------------------------------- helpers

const addMonths = (d: Date, months: number) => utc(d.getUTCFullYear(), d.getUTCMonth() + 1 + months, 1);
const daysIn = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
const monthIndex = (d: Date) => d.getUTCFullYear() * 12 + d.getUTCMonth();

/** Weighted random order (Efraimidis–Spirakis): heavier items tend to come first. */
function weightedOrder<T>(rng: Rng, items: T[], weight: (t: T) => number): T[] {
  return items
    .map((item) => ({ item, key: -Math.log(1 - rng.next()) / weight(item) }))
    .sort((a, b) => a.key - b.key)
    .map((x) => x.item);
}

// ---------------------------------------------------------------- apprenticeships

/** Recruitment peaks in September, January, April and July (the documents' recruitment cycle). */
const START_MONTH_WEIGHTS: Record<string, number> = {
  '9': 0.2,
  '10': 0.08,
  '11': 0.06,
  '12': 0.04,
  '1': 0.14,
  '2': 0.06,
  '3': 0.06,
  '4': 0.12,
  '5': 0.06,
  '6': 0.05,
  '7': 0.09,
  '8': 0.04,
};
const YOUNG_AGES: Record<string, number> = { '16': 0.3, '17': 0.35, '18': 0.35 };
const OLDER_AGES: Record<string, number> = { '19': 0.22, '20': 0.19, '21': 0.17, '22': 0.15, '23': 0.14, '24': 0.13 };

/** Level shares; higher and advanced apprenticeships grow a little each year (a documented aim). */
function levelWeights(young: boolean, year: number): Record<ApprenticeshipLevel, number> {
  const drift = 0.015 * (year - FIRST_APPRENTICESHIP_AY);
  return young
    ? { LEVEL_2: 0.62 - 2 * drift, LEVEL_3: 0.34 + drift, LEVEL_4_PLUS: 0.04 + drift }
    : { LEVEL_2: 0.45 - 2 * drift, LEVEL_3: 0.43 + drift, LEVEL_4_PLUS: 0.12 + drift };
}

/** A random id of the pool not in `used` (a few random tries, then a scan), or undefined. */
function pickUnused(rng: Rng, pool: string[], used: Set<string>): string | undefined {
  for (let k = 0; k < 8 && pool.length; k++) {
    const id = rng.pick(pool);
    if (!used.has(id)) return id;
  }
  const free = pool.filter((id) => !used.has(id));
  return free.length ? rng.pick(free) : undefined;
}

interface StartRow {
  personId: string;
  startedOn: Date;
  level: ApprenticeshipLevel;
}

/**
 * The starts of each year, each drawn as start day, age at start and birth month, then a person of that
 * birth month: one of the core seed's people when it covers the month (each starts at most once a year),
 * else a new synthetic person.
 */
async function apprenticeships(tx: Tx, rng: Rng, scale: number) {
  const first = utc(FIRST_APPRENTICESHIP_AY - 25, 1);
  const last = utc(LAST_AY - 14, 12);
  // Only the ids, by birth month, read a page at a time.
  const byBirth = new Map<number, string[]>();
  const where = Prisma.sql`p."birthMonth" BETWEEN ${first} AND ${last}`;
  for await (const page of peoplePages(tx, { where, characteristics: false })) {
    for (const r of page) {
      const k = monthIndex(r.birthMonth);
      const list = byBirth.get(k);
      if (list) list.push(r.id);
      else byBirth.set(k, [r.id]);
    }
  }
  const created: Prisma.PersonCreateManyInput[] = [];
  const starts: StartRow[] = [];
  for (let y = FIRST_APPRENTICESHIP_AY; y <= LAST_AY; y++) {
    const used = new Set<string>();
    for (const young of [true, false]) {
      const n = Math.round((young ? STARTS[y].young : STARTS[y].older) * scale);
      for (let i = 0; i < n; i++) {
        const m = Number(weighted(rng, START_MONTH_WEIGHTS));
        const month = utc(m >= 9 ? y : y + 1, m);
        const startedOn = utc(month.getUTCFullYear(), m, rng.int(1, daysIn(month)));
        const age = Number(weighted(rng, young ? YOUNG_AGES : OLDER_AGES));
        const birth = addMonths(month, -(age * 12 + rng.int(0, 11)));
        const pool = birth >= CORE_BORN_FROM ? (byBirth.get(monthIndex(birth)) ?? []) : [];
        let personId = pickUnused(rng, pool, used);
        if (!personId) {
          personId = `SK${String(created.length + 1).padStart(6, '0')}`;
          created.push({
            id: personId,
            birthMonth: birth,
            sex: rng.chance(0.52) ? 'MALE' : 'FEMALE',
            ethnicityMajor: weighted(rng, ETHNICITY),
            districtCode: weighted(rng, DISTRICT_WEIGHTS as Record<string, number>),
          });
        }
        used.add(personId);
        if (ageAt(birth, startedOn) !== age) throw new Error('apprenticeship seed: age at start drifted');
        starts.push({ personId, startedOn, level: weighted(rng, levelWeights(young, y)) });
      }
    }
  }
  await bulkInsert(tx, 'Person', PERSON_COLUMNS, created);
  await insertTable(tx, APPRENTICESHIP_START_TABLE, starts);
  return { starts, created: created.length };
}

// ---------------------------------------------------------------- participation

interface YoungPerson {
  id: string;
  district: string;
  age17: boolean;
  /** Propensities (relative weights) to be NEET and to be lost to tracking. */
  wNeet: number;
  wNotKnown: number;
  /** Months (0 = September … 11 = August) on an apprenticeship: EET whatever else happens. */
  apprentice: ReadonlySet<number>;
  status: (ParticipationStatus | null)[];
}

interface MonthRecord {
  personId: string;
  month: Date;
  status: ParticipationStatus;
  activity: string | null;
}

const SNAPSHOT = [3, 4, 5]; // December, January, February
const NEET_SPELL: Record<string, number> = { '3': 0.6, '2': 0.25, '1': 0.15 };
const NOT_KNOWN_SPELL: Record<string, number> = { '3': 0.5, '2': 0.3, '1': 0.2 };

const ACTIVITY: Record<ParticipationStatus, Record<string, number>> = {
  // School sixth form, sixth form college, further education, employment with training, traineeship,
  // re-engagement provision.
  EET: { '110': 0.44, '120': 0.1, '130': 0.33, '220': 0.05, '310': 0.04, '410': 0.04 },
  // Seeking work or learning, start date agreed, young carer, teenage parent, illness, other reasons.
  NEET: { '540': 0.6, '610': 0.08, '620': 0.04, '630': 0.08, '640': 0.1, '680': 0.1 },
  // Current situation not known, cannot be contacted.
  NOT_KNOWN: { '810': 0.8, '820': 0.2 },
};

/** No months on an apprenticeship: shared by everyone who is not an apprentice that year (never written to). */
const NO_MONTHS: ReadonlySet<number> = new Set();

/**
 * The year's 16-17 cohort, read a page at a time. The cohort itself stays in memory (a few bytes of state per
 * young person), as the snapshot months are allocated over all of it; its monthly records do not.
 */
async function loadCohort(tx: Tx, year: number, starts: StartRow[]): Promise<YoungPerson[]> {
  const born = bornForAcademicAges(year, NEET_AGES.from, NEET_AGES.to);
  const months = academicMonths(year).map(monthIndex);
  const onApprenticeship = new Map<string, Set<number>>();
  for (const s of starts) {
    const from = monthIndex(s.startedOn);
    months.forEach((m, i) => {
      // In training for at least a year from the start month.
      if (m >= from && m < from + 12) {
        const set = onApprenticeship.get(s.personId) ?? new Set<number>();
        set.add(i);
        onApprenticeship.set(s.personId, set);
      }
    });
  }
  const cohort: YoungPerson[] = [];
  const where = Prisma.sql`p."birthMonth" BETWEEN ${born.first} AND ${born.last} AND p."districtCode" IS NOT NULL`;
  for await (const page of peoplePages(tx, { where, year })) {
    for (const r of page) {
      const c = r.characteristics.get(year);
      const age17 = r.birthMonth < utc(year - 16, 9);
      const ehcp = c?.senStatus === 'EHCP';
      const support = c?.senStatus === 'SEN_SUPPORT';
      cohort.push({
        id: r.id,
        district: r.districtCode as string,
        age17,
        wNeet: Math.exp(0.9 * +!!c?.fsm + 0.7 * +support + 1.1 * +ehcp + 1.6 * +!!c?.inCare + 0.3 * +age17),
        wNotKnown: Math.exp(0.4 * +!!c?.fsm + 0.6 * +(support || ehcp) + 0.5 * +age17),
        apprentice: onApprenticeship.get(r.id) ?? NO_MONTHS,
        status: new Array(12).fill(null),
      });
    }
  }
  return cohort;
}

/**
 * Gives `target` snapshot months the status, in spells: people in weighted random order, each a spell of
 * 1 to 3 consecutive free snapshot months, until the target is reached exactly (the last spell trimmed).
 */
function allocate(
  rng: Rng,
  people: YoungPerson[],
  status: ParticipationStatus,
  target: number,
  weight: (p: YoungPerson) => number,
  spells: Record<string, number>,
) {
  let left = target;
  for (const p of weightedOrder(rng, people, weight)) {
    if (left <= 0) break;
    const free = SNAPSHOT.filter((m) => p.status[m] === null && !p.apprentice.has(m));
    if (!free.length) continue;
    const length = Math.min(Number(weighted(rng, spells)), free.length, left);
    const start = rng.int(0, free.length - length);
    for (const m of free.slice(start, start + length)) p.status[m] = status;
    left -= length;
  }
}

/** The snapshot months of one year, calibrated: not known overall, then NEET among the known by district. */
function snapshots(rng: Rng, year: number, people: YoungPerson[]) {
  const recorded = people.length * SNAPSHOT.length;
  allocate(
    rng,
    people,
    'NOT_KNOWN',
    Math.round((NOT_KNOWN_CALIBRATION[year] / 100) * recorded),
    (p) => p.wNotKnown,
    NOT_KNOWN_SPELL,
  );
  const known = (p: YoungPerson) => SNAPSHOT.filter((m) => p.status[m] !== 'NOT_KNOWN').length;
  const byDistrict = new Map<string, YoungPerson[]>();
  for (const p of people) {
    const list = byDistrict.get(p.district);
    if (list) list.push(p);
    else byDistrict.set(p.district, [p]);
  }
  const knownIn = new Map([...byDistrict].map(([d, list]) => [d, list.reduce((s, p) => s + known(p), 0)]));
  const factor = (d: string) => DISTRICT_NEET_FACTOR[d] ?? 1;
  // Scale the district factors so their known-weighted mean is 1: Kent lands on the calibrated figure.
  const totalKnown = [...knownIn.values()].reduce((a, b) => a + b, 0);
  const weightedFactors = [...knownIn].reduce((s, [d, k]) => s + factor(d) * k, 0);
  const norm = weightedFactors ? totalKnown / weightedFactors : 1;
  for (const [d, list] of [...byDistrict].sort(([a], [b]) => a.localeCompare(b))) {
    const rate = (NEET_CALIBRATION[year] / 100) * factor(d) * norm;
    allocate(rng, list, 'NEET', Math.round(rate * (knownIn.get(d) ?? 0)), (p) => p.wNeet, NEET_SPELL);
  }
}

/** The months around the snapshots, following on from them (spells persist; new ones start at a low rate). */
function otherMonths(rng: Rng, p: YoungPerson) {
  for (const m of SNAPSHOT) p.status[m] ??= 'EET';
  const fresh = (m: number): ParticipationStatus => {
    // Tracking loses most young people at the start of the year (new destinations), and some over summer.
    const notKnown = [0.1, 0.05, 0.025, 0, 0, 0, 0.01, 0.01, 0.01, 0.015, 0.02, 0.03][m] * p.wNotKnown;
    const neet = (m >= 9 ? 0.006 : 0.003) * p.wNeet;
    const u = rng.next();
    return u < notKnown ? 'NOT_KNOWN' : u < notKnown + neet ? 'NEET' : 'EET';
  };
  const follow = (next: ParticipationStatus | null, m: number): ParticipationStatus => {
    if (next === 'NEET' && rng.chance(0.75)) return 'NEET';
    if (next === 'NOT_KNOWN' && rng.chance(0.6)) return 'NOT_KNOWN';
    return next === 'EET' ? fresh(m) : 'EET';
  };
  for (let m = 2; m >= 0; m--) p.status[m] = follow(p.status[m + 1], m);
  for (let m = 6; m < 12; m++) p.status[m] = follow(p.status[m - 1], m);
  for (const m of p.apprentice) p.status[m] = 'EET';
}

/** Monthly records between two writes of a year's participation. */
const RECORDS_PER_WRITE = 120_000;

/** The year's monthly records, calibrated over the whole cohort, written a slice of the cohort at a time. */
async function participation(tx: Tx, rng: Rng, year: number, people: YoungPerson[]): Promise<number> {
  snapshots(rng, year, people);
  const months = academicMonths(year);
  let rows: MonthRecord[] = [];
  let written = 0;
  for (const p of people) {
    otherMonths(rng, p);
    months.forEach((month, m) => {
      if (month > AS_AT) return;
      const status = p.status[m] as ParticipationStatus;
      const activity = p.apprentice.has(m) ? '210' : rng.chance(0.05) ? null : weighted(rng, ACTIVITY[status]);
      rows.push({ personId: p.id, month, status, activity });
    });
    if (rows.length >= RECORDS_PER_WRITE) {
      written += await insertTable(tx, PARTICIPATION_RECORD_TABLE, rows);
      rows = [];
    }
  }
  return written + (await insertTable(tx, PARTICIPATION_RECORD_TABLE, rows));
}

// ---------------------------------------------------------------- catalogue, targets, published figures

/** England's 16-17 NEET, % (synthetic, shaped like the DfE's tables), and each neighbour's offset from it. */
const ENGLAND_NEET: Record<number, number> = { 2014: 4.2, 2015: 3.9, 2016: 2.8, 2017: 2.7 };
const NEIGHBOUR_NEET_OFFSET = [-0.4, 0.6, -0.8, 0.1, 0.3, -1.0, 0.4, -0.2, 0.0, 0.7];

function targets(scale: number): Prisma.TargetCreateManyInput[] {
  return [
    ...NEET_TARGETS.map(([period, value]) => ({
      indicatorCode: 'SK_NEET',
      areaCode: KENT,
      periodCode: period,
      kind: 'TARGET' as const,
      value,
    })),
    // The 2018 target and the 2018-21 ambition of 2% or below, side by side for 2017/18.
    { indicatorCode: 'SK_NEET', areaCode: KENT, periodCode: '2017/2018|AY', kind: 'STRETCH', value: 2.0 },
    // Each district's 2016/17 target: Kent's.
    ...KENT_DISTRICTS.map((d) => ({
      indicatorCode: 'SK_NEET',
      areaCode: d.code,
      periodCode: '2016/2017|AY',
      kind: 'TARGET' as const,
      value: 2.5,
    })),
    // "Deliver 8,500 apprenticeships for 16-24 year olds, including 4,000 for 16-18 year olds", scaled.
    {
      indicatorCode: 'SK_APPRENTICESHIPS_16_24',
      areaCode: KENT,
      periodCode: '2017/2018|AY',
      kind: 'TARGET',
      value: Math.round(8500 * scale),
    },
    {
      indicatorCode: 'SK_APPRENTICESHIPS_16_18',
      areaCode: KENT,
      periodCode: '2017/2018|AY',
      kind: 'TARGET',
      value: Math.round(4000 * scale),
    },
  ];
}

function observations(): Prisma.ObservationCreateManyInput[] {
  return Object.entries(ENGLAND_NEET).flatMap(([y, value]) => {
    const period = periodCode('AY', Number(y));
    return [
      { indicatorCode: 'SK_NEET', areaCode: ENGLAND, periodCode: period, value, source: 'synthetic demo figure' },
      ...NEIGHBOURS.map((n, i) => ({
        indicatorCode: 'SK_NEET',
        areaCode: n.code,
        periodCode: period,
        value: Math.round((value + NEIGHBOUR_NEET_OFFSET[i]) * 10) / 10,
        source: 'synthetic demo figure',
      })),
    ];
  });
}

// ---------------------------------------------------------------- writing

export async function seedSkills(tx: Tx, rng: Rng, scale: number, plugin: ServicePlugin) {
  const { starts, created } = await apprenticeships(tx, rng, scale);
  let records = 0;
  // One academic year at a time, so a benchmark-scale directorate never holds every record at once.
  for (let y = FIRST_PARTICIPATION_AY; y <= LAST_AY; y++) {
    records += await participation(tx, rng, y, await loadCohort(tx, y, starts));
  }
  await syncIndicatorCatalogue(tx, [plugin]);
  await tx.target.createMany({ data: targets(scale), skipDuplicates: true });
  await tx.observation.createMany({ data: observations(), skipDuplicates: true });
  return { starts: starts.length, people: created, records };
}
