// The engine's data path and the figures of one indicator value (indicator x area x period), for GraphQL,
// service plugins' Area fields and the CSV export alike. Per request, batched by dataloader:
// - facts: ONE grouped statement per indicator x period (facts.ts), covering every LA and district;
// - observations: one statement per batch for every (indicator, period) asked in that tick;
// - targets: likewise; areas and periods: one statement each per request (small tables).
// An area's figure comes from the records when the facts cover it (an LA = the sum over its districts; a
// district of a covered LA with no rows counts zero), else from a published Observation (national,
// neighbours, history, indicators without facts), else it is unavailable (`x`). Disclosure control, when
// the context asks for it, applies to figures from records only: published figures are already public.
// Every loader goes through the result cache (cache.ts): what it loads is kept across requests until an
// import changes the tables it read. Cached values are raw counts and rows; suppression happens after.
import type { Context } from '../../context.js';
import type { Area, Observation, Period, Target } from '../../generated/prisma/client.js';
import { previousPeriodCode } from '../periods.js';
import { factsTables, factsVariant, type TableSet } from './cache.js';
import { ensureCatalogue, type IndicatorInfo, pluginIndicators } from './catalogue.js';
import { groupKey, type Protection, perTableAndThreshold, protectLaTable, totalKey } from './disclosure.js';
import {
  COMPARATOR,
  countFigure,
  type Direction,
  directionOfTravel,
  type Figure,
  formatGap,
  GROUP_DIMENSION,
  gapValue,
  type Interval,
  isProportion,
  mean,
  normaliseSymbol,
  type Quartile,
  quartileOf,
  rankOf,
  significant,
  smallCohort,
  symbolFigure,
  type TargetStatus,
  targetStatus,
  unitValue,
  valueFigure,
  wilsonInUnit,
} from './engine.js';
import {
  type AreaCounts,
  anySen,
  type Counts,
  computeFacts,
  DIMENSION_GROUPS,
  type FactsNeed,
  GROUP_LABELS,
  type LaTable,
  type PeriodFacts,
  type PersonDimension,
  personDimensions,
} from './facts.js';
import {
  askFor,
  freshSnapshots,
  readTableVersions,
  type SnapshotAsk,
  snapshotsEnabled,
  versionStamp,
} from './snapshots.js';
import type { Dimension, EesSymbol, Group } from './types.js';
import { GROUPS } from './types.js';

/** What a GraphQL IndicatorValue is: an indicator at an area in a period; every figure is derived lazily. */
export interface IndicatorValueRef {
  indicator: IndicatorInfo;
  areaCode: string;
  periodCode: string;
}

/** One figure's inputs and visibility: a total, a breakdown group or a district. */
export interface Cell {
  numerator: number | null;
  denominator: number | null;
  people: number | null;
  /** Unrounded value in the unit (null when not computable: nothing to divide by). */
  value: number | null;
  /** Published symbol (c, x, z, low, u) in place of a value. */
  symbol: EesSymbol | null;
  hiddenNumerator: boolean;
  hiddenDenominator: boolean;
}

export type FigureSource = 'RECORDS' | 'PUBLISHED';

/** An area's figures for an indicator x period. */
export interface AreaFigures {
  source: FigureSource;
  total: Cell;
  /** A group of a person dimension (`ANY_SEN` included), undefined when the area has no such group. */
  group(dimension: PersonDimension, code: string): Cell | undefined;
  /** Group cells in display order. */
  groups(dimension: PersonDimension): { code: string; cell: Cell }[];
  /** District cells of an LA computed from records (empty otherwise). */
  districts(): { code: string; cell: Cell }[];
}

export type AreaRecord = Area & { neighbours: string[] };

/** Every area, once per request (a few hundred rows at most), with its ordered statistical neighbours. */
export async function areaDirectory(ctx: Context): Promise<{ byCode: Map<string, AreaRecord>; national?: string }> {
  return ctx
    .loader<string, { byCode: Map<string, AreaRecord>; national?: string }>(
      'reporting.areas',
      ctx.results.batch(
        'areas',
        () => ['Area', 'StatisticalNeighbour'],
        async (keys) => {
          const rows = await ctx.db.prisma.area.findMany({
            include: { neighbours: { orderBy: { rank: 'asc' }, select: { neighbourCode: true } } },
          });
          const byCode = new Map(
            rows.map(({ neighbours, ...a }) => [a.code, { ...a, neighbours: neighbours.map((n) => n.neighbourCode) }]),
          );
          const national = rows.find((a) => a.level === 'NATIONAL')?.code;
          return keys.map(() => ({ byCode, national }));
        },
      ),
    )
    .load('all');
}

