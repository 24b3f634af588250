// Deterministic SEND demo data for the seeded people, consistent with their school census characteristics
// (everyone whose SEN status is EHCP has a plan in force at every January census of those years) and
// calibrated to the seed documents: 86.2% of new plans issued within 20 weeks in 2015 (England 59.2%),
// falling to about 74% in 2017; plans in force rising year on year; 3,642 special school and 955 SRP
// places (4,597) in 2017/18, scaled to the demo. All records are synthetic.
import { insertTable } from '../../src/core/bulk.js';
import { utc } from '../../src/core/dates.js';
import { DISTRICT_WEIGHTS, ENGLAND, NEIGHBOURS } from '../../src/core/demo-areas.js';
import { peoplePages } from '../../src/core/demo-population.js';
import { periodCode } from '../../src/core/period-codes.js';
import type { Rng } from '../../src/core/plugin.js';
import { weighted } from '../../src/core/rng.js';
import type { Tx } from '../../src/db.js';
import { Prisma } from '../../src/generated/prisma/client.js';
import { januaryCensusDate } from './census.js';
import { sendIndicators, TWENTY_WEEKS_IN_DAYS } from './indicators.js';
import { EHC_ASSESSMENT_TABLE, EHC_PLAN_TABLE, SPECIALIST_PROVISION_TABLE } from './tables.js';

type Need = Prisma.EhcPlanCreateManyInput['primaryNeed'];
type Outcome = Prisma.EhcAssessmentCreateManyInput['outcome'];

/** The demo's "today": the end of the last academic year with characteristics. */
export const AS_AT = new Date(Date.UTC(2018, 7, 31));
/** EHC plans replaced statements from 1 September 2014; earlier plans are transferred statements. */
export const REFORM = new Date(Date.UTC(2014, 8, 1));
const FIRST_AY = 2012;
const LAST_AY = 2017;

/** Share of new (non-exception) plans issued within 20 weeks, by calendar year of issue. */
export const WITHIN_20_WEEKS: Record<number, number> = { 2014: 0.8, 2015: 0.862, 2016: 0.8, 2017: 0.74, 2018: 0.72 };
/** England, SEN2 (as quoted in the 2016-17 equalities plan). */
const ENGLAND_WITHIN_20_WEEKS: Record<number, number> = { 2015: 59.2 };
/** Kent's neighbours (synthetic): below Kent, as the documents say Kent performs well against other LAs. */
const NEIGHBOUR_WITHIN_20_WEEKS = [61.5, 48.2, 72.4, 55.0, 66.1, 79.8, 39.7, 58.3, 70.2, 44.6];

const addDays = (d: Date, days: number) => new Date(d.getTime() + days * 86_400_000);
const addMonths = (d: Date, months: number) => utc(d.getUTCFullYear(), d.getUTCMonth() + 1 + months, d.getUTCDate());
const between = (rng: Rng, from: Date, to: Date) =>
  addDays(from, Math.floor(rng.next() * ((to.getTime() - from.getTime()) / 86_400_000 + 1)));

interface Person {
  id: string;
  birth: Date;
  /** SEN status by academic year (its first calendar year). */
  sen: Map<number, string>;
}

/**
 * Everyone ever on SEN support or with an EHC plan, a page at a time (src/core/demo-population.ts): a benchmark-scale
 * directorate's hundreds of thousands never sit in memory at once.
 */
async function* sendPeoplePages(tx: Tx): AsyncGenerator<Person[]> {
  const where = (after: string) => Prisma.sql`EXISTS (SELECT 1 FROM "PersonCharacteristic" pc
    WHERE pc."personId" = p.id AND pc."personId" > ${after} AND pc."senStatus" <> 'NONE')`;
  for await (const page of peoplePages(tx, { where })) {
    yield page.map((p) => {
      const sen = new Map<number, string>();
      for (const [y, c] of p.characteristics) if (c.senStatus !== 'NONE') sen.set(y, c.senStatus);
      return { id: p.id, birth: p.birthMonth, sen };
    });
  }
}

