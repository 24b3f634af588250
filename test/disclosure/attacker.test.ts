// An attacker with a PUBLIC key. On demo data (every service), it collects every count PUBLIC can read for
// every record-level indicator (numerator, denominator, every breakdown, LA and each district, two periods
// of each indicator's type), every cohort (sizes and breakdowns, LA and districts, two periods) and every
// overlap of two cohorts (a cohort with itself included), then solves for the true counts: the published
// figures bound them (the published perturbation table says which true counts each published count can come
// from; a `c` says nothing), and the arithmetic an attacker knows binds them together: a total is the sum
// of its groups, an LA the sum of its districts, a listed group has somebody in it, an overlap is at most
// either cohort, and the same people counted in two tables are the same number. The attacker finds those
// identities itself by checking every pair of tables (and every numerator + cohort = denominator) against
// the analyst's exact view, so it knows every definition that holds: EY_GLD's denominator is its numerator
// plus `earlyYears.gldNotAchieved`; EY_TWO_YEAR_TAKE_UP's numerator is `twoYearOldFunded`; SK_NEET and
// SK_NOT_KNOWN share their denominator; the youth justice counts are their cohorts… (the pairs of issue #15).
// Interval propagation over all of it must not pin any true count from 1 to 4.
//
// CYPE_ATTACK_SECRET changes the store's secret (default fixed, so the test is deterministic: with any other
// secret every published count changes, and the attack must fail just the same).
// CYPE_ATTACK_MODEL=exact reads published numbers as exact (the suppression model before the cell key
// method): run against that release, the same attack recovers small counts (see the commit message).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allServices } from '../../services/index.js';
import { KENT, KENT_DISTRICTS } from '../../src/core/demo-areas.js';
import { possibleCounts } from '../../src/core/reporting/cell-key.js';
import type { Database } from '../../src/db.js';
import { seedDemo } from '../../src/seed-demo.js';
import { createTestDatabase, type TestApp, testApp } from '../harness.js';
import { Builder, propagate } from './solver.js';

const SCALE = 0.01;
const THRESHOLD = 5;
const MODEL = process.env.CYPE_ATTACK_MODEL === 'exact' ? 'exact' : 'cell-key';
const AREAS = [KENT, ...KENT_DISTRICTS.map((d) => d.code)];
const DISTRICTS = AREAS.slice(1);
const PERIODS: Record<string, string[]> = {
  ACADEMIC_YEAR: ['2016/2017|AY', '2015/2016|AY'],
  FINANCIAL_YEAR: ['2016/2017|FY', '2015/2016|FY'],
  CALENDAR_YEAR: ['2016|CY', '2015|CY'],
};
const DIMENSIONS = ['SEX', 'FSM', 'SEN_STATUS', 'IN_CARE', 'EAL', 'ETHNICITY_MAJOR'];
const LIMITS = {
  limits: { maxTokens: 1_000_000, maxAliases: 100_000, maxCost: 1e12, maxDepth: 20, ratePerWindow: { PUBLIC: 1e6 } },
};

type F = { value: number | null; symbol: string | null } | null;
interface GroupCell {
  code: string;
  numerator: F;
  denominator: F;
}

/** A published count: by table (`I:<code>:n|d:<period>` or `C:<key>:<period>`), area and group. */
interface Count {
  table: string;
  area: string;
  /** `TOTAL` or `<dimension>:<group>`. */
  group: string;
  figure: F;
}

interface Overlap {
  a: string;
  b: string;
  area: string;
  count: F;
}

interface Collected {
  counts: Count[];
  overlaps: Overlap[];
}

async function gql<T>(app: TestApp, query: string): Promise<T> {
  const r = await app.gql<T>(query);
  if (r.errors?.length)
    throw new Error(
      r.errors
        .slice(0, 3)
        .map((e) => e.message)
        .join('; '),
    );
  return r.data as T;
}

const CELL = 'code numerator { value symbol } denominator { value symbol }';
const breakdowns = (dims: string[]) => dims.map((d) => `${d}: breakdown(dimension: ${d}) { ${CELL} }`).join(' ');