/** Every stored period, once per request, oldest first. */
export async function periodDirectory(ctx: Context): Promise<{ byCode: Map<string, Period>; list: Period[] }> {
  return ctx
    .loader<string, { byCode: Map<string, Period>; list: Period[] }>(
      'reporting.periods',
      ctx.results.batch(
        'periods',
        () => ['Period'],
        async (keys) => {
          const list = await ctx.db.prisma.period.findMany({ orderBy: [{ startDate: 'asc' }, { endDate: 'desc' }] });
          return keys.map(() => ({ byCode: new Map(list.map((p) => [p.code, p])), list }));
        },
      ),
    )
    .load('all');
}

const keyOf = (indicatorCode: string, periodCode: string) => `${indicatorCode}|${periodCode}`;
const splitKey = (key: string) => {
  const i = key.indexOf('|');
  return { indicatorCode: key.slice(0, i), periodCode: key.slice(i + 1) };
};

// Facts keys: indicator|period|dimensions, where dimensions is `*` (the whole table) or a comma list of
// person dimensions ('' = totals only).
const factsKeyOf = (indicatorCode: string, periodCode: string, need: FactsNeed) =>
  `${keyOf(indicatorCode, periodCode)}|${need === 'ALL' ? '*' : [...need].sort().join(',')}`;
const splitFactsKey = (key: string) => {
  const i = key.lastIndexOf('|');
  const dims = key.slice(i + 1);
  const need: FactsNeed = dims === '*' ? 'ALL' : dims ? (dims.split(',') as PersonDimension[]) : [];
  return { ...splitKey(key.slice(0, i)), need, base: key.slice(0, i) };
};

interface TableCounters {
  primary: ReadonlyMap<string, string>;
  replica: Map<string, string> | null;
}

/**
 * The table write counters of the primary and of the read replica (null without one, or when it does not
 * answer: every read then goes to the primary), read once per request, when some figure is not cached.
 */
function tableVersions(ctx: Context): Promise<TableCounters> {
  return ctx
    .loader<string, TableCounters>('reporting.tableVersions', async (keys) => {
      const replica = ctx.db.replica;
      const [primary, onReplica] = await Promise.all([
        // The counters the result cache read for this request (one statement for both), else read now.
        ctx.results.tableVersions().then((v) => v ?? readTableVersions(ctx.db.prisma)),
        replica
          ? readTableVersions(replica).catch((e: Error) => {
              console.warn(
                `The read replica did not answer; reading from the primary: ${e.message.split('\n').at(-1)}`,
              );
              return null;
            })
          : null,
      ]);
      return keys.map(() => ({ primary, replica: onReplica }));
    })
    .load('all');
}

/** The database to read figures over `tables` from, with its counters: the replica when it has replayed every write to them. */
function route(ctx: Context, versions: TableCounters, tables: TableSet) {
  if (
    ctx.db.replica &&
    versions.replica &&
    versionStamp(tables, versions.replica) === versionStamp(tables, versions.primary)
  ) {
    return { client: ctx.db.replica, versions: versions.replica };
  }
  return { client: ctx.db.prisma, versions: versions.primary };
}

type Client = Context['db']['prisma'];

/**
 * Stored rows (snapshots.ts) for the asks, where fresh, each read from the database its tables route to
 * (the replica when it has replayed every write to them): one statement per database. Also where each
 * ask's live figures are to be read. Indicators, cohorts and list totals all read their stored rows here.
 */
