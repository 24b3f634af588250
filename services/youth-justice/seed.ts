// Deterministic Youth Justice demo data for the seeded people, calibrated to the seed documents
// (calibration.ts): exactly round(304 × scale) first-time entrants in 2016/17 (and a falling history), a
// re-offending rate built to the yearly rate of each cohort, and custody exactly round(4% × court
// disposals) in 2016/17. Offending is likelier for boys, older children, children in care, with an EHC plan
// or on SEN support, and Black or Mixed heritage children, so disproportionality questions have answers;
// custody favours children with EHC plans and repeat offenders. Also the population aged 10 to 17 of each
// district (Observations of YJ_POPULATION_10_17) and the 2018 targets. All records are synthetic.
import { insertTable } from '../../src/core/bulk.js';
import { utc } from '../../src/core/dates.js';
import { KENT } from '../../src/core/demo-areas.js';
import { peoplePages } from '../../src/core/demo-population.js';
import { periodCode } from '../../src/core/period-codes.js';
import type { Rng, ServicePlugin } from '../../src/core/plugin.js';
import { syncIndicatorCatalogue } from '../../src/core/reporting/catalogue.js';
import type { Tx } from '../../src/db.js';
import { Prisma } from '../../src/generated/prisma/client.js';
import {
  CUSTODY_SHARE,
  DATA_END,
  FIRST_TIME_ENTRANTS,
  FIRST_YEAR,
  FTE_TARGET,
  LAST_YEAR,
  REOFFENDING,
  REOFFENDING_TARGET,
  TARGET_YEARS,
} from './calibration.js';
import type { DisposalType, Tier } from './disposal-types.js';
import { POPULATION_INDICATOR } from './indicators.js';
import { DISPOSAL_TABLE, type DisposalRecord } from './tables.js';

const DAY = 86_400_000;
const addDays = (d: Date, n: number) => new Date(d.getTime() + n * DAY);
const addYears = (d: Date, n: number) => utc(d.getUTCFullYear() + n, d.getUTCMonth() + 1, d.getUTCDate());
/** The same date 12 months on, as PostgreSQL's `date + interval '12 months'` (29 February → 28 February). */
export function twelveMonthsAfter(d: Date): Date {
  const t = addYears(d, 1);
  return t.getUTCMonth() === d.getUTCMonth() ? t : utc(d.getUTCFullYear() + 1, d.getUTCMonth() + 2, 0);
}
const between = (rng: Rng, from: Date, to: Date) =>
  addDays(from, Math.floor(rng.next() * ((to.getTime() - from.getTime()) / DAY + 1)));
const minDate = (...ds: Date[]) => new Date(Math.min(...ds.map((d) => d.getTime())));
const fyStart = (y: number) => utc(y, 4, 1);
const fyEnd = (y: number) => utc(y + 1, 3, 31);
const academicYearOf = (d: Date) => (d.getUTCMonth() >= 8 ? d.getUTCFullYear() : d.getUTCFullYear() - 1);
const financialYearOf = (d: Date) => (d.getUTCMonth() >= 3 ? d.getUTCFullYear() : d.getUTCFullYear() - 1);

/**
 * A person the first-time entrants are drawn from: everyone of the age range, for the whole run, so kept
 * small (about 200 bytes; a benchmark-scale directorate has millions).
 */
export interface SeedPerson {
  id: string;
  birth: Date;
  district: string | null;
  male: boolean;
  ethnicity: string;
  /**
   * Characteristics by academic year, six characters a year: its first calendar year, in care (0 or 1) and
   * the SEN status's initial (N, S or E). Read with `charsIn`.
   */
  chars: string;
}

const SEN_STATUS: Record<string, string> = { N: 'NONE', S: 'SEN_SUPPORT', E: 'EHCP' };

/** A person's characteristics in an academic year (its first calendar year), if recorded. */
export function charsIn(p: SeedPerson, year: number): { inCare: boolean; sen: string } | undefined {
  const key = String(year);
  for (let i = 0; i + 6 <= p.chars.length; i += 6) {
    if (p.chars.startsWith(key, i)) return { inCare: p.chars[i + 4] === '1', sen: SEN_STATUS[p.chars[i + 5]] };
  }
  return undefined;
}