async function collect(app: TestApp): Promise<Collected> {
  const counts: Count[] = [];
  const overlaps: Overlap[] = [];
  const { indicators, cohorts } = await gql<{
    indicators: { code: string; unit: string; periodType: string; dimensions: string[] }[];
    cohorts: { key: string; periodType: string }[];
  }>(app, '{ indicators { code unit periodType dimensions } cohorts { key periodType } }');
  const push = (table: string, area: string, group: string, figure: F) => {
    if (figure) counts.push({ table, area, group, figure });
  };
  for (const ind of indicators) {
    const dims = DIMENSIONS.filter((d) => ind.dimensions.includes(d));
    for (const period of PERIODS[ind.periodType] ?? []) {
      const data = await gql<{ indicator: Record<string, Record<string, unknown> | null> }>(
        app,
        `{ indicator(code: "${ind.code}") { ${AREAS.map(
          (a, i) =>
            `a${i}: value(area: "${a}", period: "${period}") { source numerator { value symbol } denominator { value symbol } ${breakdowns(dims)} }`,
        ).join(' ')} } }`,
      );
      AREAS.forEach((area, i) => {
        const v = data.indicator[`a${i}`];
        if (v?.source !== 'RECORDS') return;
        for (const part of ['numerator', 'denominator'] as const) {
          if (part === 'denominator' && ind.unit === 'COUNT') continue;
          const table = `I:${ind.code}:${part === 'numerator' ? 'n' : 'd'}:${period}`;
          push(table, area, 'TOTAL', v[part] as F);
          for (const dim of dims) {
            for (const c of v[dim] as GroupCell[]) push(table, area, `${dim}:${c.code}`, c[part]);
          }
        }
      });
    }
  }
  for (const cohort of cohorts) {
    for (const period of PERIODS[cohort.periodType] ?? []) {
      const data = await gql<Record<string, { size: F } & Record<string, GroupCell[]>>>(
        app,
        `{ ${AREAS.map(
          (a, i) =>
            `a${i}: cohort(key: "${cohort.key}", period: "${period}", area: "${a}") { size { value symbol } ${breakdowns(DIMENSIONS)} }`,
        ).join(' ')} }`,
      );
      AREAS.forEach((area, i) => {
        const v = data[`a${i}`];
        const table = `C:${cohort.key}:${period}`;
        push(table, area, 'TOTAL', v.size);
        for (const dim of DIMENSIONS) for (const c of v[dim]) push(table, area, `${dim}:${c.code}`, c.numerator);
      });
    }
    // Overlaps in the latest period, with every cohort (itself included), in the other's default period.
    const period = PERIODS[cohort.periodType]?.[0];
    if (!period) continue;
    const others = cohorts.filter((c) => PERIODS[c.periodType]);
    const data = await gql<Record<string, { overlap: { count: F; period: string } }>>(
      app,
      `{ ${AREAS.flatMap((a, i) =>
        others.map(
          (o, j) =>
            `a${i}_${j}: cohort(key: "${cohort.key}", period: "${period}", area: "${a}") { overlap: overlap(with: "${o.key}") { count { value symbol } period } }`,
        ),
      ).join(' ')} }`,
    );
    AREAS.forEach((area, i) => {
      others.forEach((o, j) => {
        const r = data[`a${i}_${j}`].overlap;
        overlaps.push({ a: `C:${cohort.key}:${period}`, b: `C:${o.key}:${r.period}`, area, count: r.count });
      });
    });
  }
  return { counts, overlaps };
}

/** Rows of a CSV text (quoted fields, doubled quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') {
          cell += '"';
          i++;
        } else if (ch === '"') quoted = false;
        else cell += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ',') {
        cells.push(cell);
        cell = '';
      } else cell += ch;
    }
    cells.push(cell);
    rows.push(cells);
  }
  return rows;
}

/** The unknown of a table's cell. */
const nameOf = (table: string, area: string, group: string) => `${table}|${area}|${group}`;