export async function readStored<T>(
  ctx: Context,
  asked: SnapshotAsk[],
  read: (client: Client, asked: SnapshotAsk[], versions: ReadonlyMap<string, string>) => Promise<Map<string, T>>,
): Promise<{ found: Map<string, T>; clientOf: Map<string, Client> }> {
  const versions = await tableVersions(ctx);
  const routed = asked.map((ask) => ({ ask, ...route(ctx, versions, ask.tables) }));
  const clientOf = new Map(routed.map((r) => [r.ask.key, r.client]));
  const found = new Map<string, T>();
  if (!snapshotsEnabled()) return { found, clientOf };
  for (const client of new Set(routed.map((r) => r.client))) {
    const mine = routed.filter((r) => r.client === client);
    const got = await read(
      client,
      mine.map((r) => r.ask),
      mine[0].versions,
    );
    for (const [k, v] of got) found.set(k, v);
  }
  return { found, clientOf };
}

/** One need covering all of `needs`. */
function unionNeed(needs: FactsNeed[]): FactsNeed {
  if (needs.includes('ALL')) return 'ALL';
  return [...new Set(needs.flatMap((n) => n as PersonDimension[]))];
}

const byCodeCache = new WeakMap<Context['services'], Map<string, IndicatorInfo>>();
function indicatorsByCode(services: Context['services']): Map<string, IndicatorInfo> {
  let m = byCodeCache.get(services);
  if (!m) {
    m = new Map(pluginIndicators(services).map((d) => [d.code, d]));
    byCodeCache.set(services, m);
  }
  return m;
}

/**
 * The grouped facts of a record-level indicator for a period, grouped by at least the dimensions `need`
 * asks for: one statement per indicator x period per request, whatever each field needs, because the keys
 * of one tick are batched and each indicator x period is computed once with the union of what they ask.
 * A figure that needs totals only (value, RAG, trend, benchmarks) thus costs no breakdown at all. Under
 * disclosure control the whole table is always computed: suppression decisions cover the whole table.
 */
export async function periodFacts(
  ctx: Context,
  indicator: IndicatorInfo,
  periodCode: string,
  need: FactsNeed = [],
): Promise<PeriodFacts | null> {
  if (!indicator.facts) return null;
  const defs = () => indicatorsByCode(ctx.services);
  return ctx
    .loader<string, PeriodFacts>(
      'reporting.facts',
      ctx.results.batch(
        'facts',
        (key) => factsTables(defs().get(splitFactsKey(key).indicatorCode)),
        async (keys) => {
          const byCode = defs();
          const byBase = new Map<string, FactsNeed[]>();
          for (const key of keys) {
            const k = splitFactsKey(key);
            byBase.set(k.base, [...(byBase.get(k.base) ?? []), k.need]);
          }
          // Materialised facts first, while fresh (snapshots.ts); each read where its tables route to.
          const { found: snapshots, clientOf } = await readStored<PeriodFacts>(
            ctx,
            [...byBase.keys()].flatMap((base) => {
              const { indicatorCode, periodCode: p } = splitKey(base);
              const def = byCode.get(indicatorCode);
              return def ? [askFor(base, def, p)] : [];
            }),
            freshSnapshots,
          );
          const computed = new Map(
            await Promise.all(
              [...byBase].map(async ([base, needs]) => {
                const { indicatorCode, periodCode: p } = splitKey(base);
                const def = byCode.get(indicatorCode);
                if (!def) return [base, new Error(`Indicator ${indicatorCode} is not enabled`)] as const;
                const snapshot = snapshots.get(base);
                if (snapshot) return [base, snapshot] as const;
                return [
                  base,
                  await computeFacts(clientOf.get(base) ?? ctx.db.prisma, def, p, unionNeed(needs)).catch(
                    (e: Error) => e,
                  ),
                ] as const;
              }),
            ),
          );
          return keys.map((key) => computed.get(splitFactsKey(key).base)!);
        },
        // The statement's text is part of the key: a release that changes an indicator's SQL never reads
        // figures another release cached in Redis.
        (key) => {
          const k = splitFactsKey(key);
          return factsVariant(defs().get(k.indicatorCode), k.periodCode, k.need);
        },
      ),
    )
    .load(factsKeyOf(indicator.code, periodCode, ctx.disclosureControl ? 'ALL' : need));
}