// Primary need of plans (SEN2 shares), with profound and sensory needs commoner among the youngest.
const NEED_YOUNG: Record<Need, number> = {
  ASD: 0.26,
  SLCN: 0.2,
  SEMH: 0.02,
  MLD: 0.04,
  SLD: 0.14,
  PMLD: 0.09,
  SPLD: 0.0,
  HI: 0.05,
  VI: 0.03,
  MSI: 0.02,
  PD: 0.12,
  OTH: 0.03,
};
const NEED_OLDER: Record<Need, number> = {
  ASD: 0.28,
  SLCN: 0.13,
  SEMH: 0.15,
  MLD: 0.13,
  SLD: 0.11,
  PMLD: 0.03,
  SPLD: 0.05,
  HI: 0.02,
  VI: 0.01,
  MSI: 0.005,
  PD: 0.05,
  OTH: 0.035,
};
const NEED_SUPPORT: Record<Need, number> = { ...NEED_OLDER, SEMH: 0.22, MLD: 0.2, SPLD: 0.12, SLD: 0.02, PMLD: 0 };

interface Plan {
  personId: string;
  startedOn: Date;
  endedOn: Date | null;
  primaryNeed: Need;
}

interface Assessment {
  id: string;
  personId: string;
  requestedOn: Date;
  decidedOn: Date | null;
  issuedOn: Date | null;
  outcome: Outcome;
  primaryNeed: Need | null;
  exception: boolean;
}

/**
 * One plan per person whose census status is EHCP, in force at the first January census of that status:
 * started in the ten months before it for those who reach it at two, earlier for those already older in
 * 2012/13 (transferred statements). It ends after the academic year in which they turn 19.
 */
function plans(rng: Rng, people: Person[]): Plan[] {
  const out: Plan[] = [];
  for (const p of people) {
    const years = [...p.sen].filter(([, s]) => s === 'EHCP').map(([y]) => y);
    if (!years.length) continue;
    const first = Math.min(...years);
    const census = januaryCensusDate(first + 1);
    const earliest = addMonths(p.birth, 15);
    const from = first === FIRST_AY ? earliest : addDays(census, -300);
    const startedOn = between(rng, from < earliest ? earliest : from, addDays(census, -1));
    const ageAtStart = (startedOn.getTime() - p.birth.getTime()) / (365.25 * 86_400_000);
    const end = utc(p.birth.getUTCFullYear() + 20, 7, 31);
    out.push({
      personId: p.id,
      startedOn,
      endedOn: end <= AS_AT ? end : null,
      primaryNeed: weighted(rng, ageAtStart < 5 ? NEED_YOUNG : NEED_OLDER),
    });
  }
  return out;
}

/**
 * The assessment behind each plan issued since the reforms. In each calendar year of issue, a few plans
 * (2–16%) had a statutory exception (mostly late; excluded from the measure), and of the rest exactly the
 * documented share was issued within 20 weeks. With a demo's few dozen plans a year, the number of
 * exceptions is chosen within that range so the realised share lands as close as it can to the document.
 */
function issuedAssessments(rng: Rng, planList: Plan[]): Omit<Assessment, 'id'>[] {
  const byYear = new Map<number, Plan[]>();
  for (const p of planList.filter((p) => p.startedOn >= REFORM && p.startedOn <= AS_AT)) {
    const y = p.startedOn.getUTCFullYear();
    const list = byYear.get(y);
    if (list) list.push(p);
    else byYear.set(y, [p]);
  }
  const out: Omit<Assessment, 'id'>[] = [];
  for (const [y, list] of [...byYear].sort(([a], [b]) => a - b)) {
    const share = WITHIN_20_WEEKS[y];
    const miss = (e: number) => {
      const n = list.length - e;
      return n > 0 ? Math.abs(Math.round(share * n) / n - share) : Infinity;
    };
    let exceptions = Math.round(0.06 * list.length);
    for (let e = Math.ceil(0.02 * list.length); e <= Math.floor(0.16 * list.length); e++) {
      if (miss(e) < miss(exceptions) - 1e-12) exceptions = e;
    }
    const onTime = Math.round(share * (list.length - exceptions));
    shuffleInPlace(rng, list).forEach((p, i) => {
      if (i < exceptions) {
        out.push(assessmentFor(rng, p, rng.int(120, 300), true));
        return;
      }
      // On time: 12 to 20 weeks, some on the very last day; late: up to about 13 weeks over.
      const days =
        i - exceptions < onTime
          ? rng.chance(0.06)
            ? TWENTY_WEEKS_IN_DAYS
            : rng.int(84, TWENTY_WEEKS_IN_DAYS)
          : rng.int(TWENTY_WEEKS_IN_DAYS + 1, 230);
      out.push(assessmentFor(rng, p, days, false));
    });
  }
  return out;
}