/** Tables with the same true counts in every cell (a cell one lacks counts 0): the same people. */
function sameTables(exact: Map<string, Map<string, number>>): [string, string][] {
  const tables = [...exact.keys()];
  const pairs: [string, string][] = [];
  for (let i = 0; i < tables.length; i++) {
    for (let j = i + 1; j < tables.length; j++) {
      const a = exact.get(tables[i])!;
      const b = exact.get(tables[j])!;
      if (![...a].some(([, v]) => v > 0)) continue;
      const keys = new Set([...a.keys(), ...b.keys()]);
      if ([...keys].every((k) => Math.abs((b.get(k) ?? 0) - (a.get(k) ?? 0)) < 1e-6))
        pairs.push([tables[i], tables[j]]);
    }
  }
  return pairs;
}

/** Tables of one period whose every cell is at most the other's (some people of it): A ≤ B, not equal. */
function subsets(exact: Map<string, Map<string, number>>): [string, string][] {
  const periodOf = (t: string) => t.slice(t.lastIndexOf(':') + 1);
  const out: [string, string][] = [];
  for (const [a, aCells] of exact) {
    if (![...aCells.values()].some((v) => v > 0)) continue;
    for (const [b, bCells] of exact) {
      if (a === b || periodOf(a) !== periodOf(b)) continue;
      const keys = new Set([...aCells.keys(), ...bCells.keys()]);
      let equal = true;
      let within = true;
      for (const k of keys) {
        const d = (bCells.get(k) ?? 0) - (aCells.get(k) ?? 0);
        if (d < -1e-6) within = false;
        if (Math.abs(d) >= 1e-6) equal = false;
      }
      if (within && !equal) out.push([a, b]);
    }
  }
  return out;
}

/** D = A + B in every cell, for tables of one period (a denominator = its numerator + the cohort of the
 * others; SK_NOT_KNOWN's denominator = SK_NEET's + SK_NOT_KNOWN's numerator…). */
function complements(exact: Map<string, Map<string, number>>): [string, string, string][] {
  const periodOf = (t: string) => t.slice(t.lastIndexOf(':') + 1);
  const out: [string, string, string][] = [];
  const tables = [...exact].filter(([, cells]) => [...cells.values()].some((v) => v > 0));
  for (const [d, dCells] of tables) {
    for (let i = 0; i < tables.length; i++) {
      const [a, aCells] = tables[i];
      if (a === d || periodOf(a) !== periodOf(d)) continue;
      for (let j = i + 1; j < tables.length; j++) {
        const [c, cCells] = tables[j];
        if (c === d || periodOf(c) !== periodOf(d)) continue;
        let holds = true;
        for (const k of new Set([...dCells.keys(), ...aCells.keys(), ...cCells.keys()])) {
          if (Math.abs((dCells.get(k) ?? 0) - (aCells.get(k) ?? 0) - (cCells.get(k) ?? 0)) >= 1e-6) {
            holds = false;
            break;
          }
        }
        if (holds) out.push([d, a, c]);
      }
    }
  }
  return out;
}

interface Attack {
  recovered: { name: string; value: number }[];
  unsound: string[];
  smallCells: number;
  relations: string[];
  unknowns: number;
}