/** Published figures of an indicator x period: area → breakdown → row. */
export async function periodObservations(
  ctx: Context,
  indicatorCode: string,
  periodCode: string,
): Promise<Map<string, Map<string, Observation>>> {
  await ensureCatalogue(ctx);
  return ctx
    .loader<string, Map<string, Map<string, Observation>>>(
      'reporting.observations',
      ctx.results.batch(
        'observations',
        () => ['Observation'],
        async (keys) => {
          const rows = await ctx.db.prisma.observation.findMany({ where: { OR: keys.map(splitKey) } });
          const byKey = new Map(keys.map((k) => [k, new Map<string, Map<string, Observation>>()]));
          for (const r of rows) {
            const byArea = byKey.get(keyOf(r.indicatorCode, r.periodCode));
            if (!byArea) continue;
            const byBreakdown = byArea.get(r.areaCode) ?? new Map<string, Observation>();
            byBreakdown.set(r.breakdown, r);
            byArea.set(r.areaCode, byBreakdown);
          }
          return keys.map((k) => byKey.get(k)!);
        },
      ),
    )
    .load(keyOf(indicatorCode, periodCode));
}

/** Targets of an indicator x period by area. */
export async function periodTargets(
  ctx: Context,
  indicatorCode: string,
  periodCode: string,
): Promise<Map<string, Target[]>> {
  return ctx
    .loader<string, Map<string, Target[]>>(
      'reporting.targets',
      ctx.results.batch(
        'targets',
        () => ['Target'],
        async (keys) => {
          const rows = await ctx.db.prisma.target.findMany({ where: { OR: keys.map(splitKey) } });
          const byKey = new Map(keys.map((k) => [k, new Map<string, Target[]>()]));
          for (const r of rows) {
            const byArea = byKey.get(keyOf(r.indicatorCode, r.periodCode));
            if (!byArea) continue;
            byArea.set(r.areaCode, [...(byArea.get(r.areaCode) ?? []), r]);
          }
          return keys.map((k) => byKey.get(k)!);
        },
      ),
    )
    .load(keyOf(indicatorCode, periodCode));
}

// Protection is decided per LA table and threshold. A table (raw counts) may be shared by many requests
// through the result cache; its protection is derived from it alone, and applied only to requests under
// disclosure control, so it is shared safely too.
const protections = perTableAndThreshold<LaTable, Protection>();
const protectionOf = (indicator: IndicatorInfo, table: LaTable): Protection =>
  protections(table, (threshold) => protectLaTable(indicator, table, threshold));

function recordCell(indicator: IndicatorInfo, counts: Counts, key: string, protection?: Protection): Cell {
  return {
    numerator: counts.numerator,
    denominator: indicator.unit === 'COUNT' ? null : counts.denominator,
    people: counts.people,
    value: unitValue(indicator.unit, counts.numerator, counts.denominator),
    symbol: null,
    hiddenNumerator: protection?.hiddenNumerator.has(key) ?? false,
    hiddenDenominator: protection?.hiddenDenominator.has(key) ?? false,
  };
}

const NO_COUNTS: AreaCounts = { total: { numerator: 0, denominator: 0, people: 0 }, groups: new Map() };

function recordFigures(
  ctx: Context,
  indicator: IndicatorInfo,
  facts: PeriodFacts,
  table: LaTable,
  areaCode: string,
  names: Map<string, AreaRecord>,
): AreaFigures {
  const protection = ctx.disclosureControl ? protectionOf(indicator, table) : undefined;
  const counts = areaCode === table.code ? table.la : (table.districts.get(areaCode) ?? NO_COUNTS);
  const dims = personDimensions(indicator);
  const group = (dimension: PersonDimension, code: string): Cell | undefined => {
    if (!dims.includes(dimension)) return undefined;
    if (!facts.dimensions.includes(dimension)) {
      // A caller that reads a dimension must ask for it (areaFigures' `need`): never a silent "no group".
      throw new Error(`${indicator.code}: facts for ${facts.periodCode} were computed without ${dimension}`);
    }
    const c =
      code === 'ANY_SEN' && dimension === 'SEN_STATUS' ? anySen(counts) : counts.groups.get(dimension)?.get(code);
    return c && recordCell(indicator, c, groupKey(areaCode, dimension, code), protection);
  };
  return {
    source: 'RECORDS',
    total: recordCell(indicator, counts.total, totalKey(areaCode), protection),
    group,
    groups: (dimension) =>
      DIMENSION_GROUPS[dimension].flatMap((code) => {
        const cell = group(dimension, code);
        return cell ? [{ code, cell }] : [];
      }),
    districts: () => {
      const codes = areaCode === table.code ? [...table.districts.keys()] : [areaCode];
      return codes
        .sort((a, b) => (names.get(a)?.name ?? a).localeCompare(names.get(b)?.name ?? b))
        .map((code) => ({
          code,
          cell: recordCell(indicator, table.districts.get(code)?.total ?? NO_COUNTS.total, totalKey(code), protection),
        }));
    },
  };
}

