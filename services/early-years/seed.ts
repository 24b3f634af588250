// Deterministic Early Years demo data for the seeded people, calibrated to the seed documents (Kent,
// 2016-17 equalities plan and 2018-21 priorities): GLD 72.9% in 2014/15 and 74.8% in 2015/16 (girls 82.2%,
// boys 68.0%, FSM gap 16 then 19 points, SEN 26% then 27%); two-year-old take-up 70% then 74%; settings
// good or outstanding 88% (Aug 2015), 96% (Aug 2016), 97% (2017); targets 77% GLD, 78% take-up, 98%
// settings, 85% centre registration. Later years continue the trend. All records are synthetic.
import { insertTable } from '../../src/core/bulk.js';
import { utc } from '../../src/core/dates.js';
import { DISTRICT_WEIGHTS, ENGLAND, KENT, NEIGHBOURS } from '../../src/core/demo-areas.js';
import { peoplePages, periodRow, type StoredPerson } from '../../src/core/demo-population.js';
import { periodCode } from '../../src/core/period-codes.js';
import type { Rng } from '../../src/core/plugin.js';
import type { IndicatorDefinition } from '../../src/core/reporting/types.js';
import { weighted } from '../../src/core/rng.js';
import type { Tx } from '../../src/db.js';
import { Prisma } from '../../src/generated/prisma/client.js';
import { logistic, type RateTarget, SystematicDraws, solveLogit, type Unit } from './calibration.js';
import { earlyYearsIndicators } from './indicators.js';
import {
  CENTRE_REGISTRATION_TABLE,
  EYFS_RESULT_TABLE,
  INSPECTION_TABLE,
  SETTING_TABLE,
  TWO_YEAR_OLD_FUNDING_TABLE,
} from './tables.js';

/** The demo's "today": the end of the last academic year with characteristics. */
export const AS_AT = new Date(Date.UTC(2018, 7, 31));
export const FIRST_AY = 2012;
export const LAST_AY = 2017;

interface Characteristics {
  fsm: boolean;
  sen: boolean;
  ehcp: boolean;
  inCare: boolean;
  eal: boolean;
}

interface Child {
  id: string;
  birth: Date;
  female: boolean;
  district: string | null;
  /** By academic year (its first calendar year). */
  chars: Map<number, Characteristics>;
}

const addMonths = (d: Date, months: number) => utc(d.getUTCFullYear(), d.getUTCMonth() + 1 + months, 1);
const addDays = (d: Date, days: number) => new Date(d.getTime() + days * 86_400_000);
const between = (rng: Rng, from: Date, to: Date) =>
  addDays(from, Math.floor(rng.next() * ((to.getTime() - from.getTime()) / 86_400_000 + 1)));
/** The academic year (first calendar year) containing a date. */
const academicYearOf = (d: Date) => (d.getUTCMonth() >= 8 ? d.getUTCFullYear() : d.getUTCFullYear() - 1);

/** Children born since 2007 (the seeds' earliest reception cohort), as the seed's draws read them. */
const CHILDREN_BORN_FROM = utc(2007, 1, 1);

function toChild(p: StoredPerson): Child {
  const chars = new Map<number, Characteristics>();
  for (const [y, c] of p.characteristics) {
    chars.set(y, {
      fsm: c.fsm,
      sen: c.senStatus === 'SEN_SUPPORT' || c.senStatus === 'EHCP',
      ehcp: c.senStatus === 'EHCP',
      inCare: c.inCare,
      eal: c.eal,
    });
  }
  return { id: p.id, birth: p.birthMonth, female: p.sex === 'FEMALE', district: p.districtCode, chars };
}

// ---------------------------------------------------------------- EYFS

/** Published (2012/13–2015/16) and continued (later) Kent figures the GLD draw is solved to, in %. */
export const GLD_CALIBRATION: Record<number, { overall: number; sexGap: number; fsmGap: number; senRate: number }> = {
  2012: { overall: 64.0, sexGap: 16.5, fsmGap: 18.0, senRate: 22 },
  2013: { overall: 68.6, sexGap: 15.6, fsmGap: 17.0, senRate: 24 },
  2014: { overall: 72.9, sexGap: 15.0, fsmGap: 16.0, senRate: 26 },
  2015: { overall: 74.8, sexGap: 14.2, fsmGap: 19.0, senRate: 27 },
  2016: { overall: 75.4, sexGap: 13.8, fsmGap: 17.5, senRate: 28 },
  2017: { overall: 75.9, sexGap: 13.5, fsmGap: 16.5, senRate: 28 },
};

