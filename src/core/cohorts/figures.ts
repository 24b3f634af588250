// Cohort figures under the reporting engine's disclosure control. Sizes and breakdowns are the engine's
// own grouped statement over the cohort as a COUNT indicator (one statement per cohort x period, every
// district and group at once). An overlap is one statement per pair of cohorts x periods (all districts at
// once), or a merge of two stored memberships. Every count is published through the cell key method
// (reporting/cell-key.ts): the cell keys are summed with the counts, so the same people publish the same
// number as a cohort size, a breakdown group, an indicator's cell or an overlap (an overlap of a cohort
// with itself is its size), and shares are computed from published counts only.
import type { Context } from '../../context.js';
import { UserInputError } from '../errors.js';
import { type PeriodInfo, parsePeriod } from '../period-codes.js';
import type { Cell } from '../reporting/area-figures.js';
import { factsTables, factsVariant, statementDigest, type TableSet } from '../reporting/cache.js';
import { cellNumerator, cellValue } from '../reporting/cell-figures.js';
import { cellKey } from '../reporting/cell-key.js';
import { areaDirectory } from '../reporting/directories.js';
import { disclosedCell, publishedCount } from '../reporting/disclosure.js';
import { countFigure, type Figure, symbolFigure, valueFigure } from '../reporting/engine.js';
import {
  type AreaCounts,
  type Counts,
  computeFacts,
  DIMENSION_GROUPS,
  GROUP_LABELS,
  type LaTable,
  type PeriodFacts,
  type PersonDimension,
} from '../reporting/facts.js';
import { requireArea } from '../reporting/graphql/args.js';
import { readStored } from '../reporting/replica-routing.js';
import { askFor, freshMembers, freshSnapshots, type SnapshotAsk } from '../reporting/snapshots.js';
import { type Dimension, GROUPS, type Group } from '../reporting/types.js';
import type { GroupValueData } from '../reporting/value-fields.js';
import { type CohortInfo, cohortCatalogue } from './catalogue.js';
import { type Members, overlapByDistrict } from './members.js';
import { cohortIndicatorOf, type OverlapRow, overlapSql } from './sql.js';

/** A cohort in one period, for one area (a local authority or one of its districts). */
export interface CohortRef {
  cohort: CohortInfo;
  period: PeriodInfo;
  areaCode: string;
  /** The local authority whose table the area's figures belong to. */
  laCode: string;
}

/** The area argument: a district or an LA; omitted, the one local authority that has districts. */
export async function cohortArea(
  ctx: Context,
  code: string | null | undefined,
): Promise<{ areaCode: string; laCode: string }> {
  if (code === null || code === undefined) {
    const las = [...(await areaDirectory(ctx)).byCode.values()].filter(
      (a, _i, all) =>
        a.level === 'LOCAL_AUTHORITY' && all.some((d) => d.level === 'DISTRICT' && d.parentCode === a.code),
    );
    if (las.length !== 1) {
      throw new UserInputError(
        `Name the area: the store has districts in ${las.length} local authorities (${las.map((a) => a.code).join(', ')})`,
        'area',
      );
    }
    return { areaCode: las[0].code, laCode: las[0].code };
  }
  const area = await requireArea(ctx, code, 'area');
  if (area.level === 'LOCAL_AUTHORITY') return { areaCode: area.code, laCode: area.code };
  if (area.level === 'DISTRICT' && area.parentCode) return { areaCode: area.code, laCode: area.parentCode };
  throw new UserInputError(
    `Cohorts are counted for a local authority or one of its districts; ${area.name} (${area.code}) is ${area.level}`,
    'area',
  );
}

// ---- Sizes and breakdowns: stored, else the engine's grouped statement ------------------------------

// Cohort keys have no `|`; period codes do (`2016/2017|FY`).
const splitCohortKey = (k: string) => ({ key: k.slice(0, k.indexOf('|')), period: k.slice(k.indexOf('|') + 1) });

const byKeyCache = new WeakMap<Context['services'], Map<string, CohortInfo>>();
function cohortsByKey(services: Context['services']): Map<string, CohortInfo> {
  let m = byKeyCache.get(services);
  if (!m) {
    m = new Map(cohortCatalogue(services).map((c) => [c.key, c]));
    byKeyCache.set(services, m);
  }
  return m;
}