function publishedCell(indicator: IndicatorInfo, row: Observation): Cell {
  const computed =
    row.numerator !== null && row.denominator !== null
      ? unitValue(indicator.unit, row.numerator, row.denominator)
      : indicator.unit === 'COUNT'
        ? row.numerator
        : null;
  const value = row.symbol ? null : (row.value ?? computed);
  return {
    numerator: row.numerator,
    denominator: indicator.unit === 'COUNT' ? null : row.denominator,
    people: null,
    value,
    symbol: row.symbol ? normaliseSymbol(row.symbol) : value === null ? 'x' : null,
    hiddenNumerator: false,
    hiddenDenominator: false,
  };
}

const ETHNIC_GROUPS = new Set(DIMENSION_GROUPS.ETHNICITY_MAJOR);

function publishedFigures(indicator: IndicatorInfo, rows: Map<string, Observation>, total: Observation): AreaFigures {
  const dimensionOf = (breakdown: string): PersonDimension | undefined =>
    (GROUPS as readonly string[]).includes(breakdown)
      ? (GROUP_DIMENSION[breakdown as Group] as PersonDimension)
      : ETHNIC_GROUPS.has(breakdown) && breakdown !== 'UNKNOWN'
        ? 'ETHNICITY_MAJOR'
        : undefined;
  const group = (dimension: PersonDimension, code: string): Cell | undefined => {
    const row = rows.get(code);
    if (row && dimensionOf(code) === dimension) return publishedCell(indicator, row);
    if (dimension === 'SEN_STATUS' && code === 'ANY_SEN') {
      // Published SEN_SUPPORT and EHCP counts add up to ANY_SEN when both are given as counts.
      const parts = ['SEN_SUPPORT', 'EHCP'].map((g) => rows.get(g));
      if (parts.every((p) => p && p.numerator !== null && p.denominator !== null && !p.symbol)) {
        const numerator = parts.reduce((s, p) => s + (p?.numerator ?? 0), 0);
        const denominator = parts.reduce((s, p) => s + (p?.denominator ?? 0), 0);
        return publishedCell(indicator, {
          ...total,
          breakdown: code,
          numerator,
          denominator,
          value: null,
          symbol: null,
        });
      }
    }
    return undefined;
  };
  return {
    source: 'PUBLISHED',
    total: publishedCell(indicator, total),
    group,
    groups: (dimension) =>
      DIMENSION_GROUPS[dimension].flatMap((code) => {
        const cell = group(dimension, code);
        return cell ? [{ code, cell }] : [];
      }),
    districts: () => [],
  };
}

/**
 * An area's figures for an indicator x period, from records or published; null when neither has any.
 * `need`: the person dimensions whose groups the caller reads (default none: totals and districts only).
 */
export async function areaFigures(
  ctx: Context,
  indicator: IndicatorInfo,
  areaCode: string,
  periodCode: string,
  need: FactsNeed = [],
): Promise<AreaFigures | null> {
  const [facts, observations, areas] = await Promise.all([
    periodFacts(ctx, indicator, periodCode, need),
    periodObservations(ctx, indicator.code, periodCode),
    areaDirectory(ctx),
  ]);
  if (facts) {
    const area = areas.byCode.get(areaCode);
    const laCode = facts.tables.has(areaCode)
      ? areaCode
      : (facts.laOfDistrict.get(areaCode) ?? (area?.level === 'DISTRICT' ? area.parentCode : null));
    const table = laCode ? facts.tables.get(laCode) : undefined;
    if (table) return recordFigures(ctx, indicator, facts, table, areaCode, areas.byCode);
  }
  const rows = observations.get(areaCode);
  const total = rows?.get('TOTAL');
  return rows && total ? publishedFigures(indicator, rows, total) : null;
}