// Fixed logit offsets for groups too small to calibrate on (children in care, EHCP within SEN) or not in
// the documents (EAL). Nationally few children with an EHCP reach a GLD.
const IN_CARE_OFFSET = -1.6;
const EHCP_OFFSET = -2.5;
const EAL_OFFSET = -0.35;

interface EyfsRow {
  personId: string;
  periodCode: string;
  gld: boolean;
  totalPoints: number | null;
}

/** Born for reception in academic year y: 1 September y−5 to 31 August y−4 (the cohort: with that year's characteristics). */
const bornForReception = (y: number) => Prisma.sql`p."birthMonth" BETWEEN ${utc(y - 5, 9, 1)} AND ${utc(y - 4, 8, 31)}`;

/** A reception child's GLD covariates: constant, girl, FSM, SEN; and the fixed offset. */
function gldUnit(c: { female: boolean; fsm: boolean; sen: boolean; ehcp: boolean; inCare: boolean; eal: boolean }) {
  return {
    x: [1, c.female ? 1 : 0, c.fsm ? 1 : 0, c.sen ? 1 : 0],
    offset: (c.inCare ? IN_CARE_OFFSET : 0) + (c.ehcp ? EHCP_OFFSET : 0) + (c.eal ? EAL_OFFSET : 0),
  };
}

/**
 * The GLD model of year y, solved on the whole reception cohort so its expected rates are the year's figures.
 * The model only sees a child's covariate pattern (sex, FSM, SEN, EHCP, in care, EAL), so it is solved on
 * the patterns' counts: one cheap COUNT over the cohort instead of the cohort in memory.
 */
async function gldModel(tx: Tx, y: number): Promise<number[] | null> {
  const patterns = await tx.$queryRaw<
    { female: boolean; fsm: boolean; senStatus: string; inCare: boolean; eal: boolean; n: number }[]
  >`
    SELECT p.sex = 'FEMALE' AS female, pc.fsm, pc."senStatus"::text AS "senStatus", pc."inCare", pc.eal, COUNT(*)::int AS n
    FROM "Person" p JOIN "PersonCharacteristic" pc ON pc."personId" = p.id AND pc."periodCode" = ${periodCode('AY', y)}
    WHERE ${bornForReception(y)}
    GROUP BY 1, 2, 3, 4, 5
    ORDER BY 1, 2, 3, 4, 5`;
  if (!patterns.length) return null;
  const units: Unit[] = patterns.map((r) => ({
    ...gldUnit({
      female: r.female,
      fsm: r.fsm,
      sen: r.senStatus !== 'NONE',
      ehcp: r.senStatus === 'EHCP',
      inCare: r.inCare,
      eal: r.eal,
    }),
    n: Number(r.n),
  }));
  const target = GLD_CALIBRATION[y];
  const all: RateTarget[] = [
    { value: target.overall / 100, of: () => true },
    { value: target.sexGap / 100, of: (i) => units[i].x[1] === 1, minus: (i) => units[i].x[1] === 0 },
    { value: target.fsmGap / 100, of: (i) => units[i].x[2] === 0, minus: (i) => units[i].x[2] === 1 },
    { value: target.senRate / 100, of: (i) => units[i].x[3] === 1 },
  ];
  // A tiny demo may lack a group altogether: calibrate only the covariates present on both sides.
  const keep = [0, 1, 2, 3].map((j) => j === 0 || (units.some((u) => u.x[j] === 1) && units.some((u) => u.x[j] === 0)));
  const beta = solveLogit(
    units.map((u) => ({ ...u, x: u.x.filter((_, j) => keep[j]) })),
    all.filter((_, j) => keep[j]),
  );
  return [0, 1, 2, 3].map((j) => (keep[j] ? beta[keep.slice(0, j).filter(Boolean).length] : 0));
}