/** Age in whole years on a date (birth months are first days of months). */
export function ageOn(birth: Date, d: Date): number {
  return d.getUTCFullYear() - birth.getUTCFullYear() - (d.getUTCMonth() < birth.getUTCMonth() ? 1 : 0);
}

async function loadPeople(tx: Tx): Promise<SeedPerson[]> {
  // Everyone who can be 10 to 17 between April 2012 and April 2019, read a page at a time and kept compact:
  // districts and ethnicities shared, characteristics as one short string.
  const shared = new Map<string, string>();
  const intern = (v: string) => {
    const known = shared.get(v);
    if (known !== undefined) return known;
    shared.set(v, v);
    return v;
  };
  const people: SeedPerson[] = [];
  const where = Prisma.sql`p."birthMonth" BETWEEN '1994-01-01'::date AND '2009-12-31'::date`;
  for await (const page of peoplePages(tx, { where })) {
    for (const r of page) {
      let chars = '';
      for (const [y, c] of r.characteristics) chars += `${y}${c.inCare ? 1 : 0}${c.senStatus[0]}`;
      people.push({
        id: r.id,
        birth: r.birthMonth,
        district: r.districtCode === null ? null : intern(r.districtCode),
        male: r.sex === 'MALE',
        ethnicity: intern(r.ethnicityMajor),
        chars: intern(chars),
      });
    }
  }
  return people;
}

/** Relative likelihood of offending on a date; 0 outside the youth justice ages 10 to 17. */
function propensity(p: SeedPerson, on: Date): number {
  const age = ageOn(p.birth, on);
  if (age < 10 || age > 17) return 0;
  const c = charsIn(p, academicYearOf(on));
  let w = p.male ? 3 : 1;
  if (age >= 14) w *= 2;
  if (c?.inCare) w *= 12;
  if (c?.sen === 'EHCP') w *= 3;
  else if (c?.sen === 'SEN_SUPPORT') w *= 2;
  if (p.ethnicity === 'BLACK') w *= 2.5;
  else if (p.ethnicity === 'MIXED') w *= 1.8;
  return w;
}

/** The items in order of a weighted random draw without replacement (Efraimidis–Spirakis keys). */
function weightedOrder<T>(rng: Rng, items: T[], weight: (t: T) => number): T[] {
  return items
    .map((t) => ({ t, w: weight(t), u: 1 - rng.next() }))
    .filter((x) => x.w > 0)
    .map((x) => ({ t: x.t, key: Math.log(x.u) / x.w }))
    .sort((a, b) => b.key - a.key)
    .map((x) => x.t);
}

interface Draft {
  person: SeedPerson;
  offenceOn: Date;
  disposedOn: Date;
  /** Substantive outcomes: whether a court gave it (tiers and types are assigned at the end). */
  court: boolean;
  substantive: boolean;
  tier?: Tier;
  type?: DisposalType;
}