// ---- Figures of a cell --------------------------------------------------------------------------------

/** The value as shown: null when unavailable, published as a symbol, or suppressed. */
export function shownValue(indicator: IndicatorInfo, cell: Cell | undefined | null): number | null {
  if (!cell || cell.symbol || cell.value === null) return null;
  if (cell.hiddenNumerator || (indicator.unit !== 'COUNT' && cell.hiddenDenominator)) return null;
  return cell.value;
}

/** The value figure: a number, `c` when suppressed, `x` when unavailable, `z` when there is nothing to divide by. */
export function cellValue(indicator: IndicatorInfo, cell: Cell | undefined | null): Figure {
  if (!cell) return symbolFigure('x');
  if (cell.symbol) return symbolFigure(cell.symbol);
  if (cell.hiddenNumerator || (indicator.unit !== 'COUNT' && cell.hiddenDenominator)) return symbolFigure('c');
  if (cell.value === null) return symbolFigure('z');
  return valueFigure(indicator.unit, indicator.decimalPlaces, cell.value);
}

export function cellNumerator(cell: Cell | undefined | null): Figure | null {
  if (!cell || cell.numerator === null) return null;
  return cell.hiddenNumerator ? symbolFigure('c') : countFigure(cell.numerator);
}

/** The denominator figure; null for COUNT indicators, which have none. */
export function cellDenominator(cell: Cell | undefined | null): Figure | null {
  if (!cell || cell.denominator === null) return null;
  return cell.hiddenDenominator ? symbolFigure('c') : countFigure(cell.denominator);
}

/** Wilson 95% interval in the unit's scale, for proportions whose value is shown. */
export function cellInterval(indicator: IndicatorInfo, cell: Cell | undefined | null): Interval | null {
  if (!cell || shownValue(indicator, cell) === null || !isProportion(indicator.unit)) return null;
  if (cell.numerator === null || cell.denominator === null) return null;
  return wilsonInUnit(indicator.unit, cell.numerator, cell.denominator);
}

// ---- The fields of an IndicatorValue ------------------------------------------------------------------

export const figuresOf = (ctx: Context, ref: IndicatorValueRef) =>
  areaFigures(ctx, ref.indicator, ref.areaCode, ref.periodCode);

export async function valueFigureOf(ctx: Context, ref: IndicatorValueRef): Promise<Figure> {
  return cellValue(ref.indicator, (await figuresOf(ctx, ref))?.total);
}

export async function sourceOf(ctx: Context, ref: IndicatorValueRef): Promise<FigureSource | null> {
  return (await figuresOf(ctx, ref))?.source ?? null;
}

export async function numeratorOf(ctx: Context, ref: IndicatorValueRef): Promise<Figure | null> {
  return cellNumerator((await figuresOf(ctx, ref))?.total);
}

export async function denominatorOf(ctx: Context, ref: IndicatorValueRef): Promise<Figure | null> {
  return cellDenominator((await figuresOf(ctx, ref))?.total);
}

export async function intervalOf(ctx: Context, ref: IndicatorValueRef): Promise<Interval | null> {
  return cellInterval(ref.indicator, (await figuresOf(ctx, ref))?.total);
}

const TARGET_PRIORITY = ['TARGET', 'MINIMUM', 'STRETCH'] as const;

/** The target judged against: the area's TARGET, else its MINIMUM, else its STRETCH for the period. */
export async function targetOf(ctx: Context, ref: IndicatorValueRef): Promise<Target | null> {
  const targets = (await periodTargets(ctx, ref.indicator.code, ref.periodCode)).get(ref.areaCode) ?? [];
  for (const kind of TARGET_PRIORITY) {
    const t = targets.find((x) => x.kind === kind);
    if (t) return t;
  }
  return null;
}

