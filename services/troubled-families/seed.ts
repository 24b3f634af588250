// Deterministic demo data for Troubled Families and Early Help, calibrated to the published figures in
// calibration.ts: families attached from April 2015, members drawn from the core's synthetic people
// (deprived children far more often), claims per district and window scaled from the district claims
// table (plus a few rejected ones, which never count), the 2016/17 minimum and stretch targets, and
// early help case histories (step-downs, closure reasons, re-referrals) from April 2014.

import { insertTable } from '../../src/core/bulk.js';
import { parseDay } from '../../src/core/dates.js';
import { KENT } from '../../src/core/demo-areas.js';
import { peoplePages, periodRow } from '../../src/core/demo-population.js';
import type { Rng, ServicePlugin } from '../../src/core/plugin.js';
import { syncIndicatorCatalogue } from '../../src/core/reporting/catalogue.js';
import type { Tx } from '../../src/db.js';
import { Prisma } from '../../src/generated/prisma/client.js';
import {
  ATTACHMENTS_PER_MONTH,
  CLAIM_WINDOWS,
  CRITERIA_SHARE,
  DISTRICT_CLAIMS,
  districtMinimumTarget,
  EARLY_HELP_AS_AT,
  EARLY_HELP_CASES_PER_MONTH,
  LA_MINIMUM_TARGET,
  LA_STRETCH_TARGET,
  OUTCOMES_ACHIEVED_BY_YEAR,
  OUTCOMES_TARGETS,
  REREFERRAL_TARGET,
  STEP_DOWN_SHARE_OF_OPENINGS,
  STEPPED_UP_SHARE,
  TARGET_PERIOD,
} from './calibration.js';
import { insertFamilies } from './families-table.js';
import { CLAIM_TABLE, EARLY_HELP_CASE_TABLE, type EarlyHelpCaseRecord, MEMBER_TABLE } from './tables.js';

const DAY = 86_400_000;
const addDays = (d: Date, n: number) => new Date(d.getTime() + n * DAY);
const fyStart = (d: Date) => (d.getUTCMonth() >= 3 ? d.getUTCFullYear() : d.getUTCFullYear() - 1);

interface DemoPerson {
  id: string;
  district: string;
  birth: Date;
  fsm: boolean;
}

/**
 * A district's people, in id order, kept compact (a benchmark-scale directorate has millions, and families
 * and cases draw from all of them): ids, birth months as year × 12 + month, FSM in 2016/17, and who has
 * been drawn already.
 */
class Pool {
  readonly ids: string[] = [];
  private readonly births: number[] = [];
  private readonly fsm: boolean[] = [];
  private used = new Uint8Array(0);

  constructor(readonly district: string) {}

  get length() {
    return this.ids.length;
  }

  add(id: string, birth: Date, fsm: boolean) {
    this.ids.push(id);
    this.births.push(birth.getUTCFullYear() * 12 + birth.getUTCMonth());
    this.fsm.push(fsm);
  }

  /** Done adding: nobody is drawn yet. */
  seal() {
    this.used = new Uint8Array(this.ids.length);
  }

  /**
   * Person i if unused, born by `on` and aged within [minAge, maxAge] on it (whole years from the birth
   * month), with whether they are on FSM; else undefined.
   */
  candidate(i: number, on: Date, minAge: number, maxAge: number): boolean | undefined {
    if (this.used[i]) return undefined;
    const birth = this.births[i];
    const age = on.getUTCFullYear() - Math.floor(birth / 12) - (on.getUTCMonth() < birth % 12 ? 1 : 0);
    if (age < minAge || age > maxAge || birth > on.getUTCFullYear() * 12 + on.getUTCMonth()) return undefined;
    return this.fsm[i];
  }

  take(i: number): DemoPerson {
    this.used[i] = 1;
    const birth = this.births[i];
    return {
      id: this.ids[i],
      district: this.district,
      birth: new Date(Date.UTC(Math.floor(birth / 12), birth % 12, 1)),
      fsm: this.fsm[i],
    };
  }
}