/** What a cohort's figures read: its declared tables and the engine's (`ALL` when undeclared). */
const cohortTables = (c: CohortInfo | undefined): TableSet => (c ? factsTables(cohortIndicatorOf(c)) : 'ALL');

/** The asks for the stored rows of cohort x period keys (`<cohort>|<period>`) of enabled cohorts. */
function cohortAsks(ctx: Context, keys: readonly string[]): SnapshotAsk[] {
  const byKey = cohortsByKey(ctx.services);
  return keys.flatMap((key) => {
    const { key: cohortKey, period } = splitCohortKey(key);
    const cohort = byKey.get(cohortKey);
    return cohort ? [askFor(key, cohortIndicatorOf(cohort), period, cohort)] : [];
  });
}

function cohortFacts(ctx: Context, cohort: CohortInfo, period: PeriodInfo): Promise<PeriodFacts> {
  return ctx
    .loader<string, PeriodFacts>(
      'cohorts.facts',
      ctx.results.batch(
        'cohorts.facts',
        (k) => cohortTables(cohortsByKey(ctx.services).get(splitCohortKey(k).key)),
        async (keys) => {
          const enabled = cohortsByKey(ctx.services);
          const { found, clientOf } = await readStored<PeriodFacts>(ctx, cohortAsks(ctx, keys), freshSnapshots);
          return Promise.all(
            keys.map((k) => {
              const { key, period: p } = splitCohortKey(k);
              const c = enabled.get(key);
              if (!c) return new Error(`Cohort ${key} is not enabled`);
              return (
                found.get(k) ??
                computeFacts(clientOf.get(k) ?? ctx.db.prisma, cohortIndicatorOf(c), p).catch((e: Error) => e)
              );
            }),
          );
        },
        (k) => {
          const c = cohortsByKey(ctx.services).get(splitCohortKey(k).key);
          return c ? factsVariant(cohortIndicatorOf(c), splitCohortKey(k).period) : '';
        },
      ),
    )
    .load(`${cohort.key}|${period.code}`);
}

const NO_COUNTS: AreaCounts = { total: { numerator: 0, denominator: 0, people: 0 }, groups: new Map() };

interface CohortTable {
  info: ReturnType<typeof cohortIndicatorOf>;
  table: LaTable | undefined;
  disclosed: boolean;
}

async function cohortTable(ctx: Context, ref: CohortRef): Promise<CohortTable> {
  const facts = await cohortFacts(ctx, ref.cohort, ref.period);
  const info = cohortIndicatorOf(ref.cohort);
  return { info, table: facts.tables.get(ref.laCode), disclosed: ctx.disclosureControl };
}

function countsOf(table: LaTable | undefined, areaCode: string): AreaCounts {
  if (!table) return NO_COUNTS;
  return areaCode === table.code ? table.la : (table.districts.get(areaCode) ?? NO_COUNTS);
}

function cell(counts: Counts, disclosed: boolean): Cell {
  if (disclosed) return disclosedCell('COUNT', counts);
  return {
    numerator: counts.numerator,
    denominator: null,
    people: counts.people,
    value: counts.numerator,
    symbol: null,
    hiddenNumerator: false,
    hiddenDenominator: false,
  };
}

/** The number of people in the cohort in the area: a count, or `c` when suppressed. */
export async function cohortSize(ctx: Context, ref: CohortRef): Promise<Figure> {
  const { info, table, disclosed } = await cohortTable(ctx, ref);
  return cellValue(info, cell(countsOf(table, ref.areaCode).total, disclosed));
}

/**
 * The cohort's size in each group of a dimension (each district of the area, by name, for DISTRICT),
 * under the same protection as the size. Characteristics are those of the academic year containing the
 * period's start, as for every indicator.
 */