/**
 * EYFS results of year y's reception cohort, written a page of children at a time. GLD is drawn within
 * sex x FSM x SEN strata, so each group's realised rate is its expected rate: the strata's systematic draws
 * run on from page to page.
 */
async function eyfsYear(tx: Tx, rng: Rng, y: number): Promise<number> {
  const beta = await gldModel(tx, y);
  if (!beta) return 0;
  const draws = new SystematicDraws();
  let written = 0;
  for await (const page of peoplePages(tx, { where: bornForReception(y), year: y })) {
    const cohort = page.map(toChild).filter((c) => c.chars.has(y));
    const ch = cohort.map((c) => c.chars.get(y) as Characteristics);
    const p = cohort.map((c, i) => {
      const u = gldUnit({ ...ch[i], female: c.female });
      return logistic(u.offset + u.x.reduce((s, x, j) => s + x * beta[j], 0));
    });
    const strata = new Map<string, number[]>();
    cohort.forEach((c, i) => {
      const key = `${c.female}|${ch[i].fsm}|${ch[i].sen}`;
      const list = strata.get(key);
      if (list) list.push(i);
      else strata.set(key, [i]);
    });
    const gld = new Map<number, boolean>();
    for (const key of [...strata.keys()].sort()) {
      for (const [i, ok] of draws.draw(rng, key, strata.get(key) as number[], (i) => p[i])) gld.set(i, ok);
    }
    const rows: EyfsRow[] = cohort.map((c, i) => {
      const achieved = gld.get(i) as boolean;
      return {
        personId: c.id,
        periodCode: periodCode('AY', y),
        gld: achieved,
        // A few returns carry the GLD flag without the points.
        totalPoints: rng.chance(0.02) ? null : totalPoints(rng, achieved),
      };
    });
    written += await insertTable(tx, EYFS_RESULT_TABLE, rows);
  }
  return written;
}

/**
 * Points over the 17 early learning goals (1 emerging, 2 expected, 3 exceeding). A GLD child is at least
 * expected in the 12 goals of the prime areas, literacy and mathematics; a child without one is emerging in
 * at least one of those 12.
 */
function totalPoints(rng: Rng, gld: boolean): number {
  const emergingKeyGoal = gld ? -1 : rng.int(0, 11);
  let points = 0;
  for (let goal = 0; goal < 17; goal++) {
    const u = rng.next();
    if (goal === emergingKeyGoal) points += 1;
    else if (gld && goal < 12) points += u < 0.2 ? 3 : 2;
    else if (gld) points += u < 0.08 ? 1 : u < 0.82 ? 2 : 3;
    else points += u < 0.4 ? 1 : u < 0.97 ? 2 : 3;
  }
  return points;
}

// ---------------------------------------------------------------- two-year-olds

/** Child-level take-up the draw is solved to, by the academic year of the child's first eligible term. */
const TAKE_UP: Record<number, number> = { 2013: 0.62, 2014: 0.69, 2015: 0.75, 2016: 0.79, 2017: 0.8 };
const EAL_TAKE_UP_OFFSET = -0.5;

interface FundingRow {
  personId: string;
  periodCode: string;
  eligible: boolean;
  tookUp: boolean;
}

/** The school term (first calendar year of its academic year, and 1–3) containing a date. */
function termOf(d: Date): { y: number; t: 1 | 2 | 3 } {
  const m = d.getUTCMonth() + 1;
  if (m >= 9) return { y: d.getUTCFullYear(), t: 1 };
  return { y: d.getUTCFullYear() - 1, t: m <= 3 ? 2 : 3 };
}
const nextTerm = ({ y, t }: { y: number; t: 1 | 2 | 3 }) =>
  t === 3 ? { y: y + 1, t: 1 as const } : { y, t: (t + 1) as 2 | 3 };
const termCode = ({ y, t }: { y: number; t: number }) => periodCode(`T${t}`, y);

/**
 * Funding records of a page of children. Take-up is calibrated per page: each first-eligible year's intercept
 * is solved on the page's eligible children, so every page's expected take-up is the year's figure (and so
 * the whole cohort's), and the year's systematic draw runs on from page to page, so the realised number is
 * that expectation over all the pages, rounded.
 */