function attack(shown: Collected, exact: Collected, model: 'exact' | 'cell-key' = MODEL): Attack {
  const b = new Builder();
  const truth = new Map<string, number>();
  const exactTables = new Map<string, Map<string, number>>();
  for (const c of exact.counts) {
    const v = c.figure?.value ?? 0;
    truth.set(nameOf(c.table, c.area, c.group), v);
    const t = exactTables.get(c.table) ?? new Map<string, number>();
    exactTables.set(c.table, t);
    t.set(`${c.area}|${c.group}`, v);
  }
  for (const o of exact.overlaps) truth.set(`O|${o.a}|${o.b}|${o.area}`, o.count?.value ?? 0);

  // Tables of averages (NEET: the mean of three monthly counts) are not whole numbers; a published figure
  // is then the rounded average, perturbed.
  const fractional = new Set(
    [...exactTables].filter(([, cells]) => [...cells.values()].some((v) => !Number.isInteger(v))).map(([t]) => t),
  );
  const groupsOf = new Map<string, Map<string, Set<string>>>(); // table → area → groups listed
  const bound = (name: string, f: F, listed: boolean, whole: boolean) => {
    if (!whole) b.fractional(name);
    const floor = listed ? (whole ? 1 : Number.MIN_VALUE) : 0;
    const slack = whole ? 0 : 0.5;
    if (!f || f.value === null) {
      b.bound(name, floor, Number.POSITIVE_INFINITY);
      return;
    }
    if (model === 'exact') b.bound(name, f.value - slack, f.value + slack);
    else {
      const [lo, hi] = possibleCounts(f.value, THRESHOLD);
      b.bound(name, Math.max(lo - slack, floor), hi + slack);
    }
  };
  for (const c of shown.counts) {
    // A listed group has somebody in it (a proportion's denominator, a count's numerator, a cohort).
    const listed = c.group !== 'TOTAL' && (c.table.startsWith('C:') || !c.table.includes(':n:') || isCount(c.table));
    bound(nameOf(c.table, c.area, c.group), c.figure, listed, !fractional.has(c.table));
    const areas = groupsOf.get(c.table) ?? new Map<string, Set<string>>();
    groupsOf.set(c.table, areas);
    const groups = areas.get(c.area) ?? new Set<string>();
    areas.set(c.area, groups);
    if (c.group !== 'TOTAL') groups.add(c.group);
  }
  const relations: string[] = [];
  // Sums within each table: total = Σ groups (absent groups count 0); LA = Σ districts, cell by cell.
  for (const [table, areas] of groupsOf) {
    const allGroups = new Set([...areas.values()].flatMap((g) => [...g]));
    for (const [area, groups] of areas) {
      for (const dim of DIMENSIONS) {
        const mine = [...groups].filter((g) => g.startsWith(`${dim}:`));
        if (!mine.length) continue;
        b.equal([
          [nameOf(table, area, 'TOTAL'), 1],
          ...mine.map((g): [string, number] => [nameOf(table, area, g), -1]),
        ]);
      }
      for (const g of allGroups) if (!groups.has(g)) b.bound(nameOf(table, area, g), 0, 0);
    }
    if (areas.has(KENT)) {
      for (const g of ['TOTAL', ...allGroups]) {
        b.equal([[nameOf(table, KENT, g), 1], ...DISTRICTS.map((d): [string, number] => [nameOf(table, d, g), -1])]);
      }
    }
  }
  // The same people in two tables; numerator + cohort = denominator.
  for (const [x, y] of sameTables(exactTables)) {
    relations.push(`${x} = ${y}`);
    for (const cell of new Set([...exactTables.get(x)!.keys(), ...exactTables.get(y)!.keys()])) {
      const [area, group] = cell.split('|');
      b.equal([
        [nameOf(x, area, group), 1],
        [nameOf(y, area, group), -1],
      ]);
    }
  }
  for (const [d, n, c] of complements(exactTables)) {
    relations.push(`${d} = ${n} + ${c}`);
    const cells = [d, n, c].flatMap((t) => [...exactTables.get(t)!.keys()]);
    for (const cell of new Set(cells)) {
      const [area, group] = cell.split('|');
      b.equal([
        [nameOf(d, area, group), 1],
        [nameOf(n, area, group), -1],
        [nameOf(c, area, group), -1],
      ]);
    }
  }
  // Some people of one table are all in another (a numerator in its denominator, the funded two-year-olds
  // counted by EY_TWO_YEAR_TAKE_UP in the cohort twoYearOldFunded…): B = A + the rest (≥ 0), cell by cell.
  for (const [x, y] of subsets(exactTables)) {
    relations.push(`${x} ≤ ${y}`);
    const keys = new Set([...exactTables.get(x)!.keys(), ...exactTables.get(y)!.keys()]);
    for (const cell of keys) {
      const [area, group] = cell.split('|');
      if (!b.has(nameOf(x, area, group)) || !b.has(nameOf(y, area, group))) continue;
      b.equal([
        [nameOf(y, area, group), 1],
        [nameOf(x, area, group), -1],
        [`${nameOf(y, area, group)}|rest of ${x}`, -1],
      ]);
      if (fractional.has(x) || fractional.has(y)) b.fractional(`${nameOf(y, area, group)}|rest of ${x}`);
    }
  }
  // Overlaps: the LA is the sum of its districts; an overlap is at most either cohort (a slack ≥ 0 each
  // side), and a cohort with itself is its size.
  for (const o of shown.overlaps) {
    const name = `O|${o.a}|${o.b}|${o.area}`;
    bound(name, o.count, false, true);
    for (const side of [o.a, o.b]) {
      if (!b.has(nameOf(side, o.area, 'TOTAL'))) continue;
      b.equal([
        [nameOf(side, o.area, 'TOTAL'), 1],
        [name, -1],
        [`${name}|rest of ${side}`, -1],
      ]);
    }
    if (o.a === o.b) {
      relations.push(`overlap(${o.a}, itself) = size`);
      b.equal([
        [name, 1],
        [nameOf(o.a, o.area, 'TOTAL'), -1],
      ]);
    }
  }
  const pairs = new Set(shown.overlaps.map((o) => `${o.a}|${o.b}`));
  for (const p of pairs) {
    b.equal([[`O|${p}|${KENT}`, 1], ...DISTRICTS.map((d): [string, number] => [`O|${p}|${d}`, -1])]);
  }

  const { lo, hi } = propagate(b.system);
  const recovered: { name: string; value: number }[] = [];
  const unsound: string[] = [];
  let smallCells = 0;
  b.system.names.forEach((name, i) => {
    const t = truth.get(name);
    if (t === undefined) return; // a slack, or a cell the analyst view has not
    if (t < lo[i] || t > hi[i]) unsound.push(`${name}: ${t} not in [${lo[i]}, ${hi[i]}]`);
    // Recovered: pinned to one whole number (an average: to less than one person either way).
    if (t >= 1 && t < THRESHOLD) {
      smallCells++;
      if (b.system.integer[i] ? lo[i] === hi[i] : hi[i] - lo[i] < 1) recovered.push({ name, value: t });
    }
  });
  return { recovered, unsound, smallCells, relations: [...new Set(relations)], unknowns: b.system.names.length };
}