export interface FamilyRow {
  id: string;
  districtCode: string;
  attachedOn: Date;
  criteria: string[];
}
export interface MemberRow {
  familyId: string;
  personId: string;
  role: 'ADULT' | 'CHILD';
}
export interface ClaimRow {
  id: string;
  familyId: string;
  window: string;
  submittedOn: Date;
  outcome: 'SIGNIFICANT_AND_SUSTAINED_PROGRESS' | 'CONTINUOUS_EMPLOYMENT';
  status: 'SUBMITTED' | 'VALIDATED' | 'PAID' | 'REJECTED';
}
export async function seedTroubledFamilies(tx: Tx, rng: Rng, scale: number, plugin: ServicePlugin): Promise<void> {
  // Everyone with a district, read a page at a time into each district's compact pool.
  const pools = new Map<string, Pool>();
  for await (const page of peoplePages(tx, { where: Prisma.sql`p."districtCode" IS NOT NULL`, year: 2016 })) {
    for (const p of page) {
      const district = p.districtCode as string;
      let pool = pools.get(district);
      if (!pool) {
        pool = new Pool(district);
        pools.set(district, pool);
      }
      pool.add(p.id, p.birthMonth, p.characteristics.get(2016)?.fsm ?? false);
    }
  }
  for (const pool of pools.values()) pool.seal();

  const { families, members, drawn } = makeFamilies(rng, scale, pools);
  const claims = makeClaims(rng, scale, families);
  const cases = makeEarlyHelpCases(rng, scale, pools, families, members, drawn);

  await insertFamilies(tx, families);
  await insertTable(tx, MEMBER_TABLE, members);
  await insertTable(tx, CLAIM_TABLE, claims);
  await insertTable(tx, EARLY_HELP_CASE_TABLE, cases);
  await seedTargets(tx, scale, plugin);
}

/** Age in whole years on a date, from the birth month. */
function age(birth: Date, on: Date): number {
  let a = on.getUTCFullYear() - birth.getUTCFullYear();
  if (on.getUTCMonth() < birth.getUTCMonth()) a--;
  return a;
}

/**
 * Draws an unused person from a district aged within [minAge, maxAge] on a date; deprived (FSM)
 * children are `fsmWeight` times as likely. Rejection sampling keeps this O(1) per draw on average.
 */
function draw(
  rng: Rng,
  pool: Pool | undefined,
  on: Date,
  minAge: number,
  maxAge: number,
  fsmWeight: number,
): DemoPerson | undefined {
  if (!pool?.length) return undefined;
  for (let attempt = 0; attempt < 400; attempt++) {
    const i = Math.floor(rng.next() * pool.length);
    const fsm = pool.candidate(i, on, minAge, maxAge);
    if (fsm === undefined) continue;
    if (!fsm && !rng.chance(1 / fsmWeight)) continue;
    return pool.take(i);
  }
  return undefined;
}

/** Rounds `values × scale` to integers that sum to the rounded scaled total (largest remainder). */
export function scaleCounts(values: number[], scale: number): number[] {
  const exact = values.map((v) => v * scale);
  const out = exact.map(Math.floor);
  let short = Math.round(exact.reduce((s, v) => s + v, 0)) - out.reduce((s, v) => s + v, 0);
  const order = exact.map((v, i) => [v - Math.floor(v), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (short <= 0) break;
    out[i]++;
    short--;
  }
  return out;
}

function makeFamilies(rng: Rng, scale: number, pools: Map<string, Pool>) {
  const families: FamilyRow[] = [];
  const members: MemberRow[] = [];
  /** The people drawn into families, by id. */
  const drawn = new Map<string, DemoPerson>();
  const stretchTotal = DISTRICT_CLAIMS.reduce((s, d) => s + d.stretch, 0);
  // Attachments follow need, for which the stretch targets are the council's own measure.
  const districtWeights = DISTRICT_CLAIMS.map((d) => d.stretch / stretchTotal);
  // Cumulative rounding per district: small districts still get their share over the months, where
  // rounding each month on its own would give them none.
  const expected = DISTRICT_CLAIMS.map(() => 0);
  const assigned = DISTRICT_CLAIMS.map(() => 0);
  for (const span of ATTACHMENTS_PER_MONTH) {
    for (
      let m = parseDay(span.from);
      m <= parseDay(span.to);
      m = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1))
    ) {
      const daysInMonth = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 0)).getUTCDate();
      const perDistrict = districtWeights.map((w, i) => {
        expected[i] += w * span.perMonth * scale;
        const n = Math.round(expected[i]) - assigned[i];
        assigned[i] += n;
        return n;
      });
      DISTRICT_CLAIMS.forEach((d, i) => {
        for (let k = 0; k < perDistrict[i]; k++) {
          const attachedOn = addDays(m, rng.int(0, daysInMonth - 1));
          const id = `F${String(families.length + 1).padStart(6, '0')}`;
          const pool = pools.get(d.code);
          const children = rng.chance(0.35) ? 1 : rng.chance(0.55) ? 2 : rng.chance(0.65) ? 3 : 4;
          const family: MemberRow[] = [];
          for (let j = 0; j < children; j++) {
            const p = draw(rng, pool, attachedOn, 0, 17, 6);
            if (p) {
              drawn.set(p.id, p);
              family.push({ familyId: id, personId: p.id, role: 'CHILD' });
            }
          }
          // A young adult the directorate knows (an older sibling or a young parent), now and then.
          if (rng.chance(0.15)) {
            const p = draw(rng, pool, attachedOn, 18, 21, 3);
            if (p) {
              drawn.set(p.id, p);
              family.push({ familyId: id, personId: p.id, role: 'ADULT' });
            }
          }
          if (!family.length) continue;
          const criteria = (Object.entries(CRITERIA_SHARE) as [string, number][])
            .filter(([, share]) => rng.chance(share))
            .map(([k]) => k);
          // The programme takes families meeting at least two headline criteria.
          while (criteria.length < 2) {
            const extra = rng.pick(Object.keys(CRITERIA_SHARE));
            if (!criteria.includes(extra)) criteria.push(extra);
          }
          const order = Object.keys(CRITERIA_SHARE);
          criteria.sort((a, b) => order.indexOf(a) - order.indexOf(b));
          families.push({ id, districtCode: d.code, attachedOn, criteria });
          members.push(...family);
        }
      });
    }
  }
  return { families, members, drawn };
}