function twoYearOldFunding(rng: Rng, children: Child[], draws: SystematicDraws): FundingRow[] {
  // Funded from the term after the second birthday, for three terms (then the universal 3-year-old offer).
  // The offer began in September 2013 for the poorest 20% and widened to about 40% in September 2014.
  const candidates: { c: Child; terms: { y: number; t: 1 | 2 | 3; eligible: boolean }[] }[] = [];
  for (const c of children) {
    const birthday = addMonths(c.birth, 24);
    let term = nextTerm(termOf(birthday));
    const u = rng.next();
    const terms: { y: number; t: 1 | 2 | 3; eligible: boolean }[] = [];
    for (let k = 0; k < 3; k++, term = nextTerm(term)) {
      if (term.y < 2013 || term.y > LAST_AY) continue;
      // Characteristics start at age 2 by calendar year of birth: fall back to the next year's.
      const fsm = (c.chars.get(term.y) ?? c.chars.get(term.y + 1))?.fsm ?? false;
      const wide = term.y >= 2014;
      const eligible = fsm ? u < 0.95 : u < (wide ? 0.3 : 0.08);
      terms.push({ ...term, eligible });
    }
    if (terms.length) candidates.push({ c, terms });
  }
  const eligible = candidates.filter((x) => x.terms.some((t) => t.eligible));
  const firstYear = (x: (typeof eligible)[number]) => (x.terms.find((t) => t.eligible) as { y: number }).y;
  const takes = new Map<(typeof eligible)[number], boolean>();
  for (let y = 2013; y <= LAST_AY; y++) {
    const group = eligible.filter((x) => firstYear(x) === y);
    if (!group.length) continue;
    const eal = (x: (typeof group)[number]) => (x.c.chars.get(y) ?? x.c.chars.get(y + 1))?.eal ?? false;
    // Intercept so the group's mean take-up is the year's figure, with EAL families less likely to take up.
    const units = group.map((x) => ({ x: [1], offset: eal(x) ? EAL_TAKE_UP_OFFSET : 0 }));
    const [a] = solveLogit(units, [{ value: TAKE_UP[y], of: () => true }]);
    for (const [x, ok] of draws.draw(rng, String(y), group, (x) => logistic(a + (eal(x) ? EAL_TAKE_UP_OFFSET : 0))))
      takes.set(x, ok);
  }
  const rows: FundingRow[] = [];
  for (const x of candidates) {
    const takesUp = takes.get(x) ?? false;
    // Most start in their first eligible term; some a term or two later.
    const delay = rng.chance(0.78) ? 0 : rng.chance(0.7) ? 1 : 2;
    let eligibleSoFar = 0;
    for (const t of x.terms) {
      if (!t.eligible) {
        // Parents who checked and were told no: recorded once, in the first term.
        if (t === x.terms[0] && rng.chance(0.08))
          rows.push({ personId: x.c.id, periodCode: termCode(t), eligible: false, tookUp: false });
        continue;
      }
      rows.push({
        personId: x.c.id,
        periodCode: termCode(t),
        eligible: true,
        tookUp: takesUp && eligibleSoFar >= delay,
      });
      eligibleSoFar++;
    }
  }
  return rows;
}

// ---------------------------------------------------------------- children's centres

interface RegistrationRow {
  personId: string;
  centreId: string;
  registeredOn: Date;
}

function centreRegistrations(rng: Rng, children: Child[]): RegistrationRow[] {
  const rows: RegistrationRow[] = [];
  for (const c of children) {
    if (!c.district) continue;
    const year = c.birth.getUTCFullYear();
    // Registration has risen year on year; centres target families on low incomes.
    const fsm = [...c.chars.values()][0]?.fsm ?? false;
    const p = Math.min(0.95, 0.6 + 0.024 * (year - 2007) + (fsm ? 0.08 : 0));
    if (!rng.chance(p)) continue;
    // Mostly in the first months after birth (the centres take live-birth data), some later.
    const monthsAfter = Math.floor(-Math.log(1 - rng.next()) * 7);
    const registeredOn = addDays(addMonths(c.birth, monthsAfter), rng.int(0, 27));
    if (registeredOn > AS_AT) continue;
    rows.push({ personId: c.id, centreId: `CC${c.district.slice(-3)}${rng.int(1, 7)}`, registeredOn });
    // A family that moves or uses two centres registers twice.
    if (rng.chance(0.04)) {
      const second = `CC${c.district.slice(-3)}${rng.int(1, 7)}`;
      const on = addDays(registeredOn, rng.int(30, 700));
      if (second !== rows[rows.length - 1].centreId && on <= AS_AT)
        rows.push({ personId: c.id, centreId: second, registeredOn: on });
    }
  }
  return rows;
}