export async function cohortBreakdown(ctx: Context, ref: CohortRef, dimension: Dimension): Promise<GroupValueData[]> {
  const [{ info, table, disclosed }, areas] = await Promise.all([cohortTable(ctx, ref), areaDirectory(ctx)]);
  const counts = countsOf(table, ref.areaCode);
  let entries: { code: string; label: string; cell: Cell }[];
  if (dimension === 'DISTRICT') {
    const districts =
      ref.areaCode === ref.laCode
        ? [...areas.byCode.values()].filter((a) => a.level === 'DISTRICT' && a.parentCode === ref.laCode)
        : [areas.byCode.get(ref.areaCode)!];
    entries = districts
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((d) => ({
        code: d.code,
        label: d.name,
        cell: cell(countsOf(table, d.code).total, disclosed),
      }));
  } else {
    const dim = dimension as PersonDimension;
    const groups = counts.groups.get(dim);
    entries = DIMENSION_GROUPS[dim].flatMap((code) => {
      const c = groups?.get(code);
      return c ? [{ code, label: GROUP_LABELS[code] ?? code, cell: cell(c, disclosed) }] : [];
    });
  }
  return entries.map(({ code, label, cell: c }) => ({
    group: (GROUPS as readonly string[]).includes(code) ? (code as Group) : null,
    code,
    label,
    value: cellValue(info, c),
    numerator: cellNumerator(c),
    denominator: null,
    ci95: null,
  }));
}

// ---- Overlaps: one statement per pair ------------------------------------------------------------------

interface OverlapCounts {
  sizeThis: number;
  sizeOther: number;
  both: number;
  /** Cell keys (sums of the members' record keys, modulo 65536) of each cohort and of the intersection. */
  keyThis: number;
  keyOther: number;
  keyBoth: number;
}

interface OverlapTable {
  la: OverlapCounts;
  districts: Map<string, OverlapCounts>;
}

const ZERO: OverlapCounts = { sizeThis: 0, sizeOther: 0, both: 0, keyThis: 0, keyOther: 0, keyBoth: 0 };

/** Folds the statement's district rows into LA tables (an LA = the sum of its districts, keys too). Pure. */
export function foldOverlapRows(rows: OverlapRow[]): Map<string, OverlapTable> {
  const tables = new Map<string, OverlapTable>();
  for (const r of rows) {
    const t = tables.get(r.la_code) ?? { la: { ...ZERO }, districts: new Map() };
    const c: OverlapCounts = {
      sizeThis: Number(r.size_this),
      sizeOther: Number(r.size_other),
      both: Number(r.in_both),
      keyThis: cellKey(Number(r.key_this ?? 0)),
      keyOther: cellKey(Number(r.key_other ?? 0)),
      keyBoth: cellKey(Number(r.key_both ?? 0)),
    };
    t.districts.set(r.district_code, c);
    t.la.sizeThis += c.sizeThis;
    t.la.sizeOther += c.sizeOther;
    t.la.both += c.both;
    t.la.keyThis = cellKey(t.la.keyThis + c.keyThis);
    t.la.keyOther = cellKey(t.la.keyOther + c.keyOther);
    t.la.keyBoth = cellKey(t.la.keyBoth + c.keyBoth);
    tables.set(r.la_code, t);
  }
  return tables;
}

/** Overlap rows from two stored memberships, as the live statement gives them (districts of an LA only). */
function storedOverlapRows(
  a: Members,
  b: Members,
  areas: Map<string, { level: string; parentCode: string | null }>,
): OverlapRow[] {
  return overlapByDistrict(a, b).flatMap((r) => {
    const d = areas.get(r.district);
    if (d?.level !== 'DISTRICT' || !d.parentCode) return [];
    return [
      {
        la_code: d.parentCode,
        district_code: r.district,
        size_this: r.sizeThis,
        size_other: r.sizeOther,
        in_both: r.both,
        key_this: r.keyThis,
        key_other: r.keyOther,
        key_both: r.keyBoth,
      },
    ];
  });
}

/**
 * An overlap's counts by district: from both cohorts' stored memberships when both are fresh (no
 * statement), else one statement over both member lists in the database.
 */