let countTables: Set<string>;
const isCount = (table: string) => countTables.has(table.split(':')[1]);

let attacker: TestApp;
let db: Database;
let exact: Collected;
let shown: Collected;
beforeAll(async () => {
  db = await createTestDatabase();
  // A fixed secret, so the test is deterministic (a store's own is random); set before anything is counted.
  const secret = process.env.CYPE_ATTACK_SECRET ?? 'attacker-test-secret';
  // (A release before the cell key method has no such table: nothing to set.)
  await db.prisma.$executeRaw`UPDATE "CellKeySecret" SET "secret" = ${secret}`.catch(() => {});
  await seedDemo(db, allServices, SCALE);
  const analyst = testApp(db, { services: allServices, access: LIMITS });
  const viewer = { role: 'PUBLIC' as const, services: [], name: 'attacker' };
  attacker = testApp(db, { services: allServices, viewer, disclosureControl: true, access: LIMITS });
  const { indicators } = await gql<{ indicators: { code: string; unit: string }[] }>(
    analyst,
    '{ indicators { code unit } }',
  );
  countTables = new Set(indicators.filter((i) => i.unit === 'COUNT').map((i) => i.code));
  exact = await collect(analyst);
  shown = await collect(attacker);
}, 300_000);
afterAll(() => db?.close());