// ---------------------------------------------------------------- settings and inspections

/** Share of settings good or outstanding at each 31 August (academic year → %), from the seed documents. */
const SETTINGS_GOOD: Record<number, number> = { 2012: 80, 2013: 84, 2014: 88, 2015: 96, 2016: 97, 2017: 97.5 };
const SETTINGS_AT_SCALE_1 = 1900;
const SETTING_TYPES = { CHILDMINDER: 0.55, NON_DOMESTIC: 0.4, DOMESTIC: 0.03, NURSERY_SCHOOL: 0.02 };
const NAME_FIRST = [
  'Little',
  'Busy',
  'Happy',
  'Acorn',
  'Rainbow',
  'Sunflower',
  'Ladybird',
  'Meadow',
  'Oak Tree',
  'Willow',
];
const NAME_SECOND = ['Pre-School', 'Day Nursery', 'Playgroup', 'Nursery', 'Kindergarten', 'Childcare'];

interface Setting {
  urn: string;
  name: string;
  type: keyof typeof SETTING_TYPES;
  districtCode: string;
  registeredOn: Date;
  closedOn: Date | null;
  firstInspection: Date;
  /** Pre-drawn uniforms per inspection: grade band, grade within band, interval. */
  draws: [number, number, number][];
}

interface Inspection {
  urn: string;
  inspectedOn: Date;
  grade: 'OUTSTANDING' | 'GOOD' | 'REQUIRES_IMPROVEMENT' | 'INADEQUATE';
}

function makeSettings(rng: Rng, scale: number): Setting[] {
  const count = Math.max(24, Math.round(SETTINGS_AT_SCALE_1 * scale));
  const settings: Setting[] = [];
  const districts = Object.keys(DISTRICT_WEIGHTS);
  for (let i = 0; i < count; i++) {
    const type = weighted(rng, SETTING_TYPES);
    // Every district has settings, whatever the scale.
    const districtCode = i < districts.length * 2 ? districts[i % districts.length] : weighted(rng, DISTRICT_WEIGHTS);
    const registeredOn = rng.chance(0.8)
      ? between(rng, utc(1998, 1, 1), utc(2012, 8, 31))
      : between(rng, utc(2012, 9, 1), utc(2018, 5, 31));
    const closedOn = rng.chance(0.08) ? between(rng, addDays(registeredOn, 730), utc(2020, 8, 31)) : null;
    const name =
      type === 'CHILDMINDER'
        ? 'Registered childminder'
        : type === 'NURSERY_SCHOOL'
          ? `${rng.pick(NAME_FIRST)} Nursery School`
          : `${rng.pick(NAME_FIRST)} ${rng.pick(NAME_SECOND)}`;
    settings.push({
      urn: `EY${400000 + i * 7 + rng.int(0, 6)}`,
      name,
      type,
      districtCode,
      registeredOn,
      closedOn: closedOn && closedOn <= AS_AT ? closedOn : null,
      // First inspection within 30 months of registration; the register's history starts in 2008.
      firstInspection: addDays(
        registeredOn < utc(2008, 9, 1) ? between(rng, utc(2008, 9, 1), utc(2012, 8, 31)) : registeredOn,
        rng.int(120, 900),
      ),
      draws: Array.from({ length: 24 }, () => [rng.next(), rng.next(), rng.next()] as [number, number, number]),
    });
  }
  return settings;
}

/**
 * Inspections in time order for given yearly probabilities of a good-or-better judgement. Good and
 * outstanding settings are re-inspected after three to five years, those requiring improvement within a
 * year and inadequate ones within six months, as Ofsted does.
 */