async function overlapCounts(
  ctx: Context,
  a: CohortRef,
  b: CohortInfo,
  bPeriod: PeriodInfo,
): Promise<Map<string, OverlapTable>> {
  const key = [a.cohort.key, a.period.code, b.key, bPeriod.code].join('\u0000');
  const parts = (k: string) => {
    const [ak, ap, bk, bp] = k.split('\u0000');
    const cohorts = cohortsByKey(ctx.services);
    return { a: cohorts.get(ak), b: cohorts.get(bk), ak, ap, bk, bp };
  };
  const statement = (k: string) => {
    const p = parts(k);
    if (!p.a || !p.b) return new Error(`Cohort ${p.a ? p.bk : p.ak} is not enabled`);
    return overlapSql(p.a, parsePeriod(p.ap), p.b, parsePeriod(p.bp));
  };
  const tables = await ctx
    .loader<string, Map<string, OverlapTable>>(
      'cohorts.overlap',
      ctx.results.batch(
        'cohorts.overlap',
        (k) => {
          const p = parts(k);
          const [ta, tb] = [cohortTables(p.a), cohortTables(p.b)];
          return ta === 'ALL' || tb === 'ALL' ? 'ALL' : [...new Set([...ta, ...tb])];
        },
        async (keys) => {
          const sides = [
            ...new Set(
              keys.flatMap((k) => {
                const p = parts(k);
                return [`${p.ak}|${p.ap}`, `${p.bk}|${p.bp}`];
              }),
            ),
          ];
          const [{ found, clientOf }, areas] = await Promise.all([
            readStored(ctx, cohortAsks(ctx, sides), freshMembers),
            areaDirectory(ctx),
          ]);
          return Promise.all(
            keys.map(async (k) => {
              const p = parts(k);
              const [ma, mb] = [found.get(`${p.ak}|${p.ap}`), found.get(`${p.bk}|${p.bp}`)];
              if (ma && mb) return foldOverlapRows(storedOverlapRows(ma, mb, areas.byCode));
              const sql = statement(k);
              if (sql instanceof Error) return sql;
              // Both sides' tables are where the statement reads: the replica only if it has both.
              const client =
                clientOf.get(`${p.ak}|${p.ap}`) === clientOf.get(`${p.bk}|${p.bp}`)
                  ? (clientOf.get(`${p.ak}|${p.ap}`) ?? ctx.db.prisma)
                  : ctx.db.prisma;
              return foldOverlapRows(await client.$queryRaw<OverlapRow[]>(sql));
            }),
          );
        },
        (k) => {
          const sql = statement(k);
          return sql instanceof Error ? '' : statementDigest(sql);
        },
      ),
    )
    .load(key);
  return tables;
}

export interface OverlapData {
  other: CohortInfo;
  otherPeriod: PeriodInfo;
  count: Figure;
  shareOfThis: Figure;
  shareOfOther: Figure;
}

function share(both: number | null, size: number | null, empty: boolean): Figure {
  if (both === null || size === null) return symbolFigure('c');
  if (size === 0) return symbolFigure(empty ? 'z' : 'c');
  return valueFigure('PERCENT', 1, (100 * Math.min(both, size)) / size);
}

/**
 * How many of the cohort are also in another (in its own period), and what share that is of each. Under
 * disclosure control the count and both sizes are published by their cell keys (a size as the cohort's own
 * size figure shows it), and the shares are computed from those published counts.
 */
export async function cohortOverlap(
  ctx: Context,
  ref: CohortRef,
  other: CohortInfo,
  otherPeriod: PeriodInfo,
): Promise<OverlapData> {
  const tables = await overlapCounts(ctx, ref, other, otherPeriod);
  const table = tables.get(ref.laCode);
  const c = !table ? ZERO : ref.areaCode === ref.laCode ? table.la : (table.districts.get(ref.areaCode) ?? ZERO);
  const disclosed = ctx.disclosureControl;
  const both = disclosed ? publishedCount(c.both, c.keyBoth) : c.both;
  const sizeThis = disclosed ? publishedCount(c.sizeThis, c.keyThis) : c.sizeThis;
  const sizeOther = disclosed ? publishedCount(c.sizeOther, c.keyOther) : c.sizeOther;
  return {
    other,
    otherPeriod,
    count: countFigure(both),
    shareOfThis: share(both, sizeThis, c.sizeThis === 0),
    shareOfOther: share(both, sizeOther, c.sizeOther === 0),
  };
}