function makeClaims(rng: Rng, scale: number, families: FamilyRow[]): ClaimRow[] {
  const claims: ClaimRow[] = [];
  const claimed = new Set<string>();
  const byDistrict = new Map<string, FamilyRow[]>();
  for (const f of [...families].sort((a, b) => a.attachedOn.getTime() - b.attachedOn.getTime())) {
    const list = byDistrict.get(f.districtCode) ?? [];
    list.push(f);
    byDistrict.set(f.districtCode, list);
  }
  const add = (family: FamilyRow, w: (typeof CLAIM_WINDOWS)[number], status: ClaimRow['status']) => {
    claimed.add(family.id);
    claims.push({
      id: `C${String(claims.length + 1).padStart(6, '0')}`,
      familyId: family.id,
      window: w.window,
      submittedOn: parseDay(w.submittedOn),
      outcome: rng.chance(0.1) ? 'CONTINUOUS_EMPLOYMENT' : 'SIGNIFICANT_AND_SUSTAINED_PROGRESS',
      status,
    });
  };
  for (const w of CLAIM_WINDOWS) {
    const counts = scaleCounts(
      DISTRICT_CLAIMS.map((d) => d.claims[w.window]),
      scale,
    );
    const submitted = parseDay(w.submittedOn);
    // Earlier windows have been audited and paid; the latest is still with the auditors.
    const status: ClaimRow['status'] =
      w.window === 'MAR 17' ? 'SUBMITTED' : w.window === 'JAN 17' ? 'VALIDATED' : 'PAID';
    DISTRICT_CLAIMS.forEach((d, i) => {
      // Sustained progress takes months: claim for the longest-attached unclaimed families first.
      const eligible = (byDistrict.get(d.code) ?? []).filter(
        (f) => !claimed.has(f.id) && f.attachedOn.getTime() <= submitted.getTime() - 90 * DAY,
      );
      const rejected =
        w.window === 'MAR 17' ? 0 : Array.from({ length: counts[i] }).filter(() => rng.chance(0.04)).length;
      for (let k = 0; k < counts[i] + rejected && k < eligible.length; k++) {
        add(eligible[k], w, k < counts[i] ? status : 'REJECTED');
      }
    });
  }
  return claims;
}