function simulateInspections(settings: Setting[], pGood: (ay: number) => number): Inspection[] {
  const out: Inspection[] = [];
  for (const s of settings) {
    let on = s.firstInspection;
    for (let k = 0; k < s.draws.length && on <= AS_AT && (!s.closedOn || on < s.closedOn); k++) {
      const [band, within, interval] = s.draws[k];
      const good = band < pGood(academicYearOf(on));
      const grade = good
        ? within < 0.18
          ? 'OUTSTANDING'
          : 'GOOD'
        : within < 0.85
          ? 'REQUIRES_IMPROVEMENT'
          : 'INADEQUATE';
      out.push({ urn: s.urn, inspectedOn: on, grade });
      const days = good
        ? 1095 + interval * 730
        : grade === 'REQUIRES_IMPROVEMENT'
          ? 180 + interval * 180
          : 90 + interval * 90;
      on = addDays(on, Math.round(days));
    }
  }
  return out;
}

function shareGoodAt(settings: Setting[], inspections: Inspection[], ay: number): number {
  const end = utc(ay + 1, 8, 31);
  const latest = new Map<string, Inspection>();
  for (const i of inspections) if (i.inspectedOn <= end) latest.set(i.urn, i);
  let n = 0;
  let good = 0;
  for (const s of settings) {
    const i = latest.get(s.urn);
    if (!i || s.registeredOn > end || (s.closedOn && s.closedOn <= end)) continue;
    n++;
    if (i.grade === 'OUTSTANDING' || i.grade === 'GOOD') good++;
  }
  return n ? (100 * good) / n : 0;
}

/** Solves each year's probability of a good judgement in turn so the 31 August shares match the documents. */
function calibratedInspections(settings: Setting[]): Inspection[] {
  const p = new Map<number, number>();
  const pGood = (ay: number) => p.get(ay) ?? (ay < FIRST_AY ? 0.74 : 0.9);
  for (let ay = FIRST_AY; ay <= LAST_AY; ay++) {
    let lo = 0;
    let hi = 1;
    let best = { q: 0.9, miss: Infinity };
    for (let iter = 0; iter < 30; iter++) {
      const q = (lo + hi) / 2;
      p.set(ay, q);
      const share = shareGoodAt(settings, simulateInspections(settings, pGood), ay);
      const miss = Math.abs(share - SETTINGS_GOOD[ay]);
      if (miss < best.miss) best = { q, miss };
      if (share < SETTINGS_GOOD[ay]) lo = q;
      else hi = q;
    }
    p.set(ay, best.q);
  }
  return simulateInspections(settings, pGood);
}

// ---------------------------------------------------------------- catalogue, targets, published figures

export const EARLY_YEARS_TARGETS: Prisma.TargetCreateManyInput[] = [
  // "misses our challenging 2016 target of 77%"; "by 2018 … 77%".
  { indicatorCode: 'EY_GLD', areaCode: KENT, periodCode: '2015/2016|AY', kind: 'TARGET', value: 77 },
  { indicatorCode: 'EY_GLD', areaCode: KENT, periodCode: '2017/2018|AY', kind: 'TARGET', value: 77 },
  { indicatorCode: 'EY_TWO_YEAR_TAKE_UP', areaCode: KENT, periodCode: '2017/2018|AY', kind: 'TARGET', value: 78 },
  {
    indicatorCode: 'EY_SETTINGS_GOOD_OUTSTANDING',
    areaCode: KENT,
    periodCode: '2017/2018|AY',
    kind: 'TARGET',
    value: 98,
  },
  { indicatorCode: 'EY_CENTRE_REGISTRATION', areaCode: KENT, periodCode: '2017/2018|AY', kind: 'TARGET', value: 85 },
];

/** England's GLD (DfE EYFSP statistics), by academic year. */
export const ENGLAND_GLD: Record<number, number> = {
  2012: 51.7,
  2013: 60.4,
  2014: 66.3,
  2015: 69.3,
  2016: 70.7,
  2017: 71.5,
};

/**
 * Kent's statistical neighbours' GLD (synthetic, shaped so Kent ranks second among them in 2015/16 as
 * the documents say): each neighbour's offset from England's figure.
 */