describe('an attacker with every count PUBLIC can read', () => {
  it('sees the same cells as the analyst, and never a count from 1 to 4', () => {
    expect(shown.counts.map((c) => nameOf(c.table, c.area, c.group))).toEqual(
      exact.counts.map((c) => nameOf(c.table, c.area, c.group)),
    );
    expect(shown.counts.length).toBeGreaterThan(10_000);
    if (MODEL === 'exact') return;
    const small = [...shown.counts.map((c) => c.figure), ...shown.overlaps.map((o) => o.count)].filter(
      (f) => f?.value != null && f.value > 0 && f.value < THRESHOLD,
    );
    expect(small).toEqual([]);
  });

  it('downloads the same published counts in the CSV export', async () => {
    const published = new Map(shown.counts.map((c) => [nameOf(c.table, c.area, c.group), c.figure?.value ?? null]));
    let compared = 0;
    for (const [code, period] of [
      ['EY_GLD', '2016/2017|AY'],
      ['SEND_EHCP_COUNT', '2016|CY'],
      ['SK_NEET', '2016/2017|AY'],
      ['YJ_FIRST_TIME_ENTRANTS', '2016/2017|FY'],
    ]) {
      for (const area of AREAS) {
        const res = await attacker.fetch(
          `/export/indicators.csv?codes=${code}&area=${area}&period=${encodeURIComponent(period)}`,
        );
        expect(res.status).toBe(200);
        const [header, ...rows] = parseCsv(await res.text());
        const col = (name: string) => header.indexOf(name);
        for (const r of rows) {
          const group =
            r[col('breakdown')] === 'TOTAL' ? 'TOTAL' : `${r[col('breakdown_topic')]}:${r[col('breakdown')]}`;
          for (const [part, column] of [
            ['n', `${code}_numerator`],
            ['d', `${code}_denominator`],
          ]) {
            const key = nameOf(`I:${code}:${part}:${period}`, area, group);
            if (!published.has(key)) continue;
            expect(Number(r[col(column)]), key).toBe(published.get(key));
            compared++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(500);
  });

  it('knows the definitions that link the tables of issue #15', () => {
    const { relations } = attack(shown, exact);
    const has = (re: RegExp) => relations.some((r) => re.test(r));
    expect(has(/^I:EY_GLD:d:2016\/2017\|AY = I:EY_GLD:n:2016\/2017\|AY \+ C:earlyYears\.gldNotAchieved:/)).toBe(true);
    expect(has(/I:EY_TWO_YEAR_TAKE_UP:n:2016\/2017\|AY [=≤] C:earlyYears\.twoYearOldFunded:2016\/2017\|AY/)).toBe(true);
    expect(has(/^I:SK_NOT_KNOWN:d:2016\/2017\|AY = I:SK_NEET:d:2016\/2017\|AY \+ I:SK_NOT_KNOWN:n:/)).toBe(true);
    expect(has(/^I:YJ_FIRST_TIME_ENTRANTS:n:2016\/2017\|FY = C:youthJustice\.firstTimeEntrants:2016\/2017\|FY$/)).toBe(
      true,
    );
    expect(has(/overlap\(C:troubledFamilies\.steppedDown:2016\/2017\|FY, itself\)/)).toBe(true);
  });

  it('cannot pin down any true count from 1 to 4', () => {
    const result = attack(shown, exact);
    console.info(
      `attacker (${MODEL}): ${result.unknowns} unknowns, ${result.relations.length} identities between tables, ` +
        `${result.smallCells} true counts from 1 to 4, ${result.recovered.length} of them pinned`,
    );
    expect(result.unsound).toEqual([]);
    expect(result.smallCells).toBeGreaterThan(500); // the demo has plenty of small cells to attack
    expect(result.recovered).toEqual([]);
  });

  it('does pin them down when small counts are merely hidden (the attack is not vacuous)', () => {
    // The analyst's view with every count from 1 to 4 shown as `c` (primary suppression alone).
    const hide = (f: F): F =>
      f?.value != null && f.value > 0 && f.value < THRESHOLD ? { value: null, symbol: 'c' } : f;
    const suppressed: Collected = {
      counts: exact.counts.map((c) => ({ ...c, figure: hide(c.figure) })),
      overlaps: exact.overlaps.map((o) => ({ ...o, count: hide(o.count) })),
    };
    const result = attack(suppressed, exact, 'exact');
    console.info(`attacker on primary suppression alone: ${result.recovered.length} small counts pinned`);
    expect(result.unsound).toEqual([]);
    expect(result.recovered.length).toBeGreaterThan(50);
  });
});