/** The disposals of the demo, deterministic from the rng. Pure apart from the rng: exported for tests. */
export function makeDisposals(rng: Rng, scale: number, people: SeedPerson[]): DisposalRecord[] {
  const end = new Date(`${DATA_END}T00:00:00Z`);
  const drafts: Draft[] = [];
  const byPerson = new Map<string, Draft[]>();
  const everSubstantive = new Set<string>();
  const add = (d: Draft) => {
    drafts.push(d);
    byPerson.set(d.person.id, [...(byPerson.get(d.person.id) ?? []), d]);
    if (d.substantive) everSubstantive.add(d.person.id);
  };
  const offence = (person: SeedPerson, offenceOn: Date, court: boolean): Draft => ({
    person,
    offenceOn,
    disposedOn: addDays(offenceOn, rng.int(court ? 30 : 7, court ? 100 : 60)),
    court,
    substantive: true,
  });
  const resolution = (person: SeedPerson, disposedOn: Date): Draft => ({
    person,
    offenceOn: addDays(disposedOn, -rng.int(1, 30)),
    disposedOn,
    court: false,
    substantive: false,
  });
  const under18 = (p: SeedPerson, on: Date) => ageOn(p.birth, on) <= 17;

  for (let y = FIRST_YEAR; y <= LAST_YEAR; y++) {
    const start = fyStart(y);
    const finish = fyEnd(y);

    // First-time entrants: exactly round(published × scale), aged 10 to 17 all year.
    const eligible = people.filter(
      (p) => !everSubstantive.has(p.id) && ageOn(p.birth, start) >= 10 && ageOn(p.birth, finish) <= 17,
    );
    // Characteristics of the academic year containing the year's start, as the figures read them.
    const order = weightedOrder(rng, eligible, (p) => propensity(p, start));
    const entrants = order.slice(0, Math.round(FIRST_TIME_ENTRANTS[y] * scale));
    for (const p of entrants) {
      const disposedOn = between(rng, start, minDate(finish, end));
      // A quarter had a community resolution first: not a substantive outcome, so not their entry.
      if (rng.chance(0.25)) {
        const earlier = addDays(disposedOn, -rng.int(30, 400));
        if (ageOn(p.birth, earlier) >= 10) add(resolution(p, earlier));
      }
      const first: Draft = {
        person: p,
        offenceOn: addDays(disposedOn, -rng.int(7, 60)),
        disposedOn,
        court: rng.chance(0.3),
        substantive: true,
      };
      add(first);
    }
    // Children dealt with by community resolution only (this year).
    for (const p of order.slice(entrants.length, entrants.length + Math.round(entrants.length * 0.4))) {
      add(resolution(p, between(rng, start, finish)));
    }

    // Re-offending: the cohort of the year, each from their first substantive disposal in it.
    const members = [...byPerson.entries()]
      .map(
        ([, list]) =>
          list
            .filter((d) => d.substantive && d.disposedOn >= start && d.disposedOn <= finish)
            .sort((a, b) => a.disposedOn.getTime() - b.disposedOn.getTime())[0],
      )
      .filter((d): d is Draft => Boolean(d))
      .sort((a, b) => a.person.id.localeCompare(b.person.id));
    const reoffended = (index: Draft) => {
      const until = twelveMonthsAfter(index.disposedOn);
      return (byPerson.get(index.person.id) ?? []).some(
        (d) => d.substantive && d.offenceOn > index.disposedOn && d.offenceOn <= until,
      );
    };
    const already = members.filter(reoffended);
    let needed = Math.round(REOFFENDING[y] * members.length) - already.length;
    const rest = weightedOrder(
      rng,
      members.filter((m) => !already.includes(m)),
      (m) => propensity(m.person, m.disposedOn) || 0.05,
    );
    for (const index of rest) {
      const p = index.person;
      const latest = minDate(addDays(index.disposedOn, 330), addDays(end, -100), addDays(addYears(p.birth, 18), -1));
      const earliest = addDays(index.disposedOn, 1);
      if (needed > 0 && latest >= earliest) {
        needed--;
        let d = offence(p, between(rng, earliest, latest), rng.chance(0.65));
        add(d);
        // Some go on offending: each further offence after the last disposal.
        for (let more = rng.int(0, 3); more > 0; more--) {
          const on = addDays(d.disposedOn, rng.int(10, 150));
          const next = offence(p, on, rng.chance(0.7));
          if (!under18(p, on) || next.disposedOn > end) break;
          add(next);
          d = next;
        }
        continue;
      }
      // Not within 12 months; some offend again later.
      if (rng.chance(0.12)) {
        const on = addDays(index.disposedOn, 366 + rng.int(5, 300));
        const late = offence(p, on, rng.chance(0.55));
        if (under18(p, on) && late.disposedOn <= end) add(late);
      }
    }
  }

  // Tiers and types. Custody: exactly round(share × court disposals) of each year, favouring repeat
  // offenders and children with EHC plans or in care.
  const prior = (d: Draft) =>
    (byPerson.get(d.person.id) ?? []).filter((o) => o.substantive && o.disposedOn < d.disposedOn).length;
  for (let y = FIRST_YEAR; y <= LAST_YEAR; y++) {
    const court = drafts.filter((d) => d.court && financialYearOf(d.disposedOn) === y);
    const custody = new Set(
      weightedOrder(rng, court, (d) => {
        const c = charsIn(d.person, academicYearOf(d.disposedOn));
        return (prior(d) >= 2 ? 3 : 1) * (c?.sen === 'EHCP' ? 4 : 1) * (c?.inCare ? 2 : 1);
      }).slice(0, Math.round(CUSTODY_SHARE[y] * court.length)),
    );
    for (const d of court) {
      if (custody.has(d)) {
        d.tier = 'CUSTODY';
        d.type = rng.chance(0.85) ? 'DETENTION_AND_TRAINING_ORDER' : 'OTHER_CUSTODY';
        continue;
      }
      const r = rng.next();
      [d.tier, d.type] =
        r < 0.5
          ? ['FIRST_TIER', 'REFERRAL_ORDER']
          : r < 0.55
            ? ['FIRST_TIER', 'REPARATION_ORDER']
            : r < 0.85
              ? ['COMMUNITY', 'YOUTH_REHABILITATION_ORDER']
              : [rng.chance(0.7) ? 'FIRST_TIER' : 'COMMUNITY', 'OTHER_COURT'];
    }
  }
  for (const d of drafts) {
    if (d.tier) continue;
    d.tier = 'PRE_COURT';
    d.type = !d.substantive ? 'COMMUNITY_RESOLUTION' : rng.chance(0.75) ? 'YOUTH_CAUTION' : 'YOUTH_CONDITIONAL_CAUTION';
  }

  return drafts
    .sort(
      (a, b) =>
        a.disposedOn.getTime() - b.disposedOn.getTime() ||
        a.person.id.localeCompare(b.person.id) ||
        a.offenceOn.getTime() - b.offenceOn.getTime(),
    )
    .map((d, i) => ({
      id: `YJ${financialYearOf(d.disposedOn)}-${String(i + 1).padStart(6, '0')}`,
      personId: d.person.id,
      offenceOn: d.offenceOn,
      disposedOn: d.disposedOn,
      tier: d.tier as Tier,
      disposalType: d.type as DisposalType,
    }));
}