const NEIGHBOUR_GLD_OFFSET = [3.6, -2.5, 1.9, -0.4, -1.8, 6.2, 0.2, 2.5, -1.1, -3.3];

function observations(): Prisma.ObservationCreateManyInput[] {
  const rows: Prisma.ObservationCreateManyInput[] = [];
  for (const [y, value] of Object.entries(ENGLAND_GLD)) {
    const code = periodCode('AY', Number(y));
    rows.push({
      indicatorCode: 'EY_GLD',
      areaCode: ENGLAND,
      periodCode: code,
      value,
      source: 'DfE EYFSP statistics, England',
    });
    NEIGHBOURS.forEach((n, i) => {
      rows.push({
        indicatorCode: 'EY_GLD',
        areaCode: n.code,
        periodCode: code,
        value: Math.round((value + NEIGHBOUR_GLD_OFFSET[i] + 0.3 * (Number(y) - 2015)) * 10) / 10,
        source: 'synthetic demo figure',
      });
    });
  }
  rows.push(
    {
      indicatorCode: 'EY_SETTINGS_GOOD_OUTSTANDING',
      areaCode: ENGLAND,
      periodCode: '2015/2016|AY',
      value: 91,
      source: 'CYPE equalities plan 2016-17 (Ofsted, England)',
    },
    // "6% above the national average" at 74% in December 2016.
    {
      indicatorCode: 'EY_TWO_YEAR_TAKE_UP',
      areaCode: ENGLAND,
      periodCode: '2016/2017|AY',
      value: 68,
      source: 'CYPE equalities plan 2016-17 (England)',
    },
  );
  return rows;
}

export function catalogueRows(indicators: IndicatorDefinition[], service: string): Prisma.IndicatorCreateManyInput[] {
  return indicators.map((i) => ({
    code: i.code,
    name: i.name,
    description: i.description,
    service,
    unit: i.unit,
    polarity: i.polarity,
    decimalPlaces: i.decimalPlaces,
    periodType: i.periodType,
    amberTolerance: i.amberTolerance ?? null,
  }));
}

// ---------------------------------------------------------------- writing

export async function seedEarlyYears(tx: Tx, rng: Rng, scale: number) {
  // School terms are not among the core demo periods; funding is recorded by term.
  const terms: string[] = [];
  for (let y = FIRST_AY; y <= LAST_AY + 1; y++) for (const t of ['T1', 'T2', 'T3']) terms.push(periodCode(t, y));
  await tx.period.createMany({ data: terms.map(periodRow), skipDuplicates: true });

  // The children are read back a page at a time (src/core/demo-population.ts), so a benchmark-scale directorate never
  // sits in memory: each reception cohort in turn for the EYFS, then everyone born since 2007.
  let eyfs = 0;
  for (let y = FIRST_AY; y <= LAST_AY; y++) eyfs += await eyfsYear(tx, rng, y);
  let funding = 0;
  let registrations = 0;
  const takeUpDraws = new SystematicDraws();
  for await (const page of peoplePages(tx, { where: Prisma.sql`p."birthMonth" >= ${CHILDREN_BORN_FROM}` })) {
    const children = page.map(toChild);
    funding += await insertTable(tx, TWO_YEAR_OLD_FUNDING_TABLE, twoYearOldFunding(rng, children, takeUpDraws));
    registrations += await insertTable(tx, CENTRE_REGISTRATION_TABLE, centreRegistrations(rng, children));
  }
  const settings = makeSettings(rng, scale);
  const inspections = calibratedInspections(settings);

  await insertTable(tx, SETTING_TABLE, settings);
  await insertTable(tx, INSPECTION_TABLE, inspections);

  await tx.indicator.createMany({ data: catalogueRows(earlyYearsIndicators, 'early-years'), skipDuplicates: true });
  await tx.target.createMany({ data: EARLY_YEARS_TARGETS, skipDuplicates: true });
  await tx.observation.createMany({ data: observations(), skipDuplicates: true });
  return {
    eyfs,
    funding,
    registrations,
    settings: settings.length,
    inspections: inspections.length,
  };
}
