// The figures of an area for an indicator x period. They come from the records when the facts cover the
// area (an LA = the sum over its districts; a district of a covered LA with no rows counts zero), else from
// a published Observation (national, neighbours, history, indicators without facts), else they are
// unavailable (`x`). Disclosure control, when the context asks for it, applies to figures from records
// only: published figures are already public.
import type { Context } from '../../context.js';
import type { Observation } from '../../generated/prisma/client.js';
import { type AreaRecord, areaDirectory } from './directories.js';
import { type DisclosedCell, disclosedCell } from './disclosure.js';
import { GROUP_DIMENSION, normaliseSymbol, unitValue } from './engine.js';
import {
  type AreaCounts,
  anySen,
  type Counts,
  DIMENSION_GROUPS,
  type FactsNeed,
  type LaTable,
  type PeriodFacts,
  type PersonDimension,
  personDimensions,
} from './facts.js';
import type { IndicatorInfo } from './indicator-types.js';
import { periodFacts, periodObservations } from './period-loaders.js';
import type { EesSymbol, Group } from './types.js';
import { GROUPS } from './types.js';

/**
 * One figure's inputs and visibility: a total, a breakdown group or a district. For partners and the public
 * it is what disclosure control publishes (disclosedCell), so the two are one shape.
 */
export type Cell = DisclosedCell;

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

// Under disclosure control every count is published through the cell key method (disclosure.ts): a function
// of the cell's counts and keys alone, so cached tables are shared safely between kinds of viewer.
function recordCell(indicator: IndicatorInfo, counts: Counts, disclosed: boolean): Cell {
  if (disclosed) return disclosedCell(indicator.unit, counts);
  return {
    numerator: counts.numerator,
    denominator: indicator.unit === 'COUNT' ? null : counts.denominator,
    people: counts.people,
    value: unitValue(indicator.unit, counts.numerator, counts.denominator),
    symbol: null,
    hiddenNumerator: false,
    hiddenDenominator: false,
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
  const disclosed = ctx.disclosureControl;
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
    return c && recordCell(indicator, c, disclosed);
  };
  return {
    source: 'RECORDS',
    total: recordCell(indicator, counts.total, disclosed),
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
          cell: recordCell(indicator, table.districts.get(code)?.total ?? NO_COUNTS.total, disclosed),
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