function shuffleInPlace<T>(rng: Rng, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

function assessmentFor(rng: Rng, plan: Plan, days: number, exception: boolean): Omit<Assessment, 'id'> {
  const requestedOn = addDays(plan.startedOn, -days);
  // The decision to issue comes at about week 16, then the draft plan and consultation.
  const decidedOn = addDays(requestedOn, Math.min(days - 7, Math.max(28, Math.round(days * 0.78) + rng.int(-5, 5))));
  return {
    personId: plan.personId,
    requestedOn,
    decidedOn,
    issuedOn: plan.startedOn,
    outcome: 'ISSUED',
    primaryNeed: plan.primaryNeed,
    exception,
  };
}

/** Requests for pupils on SEN support that did not end in a plan: refused, withdrawn, or still open. */
function otherAssessments(rng: Rng, people: Person[]): Omit<Assessment, 'id'>[] {
  const out: Omit<Assessment, 'id'>[] = [];
  for (const p of people) {
    for (const [y, status] of p.sen) {
      if (status !== 'SEN_SUPPORT' || y < 2014) continue;
      const age = y - p.birth.getUTCFullYear();
      if (age < 3 || age > 16) continue;
      const u = rng.next();
      if (u >= 0.016) continue;
      const requestedOn = between(rng, utc(y, 9, 1), utc(y + 1, 8, 31));
      const need = rng.chance(0.7) ? weighted(rng, NEED_SUPPORT) : null;
      const openFor = (AS_AT.getTime() - requestedOn.getTime()) / 86_400_000;
      if (openFor < TWENTY_WEEKS_IN_DAYS && rng.chance(0.8)) {
        // Still in progress at the demo's "today"; past week 16 the decision to issue has been made.
        out.push({
          personId: p.id,
          requestedOn,
          decidedOn: openFor > 112 ? addDays(requestedOn, rng.int(100, 112)) : null,
          issuedOn: null,
          outcome: 'IN_PROGRESS',
          primaryNeed: need,
          exception: false,
        });
      } else if (u < 0.0015) {
        out.push({
          personId: p.id,
          requestedOn,
          decidedOn: null,
          issuedOn: null,
          outcome: 'WITHDRAWN',
          primaryNeed: need,
          exception: false,
        });
      } else {
        // Refused to assess within six weeks, or assessed and refused to issue within sixteen.
        const decidedOn = addDays(requestedOn, rng.chance(0.6) ? rng.int(28, 42) : rng.int(80, 112));
        if (decidedOn > AS_AT) continue;
        out.push({
          personId: p.id,
          requestedOn,
          decidedOn,
          issuedOn: null,
          outcome: 'NOT_ISSUED',
          primaryNeed: need,
          exception: false,
        });
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------- specialist provision

type ProvisionType = Prisma.SpecialistProvisionCreateManyInput['type'];

/** Places at scale 1 (Kent), special schools and SRPs/satellites, by academic year: 3,642 + 955 in 2017/18. */
const PLACES: Record<number, { special: number; resourced: number }> = {
  2012: { special: 3150, resourced: 600 },
  2013: { special: 3220, resourced: 640 },
  2014: { special: 3300, resourced: 690 },
  2015: { special: 3390, resourced: 760 },
  2016: { special: 3480, resourced: 870 },
  2017: { special: 3642, resourced: 955 },
};

/** Special school designations and the needs their places are for. */
const DESIGNATIONS: Record<string, Partial<Record<Need, number>>> = {
  PSCN: { PMLD: 0.3, SLD: 0.4, ASD: 0.2, PD: 0.1 },
  CI: { ASD: 0.7, SLCN: 0.3 },
  BL: { SEMH: 0.6, MLD: 0.4 },
  PD: { PD: 0.8, MSI: 0.1, VI: 0.1 },
};
// Most special schools are for profound, severe and complex needs or communication and interaction; few for PD.
const DESIGNATION_CYCLE = ['PSCN', 'CI', 'BL', 'PSCN', 'CI', 'BL', 'PSCN', 'CI', 'PSCN', 'CI', 'BL', 'PD'];
const SCHOOL_NAMES = [
  'Oakfield',
  'Brook Meadow',
  'Hillview',
  'Riverside',
  'Orchard',
  'Beacon',
  'Five Elms',
  'Greenacre',
  'Harbour View',
  'Lime Tree',
  'Marsh Lane',
  'Northdown',
  'Park Wood',
  'Queensway',
  'Rowan',
  'Saxon',
  'Tanners',
  'Upper Downs',
  'Vale',
  'Westbrook',
  'Yew Tree',
  'Ashgrove',
  'Bramble',
  'Chalk Hill',
];
const SRP_NEEDS: Need[] = ['ASD', 'SLCN', 'SEMH', 'HI', 'VI', 'PD', 'SPLD', 'ASD', 'SLCN', 'ASD'];

interface Provider {
  id: string;
  name: string;
  type: ProvisionType;
  districtCode: string;
  needs: Partial<Record<Need, number>>;
  opens: number;
  size: number;
}

function providers(rng: Rng): Provider[] {
  const districts = Object.keys(DISTRICT_WEIGHTS);
  const list: Provider[] = [];
  // Two special schools per district.
  districts.forEach((d, i) => {
    for (let k = 0; k < 2; k++) {
      const n = i * 2 + k;
      const designation = DESIGNATION_CYCLE[n % DESIGNATION_CYCLE.length];
      list.push({
        id: String(118600 + n * 3),
        name: `${SCHOOL_NAMES[n]} School`,
        type: 'SPECIAL_SCHOOL',
        districtCode: d,
        needs: DESIGNATIONS[designation],
        opens: FIRST_AY,
        size: 0.6 + rng.next(),
      });
    }
  });
  // Four SRPs per district: most long-standing; one per district opened September 2016 (twelve), and four
  // more September 2017.
  districts.forEach((d, i) => {
    for (let k = 0; k < 4; k++) {
      const n = i * 4 + k;
      list.push({
        id: `${141000 + n * 7}-SRP`,
        name: `${rng.pick(SCHOOL_NAMES)} Primary School SRP`,
        type: 'SRP',
        districtCode: d,
        needs: { [SRP_NEEDS[n % SRP_NEEDS.length]]: 1 },
        opens: k === 3 ? 2016 : k === 2 && i % 3 === 0 ? 2017 : FIRST_AY,
        size: 0.7 + 0.6 * rng.next(),
      });
    }
  });
  // Satellites of special schools on mainstream sites, from 2015.
  for (let k = 0; k < 8; k++) {
    const host = list[k * 3];
    list.push({
      id: `${host.id}-SAT`,
      name: `${host.name} satellite`,
      type: 'SATELLITE',
      districtCode: host.districtCode,
      needs: host.needs,
      opens: 2015 + (k % 3),
      size: 0.5,
    });
  }
  return list;
}

interface PlaceRow {
  providerId: string;
  periodCode: string;
  needType: Need;
  providerName: string;
  type: ProvisionType;
  districtCode: string;
  places: number;
}

/** Splits a total over weighted cells by largest remainder, so the parts add up to the total exactly. */
function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  const raw = weights.map((w) => (total * w) / sum);
  const parts = raw.map(Math.floor);
  const order = raw.map((r, i) => [r - Math.floor(r), i]).sort((a, b) => b[0] - a[0]);
  const short = total - parts.reduce((s, p) => s + p, 0);
  for (let k = 0; k < short; k++) parts[order[k][1]]++;
  return parts;
}

function places(rng: Rng, scale: number): PlaceRow[] {
  const list = providers(rng);
  const rows: PlaceRow[] = [];
  for (let y = FIRST_AY; y <= LAST_AY; y++) {
    for (const resourced of [false, true]) {
      const cells = list
        .filter((p) => (p.type !== 'SPECIAL_SCHOOL') === resourced && p.opens <= y)
        .flatMap((p) =>
          Object.entries(p.needs).map(([need, share]) => ({ p, need: need as Need, w: p.size * (share ?? 0) })),
        );
      const total = Math.round((resourced ? PLACES[y].resourced : PLACES[y].special) * scale);
      apportion(
        total,
        cells.map((c) => c.w),
      ).forEach((n, i) => {
        const { p, need } = cells[i];
        if (n > 0) {
          rows.push({
            providerId: p.id,
            periodCode: periodCode('AY', y),
            needType: need,
            providerName: p.name,
            type: p.type,
            districtCode: p.districtCode,
            places: n,
          });
        }
      });
    }
  }
  return rows;
}

// ---------------------------------------------------------------- writing

function observations(): Prisma.ObservationCreateManyInput[] {
  const rows: Prisma.ObservationCreateManyInput[] = [];
  for (const [y, value] of Object.entries(ENGLAND_WITHIN_20_WEEKS)) {
    rows.push({
      indicatorCode: 'SEND_EHCP_WITHIN_20_WEEKS',
      areaCode: ENGLAND,
      periodCode: `${y}|CY`,
      value,
      source: 'DfE SEN2, England (as quoted in the CYPE equalities plan 2016-17)',
    });
  }
  for (let y = 2015; y <= 2017; y++) {
    NEIGHBOURS.forEach((n, i) => {
      rows.push({
        indicatorCode: 'SEND_EHCP_WITHIN_20_WEEKS',
        areaCode: n.code,
        periodCode: `${y}|CY`,
        value: Math.round((NEIGHBOUR_WITHIN_20_WEEKS[i] - 2 * (y - 2015)) * 10) / 10,
        source: 'synthetic demo figure',
      });
    });
  }
  return rows;
}

export async function seedSend(tx: Tx, rng: Rng, scale: number) {
  // Plans and assessments are few (about 3% of people): they are kept, the people are read a page at a time,
  // twice (plans first, as the issued assessments are calibrated over all the plans of a year).
  const planList: Plan[] = [];
  for await (const people of sendPeoplePages(tx)) for (const plan of plans(rng, people)) planList.push(plan);
  const issued = issuedAssessments(rng, planList);
  const others: Omit<Assessment, 'id'>[] = [];
  for await (const people of sendPeoplePages(tx)) for (const a of otherAssessments(rng, people)) others.push(a);
  const assessments: Assessment[] = [...issued, ...others]
    .sort((a, b) => a.requestedOn.getTime() - b.requestedOn.getTime() || a.personId.localeCompare(b.personId))
    .map((a, i) => ({ ...a, id: `EHC${a.requestedOn.getUTCFullYear()}-${String(i + 1).padStart(6, '0')}` }));
  const placeRows = places(rng, scale);

  await insertTable(tx, EHC_PLAN_TABLE, planList);
  await insertTable(tx, EHC_ASSESSMENT_TABLE, assessments);
  await insertTable(tx, SPECIALIST_PROVISION_TABLE, placeRows);

  await tx.indicator.createMany({
    data: sendIndicators.map((i) => ({
      code: i.code,
      name: i.name,
      description: i.description,
      service: 'send',
      unit: i.unit,
      polarity: i.polarity,
      decimalPlaces: i.decimalPlaces,
      periodType: i.periodType,
      amberTolerance: i.amberTolerance ?? null,
    })),
    skipDuplicates: true,
  });
  await tx.observation.createMany({ data: observations(), skipDuplicates: true });
  return { plans: planList.length, assessments: assessments.length, places: placeRows.length };
}