function makeEarlyHelpCases(
  rng: Rng,
  scale: number,
  pools: Map<string, Pool>,
  families: FamilyRow[],
  members: MemberRow[],
  personById: Map<string, DemoPerson>,
): EarlyHelpCaseRecord[] {
  const cases: EarlyHelpCaseRecord[] = [];
  const asAt = parseDay(EARLY_HELP_AS_AT);

  // One chain per child: a first case, then any re-referrals, each after the previous closure.
  const chain = (p: DemoPerson, openedOn: Date, familyId: string | null) => {
    let opened = openedOn;
    let stepDown = rng.chance(STEP_DOWN_SHARE_OF_OPENINGS);
    while (opened <= asAt) {
      const intensive = familyId !== null || rng.chance(0.8);
      // Intensive unit work runs to a 20-week standard; open access is shorter.
      const closed = addDays(opened, intensive ? rng.int(40, 220) : rng.int(20, 120));
      const year = fyStart(closed);
      const achieved = OUTCOMES_ACHIEVED_BY_YEAR[year] ?? 0.8;
      // Poorer families reach outcomes a little less often (weighted to keep the year's average).
      const pAchieved = (intensive ? achieved : achieved - 0.1) + (p.fsm ? -0.03 : 0.02);
      const reason = rng.chance(pAchieved)
        ? 'OUTCOMES_ACHIEVED'
        : rng.chance(STEPPED_UP_SHARE / (1 - achieved))
          ? 'STEPPED_UP_TO_SOCIAL_CARE'
          : rng.chance(0.5)
            ? 'DISENGAGED'
            : rng.chance(0.4)
              ? 'MOVED_AWAY'
              : 'OTHER';
      const open = closed > asAt;
      cases.push({
        id: `EH${String(cases.length + 1).padStart(7, '0')}`,
        personId: p.id,
        districtCode: p.district,
        familyId,
        openedOn: opened,
        closedOn: open ? null : closed,
        closureReason: open ? null : reason,
        stepDown,
        intensive,
      });
      if (open || age(p.birth, closed) >= 17) return;
      // Re-referral: rarer after outcomes achieved, common after disengagement; a child stepped up to
      // social care often comes back as a step-down.
      const pBack =
        reason === 'OUTCOMES_ACHIEVED'
          ? 0.06
          : reason === 'STEPPED_UP_TO_SOCIAL_CARE'
            ? 0.3
            : reason === 'MOVED_AWAY'
              ? 0.02
              : 0.2;
      if (rng.chance(pBack)) opened = addDays(closed, rng.int(7, 365));
      else if (rng.chance(0.05)) opened = addDays(closed, rng.int(366, 700));
      else return;
      stepDown = reason === 'STEPPED_UP_TO_SOCIAL_CARE' || rng.chance(STEP_DOWN_SHARE_OF_OPENINGS);
    }
  };

  // Troubled families are verified through an early help assessment: most of their children have a
  // case opened shortly before the family is attached.
  const familyById = new Map(families.map((f) => [f.id, f]));
  const openedByMonth = new Map<string, number>();
  for (const m of members) {
    const f = familyById.get(m.familyId)!;
    const p = personById.get(m.personId);
    if (!p || m.role !== 'CHILD' || !rng.chance(0.8)) continue;
    const opened = addDays(f.attachedOn, -rng.int(0, 30));
    const key = opened.toISOString().slice(0, 7);
    openedByMonth.set(key, (openedByMonth.get(key) ?? 0) + 1);
    chain(p, opened, f.id);
  }
  // Everyone else: first cases to make up the month's volume, from children not in a family.
  const perMonth = EARLY_HELP_CASES_PER_MONTH * scale * 0.9; // about a tenth of openings are re-referrals
  for (let m = parseDay('2014-04-01'); m <= asAt; m = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1))) {
    const key = m.toISOString().slice(0, 7);
    const wanted = Math.max(0, Math.round(perMonth - (openedByMonth.get(key) ?? 0)));
    const daysInMonth = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 0)).getUTCDate();
    for (let k = 0; k < wanted; k++) {
      const district = rng.pick(DISTRICT_CLAIMS).code;
      const opened = addDays(m, rng.int(0, daysInMonth - 1));
      const p = draw(rng, pools.get(district), opened, 0, 17, 4);
      if (p) chain(p, opened, null);
    }
  }
  return cases;
}

/** Catalogue rows (the Target foreign key needs them), and the published targets. */
async function seedTargets(tx: Tx, scale: number, plugin: ServicePlugin) {
  await tx.period.createMany({ data: [periodRow(REREFERRAL_TARGET.period)], skipDuplicates: true });
  await syncIndicatorCatalogue(tx, [plugin]);
  // The demo LA is `scale` of Kent, so its claim targets are too (fractional, like the districts').
  const targets: Prisma.TargetCreateManyInput[] = [
    {
      indicatorCode: 'TF_CLAIMS',
      areaCode: KENT,
      periodCode: TARGET_PERIOD,
      kind: 'MINIMUM',
      value: LA_MINIMUM_TARGET * scale,
    },
    {
      indicatorCode: 'TF_CLAIMS',
      areaCode: KENT,
      periodCode: TARGET_PERIOD,
      kind: 'STRETCH',
      value: LA_STRETCH_TARGET * scale,
    },
    ...DISTRICT_CLAIMS.flatMap((d) => [
      {
        indicatorCode: 'TF_CLAIMS',
        areaCode: d.code,
        periodCode: TARGET_PERIOD,
        kind: 'MINIMUM' as const,
        value: districtMinimumTarget(d.stretch) * scale,
      },
      {
        indicatorCode: 'TF_CLAIMS',
        areaCode: d.code,
        periodCode: TARGET_PERIOD,
        kind: 'STRETCH' as const,
        value: d.stretch * scale,
      },
    ]),
    ...Object.entries(OUTCOMES_TARGETS).map(([year, value]) => ({
      indicatorCode: 'EH_OUTCOMES_ACHIEVED',
      areaCode: KENT,
      periodCode: `${year}/${Number(year) + 1}|FY`,
      kind: 'TARGET' as const,
      value,
    })),
    {
      indicatorCode: 'EH_REREFERRAL_12M',
      areaCode: KENT,
      periodCode: REREFERRAL_TARGET.period,
      kind: 'TARGET',
      value: REREFERRAL_TARGET.value,
    },
  ];
  await tx.target.createMany({ data: targets, skipDuplicates: true });
}