export async function statusOf(ctx: Context, ref: IndicatorValueRef): Promise<TargetStatus> {
  const [figures, target] = await Promise.all([figuresOf(ctx, ref), targetOf(ctx, ref)]);
  return targetStatus({
    value: shownValue(ref.indicator, figures?.total),
    target: target?.value ?? null,
    polarity: ref.indicator.polarity,
    decimalPlaces: ref.indicator.decimalPlaces,
    amberTolerance: ref.indicator.amberTolerance,
  });
}

/** The same indicator and area in the previous period of the same type, when that period has a figure. */
export async function previousOf(ctx: Context, ref: IndicatorValueRef): Promise<IndicatorValueRef | null> {
  const periodCode = previousPeriodCode(ref.periodCode);
  const periods = await periodDirectory(ctx);
  if (!periods.byCode.has(periodCode)) return null;
  const previous = { ...ref, periodCode };
  return (await figuresOf(ctx, previous)) ? previous : null;
}

export async function trendOf(
  ctx: Context,
  ref: IndicatorValueRef,
): Promise<{ change: number | null; direction: Direction }> {
  const [figures, previous] = await Promise.all([figuresOf(ctx, ref), previousOf(ctx, ref)]);
  const previousFigures = previous ? await figuresOf(ctx, previous) : null;
  return directionOfTravel({
    current: shownValue(ref.indicator, figures?.total),
    previous: shownValue(ref.indicator, previousFigures?.total),
    polarity: ref.indicator.polarity,
    decimalPlaces: ref.indicator.decimalPlaces,
  });
}

/** The national (England) published figure; null when none is stored. */
export async function nationalOf(ctx: Context, ref: IndicatorValueRef): Promise<Figure | null> {
  const { national } = await areaDirectory(ctx);
  if (!national) return null;
  const figures = await areaFigures(ctx, ref.indicator, national, ref.periodCode);
  return figures ? cellValue(ref.indicator, figures.total) : null;
}

async function laValues(ctx: Context, ref: IndicatorValueRef, codes: string[]): Promise<number[]> {
  const figures = await Promise.all(codes.map((c) => areaFigures(ctx, ref.indicator, c, ref.periodCode)));
  return figures.flatMap((f) => {
    const v = shownValue(ref.indicator, f?.total);
    return v === null ? [] : [v];
  });
}

/** Benchmarks are for local authorities: the LA, its neighbours, and the other LAs. */
async function benchmarkBase(ctx: Context, ref: IndicatorValueRef) {
  const areas = await areaDirectory(ctx);
  const area = areas.byCode.get(ref.areaCode);
  if (area?.level !== 'LOCAL_AUTHORITY') return null;
  const figures = await figuresOf(ctx, ref);
  return { areas, area, value: shownValue(ref.indicator, figures?.total) };
}

/** Mean of the statistical neighbours' figures (simple mean of those that have one). */
export async function neighbourAverageOf(ctx: Context, ref: IndicatorValueRef): Promise<Figure | null> {
  const base = await benchmarkBase(ctx, ref);
  if (!base) return null;
  const m = mean(await laValues(ctx, ref, base.area.neighbours));
  return m === null ? null : valueFigure(ref.indicator.unit, ref.indicator.decimalPlaces, m);
}

/** Position among the LA and its statistical neighbours (1 = best by polarity). */
export async function rankOfValue(
  ctx: Context,
  ref: IndicatorValueRef,
): Promise<{ position: number; of: number } | null> {
  const base = await benchmarkBase(ctx, ref);
  if (!base || base.value === null) return null;
  const others = await laValues(ctx, ref, base.area.neighbours);
  return rankOf(base.value, [base.value, ...others], ref.indicator.polarity, ref.indicator.decimalPlaces);
}

/** Quartile band among every local authority with the figure (records for covered LAs, else published). */
export async function quartileOfValue(ctx: Context, ref: IndicatorValueRef): Promise<Quartile | null> {
  const base = await benchmarkBase(ctx, ref);
  if (!base || base.value === null) return null;
  const [facts, observations] = await Promise.all([
    periodFacts(ctx, ref.indicator, ref.periodCode),
    periodObservations(ctx, ref.indicator.code, ref.periodCode),
  ]);
  const codes = new Set([...(facts?.tables.keys() ?? []), ...observations.keys()]);
  const las = [...codes].filter((c) => c !== ref.areaCode && base.areas.byCode.get(c)?.level === 'LOCAL_AUTHORITY');
  const others = await laValues(ctx, ref, las);
  return quartileOf(base.value, [base.value, ...others], ref.indicator.polarity, ref.indicator.decimalPlaces);
}