/** People aged 10 to 17 on 1 April of each financial year, by home district: the demo's population figure. */
function populationObservations(people: SeedPerson[]): Prisma.ObservationCreateManyInput[] {
  const rows: Prisma.ObservationCreateManyInput[] = [];
  for (let y = FIRST_YEAR; y <= LAST_YEAR + 1; y++) {
    const counts = new Map<string, number>();
    for (const p of people) {
      const age = ageOn(p.birth, fyStart(y));
      if (p.district && age >= 10 && age <= 17) counts.set(p.district, (counts.get(p.district) ?? 0) + 1);
    }
    for (const [areaCode, value] of [...counts].sort(([a], [b]) => a.localeCompare(b))) {
      rows.push({
        indicatorCode: POPULATION_INDICATOR,
        areaCode,
        periodCode: periodCode('FY', y),
        value,
        numerator: value,
        source: 'synthetic demo population: people aged 10 to 17 on 1 April',
      });
    }
  }
  return rows;
}

export async function seedYouthJustice(tx: Tx, rng: Rng, scale: number, plugin: ServicePlugin) {
  const people = await loadPeople(tx);
  const rows = makeDisposals(rng, scale, people);
  await insertTable(tx, DISPOSAL_TABLE, rows);
  await syncIndicatorCatalogue(tx, [plugin]);
  await tx.observation.createMany({ data: populationObservations(people), skipDuplicates: true });
  // The demo LA is `scale` of Kent, so its first-time entrant target is too.
  await tx.target.createMany({
    data: TARGET_YEARS.flatMap((y) => [
      {
        indicatorCode: 'YJ_FIRST_TIME_ENTRANTS',
        areaCode: KENT,
        periodCode: periodCode('FY', y),
        kind: 'TARGET' as const,
        value: FTE_TARGET * scale,
      },
      {
        indicatorCode: 'YJ_REOFFENDING',
        areaCode: KENT,
        periodCode: periodCode('FY', y),
        kind: 'TARGET' as const,
        value: REOFFENDING_TARGET,
      },
    ]),
    skipDuplicates: true,
  });
  return { disposals: rows.length };
}