export interface GroupValueData {
  group: Group | null;
  code: string;
  label: string;
  value: Figure;
  numerator: Figure | null;
  denominator: Figure | null;
  ci95: Interval | null;
}

/** Dimensions this indicator can be broken down by. */
export function dimensionsOf(indicator: IndicatorInfo): readonly Dimension[] {
  return indicator.dimensions ?? ['SEX', 'FSM', 'SEN_STATUS', 'IN_CARE', 'EAL', 'ETHNICITY_MAJOR', 'DISTRICT'];
}

/** The value for each group of a dimension (for DISTRICT: each district of the area, by name). */
export async function breakdownOf(
  ctx: Context,
  ref: IndicatorValueRef,
  dimension: Dimension,
): Promise<GroupValueData[]> {
  const [figures, areas] = await Promise.all([
    areaFigures(ctx, ref.indicator, ref.areaCode, ref.periodCode, dimension === 'DISTRICT' ? [] : [dimension]),
    areaDirectory(ctx),
  ]);
  if (!figures) return [];
  const entries =
    dimension === 'DISTRICT'
      ? figures.districts().map((d) => ({ ...d, label: areas.byCode.get(d.code)?.name ?? d.code }))
      : figures.groups(dimension).map((g) => ({ ...g, label: GROUP_LABELS[g.code] ?? g.code }));
  return entries.map(({ code, cell, label }) => ({
    group: (GROUPS as readonly string[]).includes(code) ? (code as Group) : null,
    code,
    label,
    value: cellValue(ref.indicator, cell),
    numerator: cellNumerator(cell),
    denominator: cellDenominator(cell),
    ci95: cellInterval(ref.indicator, cell),
  }));
}

export interface GapData {
  group: Group;
  comparator: Group;
  value: Figure;
  national: Figure | null;
  significant: boolean | null;
  smallCohort: boolean;
}

function gapFigure(indicator: IndicatorInfo, groupCell: Cell | undefined, comparatorCell: Cell | undefined): Figure {
  const a = shownValue(indicator, groupCell);
  const b = shownValue(indicator, comparatorCell);
  if (a !== null && b !== null) {
    const v = gapValue(b, a);
    return { value: v, symbol: null, formatted: formatGap(indicator.unit, indicator.decimalPlaces, v) };
  }
  // A gap is confidential when either side is; otherwise it cannot be given (a side has no value).
  const suppressed = [groupCell, comparatorCell].some((c) => c && !c.symbol && cellValue(indicator, c).symbol === 'c');
  const published = [groupCell, comparatorCell].find((c) => c?.symbol)?.symbol;
  return symbolFigure(suppressed ? 'c' : (published ?? 'x'));
}

/** Gap for a group against its complement; null when the area has neither group. */
export async function gapOf(ctx: Context, ref: IndicatorValueRef, group: Group): Promise<GapData | null> {
  const dimension = GROUP_DIMENSION[group] as PersonDimension;
  const comparator = COMPARATOR[group];
  const figures = await areaFigures(ctx, ref.indicator, ref.areaCode, ref.periodCode, [dimension]);
  const g = figures?.group(dimension, group);
  const c = figures?.group(dimension, comparator);
  if (!g && !c) return null;
  const { national: nationalCode } = await areaDirectory(ctx);
  const national = nationalCode
    ? await areaFigures(ctx, ref.indicator, nationalCode, ref.periodCode, [dimension])
    : null;
  const ng = national?.group(dimension, group);
  const nc = national?.group(dimension, comparator);
  const nationalGap = ng && nc ? gapFigure(ref.indicator, ng, nc) : null;
  const value = gapFigure(ref.indicator, g, c);
  return {
    group,
    comparator,
    value,
    national: nationalGap,
    significant:
      value.value === null ? null : significant(cellInterval(ref.indicator, g), cellInterval(ref.indicator, c)),
    smallCohort: smallCohort(g?.people ?? g?.denominator ?? null, c?.people ?? c?.denominator ?? null),
  };
}
